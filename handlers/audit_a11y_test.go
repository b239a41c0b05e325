package handlers_test

// The outside audit, offline (issue #16): every main page, signed in as the
// person who uses it, checked in a real Chromium by axe-core with all of its
// rules (not only WCAG A/AA), with no console error, and the checks axe
// cannot make (pageChecks, wide tables in a keyboard-reachable box). With
// PAKT_AUDIT_DIR set, the test also writes each page's HTML as the server
// sent it and one PDF of every kind there, for `make audit` to hand to the
// Nu HTML checker (vnu) and to `qpdf --check`.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
	"pakt/models"
)

// auditPage is one page of the audit: who looks at it, in how wide a
// window, with which colour scheme.
type auditPage struct {
	name, path string
	width      int64 // 0: the desktop width, 1280 px
	dark       bool  // the visitor's system prefers a dark scheme
}

// auditRole is pages one person sees ("" is an anonymous visitor), in one
// browser (each has its own time budget).
type auditRole struct {
	name, who string
	pages     []auditPage
}

func auditRoles(f *auditFixture) []auditRole {
	w := f.w
	muni := fmt.Sprintf("/municipalities/%d", w.A.ID)
	return []auditRole{
		{"anonymous", "", []auditPage{
			{name: "login", path: "/login"},
			{name: "front", path: "/"},
			{name: "front-360", path: "/", width: 360},
			{name: "public-municipality", path: "/m/" + w.A.Slug},
			{name: "public-plan", path: f.publicPlan},
			{name: "public-plan-360", path: f.publicPlan, width: 360},
			{name: "public-plan-dark", path: f.publicPlan, dark: true},
			{name: "heard", path: "/m/" + w.A.Slug + "/heard"},
			{name: "public-situation-analysis", path: fmt.Sprintf("/m/%s/situation-analyses/%d", w.A.Slug, f.sitan.Pub.ID)},
		}},
		{"coordinator", coordA, []auditPage{
			{name: "dashboard", path: "/dashboard"},
			{name: "municipality", path: muni},
			{name: "municipality-dashboard", path: muni + "/dashboard"},
			{name: "municipality-dashboard-dark", path: muni + "/dashboard", dark: true},
			{name: "agreements", path: muni + "/agreements"},
			{name: "webhooks", path: muni + "/webhooks"},
			{name: "agreement", path: fmt.Sprintf("/agreements/%d", f.agreementID)},
			{name: "situation-analysis", path: fmt.Sprintf("/situation-analyses/%d", f.sitan.S.ID)},
			{name: "situation-analysis-report", path: fmt.Sprintf("/situation-analyses/%d/report", f.sitan.Pub.ID)},
		}},
		{"coordinator-plans", coordA, []auditPage{
			{name: "plan", path: fmt.Sprintf("/plans/%d", f.adoptedID)},
			{name: "plan-360", path: fmt.Sprintf("/plans/%d", f.adoptedID), width: 360},
			{name: "plan-consultation", path: fmt.Sprintf("/plans/%d", f.consultationID)},
			{name: "plan-consultation-360", path: fmt.Sprintf("/plans/%d", f.consultationID), width: 360},
			{name: "plan-dark", path: fmt.Sprintf("/plans/%d", f.adoptedID), dark: true},
			{name: "measure-form", path: fmt.Sprintf("/measures/%d/edit", f.draftMeasure)},
			{name: "measure-form-dark", path: fmt.Sprintf("/measures/%d/edit", f.draftMeasure), dark: true},
			{name: "tracking", path: fmt.Sprintf("/plans/%d/tracking", f.adoptedID)},
		}},
		{"coordinator-edit-forms", coordA, []auditPage{
			{name: "finding-edit", path: fmt.Sprintf("/findings/%d/edit", f.findingID)},
			{name: "group-edit", path: fmt.Sprintf("/vulnerable-groups/%d/edit", f.groupID)},
			{name: "focus-edit", path: fmt.Sprintf("/focus-groups/%d/edit", f.sitan.FG.ID)},
			{name: "need-edit", path: fmt.Sprintf("/needs/%d/edit", f.needID)},
		}},
		{"coordinator-history", coordA, []auditPage{
			{name: "audit-log", path: muni + "/audit"},
			{name: "audit-log-360", path: muni + "/audit", width: 360},
			{name: "plan-diff", path: fmt.Sprintf("/plans/%d/diff", f.consultationID)},
			{name: "plan-diff-dark", path: fmt.Sprintf("/plans/%d/diff", f.consultationID), dark: true},
		}},
		{"member", member, []auditPage{
			{name: "progress-form", path: f.progressPath},
			{name: "progress-form-dark", path: f.progressPath, dark: true},
		}},
		{"admin", admin, []auditPage{
			{name: "region", path: "/region"},
			{name: "region-dark", path: "/region", dark: true},
		}},
	}
}

