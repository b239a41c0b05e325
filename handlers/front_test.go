package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// The public front page (issue #17): anyone sees, across municipalities,
// the consultations open now, the adopted plans and the published reports
// with their PDF; never a draft plan or an unpublished report. The page is
// cached and a newly published report shows at once.
func TestFrontPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, coordB := w.Token(coordA), w.Token(coordZ)
	adopted, _, indID := adoptedPlan(t, w, coord)

	// A plan in public consultation, closing in the future.
	var consult struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.A.ID),
		map[string]any{"title": "Plan u javnoj raspravi 2027", "period_start": "2017-01-01", "period_end": "2018-12-31"}), &consult)
	var obj struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/objectives", consult.ID),
		map[string]any{"code": "C1", "title": "Cilj"}), &obj)
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", consult.ID),
		measureBody(obj.ID, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "100.00")), 201, "measure")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", consult.ID),
		map[string]any{"closes_on": "2099-12-31"}), 200, "open consultation")
	// A draft in the other municipality: never shown.
	expect(t, w.API(coordB, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.B.ID),
		map[string]any{"title": "Tajni nacrt Zvornik", "period_start": "2027-01-01", "period_end": "2028-12-31"}), 201, "draft in B")

	anon := w.Anonymous()
	get := func(path string, status int) string {
		t.Helper()
		resp := anon.Get(path)
		body := testkit.Body(resp)
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %d, want %d\n%.800s", path, resp.StatusCode, status, body)
		}
		return body
	}
	before := wantCache(t, w, "first front page", 0, 2, func() string { return get("/", 200) })
	for _, want := range []string{"Plan u javnoj raspravi 2027", fmt.Sprintf(`href="/m/%s/plans/%d"`, w.A.Slug, consult.ID),
		`datetime="2099-12-31"`, "Lokalni akcioni plan zapošljavanja 2017–2018", fmt.Sprintf(`href="/m/%s/plans/%d"`, w.A.Slug, adopted),
		`datetime="2017-04-27"`, "Bratunac", "Zvornik", "Bosnia and Herzegovina", `<input id="f-q" name="q" type="search"`} {
		if !strings.Contains(before, want) {
			t.Errorf("front page lacks %q", want)
		}
	}
	if strings.Contains(before, "Tajni nacrt") || strings.Contains(before, "report.pdf") {
		t.Error("front page shows a draft plan or a report before any was published")
	}
	log := logSQL(t, w.DB, "front")
	if again := wantCache(t, w, "front page again", 2, 0, func() string { return get("/", 200) }); again != before {
		t.Error("the cached front page differs from the first one")
	}
	// A warm front page costs one read of the region's revision (before the
	// data) and nothing else.
	if stmts := log.take(); len(stmts) != 1 || !strings.Contains(stmts[0].SQL, "region_revision") {
		t.Errorf("a warm front page ran %d statements: %+v", len(stmts), stmts)
	}

	// Publishing a report (and closing an unpublished period) changes the page at once.
	published, unpublished := reportedPeriods(t, w, coord, adopted, indID)
	after := wantCache(t, w, "front page after publishing", 0, 2, func() string { return get("/", 200) })
	pdf := fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", adopted, published)
	if !strings.Contains(after, strings.ReplaceAll(pdf, "&", "&amp;")) && !strings.Contains(after, pdf) {
		t.Errorf("front page lacks the published report's PDF link %s", pdf)
	}
	if strings.Contains(after, fmt.Sprintf("period_id=%d", unpublished)) || strings.Contains(after, "Tajni nacrt") {
		t.Error("front page shows an unpublished report or a draft")
	}
	if after == before {
		t.Error("front page unchanged after a report was published")
	}
	if resp := anon.Get(pdf); resp.StatusCode != 200 {
		t.Errorf("the front page's PDF link: %d", resp.StatusCode)
	}

	// The same lists as JSON for other sites, checked against the OpenAPI document.
	var api struct {
		Consultations, Adopted []struct {
			PlanID int64 `json:"plan_id"`
			Title  string
			URL    string
		}
		Reports []struct {
			PeriodID int64  `json:"period_id"`
			PDFURL   string `json:"pdf_url"`
		}
	}
	resp := anonGet(w.Env, "/api/v1/public/front")
	etag := resp.Header.Get("ETag")
	testkit.DecodeJSON(t, resp, &api)
	if len(api.Consultations) != 1 || api.Consultations[0].PlanID != consult.ID || len(api.Adopted) != 1 || api.Adopted[0].PlanID != adopted ||
		len(api.Reports) != 1 || api.Reports[0].PeriodID != published || api.Reports[0].PDFURL != w.Cfg.BaseURL+pdf {
		t.Errorf("front JSON: %+v", api)
	}
	if again := anonGet(w.Env, "/api/v1/public/front", "If-None-Match", etag); etag == "" || again.StatusCode != 304 {
		t.Errorf("front JSON with its ETag: %d", again.StatusCode)
	}

	// Ending the consultation (the plan goes to the assembly) takes it off the page.
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", consult.ID),
		map[string]any{"end_consultation": true}), 200, "end consultation")
	closed := wantCache(t, w, "front page after the consultation ended", 0, 2, func() string { return get("/", 200) })
	if strings.Contains(closed, "Plan u javnoj raspravi 2027") || !strings.Contains(closed, "No plan is open for public comment") {
		t.Error("a plan whose consultation ended is still listed as open for comment")
	}

	// Its adoption puts it among the adopted plans at once.
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", consult.ID), map[string]any{"decided_on": "2018-01-10",
		"decision_number": "01-2/18", "votes_for": 18, "votes_against": 1, "votes_abstained": 0}), 200, "adopt")
	if got := wantCache(t, w, "front page after the adoption", 0, 2, func() string { return get("/", 200) }); !strings.Contains(got, `datetime="2018-01-10"`) ||
		!strings.Contains(got, "Plan u javnoj raspravi 2027") {
		t.Error("a newly adopted plan is not on the front page")
	}

	// The filter works without JavaScript: a GET form.
	munis := func(page string) string { _, list, _ := strings.Cut(page, `id="front-munis-h"`); return list }
	if got := munis(get("/?q=zvor", 200)); !strings.Contains(got, `href="/m/`+w.B.Slug+`"`) || strings.Contains(got, `href="/m/`+w.A.Slug+`"`) ||
		!strings.Contains(got, `value="zvor"`) {
		t.Errorf("name filter: %.2000s", got)
	}
	if got := munis(get("/?country=XK", 200)); strings.Contains(got, `href="/m/`+w.A.Slug+`"`) || !strings.Contains(got, "No municipality matches") {
		t.Error("a country without municipalities lists some")
	}
	if got := get("/?q=%25", 200); !strings.Contains(got, "No municipality matches") {
		t.Error("a % in the filter matches everything")
	}
	// Bad input: the message next to the field, 422, everything listed.
	if got := munis(get("/?q="+strings.Repeat("a", 101), 422)); !strings.Contains(got, `id="e-q"`) || !strings.Contains(got, `aria-invalid="true"`) ||
		!strings.Contains(got, `href="/m/`+w.A.Slug+`"`) {
		t.Error("too long a filter: no message next to the field")
	}
	if got := get("/?country=bosnia", 422); !strings.Contains(got, `id="e-country"`) {
		t.Error("a bad country: no message next to the field")
	}
	// A signed-in user goes to the dashboard; an unknown municipality is 404.
	if resp := w.Login(coordZ).Get("/"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/dashboard" {
		t.Errorf("signed in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	get("/m/no-such-place", 404)

	// The public municipality page shows the partnership level once: the
	// ladder, not the old sentence above it.
	pub := get("/m/"+w.A.Slug, 200)
	if !strings.Contains(pub, `class="ladder"`) || strings.Contains(pub, `class="standing"`) || strings.Count(pub, "Partnership level") != 1 {
		t.Error("the public page shows the partnership level twice, or not as the ladder")
	}
}
