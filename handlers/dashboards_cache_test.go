package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"pakt/app/testkit"
	"pakt/models"
)

// sqlLog records the SQL statements GORM runs on a *gorm.DB (the server's:
// the test environment shares it), with their arguments. Like
// bench.CountStatements, but without the bench build tag and keeping the text,
// so a test can tell which tables a request touched.
type sqlLog struct {
	mu    sync.Mutex
	stmts []sqlStmt
}

type sqlStmt struct {
	SQL  string
	Vars []any
}

// logSQL registers the recorder once per test database; name keeps the
// callbacks of several recorders apart.
func logSQL(t *testing.T, db *gorm.DB, name string) *sqlLog {
	t.Helper()
	l := &sqlLog{}
	rec := func(tx *gorm.DB) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.stmts = append(l.stmts, sqlStmt{tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)})
	}
	cb := db.Callback()
	for kind, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register(name+":query", rec),
		"raw":    cb.Raw().After("gorm:raw").Register(name+":raw", rec),
		"row":    cb.Row().After("gorm:row").Register(name+":row", rec),
		"create": cb.Create().After("gorm:create").Register(name+":create", rec),
		"update": cb.Update().After("gorm:update").Register(name+":update", rec),
		"delete": cb.Delete().After("gorm:delete").Register(name+":delete", rec),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", kind, err)
		}
	}
	return l
}

// take returns the statements recorded since the last take.
func (l *sqlLog) take() []sqlStmt {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.stmts
	l.stmts = nil
	return out
}

// cacheStats is the server's page cache counters.
func cacheStats(w *world) (hits, misses int64) {
	s := w.Srv.Handler.Kernel.Cache.Stats()
	return s.Hits, s.Misses
}

// wantCache fails unless get made exactly the cache hits and misses given.
func wantCache(t *testing.T, w *world, what string, hits, misses int64, get func() string) string {
	t.Helper()
	h0, m0 := cacheStats(w)
	body := get()
	h1, m1 := cacheStats(w)
	if h1-h0 != hits || m1-m0 != misses {
		t.Fatalf("%s: %d cache hits and %d misses, want %d and %d", what, h1-h0, m1-m0, hits, misses)
	}
	return body
}

// mainOf is the page's <main>: what the handler put inside the layout.
func mainOf(t *testing.T, page string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `<main id="main" class="container">`)
	body, _, ok2 := strings.Cut(rest, "</main>")
	if !ok || !ok2 {
		t.Fatalf("no <main> in %s", page)
	}
	return body
}

