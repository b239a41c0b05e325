package handlers_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"pakt/app/testkit"
	"pakt/web/cache"
)

// dashPlan creates a 2017–2018 plan in a municipality through the API, with
// one measure per budget list, and has the assembly adopt it.
func dashPlan(t *testing.T, w *world, tok string, muniID, lead, partner int64, budgets ...[]string) (planID int64, measures map[string]int64) {
	t.Helper()
	var p planJSON
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", muniID),
		map[string]any{"title": "Akcioni plan zapošljavanja 2017–2018", "period_start": "2017-01-01", "period_end": "2018-12-31"}), &p)
	var o struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/objectives", p.ID),
		map[string]any{"code": "C1", "title": "Zaposlenost ranjivih grupa"}), &o)
	if p.ID == 0 || o.ID == 0 {
		t.Fatal("plan or objective not created")
	}
	for i, amounts := range budgets {
		body := measureBody(o.ID, lead, partner, 0, fmt.Sprintf("M%d", i+1), amounts...)
		if partner == lead {
			body["partner_organisation_ids"] = []int64{}
		}
		body["indicators"] = []map[string]any{{"name": fmt.Sprintf("Žene <zaposlene> & obučene %d", i+1), "unit": "osoba", "baseline": "0", "target": 25}}
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", p.ID), body), 201, "measure")
	}
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", p.ID), nil), 200, "submit")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", p.ID), map[string]any{"decided_on": "2017-04-27",
		"decision_number": "01-022-45/17", "votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	measures = map[string]int64{}
	var rows []struct {
		ID   int64
		Code string
	}
	w.DB.Raw("SELECT id, code FROM plan_measures WHERE plan_id = ?", p.ID).Scan(&rows)
	for _, r := range rows {
		measures[r.Code] = r.ID
	}
	return p.ID, measures
}

