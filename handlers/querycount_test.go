package handlers_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/app"
	"pakt/app/bench"
	"pakt/app/testkit"
	"pakt/models"
)

// The pages `make bench` loads cost a fixed number of SQL statements
// however big the data: the same count with a small data set and with one
// three times as big (municipalities, measures per plan and reporting
// periods, so nine times the progress reports) — both when the page comes
// from the page cache and when it is built (the cache off, as right after a
// write).
func TestQueryCountsDoNotGrowWithData(t *testing.T) {
	t.Parallel()
	small := pageStatements(t, bench.Scale{Factor: 2.0 / 520, Measures: 3, BigMeasures: 4, Years: 2})
	large := pageStatements(t, bench.Scale{Factor: 6.0 / 520, Measures: 9, BigMeasures: 12, Years: 6})
	for _, name := range small.names {
		for _, kind := range []string{"cached", "uncached"} {
			key := name + " (" + kind + ")"
			n := small.n[key]
			// Every page but the anonymous login page (which needs no session
			// row, so no database) reads something.
			if n == 0 && name != "login page" {
				t.Errorf("%s: no SQL statement counted", key)
			}
			if large.n[key] != n {
				t.Errorf("%s: %d SQL statements with small data, %d with 3× the data", key, n, large.n[key])
			} else {
				t.Logf("%s: %d SQL statements", key, n)
			}
		}
		// From the cache only the caller (session, user, memberships), the
		// access check and the revision remain, plus what stays live on the
		// page (comments of a plan, whether a report is published).
		if cached, uncached := small.n[name+" (cached)"], small.n[name+" (uncached)"]; name != "login page" && (cached > 8 || cached >= uncached) {
			t.Errorf("%s: %d SQL statements from the cache (%d without it); want at most 8 and fewer than without", name, cached, uncached)
		}
	}
}

// pageStatements generates a data set of the scale on a fresh database and
// counts the statements of one request to each benchmarked page (after a
// warm-up request, which may touch the session and fill the cache), with the
// page cache and without.
func pageStatements(t *testing.T, scale bench.Scale) statementCounts {
	t.Helper()
	db := testkit.DB(t)
	counter, err := bench.CountStatements(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bench.Generate(t.Context(), db, scale); err != nil {
		t.Fatal(err)
	}
	targets, err := bench.FindTargets(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	// The helpers sign in with testkit.Password.
	hash, err := models.HashPassword(testkit.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE users SET password_hash = ? WHERE email IN ?", hash,
		[]string{targets.Coordinator, bench.AdminEmail}).Error; err != nil {
		t.Fatal(err)
	}
	out := statementCounts{n: map[string]int64{}}
	for _, kind := range []string{"cached", "uncached"} {
		cacheBytes := 32 << 20
		if kind == "uncached" {
			cacheBytes = 0
		}
		countPages(t, db, targets, counter, cacheBytes, kind, &out)
	}
	return out
}

// countPages serves every benchmarked page from a server with the given
// cache size and records its statements under "<page> (<kind>)".
func countPages(t *testing.T, db *gorm.DB, targets bench.Targets, counter *bench.StatementCounter,
	cacheBytes int, kind string, out *statementCounts) {
	t.Helper()
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cfg.DataDir, cfg.CacheBytes = t.TempDir(), cacheBytes
	// As in testkit.NewEnv: a loaded CI machine must not turn slow into failed.
	cfg.DBTimeout = 30 * time.Second
	srv, err := app.NewServer(cfg, db, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	e := &testkit.Env{T: t, DB: db, Srv: srv, Cfg: cfg}
	coordinator, admin, token := e.Login(targets.Coordinator), e.Login(bench.AdminEmail), e.Token(targets.Coordinator)
	get := func(p bench.Page) *http.Response {
		switch p.As {
		case bench.AsCoordinator:
			return coordinator.Get(p.Path)
		case bench.AsAdmin:
			return admin.Get(p.Path)
		case bench.AsToken:
			return e.API(token, http.MethodGet, p.Path, nil)
		}
		return e.Anonymous().Get(p.Path)
	}
	for _, p := range bench.Pages(targets) {
		get(p)
		counter.Reset()
		resp := get(p)
		if kind == "cached" {
			out.names = append(out.names, p.Name)
		}
		out.n[p.Name+" ("+kind+")"] = counter.Load()
		body := testkit.Body(resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, p.Want) {
			t.Fatalf("%s %s: status %d, want 200 with %q", p.Name, p.Path, resp.StatusCode, p.Want)
		}
		if want := min(targets.Municipalities, bench.RegionPageRows); p.Path == "/region" && int64(strings.Count(body, `/dashboard">`)) != want {
			t.Fatalf("regional page: %d rows, want %d", strings.Count(body, `/dashboard">`), want)
		}
	}
}

// statementCounts are SQL statements per page, pages in bench order.
type statementCounts struct {
	names []string
	n     map[string]int64
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// A progress save (PUT /api/v1/measures/{id}/progress/{period_id}) is a
// small fixed number of SQL statements however many lines it carries: the
// caller (token, user and memberships in one), the scope check, the
// measure and its parts, the period, the old report with its public
// wording, the report row, and one statement for the spending lines,
// indicator values, groups and the audit row together (issue #20: about 25
// before, with one statement per line; 14 before the lines and the audit
// row went out as one). Counted through GORM; the triggers' work at commit is not a
// statement of the request.
func TestProgressSaveStatements(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, indID := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017 H1", "2017-01-01", "2017-06-30")
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)
	counter, err := bench.CountStatements(w.DB)
	if err != nil {
		t.Fatal(err)
	}
	save := func(what string, body map[string]any, lines int) int64 {
		t.Helper()
		spent := []map[string]any{}
		for i := range lines {
			spent = append(spent, map[string]any{"source": "municipal", "funder": fmt.Sprint("F", i), "amount": fmt.Sprintf("%d.05", i)})
		}
		body["spent"] = spent
		counter.Reset()
		expect(t, w.API(tok, "PUT", pp, body), 200, what)
		n := counter.Load()
		t.Logf("%s (%d spending lines): %d SQL statements", what, lines, n)
		return n
	}
	first := save("first save", progressBody(indID, "1.00", 20, 12, 8), 2)
	changed := progressBody(indID, "1.00", 20, 12, 8)
	changed["beneficiaries"] = map[string]any{"total": 20, "women": 12, "men": 8,
		"by_group": map[string]int{"roma": 1, "youth_neet": 2, "women": 3, "disability": 4, "returnees": 5}}
	many := save("save with more lines", changed, 12)
	same := save("the same save again", changed, 12)
	if first > 9 || many != first || same != first {
		t.Fatalf("statements per save: %d, %d with many lines, %d unchanged; want at most 9 and the same", first, many, same)
	}
	// Still the right answer: the lines as saved, exact.
	got := expect(t, w.API(tok, "GET", pp, nil), 200, "read back")
	for _, want := range []string{`"amount":"11.05"`, `"funder":"F11"`, `"value":"8"`} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %s: %s", want, got)
		}
	}
	// Bad input and wrong roles are still refused before anything is written.
	bad := progressBody(indID, "-1", 20, 12, 8)
	expect(t, w.API(tok, "PUT", pp, bad), 422, "bad amount")
	expect(t, w.API(w.Token(viewer), "PUT", pp, changed), 403, "viewer")
	expect(t, w.API(w.Token(coordZ), "PUT", pp, changed), 404, "other municipality")
}