// A write in the municipality shows on the next dashboard view; a write in
// another municipality leaves its cached dashboard alone.
func TestDashboardCacheFollowsWrites(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	b := w.Login(viewer)
	dash := fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)
	get := func() string { return testkit.Body(b.Get(dash)) }

	first := wantCache(t, w, "first view", 0, 1, get)
	if !strings.Contains(first, "1,500.45 KM") || !strings.Contains(first, "Implementation dashboard: Bratunac") {
		t.Fatal("dashboard wrong before the writes")
	}
	if again := wantCache(t, w, "second view", 1, 0, get); mainOf(t, again) != mainOf(t, first) {
		t.Fatal("cached dashboard differs from the rendered one")
	}

	// Progress saved through the API: M2's missing report for 2017 H1.
	coord := w.Token(coordA)
	m2 := dashSQL(t, w.DB, `SELECT id FROM plan_measures WHERE municipality_id = ? AND code = 'M2'`, w.A.ID)
	ind := dashSQL(t, w.DB, `SELECT id FROM measure_indicators WHERE measure_id = ?`, m2)
	p1 := dashSQL(t, w.DB, `SELECT id FROM reporting_periods WHERE municipality_id = ? AND label = '2017 H1'`, w.A.ID)
	expect(t, w.API(coord, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", m2, p1), progressBody(ind, "250.00", 20, 12, 8)), 200, "save progress")
	after := wantCache(t, w, "view after saving progress", 0, 1, get)
	for _, want := range []string{"1,750.45 KM", `<th scope="row">Women</th><td class="num">20</td>`} {
		if !strings.Contains(after, want) {
			t.Errorf("saved progress not on the dashboard: lacks %q", want)
		}
	}

	// The municipality renamed.
	expect(t, w.API(coord, "PATCH", fmt.Sprintf("/api/v1/municipalities/%d", w.A.ID), map[string]any{"name": "Bratunac Novi"}), 200, "rename")
	if renamed := wantCache(t, w, "view after renaming", 0, 1, get); !strings.Contains(renamed, "Implementation dashboard: Bratunac Novi") {
		t.Error("new name not on the dashboard")
	}

	// Writes in Zvornik do not touch Bratunac's key: still a hit.
	wantCache(t, w, "warm view", 1, 0, get)
	zTok := w.Token(coordZ)
	expect(t, w.API(zTok, "PATCH", fmt.Sprintf("/api/v1/municipalities/%d", w.B.ID), map[string]any{"name": "Zvornik Grad"}), 200, "rename B")
	dashPlan(t, w, zTok, w.B.ID, w.OrgB.ID, w.OrgB.ID, []string{"500.00"})
	wantCache(t, w, "view after writes in another municipality", 1, 0, get)
	if !strings.Contains(testkit.Body(w.Login(coordZ).Get(fmt.Sprintf("/municipalities/%d/dashboard", w.B.ID))), "Zvornik Grad") {
		t.Error("the other municipality's dashboard is stale")
	}

	// Each language has its own entry.
	bs := wantCache(t, w, "Bosnian view", 0, 1, func() string { return testkit.Body(b.Get(dash + "?lang=bs")) })
	if !strings.Contains(bs, "1.750,45 KM") {
		t.Error("Bosnian dashboard not localised")
	}
}

// Coordinators (and admins) get their own links; members and viewers share
// a page without them, whoever asked first.
func TestDashboardRoleDependentParts(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	dash := fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)
	coordOnly := []string{`aria-label="For the coordinator"`, fmt.Sprintf(`href="/municipalities/%d/members"`, w.A.ID),
		fmt.Sprintf(`href="/municipalities/%d/audit"`, w.A.ID), ">Reporting periods and review of reports</a>"}
	for _, who := range []string{coordA, viewer, member, admin, coordA, viewer} {
		page := testkit.Body(w.Login(who).Get(dash))
		coord := who == coordA || who == admin
		for _, s := range coordOnly {
			if strings.Contains(page, s) != coord {
				t.Errorf("%s: has %q = %v, want %v", who, s, !coord, coord)
			}
		}
		if !strings.Contains(page, ">Implementation tracking</a>") {
			t.Errorf("%s: no link to the tracking page", who)
		}
	}
	// Without a plan the coordinator is offered a new one; others the list.
	z := fmt.Sprintf("/municipalities/%d/dashboard", w.B.ID)
	if page := testkit.Body(w.Login(coordZ).Get(z)); !strings.Contains(page, ">New action plan</a>") {
		t.Error("coordinator without a plan is not offered a new one")
	}
	if page := testkit.Body(w.Login(admin).Get(z + "?lang=bs")); !strings.Contains(page, ">Novi akcioni plan</a>") {
		t.Error("admin without a plan is not offered a new one")
	}
	zView := w.User("viewer.b@test.ba", false, &w.OrgB.ID, w.B.ID, "viewer")
	if page := testkit.Body(w.Login(zView.Email).Get(z)); strings.Contains(page, "New action plan") || !strings.Contains(page, ">Municipal action plans</a>") {
		t.Error("viewer without a plan: wrong link")
	}
}

// Cached bytes hold nothing of the viewer: two readers get the same <main>,
// with neither's CSRF token, form nonce or name in it.
func TestDashboardCachedBytesHoldNoViewer(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	dash := fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)
	vb, mb := w.Login(viewer), w.Login(member)
	vPage, mPage := testkit.Body(vb.Get(dash)), testkit.Body(mb.Get(dash))
	if vb.CSRF == "" || mb.CSRF == "" || vb.CSRF == mb.CSRF {
		t.Fatal("the two sessions need CSRF tokens of their own")
	}
	if mainOf(t, vPage) != mainOf(t, mPage) {
		t.Fatal("two readers got different dashboards")
	}
	main := mainOf(t, vPage)
	for _, bad := range []string{vb.CSRF, mb.CSRF, "_csrf", "_once", "<form", w.ViewA.Name, w.MemA.Name} {
		if strings.Contains(main, bad) {
			t.Errorf("cached dashboard holds %q", bad)
		}
	}
	// The layout around it is still the viewer's own.
	if !strings.Contains(vPage, w.ViewA.Name) || !strings.Contains(mPage, w.MemA.Name) {
		t.Error("the layout lost the viewer's name")
	}
}

