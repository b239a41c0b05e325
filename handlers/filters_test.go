package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// filterPlan is an adopted plan of A with M1 (led by OrgA2, roma and women)
// and M2 (led by OrgA, youth_neet), two periods, and M1's report on track
// in the first.
func filterPlan(t *testing.T, w *world) (planID, m1, m2, p1, p2 int64) {
	t.Helper()
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	var a, b struct {
		ID         int64
		Indicators []struct{ ID int64 }
	}
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "100.00")), &a)
	body := measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M2", "200.00")
	body["groups"] = []string{"youth_neet"}
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body), &b)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", planID), nil), 200, "submit")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", planID), map[string]any{"decided_on": "2017-04-27",
		"decision_number": "01-1/17", "votes_for": 20, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	p1 = openPeriod(t, w, tok, planID, "2017 – prvo polugodište", "2017-01-01", "2017-06-30")
	p2 = openPeriod(t, w, tok, planID, "2017 – drugo polugodište", "2017-07-01", "2017-12-31")
	expect(t, w.API(tok, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", a.ID, p1), progressBody(a.Indicators[0].ID, "50.00", 20, 12, 8)), 200, "report")
	return planID, a.ID, b.ID, p1, p2
}

type measureListJSON struct {
	Items []struct {
		ID       int64
		Code     string
		Progress *struct {
			PeriodID int64 `json:"period_id"`
			Status   string
		}
	}
}

func TestMeasureFiltersAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, m1, m2, p1, p2 := filterPlan(t, w)
	view := w.Token(viewer)
	list := func(q string) measureListJSON {
		t.Helper()
		var out measureListJSON
		resp := w.API(view, "GET", fmt.Sprintf("/api/v1/action-plans/%d/measures?%s", planID, q), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, testkit.Body(resp))
		}
		testkit.DecodeJSON(t, resp, &out)
		return out
	}
	ids := func(l measureListJSON) (out []int64) {
		for _, it := range l.Items {
			out = append(out, it.ID)
		}
		return out
	}
	for _, c := range []struct {
		q    string
		want []int64
	}{
		{"", []int64{m1, m2}},
		{"group=youth_neet", []int64{m2}},
		{"group=roma", []int64{m1}},
		{"group=dropouts", nil},
		{fmt.Sprintf("lead_organisation_id=%d", w.OrgA2.ID), []int64{m1}},
		{fmt.Sprintf("status=on_track&period_id=%d", p1), []int64{m1}},
		{fmt.Sprintf("status=not_reported&period_id=%d", p1), []int64{m2}},
		{fmt.Sprintf("status=not_reported&period_id=%d", p2), []int64{m1, m2}},
		{fmt.Sprintf("status=on_track&period_id=%d&group=youth_neet", p1), nil},
	} {
		if got := ids(list(c.q)); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q: %v, want %v", c.q, got, c.want)
		}
	}
	if l := list(fmt.Sprintf("period_id=%d", p1)); len(l.Items) != 2 || l.Items[0].Progress == nil || l.Items[0].Progress.Status != "on_track" ||
		l.Items[0].Progress.PeriodID != p1 || l.Items[1].Progress != nil {
		t.Errorf("progress in period: %+v", l.Items)
	}
	// Another plan's period, B's organisation, unknown values: 422 on the parameter.
	otherPlan, _ := newPlan(t, w, w.Token(coordA))
	for q, field := range map[string]string{
		"status=on_track":                               "status", // a status needs a period
		"status=late&period_id=" + fmt.Sprint(p1):       "status",
		"group=gypsies":                                 "group",
		"lead_organisation_id=" + fmt.Sprint(w.OrgB.ID): "lead_organisation_id",
		"lead_organisation_id=abc":                      "lead_organisation_id",
		"period_id=999999":                              "period_id",
	} {
		resp := w.API(view, "GET", fmt.Sprintf("/api/v1/action-plans/%d/measures?%s", planID, q), nil)
		if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `"`+field+`"`) {
			t.Errorf("%s: %d %s", q, resp.StatusCode, body)
		}
	}
	expect(t, w.API(view, "GET", fmt.Sprintf("/api/v1/action-plans/%d/measures?period_id=%d", otherPlan, p1), nil), 422, "period of another plan")
	expect(t, w.API(w.Token(coordZ), "GET", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), nil), 404, "other municipality")
	expect(t, w.API("", "GET", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), nil), 401, "anonymous")
}

func TestMeasureFiltersPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, _, _, p1, p2 := filterPlan(t, w)
	b := w.Login(member)
	page := fmt.Sprintf("/plans/%d/tracking", planID)
	body := expect(t, b.Get(page), 200, "unfiltered")
	if strings.Count(body, "<td>M1</td>") != 2 || strings.Count(body, "<td>M2</td>") != 2 || !strings.Contains(body, `id="filters-h"`) {
		t.Fatalf("unfiltered page: want both measures in both periods")
	}
	body = expect(t, b.Get(page+"?group=youth_neet"), 200, "by group")
	if strings.Contains(body, "<td>M1</td>") || strings.Count(body, "<td>M2</td>") != 2 || !strings.Contains(body, `<option value="youth_neet" selected>`) {
		t.Errorf("group filter: M1 shown or choice not kept")
	}
	body = expect(t, b.Get(fmt.Sprintf("%s?status=on_track&period_id=%d", page, p1)), 200, "by status in a period")
	if strings.Count(body, "<td>M1</td>") != 1 || strings.Contains(body, "<td>M2</td>") || strings.Contains(body, fmt.Sprintf(`id="per-%d"`, p2)) ||
		!strings.Contains(body, `<option value="on_track" selected>`) || !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>`, p1)) {
		t.Errorf("status and period filter")
	}
	body = expect(t, b.Get(fmt.Sprintf("%s?lead_organisation_id=%d&period_id=%d", page, w.OrgA.ID, p2)), 200, "by lead")
	if strings.Contains(body, "<td>M1</td>") || strings.Count(body, "<td>M2</td>") != 1 || !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Općina Bratunac`, w.OrgA.ID)) {
		t.Errorf("lead filter")
	}
	body = expect(t, b.Get(page+"?group=dropouts"), 200, "nothing matches")
	if !strings.Contains(body, "No measure matches these filters.") {
		t.Error("no message when nothing matches")
	}
	body = expect(t, b.Get(fmt.Sprintf("%s?group=x&lead_organisation_id=%d", page, w.OrgB.ID)), 422, "unknown values")
	for _, want := range []string{`id="e-group" class="field-error"`, `id="e-lead" class="field-error"`, "Unknown value"} {
		if !strings.Contains(body, want) {
			t.Errorf("bad filter: no %q", want)
		}
	}
	expect(t, w.Login(coordZ).Get(page+"?group=roma"), 404, "other municipality")
}

// The plan page filters its measures by lead organisation and group; the
// cached content of one filter is never served for another.
func TestPlanPageMeasureFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, _, _, _, _ := filterPlan(t, w)
	b := w.Login(viewer)
	page := fmt.Sprintf("/plans/%d", planID)
	rows := func(body string) string {
		return fmt.Sprint(strings.Contains(body, "<td>M1</td>"), strings.Contains(body, "<td>M2</td>"))
	}
	for _, c := range []struct{ q, want string }{
		{"", "true true"},
		{"?group=youth_neet", "false true"},
		{"", "true true"},
		{fmt.Sprintf("?lead_organisation_id=%d", w.OrgA2.ID), "true false"},
		{fmt.Sprintf("?lead_organisation_id=%d&group=youth_neet", w.OrgA2.ID), "false false"},
		{"?group=roma", "true false"},
	} {
		body := expect(t, b.Get(page+c.q), 200, "plan page "+c.q)
		if got := rows(body); got != c.want {
			t.Errorf("%q: M1, M2 shown: %s, want %s", c.q, got, c.want)
		}
		if c.q != "" && !strings.Contains(body, "Clear filters") {
			t.Errorf("%q: no way back to all measures", c.q)
		}
		if c.q == "?group=roma" && !strings.Contains(body, `<option value="roma" selected>`) {
			t.Errorf("group choice not kept")
		}
	}
	if body := expect(t, b.Get(fmt.Sprintf("%s?lead_organisation_id=%d&group=youth_neet", page, w.OrgA2.ID)), 200, "none"); !strings.Contains(body, "No measure matches these filters.") {
		t.Error("no message when nothing matches")
	}
	if body := expect(t, b.Get(page+"?status=on_track"), 200, "status is not a plan page filter"); rows(body) != "true true" || strings.Contains(body, `id="f-status"`) {
		t.Error("the plan page has no status filter")
	}
	body := expect(t, b.Get(fmt.Sprintf("%s?group=nobody&lead_organisation_id=%d", page, w.OrgB.ID)), 422, "unknown values")
	if !strings.Contains(body, `id="e-group" class="field-error"`) || !strings.Contains(body, `id="e-lead" class="field-error"`) || rows(body) != "true true" {
		t.Errorf("unknown values: errors next to the fields, all measures")
	}
	expect(t, w.Login(coordZ).Get(page+"?group=roma"), 404, "other municipality")
}