// auditPDFs are one document of every kind, fetched by the coordinator.
func auditPDFs(f *auditFixture) map[string]string {
	return map[string]string{
		"agreement":           fmt.Sprintf("/agreements/%d/pdf", f.agreementID),
		"plan":                fmt.Sprintf("/plans/%d/pdf", f.adoptedID),
		"report":              fmt.Sprintf("/plans/%d/report.pdf?period_id=%d", f.adoptedID, f.periodID),
		"situation-analysis":  fmt.Sprintf("/situation-analyses/%d/report.pdf", f.sitan.Pub.ID),
		"consultation-report": fmt.Sprintf("/plans/%d/consultation-report.pdf", f.consultationID),
	}
}

// auditFixture is the accessibility fixture (a11yFixture) with a draft
// plan too, whose measure form can be opened.
type auditFixture struct {
	*a11yFixture
	draftMeasure int64
	// A finding, a vulnerable group and a need, whose edit forms are audited.
	findingID, groupID, needID int64
}

func newAuditFixture(t *testing.T) *auditFixture {
	t.Helper()
	f := &auditFixture{a11yFixture: newA11yFixture(t)}
	w := f.w
	planID, obj := newPlan(t, w, w.Token(coordA))
	var m struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(w.Token(coordA), "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "12500.50", "800.00")), &m)
	if m.ID == 0 {
		t.Fatal("draft measure not created")
	}
	f.draftMeasure = m.ID
	ctx, a := context.Background(), models.Actor{UserID: w.CoordA.ID, IP: "test"}
	fd, err := models.AddFinding(ctx, w.DB, a, w.A.ID, f.sitan.S.ID, models.FindingInput{Statement: "Romi rijetko završe osnovnu školu.",
		Group: "roma", Barrier: "employment", SourceOrganisationID: w.OrgA2.ID})
	if err != nil {
		t.Fatal(err)
	}
	g, err := models.AddVulnerableGroup(ctx, w.DB, a, w.A.ID, f.sitan.S.ID, models.VulnerableGroupInput{Group: "roma",
		EstimatedSize: 120, Barriers: []string{"employment"}, Priority: 1})
	if err != nil {
		t.Fatal(err)
	}
	f.findingID, f.groupID = fd.ID, g.ID
	if err := w.DB.Raw("SELECT id FROM focus_group_needs WHERE focus_group_id = ? ORDER BY id LIMIT 1", f.sitan.FG.ID).Scan(&f.needID).Error; err != nil || f.needID == 0 {
		t.Fatalf("need of the focus group: %v", err)
	}
	return f
}

// TestAuditMainPages is the audit of the main pages in the browser: axe-core
// with every rule tag it knows (AAA contrast too), no console error (a CSP
// refusal is one), the page checks, and wide tables that scroll in a
// focusable, named region; the plan pages at 360 px too, and the pages with
// the most kinds of elements in the dark colour scheme as well.
func TestAuditMainPages(t *testing.T) {
	t.Parallel()
	f := newAuditFixture(t)
	base := serveHTTP(t, f.w)
	for _, r := range auditRoles(f) {
		t.Run(r.name, func(t *testing.T) {
			ctx := newChrome(t)
			console := listenConsole(t, ctx)
			if r.who != "" {
				a11ySignIn(t, ctx, base, r.who)
			}
			for _, p := range r.pages {
				auditInBrowser(t, ctx, console, base, p)
			}
		})
	}
}

// auditInBrowser opens one page at its width and runs every check on it.
func auditInBrowser(t *testing.T, ctx context.Context, console *consoleLog, base string, p auditPage) {
	t.Helper()
	width := p.width
	if width == 0 {
		width = 1280
	}
	scheme := "light"
	if p.dark {
		scheme = "dark"
	}
	chromeDo(t, ctx, chromedp.EmulateViewport(width, 900),
		setMedia("", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme}))
	console.reset()
	a11yOpen(t, ctx, base, p.path, 200)
	screenshot(t, ctx, "audit-"+p.name)
	if bad := chromeGet(t, ctx, chromedp.Evaluate[[]string](pageChecks)); len(bad) > 0 {
		t.Errorf("%s (%s):\n  %s", p.name, p.path, strings.Join(bad, "\n  "))
	}
	if bad := chromeGet(t, ctx, chromedp.Evaluate[[]string](tableChecks)); len(bad) > 0 {
		t.Errorf("%s (%s) at %d px, tables:\n  %s", p.name, p.path, width, strings.Join(bad, "\n  "))
	}
	if vs := axeRunAll(t, ctx); len(vs) > 0 {
		t.Errorf("axe (all rules): %s (%s) at %d px: %d violation(s):%s", p.name, p.path, width, len(vs), axeReport(vs))
	}
	if msgs := console.take(); len(msgs) > 0 {
		t.Errorf("%s (%s): %d console error(s):\n  %s", p.name, p.path, len(msgs), strings.Join(msgs, "\n  "))
	}
}