// On a warm cache a dashboard view runs a small, fixed number of SQL
// statements: the session and the content revision, never the plan data.
func TestDashboardWarmCacheStatements(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	log := logSQL(t, w.DB, "dashwarm")
	dataTables := regexp.MustCompile(`\b(action_plans|plan_measures|measure_budget_lines|measure_indicators|progress_\w+|reporting_periods|agreements|agreement_\w+|municipalities)\b`)
	warm := func(b *testkit.Browser, muniID int64) int {
		t.Helper()
		path := fmt.Sprintf("/municipalities/%d/dashboard", muniID)
		b.Get(path) // renders and caches
		log.take()
		if resp := b.Get(path); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		stmts := log.take()
		revisions := 0
		for _, s := range stmts {
			if strings.Contains(s.SQL, "FROM memberships") {
				continue // the signed-in user's roles (and their municipalities' names)
			}
			if dataTables.MatchString(s.SQL) {
				t.Errorf("%s on a warm cache reads data: %s", path, s.SQL)
			}
			if strings.Contains(s.SQL, "municipality_revisions") {
				revisions++
			}
		}
		if revisions != 1 {
			t.Errorf("%s: %d revision reads, want 1", path, revisions)
		}
		return len(stmts)
	}
	coordinator, adm := w.Login(coordA), w.Login(admin)
	withPlan := warm(coordinator, w.A.ID)
	adminPlan, adminNoPlan := warm(adm, w.A.ID), warm(adm, w.B.ID)
	if withPlan > 5 || adminPlan != adminNoPlan {
		t.Fatalf("warm dashboard: %d statements (coordinator, plan), %d (admin, plan), %d (admin, no plan); want at most 5, the same with or without a plan",
			withPlan, adminPlan, adminNoPlan)
	}
	// What the cache saves: a cold render in another language.
	log.take()
	coordinator.Get(fmt.Sprintf("/municipalities/%d/dashboard?lang=sq", w.A.ID))
	if cold := len(log.take()); cold < withPlan+8 {
		t.Errorf("cold dashboard: %d statements, the warm one %d", cold, withPlan)
	}
	t.Logf("warm dashboard: %d SQL statements", withPlan)
}