// dashSQL runs a statement returning one id, failing the test on error.
func dashSQL(t *testing.T, db *gorm.DB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := db.Raw(q, args...).Scan(&id).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

func dashPeriod(t *testing.T, w *world, planID, muniID int64, label, start, end, due string) int64 {
	t.Helper()
	return dashSQL(t, w.DB, `INSERT INTO reporting_periods (plan_id, municipality_id, label, start_date, end_date, due_date, status)
		VALUES (?, ?, ?, ?, ?, ?, 'open') RETURNING id`, planID, muniID, label, start, end, due)
}

// dashReport inserts a report: people are total, women, men, employed, trained, educated, self-employed.
func dashReport(t *testing.T, w *world, planID, muniID, measureID, periodID int64, status, review string, people [7]int) int64 {
	t.Helper()
	return dashSQL(t, w.DB, `INSERT INTO progress_reports (measure_id, period_id, plan_id, municipality_id, status, percent_complete,
		beneficiaries_total, beneficiaries_women, beneficiaries_men, employed, trained, completed_education, self_employed, review)
		VALUES (?, ?, ?, ?, ?, 50, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, measureID, periodID, planID, muniID, status,
		people[0], people[1], people[2], people[3], people[4], people[5], people[6], review)
}

func dashSpend(t *testing.T, w *world, reportID, periodID, muniID int64, source string, amounts ...string) {
	t.Helper()
	for i, a := range amounts {
		if err := w.DB.Exec(`INSERT INTO progress_spending (report_id, period_id, municipality_id, position, source, amount)
			VALUES (?, ?, ?, ?, ?, ?::numeric)`, reportID, periodID, muniID, i, source, a).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// dashAgreement puts an agreement of a level in force, optionally with a
// commitment overdue since 2020.
func dashAgreement(t *testing.T, w *world, muniID, orgID int64, level string, overdue bool) {
	t.Helper()
	id := dashSQL(t, w.DB, `INSERT INTO agreements (municipality_id, title, level, valid_from, valid_to)
		VALUES (?, 'Protokol o saradnji', ?, '2017-01-01', '2030-12-31') RETURNING id`, muniID, level)
	if overdue {
		dashSQL(t, w.DB, `INSERT INTO agreement_commitments (agreement_id, municipality_id, position, action, responsible_organisation_id, due_date)
			VALUES (?, ?, 0, 'Razmjena podataka', ?, '2020-01-01') RETURNING id`, id, muniID, orgID)
	}
	if err := w.DB.Exec(`UPDATE agreements SET status = 'in_force', sha256 = 'x', in_force_at = now() WHERE id = ?`, id).Error; err != nil {
		t.Fatal(err)
	}
}

// dashWorld: municipality A has an adopted plan with two reporting periods
// whose due dates passed; B has no plan.
//
//	planned: M1 2017 municipal 1000.10, 2018 donor 2000.20; M2 2017 municipal 0.30 → 3000.60
//	spent:   M1 P1 municipal 0.10 + 0.20, M1 P2 donor 1500.15 → 1500.45 (50.0 %)
func dashWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	planID, ms := dashPlan(t, w, w.Token(coordA), w.A.ID, w.OrgA2.ID, w.OrgA.ID, []string{"1000.10", "2000.20"}, []string{"0.30"})
	p1 := dashPeriod(t, w, planID, w.A.ID, "2017 H1", "2017-01-01", "2017-06-30", "2017-07-30")
	p2 := dashPeriod(t, w, planID, w.A.ID, "2017 H2", "2017-07-01", "2017-12-31", "2018-01-30")
	r := dashReport(t, w, planID, w.A.ID, ms["M1"], p1, "on_track", "submitted", [7]int{10, 6, 3, 2, 5, 1, 1})
	dashSpend(t, w, r, p1, w.A.ID, "municipal", "0.10", "0.20")
	w.DB.Exec(`INSERT INTO progress_beneficiary_groups (report_id, period_id, municipality_id, group_code, n) VALUES (?, ?, ?, 'roma', 4), (?, ?, ?, 'women', 6)`,
		r, p1, w.A.ID, r, p1, w.A.ID)
	ind := dashSQL(t, w.DB, `SELECT id FROM measure_indicators WHERE measure_id = ?`, ms["M1"])
	w.DB.Exec(`INSERT INTO progress_indicator_values (report_id, indicator_id, period_id, municipality_id, value) VALUES (?, ?, ?, ?, 3)`, r, ind, p1, w.A.ID)
	r = dashReport(t, w, planID, w.A.ID, ms["M1"], p2, "delayed", "accepted", [7]int{5, 2, 3, 1, 0, 0, 0})
	dashSpend(t, w, r, p2, w.A.ID, "donor", "1500.15")
	w.DB.Exec(`INSERT INTO progress_indicator_values (report_id, indicator_id, period_id, municipality_id, value) VALUES (?, ?, ?, ?, 7.5)`, r, ind, p2, w.A.ID)
	// M2: nothing for P1, a returned report for P2 that says "completed".
	dashReport(t, w, planID, w.A.ID, ms["M2"], p2, "completed", "returned", [7]int{})
	dashAgreement(t, w, w.A.ID, w.OrgA.ID, "coordination", true)
	dashAgreement(t, w, w.A.ID, w.OrgA.ID, "cooperation", false)
	return w
}

func TestMunicipalityDashboard(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	var dbSpent string
	w.DB.Raw(`SELECT sum(amount)::text FROM progress_spending WHERE municipality_id = ?`, w.A.ID).Scan(&dbSpent)
	if dbSpent != "1500.45" {
		t.Fatalf("database spent %s", dbSpent)
	}
	page := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)))
	for _, want := range []string{
		"Akcioni plan zapošljavanja 2017–2018", "Adopted",
		// exact sums by source, by year and in total; execution per source and overall
		"1,000.40 KM", "2,000.20 KM", "3,000.60 KM", "0.30 KM", "1,500.15 KM", "1,500.45 KM", "50.0 %", "75.0 %", "0.0 %",
		`<th scope="row">2017</th><td class="num">1,000.40 KM</td><td class="num">1,500.45 KM</td>`,
		`<th scope="row">2018</th><td class="num">2,000.20 KM</td><td class="num">0.00 KM</td>`,
		// statuses: M1 delayed (latest), M2 completed
		`<th scope="row">Delayed</th><td class="num">1</td>`, `<th scope="row">Completed</th><td class="num">1</td>`,
		// people: 15 = 8 women + 6 men + 1 not recorded; groups; outcomes
		`<th scope="row">Women</th><td class="num">8</td>`, `<th scope="row">Men</th><td class="num">6</td>`,
		`<th scope="row">Not recorded</th><td class="num">1</td>`, `<th scope="row">Roma</th><td class="num">4</td>`,
		`<th scope="row">Employed</th><td class="num">3</td>`, `<th scope="row">Completed training</th><td class="num">5</td>`,
		// indicator: latest actual 7.50; M2's has none
		`<td class="num">0.00</td><td class="num">25.00</td><td class="num">7.50</td>`, `<td class="num">—</td>`,
		// late flags: M1 past end date and not completed; M2 missing in P1, returned in P2; one overdue commitment
		"Measures past their end date and not completed", "not written", "returned, not resubmitted",
		`Reports not submitted by the due date: <strong class="late">2</strong>`,
		`Measures past their end date and not completed: <strong class="late">1</strong>`,
		`Overdue commitments of agreements in force: <strong class="late">1</strong> / 1`,
		// charts: server-side SVG with a title, value labels and a text legend
		`role="img" aria-labelledby="ch-source-title ch-source-desc"`, `<title id="ch-source-title">Chart: planned and spent by funding source</title>`,
		">Spent: 0.30 KM</text>", ">Planned: 1,000.40 KM</text>", `fill="url(#ch-source-hatch)"`, `<title id="ch-status-title">`,
		`<title id="ch-sex-title">`, `<title id="ch-group-title">`, `<title id="ch-outcome-title">`,
		"Žene &lt;zaposlene&gt; &amp; obučene 1",
		// indicators against their targets: M1's 7.50 of 25 is below, M2's has no value yet
		"Indicators that reached their target: <strong>0</strong>", `Indicators not yet at their target: <strong class="late">1</strong>`,
		"Indicators without a reported value: 1",
		// the indicator chart is an image of its own with a text alternative, unfolded for a small plan
		fmt.Sprintf(`<img src="/municipalities/%d/dashboard/indicators.svg" width="`, w.A.ID), `loading="lazy"`,
		`alt="Chart: indicators, baseline against target and actual. Three bars per indicator`, "<details open>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "<zaposlene>") {
		t.Error("indicator name not escaped")
	}
	if strings.Count(page, "<svg") != 6 {
		t.Errorf("%d inline charts, want 6", strings.Count(page, "<svg"))
	}
	svg := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/municipalities/%d/dashboard/indicators.svg", w.A.ID)))
	for _, want := range []string{`<svg width="`, `<title id="ch-ind-title">Chart: indicators, baseline against target and actual</title>`,
		">Target: 25.00 osoba</text>", ">Actual: 7.50 osoba</text>", ">Actual: — osoba</text>", "Žene &lt;zaposlene&gt; &amp; obučene 1"} {
		if !strings.Contains(svg, want) {
			t.Errorf("indicator chart lacks %q", want)
		}
	}
	if !strings.Contains(testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/municipalities/%d", w.A.ID))),
		fmt.Sprintf(`href="/municipalities/%d/dashboard"`, w.A.ID)) {
		t.Error("municipality page does not link its dashboard")
	}
	// The same page in Bosnian formats money the local way.
	bs := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/municipalities/%d/dashboard?lang=bs", w.A.ID)))
	if !strings.Contains(bs, "1.500,45 KM") || !strings.Contains(bs, "Pregled provedbe") {
		t.Error("Bosnian dashboard not localised")
	}
}

func TestMunicipalityDashboardAccess(t *testing.T) {
	t.Parallel()
	run(t, []scenario{
		{"anonymous is sent to login", "", "GET", p("/municipalities/%d/dashboard", idA), nil, false, 303, nil, nil},
		{"viewer of own municipality", viewer, "GET", p("/municipalities/%d/dashboard", idA), nil, false, 200, []string{"Implementation dashboard", "Bratunac"}, nil},
		{"member of own municipality", member, "GET", p("/municipalities/%d/dashboard", idA), nil, false, 200, nil, nil},
		{"coordinator of another municipality gets 404", coordZ, "GET", p("/municipalities/%d/dashboard", idA), nil, false, 404, nil, []string{"Bratunac"}},
		{"user without roles gets 404", nobody, "GET", p("/municipalities/%d/dashboard", idA), nil, false, 404, nil, nil},
		{"bad id is 404", coordA, "GET", p("/municipalities/abc/dashboard"), nil, false, 404, nil, nil},
		{"no plan: friendly empty state", coordZ, "GET", p("/municipalities/%d/dashboard", idB), nil, false, 200,
			[]string{"No action plan yet", "/plans"}, []string{"<svg"}},
		{"admin sees any", admin, "GET", p("/municipalities/%d/dashboard", idB), nil, false, 200, []string{"Zvornik"}, nil},
	})
}

func TestMunicipalityDashboardDraftPlan(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, obj := newPlan(t, w, w.Token(coordA))
	expect(t, w.API(w.Token(coordA), "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "0.10", "0.20")), 201, "measure")
	page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)))
	for _, want := range []string{"This plan is not adopted yet", "0.30 KM", "Draft"} {
		if !strings.Contains(page, want) {
			t.Errorf("draft dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "Reports not submitted by the due date") {
		t.Error("late flags shown for a draft plan")
	}
}

func TestRegionDashboard(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	a := testkit.Body(w.Login(coordA).Get("/region"))
	for _, want := range []string{"Regional comparison", "Bratunac", "3,000.60 KM", "1,500.45 KM", "50.0 %", "Coordination",
		"Akcioni plan zapošljavanja 2017–2018", `<title id="ch-exec-title">`, `href="/region" aria-current="page"`} {
		if !strings.Contains(a, want) {
			t.Errorf("regional page for A lacks %q", want)
		}
	}
	if strings.Contains(a, "Zvornik") {
		t.Error("regional page shows a municipality the user has no role in")
	}
	z := testkit.Body(w.Login(coordZ).Get("/region"))
	if !strings.Contains(z, "Zvornik") || strings.Contains(z, "Bratunac") || !strings.Contains(z, "no adopted plan") {
		t.Error("regional page for B wrong")
	}
	if body := testkit.Body(w.Login(nobody).Get("/region")); !strings.Contains(body, "no role in any municipality") {
		t.Error("user without roles: no empty state")
	}
	if resp := w.Anonymous().Get("/region"); resp.StatusCode != 303 {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
	// Admin: every municipality; one currency, so a grand total.
	all := testkit.Body(w.Login(admin).Get("/region"))
	if !strings.Contains(all, "Bratunac") || !strings.Contains(all, "Zvornik") || !strings.Contains(all, "<strong>3,000.60 KM</strong>") {
		t.Error("admin regional page wrong")
	}
	// Two currencies: amounts stay per municipality, no grand total across them.
	w.DB.Exec("UPDATE municipalities SET currency = 'RSD' WHERE id = ?", w.B.ID)
	zPlan, zm := dashPlan(t, w, w.Token(admin), w.B.ID, w.OrgB.ID, w.OrgB.ID, []string{"500.00"})
	zp := dashPeriod(t, w, zPlan, w.B.ID, "2017", "2017-01-01", "2017-12-31", "2018-01-31")
	dashSpend(t, w, dashReport(t, w, zPlan, w.B.ID, zm["M1"], zp, "on_track", "accepted", [7]int{3, 1, 1, 0, 0, 0, 0}), zp, w.B.ID, "municipal", "100.00")
	mixed := testkit.Body(w.Login(admin).Get("/region"))
	for _, want := range []string{"500.00 RSD", "100.00 RSD", "20.0 %", "not added up: several currencies", "Totals per currency",
		`<strong>18</strong>`} {
		if !strings.Contains(mixed, want) {
			t.Errorf("mixed-currency page lacks %q", want)
		}
	}
	for _, bad := range []string{"3,500.60", "1,600.45"} {
		if strings.Contains(mixed, bad) {
			t.Errorf("money of two currencies added up: %q", bad)
		}
	}
}

// The regional page costs the same number of SQL statements for 2 and for 5
// municipalities (each with an adopted plan, reports and spending), rendered
// from an empty cache and served from a warm one.
func TestRegionQueryCount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(admin)
	seed := func(muniID, orgID int64) {
		planID, ms := dashPlan(t, w, tok, muniID, orgID, orgID, []string{"1000.00", "500.00"})
		per := dashPeriod(t, w, planID, muniID, "2017", "2017-01-01", "2017-12-31", "2018-01-31")
		r := dashReport(t, w, planID, muniID, ms["M1"], per, "on_track", "accepted", [7]int{4, 2, 2, 1, 1, 0, 0})
		dashSpend(t, w, r, per, muniID, "municipal", "250.00")
		dashAgreement(t, w, muniID, orgID, "collaboration", false)
	}
	seed(w.A.ID, w.OrgA.ID)
	seed(w.B.ID, w.OrgB.ID)

	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := w.DB.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("dash:count_query", count),
		"raw":    cb.Raw().After("gorm:raw").Register("dash:count_raw", count),
		"row":    cb.Row().After("gorm:row").Register("dash:count_row", count),
		"create": cb.Create().After("gorm:create").Register("dash:count_create", count),
		"update": cb.Update().After("gorm:update").Register("dash:count_update", count),
		"delete": cb.Delete().After("gorm:delete").Register("dash:count_delete", count),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
	}
	b := w.Login(admin)
	measure := func(wantRows int) (cold, warm int64) {
		t.Helper()
		b.Get("/region") // warm up (session touch, etc.)
		w.Srv.Handler.Kernel.Cache = cache.New(32 << 20)
		for i, got := range []*int64{&cold, &warm} {
			n.Store(0)
			body := testkit.Body(b.Get("/region"))
			*got = n.Load()
			if c := strings.Count(body, `/dashboard">`); c != wantRows {
				t.Fatalf("request %d: %d municipality rows, want %d", i, c, wantRows)
			}
			if strings.Count(body, `<td class="num">16.7 %</td>`) != wantRows {
				t.Fatalf("request %d: execution not shown for every municipality", i)
			}
		}
		return cold, warm
	}
	cold2, warm2 := measure(2)
	for i, name := range []string{"Milići", "Srebrenica", "Vlasenica"} {
		m := w.Municipality(name)
		seed(m.ID, w.Organisation(m.ID, fmt.Sprint("Općina ", i), "municipality").ID)
	}
	cold5, warm5 := measure(5)
	if cold2 != cold5 || warm2 != warm5 || warm2 >= cold2 {
		t.Fatalf("SQL statements per /region: %d cold and %d warm for 2 municipalities, %d and %d for 5", cold2, warm2, cold5, warm5)
	}
	t.Logf("/region runs %d SQL statements from an empty cache, %d from a warm one", cold2, warm2)
}