// tableChecks: no table is turned into a block (it would lose its table
// semantics); a table wider than its place sits in a .table-scroll region
// that the keyboard reaches (tabindex 0) and that has a name.
const tableChecks = `(() => {
	const bad = [];
	for (const t of document.querySelectorAll('main table')) {
		const html = t.outerHTML.slice(0, 100);
		if (getComputedStyle(t).display !== 'table') bad.push('table shown as ' + getComputedStyle(t).display + ': ' + html);
		const box = t.closest('.table-scroll');
		if (!box) {
			if (t.getBoundingClientRect().width > t.parentElement.clientWidth + 1) bad.push('wide table outside a .table-scroll: ' + html);
			continue;
		}
		if (box.getAttribute('role') !== 'region' || box.getAttribute('tabindex') !== '0') bad.push('scroll box without role=region tabindex=0: ' + box.outerHTML.slice(0, 120));
		const ids = (box.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
		const name = ids.map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent.trim()).join(' ');
		if (ids.length === 0 || !name) bad.push('scroll box without a name: ' + box.outerHTML.slice(0, 120));
	}
	return bad;
})()`

// axeRunAll runs axe-core with every tag its rules carry (best practices,
// AAA and experimental rules too) on the current page.
func axeRunAll(t testing.TB, ctx context.Context) []axeViolation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	if !chromeGet(t, ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`)) {
		chromeDo(t, ctx, chromedp.Evaluate[chromedp.Void](src+"\n;true"))
	}
	return chromeGet(t, ctx, chromedp.Evaluate[[]axeViolation](`(() => {
		const tags = [...new Set(axe.getRules().flatMap(r => r.tags))];
		return axe.run(document, {runOnly: {type: 'tag', values: tags}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''}))})));
	})()`, chromedp.EvalAwaitPromise))
}

// axeReport lists violations with their rule, help and elements.
func axeReport(vs []axeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  [%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", strings.Join(n.Target, " "), n.HTML,
				strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// consoleLog gathers the errors a tab writes to its console: console.error
// calls, uncaught exceptions and browser log entries of level error (a
// refused load, a CSP violation).
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func listenConsole(t *testing.T, ctx context.Context) *consoleLog {
	t.Helper()
	c := &consoleLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				msg = "console.error: " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = fmt.Sprintf("%s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
			}
		}
		if msg != "" {
			c.mu.Lock()
			c.msgs = append(c.msgs, msg)
			c.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the console: %v", err)
	}
	return c
}

func (c *consoleLog) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = nil
}

func (c *consoleLog) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.msgs
	c.msgs = nil
	return out
}

// TestAuditWritesPagesAndPDFs writes, when PAKT_AUDIT_DIR is set, the HTML
// of every audited page as the server sends it (for the Nu HTML checker) and
// one PDF of every kind (for qpdf --check). Without the variable it still
// fetches them all and checks that each answers 200 with its content type.
func TestAuditWritesPagesAndPDFs(t *testing.T) {
	t.Parallel()
	f := newAuditFixture(t)
	dir := os.Getenv("PAKT_AUDIT_DIR")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	save := func(name string, body []byte) {
		if dir == "" {
			return
		}
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range auditRoles(f) {
		b := f.w.Anonymous()
		if r.who != "" {
			b = f.w.Login(r.who)
		}
		for _, p := range r.pages {
			if p.width != 0 || p.dark {
				continue // the same HTML as at 1280 px, light
			}
			save(p.name+".html", auditFetch(t, b, p.path, "text/html"))
		}
	}
	coord := f.w.Login(coordA)
	for kind, path := range auditPDFs(f) {
		save(kind+".pdf", auditFetch(t, coord, path, "application/pdf"))
	}
}

// auditFetch gets path, requires 200 and the content type, returns the body.
func auditFetch(t *testing.T, b *testkit.Browser, path, ctype string) []byte {
	t.Helper()
	resp := b.Get(path)
	body := testkit.Body(resp)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
		t.Fatalf("%s: %d %s, want 200 %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), ctype)
	}
	if len(body) == 0 {
		t.Fatalf("%s: empty", path)
	}
	return []byte(body)
}

// TestAuthoredTextCarriesMunicipalityLanguage: on pages in English, the
// municipality's own words (plan, measure and agreement titles, findings,
// needs, its organisations) carry its language, so a screen reader reads
// them in Bosnian (WCAG 3.1.2); the page itself stays English. A
// municipality writing Serbian in Latin script gets lang="sr-Latn".
func TestAuthoredTextCarriesMunicipalityLanguage(t *testing.T) {
	t.Parallel()
	f := newAuditFixture(t)
	w := f.w
	coord, anon := w.Login(coordA), w.Anonymous()
	const plan = "Lokalni akcioni plan zapošljavanja 2017–2018"
	pages := []struct {
		b          *testkit.Browser
		path, want string
	}{
		{coord, fmt.Sprintf("/plans/%d", f.adoptedID), `<h1 lang="bs">` + plan + `</h1>`},
		{coord, fmt.Sprintf("/plans/%d", f.adoptedID), `<strong lang="bs">Obuka za njegovateljice – M1</strong>`},
		{coord, fmt.Sprintf("/plans/%d", f.adoptedID), `<span lang="bs">Zaposlene žene</span>`},
		{coord, fmt.Sprintf("/plans/%d", f.adoptedID), `<h3 id="obj-`},
		{anon, f.publicPlan, `<h1 lang="bs">` + plan + `</h1>`},
		{anon, "/m/" + w.A.Slug, `<span lang="bs">` + plan + `</span>`},
		{anon, "/m/" + w.A.Slug, `<span lang="bs">Biro Bratunac</span>`},
		{anon, fmt.Sprintf("/m/%s/situation-analyses/%d", w.A.Slug, f.sitan.Pub.ID), `<h1 lang="bs">Analiza stanja 2015</h1>`},
		{coord, fmt.Sprintf("/situation-analyses/%d/report", f.sitan.Pub.ID), `<h1 lang="bs">Analiza stanja 2015</h1>`},
		{coord, fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID), `<span lang="bs">Zaposlene žene</span>`},
		{coord, fmt.Sprintf("/plans/%d/tracking", f.adoptedID), `<td lang="bs">Obuka za njegovateljice – M1</td>`},
		{coord, fmt.Sprintf("/municipalities/%d/agreements", w.A.ID), `" lang="bs">`},
	}
	for _, p := range pages {
		body := testkit.Body(p.b.Get(p.path))
		if !strings.HasPrefix(body, "<!doctype html>\n<html lang=\"en\">") {
			t.Errorf("%s: not an English page: %.60q", p.path, body)
		}
		if !strings.Contains(body, p.want) {
			t.Errorf("%s lacks %s", p.path, p.want)
		}
	}
	// The heading of each objective carries the language too.
	if body := testkit.Body(coord.Get(fmt.Sprintf("/plans/%d", f.adoptedID))); !regexpMatch(`<h3 id="obj-\d+" lang="bs">C1 Povećati`, body) {
		t.Errorf("objective heading without lang")
	}
	// Another script: the attribute follows the municipality's language.
	if err := w.DB.Exec(`UPDATE municipalities SET language = 'sr-Latn' WHERE id = ?`, w.A.ID).Error; err != nil {
		t.Fatal(err)
	}
	if body := testkit.Body(anon.Get(f.publicPlan)); !strings.Contains(body, `<h1 lang="sr-Latn">`+plan) {
		t.Errorf("public plan of a sr-Latn municipality: no lang=\"sr-Latn\" on its title")
	}
}