// The indicator chart is its own image: same policy as the dashboard, an
// ETag the browser revalidates cheaply, a new one after a write.
func TestDashboardIndicatorChartImage(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	img := fmt.Sprintf("/municipalities/%d/dashboard/indicators.svg", w.A.ID)
	b := w.Login(viewer)
	resp := b.Get(img)
	body := testkit.Body(resp)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" || etag == "" ||
		resp.Header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("chart: %d %q etag %q cache %q", resp.StatusCode, resp.Header.Get("Content-Type"), etag, resp.Header.Get("Cache-Control"))
	}
	// A standalone document: fixed size, a white background for dark pages.
	if !strings.HasPrefix(body, `<svg width="`) || !strings.Contains(body, `<rect width="100%" height="100%" fill="#fff"/>`) ||
		!strings.Contains(body, `aria-labelledby="ch-ind-title ch-ind-desc"`) {
		t.Errorf("not a standalone chart: %.300s", body)
	}
	revalidate := func(tag string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, img, nil)
		req.Header.Set("If-None-Match", tag)
		return b.Send(req)
	}
	if r := revalidate(etag); r.StatusCode != http.StatusNotModified || r.Header.Get("ETag") != etag || testkit.Body(r) != "" {
		t.Fatalf("revalidation: %d %q", r.StatusCode, r.Header.Get("ETag"))
	}
	// Another language is another image.
	if r := b.Get(img + "?lang=bs"); r.Header.Get("ETag") == etag || !strings.Contains(testkit.Body(r), "Ostvareno: 7,50 osoba") {
		t.Error("Bosnian chart: same ETag or not localised")
	}
	b.Get(img + "?lang=en")
	// A new indicator value: the old ETag no longer matches.
	r1 := dashSQL(t, w.DB, `SELECT pr.id FROM progress_reports pr JOIN plan_measures m ON m.id = pr.measure_id
		WHERE m.municipality_id = ? AND m.code = 'M1' ORDER BY pr.period_id DESC LIMIT 1`, w.A.ID)
	if err := w.DB.Exec(`UPDATE progress_indicator_values SET value = 9.25 WHERE report_id = ?`, r1).Error; err != nil {
		t.Fatal(err)
	}
	r := revalidate(etag)
	if r.StatusCode != 200 || r.Header.Get("ETag") == etag || !strings.Contains(testkit.Body(r), "Actual: 9.25 osoba") {
		t.Fatalf("after a write: %d, ETag %q (was %q)", r.StatusCode, r.Header.Get("ETag"), etag)
	}

	run(t, []scenario{
		{"chart: anonymous is sent to login", "", "GET", p("/municipalities/%d/dashboard/indicators.svg", idA), nil, false, 303, nil, nil},
		{"chart: coordinator of another municipality gets 404", coordZ, "GET", p("/municipalities/%d/dashboard/indicators.svg", idA), nil, false, 404, nil, []string{"<svg"}},
		{"chart: user without roles gets 404", nobody, "GET", p("/municipalities/%d/dashboard/indicators.svg", idA), nil, false, 404, nil, []string{"<svg"}},
		{"chart: no plan, no chart", coordZ, "GET", p("/municipalities/%d/dashboard/indicators.svg", idB), nil, false, 404, nil, []string{"<svg"}},
	})
}

// regionRow is one municipality's row of the regional table, as shown.
type regionRow struct {
	ID          int64
	Name        string
	Nums        []string // the numeric cells: in force, planned, spent, execution, people, women, men, employed, …
	PeopleTotal int
}

var (
	regionRowRe = regexp.MustCompile(`(?s)<tr>\s*<th scope="row"><a href="/municipalities/(\d+)/dashboard">([^<]+)</a>(.*?)</tr>`)
	numCellRe   = regexp.MustCompile(`<td class="num">([^<]*)</td>`)
)

func regionRows(t *testing.T, page string) []regionRow {
	t.Helper()
	var out []regionRow
	for _, m := range regionRowRe.FindAllStringSubmatch(page, -1) {
		r := regionRow{Name: m[2]}
		fmt.Sscan(m[1], &r.ID)
		for _, c := range numCellRe.FindAllStringSubmatch(m[3], -1) {
			r.Nums = append(r.Nums, c[1])
		}
		if len(r.Nums) != 11 {
			t.Fatalf("row %s: %d numeric cells", r.Name, len(r.Nums))
		}
		fmt.Sscan(strings.ReplaceAll(r.Nums[4], ",", ""), &r.PeopleTotal)
		out = append(out, r)
	}
	return out
}

