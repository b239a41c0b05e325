//go:build bench

package handlers_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"pakt/app"
	"pakt/app/bench"
	"pakt/app/testkit"
	"pakt/models"
)

// The pages `make bench` loads cost a fixed number of SQL statements
// however big the data: the same count with a small data set and with one
// three times as big (municipalities, measures per plan and reporting
// periods, so nine times the progress reports).
func TestQueryCountsDoNotGrowWithData(t *testing.T) {
	small := pageStatements(t, bench.Scale{Factor: 2.0 / 520, Measures: 3, BigMeasures: 4, Years: 2})
	large := pageStatements(t, bench.Scale{Factor: 6.0 / 520, Measures: 9, BigMeasures: 12, Years: 6})
	for _, name := range small.names {
		n := small.n[name]
		if n == 0 {
			t.Errorf("%s: no SQL statement counted", name)
		}
		if large.n[name] != n {
			t.Errorf("%s: %d SQL statements with small data, %d with 3× the data", name, n, large.n[name])
		} else {
			t.Logf("%s: %d SQL statements", name, n)
		}
	}
}

// pageStatements generates a data set of the scale on a fresh database and
// counts the statements of one request to each benchmarked page (after a
// warm-up request, which may touch the session).
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
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cfg.DataDir = t.TempDir()
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
	out := statementCounts{n: map[string]int64{}}
	for _, p := range bench.Pages(targets) {
		get(p)
		counter.Reset()
		resp := get(p)
		out.names, out.n[p.Name] = append(out.names, p.Name), counter.Load()
		body := testkit.Body(resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, p.Want) {
			t.Fatalf("%s %s: status %d, want 200 with %q", p.Name, p.Path, resp.StatusCode, p.Want)
		}
		if p.Path == "/region" && int64(strings.Count(body, `/dashboard">`)) != targets.Municipalities {
			t.Fatalf("regional page: %d rows, want %d", strings.Count(body, `/dashboard">`), targets.Municipalities)
		}
	}
	return out
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