// TestPersonCountsHaveNoDecimals: an indicator counting people prints as a
// whole number ("0 → 25 osoba", never "0.00 → 25.00 osoba") on the plan
// page, the public plan, the progress form and the dashboard; a share in
// per cent keeps its decimals.
func TestPersonCountsHaveNoDecimals(t *testing.T) {
	t.Parallel()
	f := newAuditFixture(t)
	w := f.w
	coord := w.Login(coordA)
	// The public plan prints the baseline as its disclosure band (issue
	// #15): a count of 0 people is "<5" there, as in every public output.
	for path, count := range map[string]string{
		fmt.Sprintf("/plans/%d", f.adoptedID): `<span lang="bs">Zaposlene žene</span>: 0 → 25 <span lang="bs">osoba</span>`,
		f.publicPlan:                          `<span lang="bs">Zaposlene žene</span>: &lt;5 → 25 <span lang="bs">osoba</span>`,
	} {
		body := testkit.Body(coord.Get(path))
		if !strings.Contains(body, count) || strings.Contains(body, "0.00 → 25.00") {
			t.Errorf("%s: person count printed with decimals (want %q)", path, count)
		}
	}
	progress := testkit.Body(w.Login(member).Get(f.progressPath))
	if !strings.Contains(progress, "(Baseline 0 → Target 25 <span") {
		t.Errorf("progress form: indicator label without whole counts")
	}
	dash := testkit.Body(coord.Get(fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)))
	if !strings.Contains(dash, `<td class="num">0</td><td class="num">25</td><td class="num">8</td>`) {
		t.Errorf("dashboard: indicator row without whole counts")
	}
	// A percentage keeps two decimals.
	var m struct{ ID int64 }
	planID, obj := newPlan(t, w, w.Token(coordA))
	body := measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M9", "100.00")
	body["indicators"] = []map[string]any{{"name": "Udio zaposlenih", "unit": "%", "baseline": "12.5", "target": "35"}}
	testkit.DecodeJSON(t, w.API(w.Token(coordA), "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body), &m)
	if page := testkit.Body(coord.Get(fmt.Sprintf("/plans/%d", planID))); !strings.Contains(page, "12.50 → 35.00 <span") {
		t.Errorf("a percentage lost its decimals")
	}
}

// amountsMeasureForm is the measure form with one budget line per amount.
func amountsMeasureForm(w *world, obj int64, amounts ...string) url.Values {
	v := url.Values{"code": {"M5"}, "title": {"Javni radovi"}, "objective_id": {fmt.Sprint(obj)},
		"lead_organisation_id": {fmt.Sprint(w.OrgA2.ID)}, "start_date": {"2017-03-01"}, "end_date": {"2017-12-31"}}
	for i, a := range amounts {
		n := fmt.Sprint(i)
		v.Set("b_year_"+n, "2017")
		v.Set("b_source_"+n, "municipal")
		v.Set("b_amount_"+n, a)
	}
	return v
}

// storedAmounts are a table's amounts in their order, as PostgreSQL writes them.
func storedAmounts(t *testing.T, w *world, query string, id int64) []string {
	t.Helper()
	var out []string
	if err := w.DB.Raw(query, id).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFormAmountsAsThePageWritesThem: the measure form's budget lines take
// amounts the way the page writes them (12.500,50 in Bosnian, 12,500.50 in
// English; "1.500" is 1500 in Bosnian and 1.5 in English); malformed ones
// get, next to the field, a message showing the format the form wants. The
// API keeps its "12500.50". Viewers may not post the form (403), another
// municipality's coordinator does not see it (404).
func TestFormAmountsAsThePageWritesThem(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, obj := newPlan(t, w, w.Token(coordA))
	coord := w.Login(coordA)
	post := fmt.Sprintf("/plans/%d/measures", planID)
	const lines = `SELECT amount::text FROM measure_budget_lines WHERE measure_id = ? ORDER BY position`

	resp := coord.PostForm(post+"?lang=bs", amountsMeasureForm(w, obj, "12.500,50", "1.500", "1,5", "12500.50"))
	if resp.StatusCode != 303 {
		t.Fatalf("bs amounts: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	var mID int64
	w.DB.Raw(`SELECT id FROM plan_measures WHERE plan_id = ? AND code = 'M5'`, planID).Scan(&mID)
	if got := storedAmounts(t, w, lines, mID); !slices.Equal(got, []string{"12500.50", "1500.00", "1.50", "12500.50"}) {
		t.Errorf("bs amounts stored as %q", got)
	}
	// The page shows them the same way, so they can be typed back.
	if page := testkit.Body(coord.Get(fmt.Sprintf("/plans/%d?lang=bs", planID))); !strings.Contains(page, "26.502,50 KM") {
		t.Errorf("plan page in bs lacks the total 26.502,50 KM")
	}

	bs := browserCatalog(t, "bs")
	resp = coord.PostForm(post+"?lang=bs", amountsMeasureForm(w, obj, "12.50.3", "7,5"))
	body := testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `<small id="e-b_amount_0" class="field-error">`+catalogMsg(t, bs, "validation.amount_in")+`</small>`) {
		t.Errorf("malformed bs amount: %d, no bs format message next to it", resp.StatusCode)
	}
	if !strings.Contains(body, `value="12.50.3"`) || !strings.Contains(body, `value="7,5"`) || strings.Contains(body, `id="e-b_amount_1"`) {
		t.Errorf("the form does not show the amounts as typed, or flags the good one")
	}
	if !strings.Contains(body, `placeholder="12.500,50"`) || !strings.Contains(body, catalogMsg(t, bs, "money.format_hint")) {
		t.Errorf("the bs form does not say which format it wants")
	}

	en := browserCatalog(t, "en")
	form := amountsMeasureForm(w, obj, "12,500.50", "1.500")
	form.Set("code", "M6")
	if resp := coord.PostForm(post+"?lang=en", form); resp.StatusCode != 303 {
		t.Fatalf("en amounts: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	w.DB.Raw(`SELECT id FROM plan_measures WHERE plan_id = ? AND code = 'M6'`, planID).Scan(&mID)
	if got := storedAmounts(t, w, lines, mID); !slices.Equal(got, []string{"12500.50", "1.50"}) {
		t.Errorf("en amounts stored as %q", got)
	}
	resp = coord.PostForm(post+"?lang=en", amountsMeasureForm(w, obj, "12.500,50"))
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, catalogMsg(t, en, "validation.amount_in")) {
		t.Errorf("bs-written amount on the en form: %d, no en format message", resp.StatusCode)
	}

	// The API keeps its own format and message.
	api := w.API(w.Token(coordA), "POST", "/api/v1/action-plans/"+fmt.Sprint(planID)+"/measures",
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M7", "12.500,50"))
	if b := expect(t, api, 422, "API amount in bs"); !strings.Contains(b, `"budget[0].amount"`) {
		t.Errorf("API 422 without the field: %s", b)
	}
	expect(t, w.Login(viewer).PostForm(post, amountsMeasureForm(w, obj, "1,5")), 403, "viewer posts the measure form")
	expect(t, w.Login(coordZ).PostForm(post, amountsMeasureForm(w, obj, "1,5")), 404, "other municipality posts the measure form")
}

// TestProgressSpendingAsThePageWritesIt: the progress form's spending lines
// take amounts as the page writes them too, with the same message for a
// malformed one; viewers get 403, another municipality 404.
func TestProgressSpendingAsThePageWritesIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, _ := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	form := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	report := func(amounts ...string) url.Values {
		v := url.Values{"status": {"on_track"}, "percent_complete": {"50"}, "b_total": {"0"}, "b_women": {"0"}, "b_men": {"0"}}
		for i, a := range amounts {
			v.Set(fmt.Sprintf("s_source_%d", i), "municipal")
			v.Set(fmt.Sprintf("s_amount_%d", i), a)
		}
		return v
	}
	mb := w.Login(member)
	if resp := mb.PostForm(form+"?lang=sr", report("1.234,56", "1.500")); resp.StatusCode != 303 {
		t.Fatalf("sr spending: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	const spent = `SELECT amount::text FROM progress_spending WHERE period_id = ? ORDER BY id`
	if got := storedAmounts(t, w, spent, per); !slices.Equal(got, []string{"1234.56", "1500.00"}) {
		t.Errorf("sr spending stored as %q", got)
	}
	sr := browserCatalog(t, "sr")
	resp := mb.PostForm(form+"?lang=sr", report("12.50.3"))
	body := testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `<small id="e-s_amount_0" class="field-error">`+catalogMsg(t, sr, "validation.amount_in")+`</small>`) ||
		!strings.Contains(body, `value="12.50.3"`) {
		t.Errorf("malformed sr spending: %d, no sr format message next to the amount typed", resp.StatusCode)
	}
	expect(t, w.Login(viewer).PostForm(form, report("1,5")), 403, "viewer posts spending")
	expect(t, w.Login(coordZ).PostForm(form, report("1,5")), 404, "other municipality posts spending")
}

// TestIndicatorValuesAsThePageWritesThem: indicator baselines, targets and
// actual values are typed the way the page writes numbers too ("1.250" is
// 1250 and "12,5" is 12.5 in Bosnian); a malformed one gets the form's
// number message next to its own field, and what was typed stays. Viewers
// get 403, another municipality 404.
func TestIndicatorValuesAsThePageWritesThem(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	coord := w.Login(coordA)
	post := fmt.Sprintf("/plans/%d/measures", planID)
	form := amountsMeasureForm(w, obj, "100")
	form.Set("ind_name_0", "Zaposleni")
	form.Set("ind_base_0", "1.250")
	form.Set("ind_target_0", "12,5")
	if resp := coord.PostForm(post+"?lang=bs", form); resp.StatusCode != 303 {
		t.Fatalf("bs indicator values: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	const values = `SELECT baseline::text || ' ' || target::text FROM measure_indicators i
		JOIN plan_measures m ON m.id = i.measure_id WHERE m.plan_id = ? AND m.code = 'M5'`
	if got := storedAmounts(t, w, values, planID); !slices.Equal(got, []string{"1250.00 12.50"}) {
		t.Errorf("bs indicator values stored as %q", got)
	}

	bs := browserCatalog(t, "bs")
	form.Set("code", "M6")
	form.Set("ind_target_0", "1,2,5")
	resp := coord.PostForm(post+"?lang=bs", form)
	body := testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `<small id="e-ind_target_0" class="field-error">`+catalogMsg(t, bs, "validation.number_in")+`</small>`) ||
		!strings.Contains(body, `value="1,2,5"`) || strings.Contains(body, `id="e-ind_base_0"`) {
		t.Errorf("malformed bs target: %d, no number message next to it, or the typed text lost", resp.StatusCode)
	}
	form.Del("_csrf") // each browser sends its own token
	expect(t, w.Login(viewer).PostForm(post, form), 403, "viewer posts the measure form")
	form.Del("_csrf")
	expect(t, w.Login(coordZ).PostForm(post, form), 404, "other municipality posts the measure form")
}

// TestProgressActualsAsThePageWritesThem: the progress form's indicator
// values follow the page's language, and a malformed one is flagged next to
// its own field.
func TestProgressActualsAsThePageWritesThem(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, _ := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	var indID int64
	w.DB.Raw(`SELECT id FROM measure_indicators WHERE measure_id = ? ORDER BY id LIMIT 1`, mID).Scan(&indID)
	if indID == 0 {
		t.Fatal("the adopted plan's measure has no indicator")
	}
	form := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	report := func(value string) url.Values {
		return url.Values{"status": {"on_track"}, "percent_complete": {"50"}, "b_total": {"0"}, "b_women": {"0"}, "b_men": {"0"},
			fmt.Sprintf("ind_%d", indID): {value}}
	}
	mb := w.Login(member)
	if resp := mb.PostForm(form+"?lang=bs", report("7,5")); resp.StatusCode != 303 {
		t.Fatalf("bs actual: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	const actual = `SELECT value::text FROM progress_indicator_values WHERE period_id = ?`
	if got := storedAmounts(t, w, actual, per); !slices.Equal(got, []string{"7.50"}) {
		t.Errorf("bs actual stored as %q", got)
	}
	if page := testkit.Body(mb.Get(form + "?lang=bs")); !strings.Contains(page, `value="7.50"`) {
		t.Errorf("the form does not show the saved actual as 7.50")
	}
	bs := browserCatalog(t, "bs")
	resp := mb.PostForm(form+"?lang=bs", report("7,5,1"))
	body := testkit.Body(resp)
	want := fmt.Sprintf(`<small id="e-ind_%d" class="field-error">%s</small>`, indID, catalogMsg(t, bs, "validation.number_in"))
	if resp.StatusCode != 422 || !strings.Contains(body, want) || !strings.Contains(body, `value="7,5,1"`) {
		t.Errorf("malformed bs actual: %d, no number message next to its field, or the typed text lost", resp.StatusCode)
	}
	expect(t, w.Login(viewer).PostForm(form, report("1")), 403, "viewer posts an actual")
	expect(t, w.Login(coordZ).PostForm(form, report("1")), 404, "other municipality posts an actual")
}