// The regional page at scale: 50 rows a page in the chosen order, totals over
// every municipality, a chart of the highest and the lowest execution, and a
// cache that recomputes only the municipality that changed.
func TestRegionPaginationAndTotals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(admin)
	// 32 municipalities with an adopted plan of 1,000.00 KM; the i-th spent
	// 10·i KM (i %) and reached i people. 22 more without a plan; A and B too.
	var planned []int64
	for i := 1; i <= 54; i++ {
		m := w.Municipality(fmt.Sprintf("Općina %02d", i))
		if i > 32 {
			continue
		}
		org := w.Organisation(m.ID, fmt.Sprint("Biro ", i), "pes")
		planID, ms := dashPlan(t, w, tok, m.ID, org.ID, org.ID, []string{"1000.00"})
		per := dashPeriod(t, w, planID, m.ID, "2017", "2017-01-01", "2017-12-31", "2018-01-31")
		r := dashReport(t, w, planID, m.ID, ms["M1"], per, "on_track", "accepted", [7]int{i, i, 0, 0, 0, 0, 0})
		dashSpend(t, w, r, per, m.ID, "municipal", fmt.Sprintf("%d.00", 10*i))
		planned = append(planned, m.ID)
	}
	var names []string
	w.DB.Raw(`SELECT name FROM municipalities ORDER BY name, id`).Scan(&names)
	if len(names) != 56 {
		t.Fatalf("%d municipalities", len(names))
	}
	b := w.Login(admin)
	get := func(path string) string {
		t.Helper()
		resp := b.Get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return testkit.Body(resp)
	}

	one := get("/region")
	two := get("/region?page=2")
	r1, r2 := regionRows(t, one), regionRows(t, two)
	if len(r1) != 50 || len(r2) != 6 {
		t.Fatalf("pages of %d and %d rows, want 50 and 6", len(r1), len(r2))
	}
	people, seen := 0, map[int64]bool{}
	for i, r := range append(r1, r2...) {
		if r.Name != names[i] {
			t.Fatalf("row %d is %q, want %q (by name)", i, r.Name, names[i])
		}
		seen[r.ID] = true
		people += r.PeopleTotal
	}
	if len(seen) != 56 || people != 528 {
		t.Fatalf("%d municipalities over both pages, %d people; want 56 and 528", len(seen), people)
	}
	for _, page := range []string{one, two} {
		// Totals are over every municipality, on every page; they equal the sums.
		for _, want := range []string{"Total of all municipalities (56)", "<strong>32,000.00 KM</strong>", "<strong>5,280.00 KM</strong>",
			"<strong>16.5 %</strong>", "<strong>528</strong>", "<dd>56</dd>"} {
			if !strings.Contains(page, want) {
				t.Errorf("totals lack %q", want)
			}
		}
	}
	for _, want := range []string{"Municipalities 1–50 of 56", `aria-label="Pages of the table"`,
		`<a href="/region" aria-current="page"><strong><span class="visually-hidden">Page </span>1</strong></a>`,
		`href="/region?page=2"`, `rel="next"`, `aria-sort="ascending"`} {
		if !strings.Contains(one, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if !strings.Contains(two, "Municipalities 51–56 of 56") || !strings.Contains(two, `href="/region?page=2" aria-current="page"`) ||
		!strings.Contains(two, `href="/region" rel="prev"`) || strings.Contains(two, `rel="next"`) {
		t.Error("page 2 navigation wrong")
	}
	// Out of range and junk fall back to something sensible.
	if rows := regionRows(t, get("/region?page=99&sort=bogus&dir=up")); len(rows) != 6 || rows[0].Name != names[50] {
		t.Error("page 99 is not the last page by name")
	}

	// Sorted by execution: highest first, those without a rate last; and back.
	desc := get("/region?sort=execution&dir=desc")
	rows := regionRows(t, desc)
	if rows[0].Name != "Općina 32" || rows[0].Nums[3] != "32.0 %" || rows[31].Name != "Općina 01" || rows[32].Nums[3] != "—" {
		t.Errorf("by execution: first %q %q, 32nd %q, 33rd %q", rows[0].Name, rows[0].Nums[3], rows[31].Name, rows[32].Nums[3])
	}
	if !strings.Contains(desc, `aria-sort="descending"`) || !strings.Contains(desc, `href="/region?dir=asc&amp;sort=execution"`) {
		t.Error("execution column: no aria-sort or no link to reverse the order")
	}
	if rows := regionRows(t, get("/region?sort=execution&dir=asc")); rows[0].Name != "Općina 01" {
		t.Errorf("lowest execution first: %q", rows[0].Name)
	}
	if rows := regionRows(t, get("/region?sort=people")); rows[0].Name != "Općina 32" || rows[0].PeopleTotal != 32 {
		t.Errorf("most people first: %q", rows[0].Name)
	}

	// The chart: the 15 highest and the 15 lowest of the 32 with a budget.
	_, chart, _ := strings.Cut(one, `<svg class="chart timeline"`)
	chart, _, _ = strings.Cut(chart, "</svg>")
	for _, want := range []string{">32.0 %</text>", ">18.0 %</text>", ">15.0 %</text>", ">1.0 %</text>", ">2 more in between</text>"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	for _, bad := range []string{">17.0 %</text>", ">16.0 %</text>", "Bratunac"} {
		if strings.Contains(chart, bad) {
			t.Errorf("chart has %q", bad)
		}
	}
	for _, want := range []string{"The 15 municipalities with the highest and the 15 with the lowest budget execution, of 32 with a planned budget",
		"Not in the chart (no adopted plan or no planned budget): 24"} {
		if !strings.Contains(one, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	// Cache: the same page again is a hit; a write in one municipality makes
	// a new page, read in one query from the plans' aggregate rows (kept by
	// the write), never summed again from the reports.
	wantCache(t, w, "same page again", 1, 0, func() string { return get("/region") })
	log := logSQL(t, w.DB, "regioncache")
	first := planned[0]
	r := dashSQL(t, w.DB, `SELECT id FROM progress_reports WHERE municipality_id = ?`, first)
	per := dashSQL(t, w.DB, `SELECT period_id FROM progress_reports WHERE id = ?`, r)
	if err := w.DB.Exec(`INSERT INTO progress_spending (report_id, period_id, municipality_id, position, source, amount)
		VALUES (?, ?, ?, 7, 'donor', 990.00)`, r, per, first).Error; err != nil {
		t.Fatal(err)
	}
	log.take()
	after := get("/region")
	overviews := 0
	for _, s := range log.take() {
		if strings.Contains(s.SQL, "WITH mun AS") {
			overviews++
			if !strings.Contains(s.SQL, "plan_totals") || strings.Contains(s.SQL, "progress_") || strings.Contains(s.SQL, "measure_budget_lines") {
				t.Errorf("the regional query sums rows instead of reading aggregates: %s", s.SQL)
			}
		}
	}
	if overviews != 1 {
		t.Errorf("%d regional queries after one write, want 1", overviews)
	}
	if !strings.Contains(after, "<strong>6,270.00 KM</strong>") || !strings.Contains(after, "<td class=\"num\">100.0 %</td>") {
		t.Error("regional page stale after a write")
	}
}

// A member of some municipalities sees only those, under a key of their own.
func TestRegionVisibleSetInKey(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	u := w.User("both@test.ba", false, &w.OrgA.ID, w.A.ID, "viewer")
	if err := models.SetRole(t.Context(), w.DB, models.Actor{}, w.B.ID, u.ID, "viewer"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who       string
		want, not []string
	}{
		{coordA, []string{"Bratunac"}, []string{"Zvornik"}},
		{"both@test.ba", []string{"Bratunac", "Zvornik"}, nil},
		{coordZ, []string{"Zvornik"}, []string{"Bratunac"}},
		{admin, []string{"Bratunac", "Zvornik"}, nil},
		{coordA, []string{"Bratunac"}, []string{"Zvornik"}},
	} {
		page := testkit.Body(w.Login(c.who).Get("/region"))
		for _, s := range c.want {
			if !strings.Contains(page, s) {
				t.Errorf("%s: lacks %q", c.who, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(page, s) {
				t.Errorf("%s: shows %q", c.who, s)
			}
		}
	}
}

// An operator reads the page cache's counters through the API: a drawn
// page is a miss, the same page again a hit. Only platform admins may.
func TestCacheStatsAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(admin)
	type stats struct {
		Hits, Misses, Entries, Bytes int64
		MaxBytes                     int64 `json:"max_bytes"`
	}
	read := func() (s stats) {
		t.Helper()
		body := expect(t, w.API(tok, "GET", "/api/v1/admin/cache", nil), 200, "cache counters")
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := read()
	coord := w.Login(coordA)
	dash := fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)
	coord.Get(dash)
	coord.Get(dash)
	after := read()
	if after.Misses <= before.Misses || after.Hits <= before.Hits || after.Entries == 0 || after.Bytes <= 0 || after.MaxBytes <= 0 {
		t.Errorf("counters did not follow two views of a dashboard: before %+v, after %+v", before, after)
	}
	expect(t, w.API(w.Token(coordA), "GET", "/api/v1/admin/cache", nil), 403, "a coordinator reads the cache counters")
	expect(t, w.API("", "GET", "/api/v1/admin/cache", nil), 401, "anonymous reads the cache counters")
}
