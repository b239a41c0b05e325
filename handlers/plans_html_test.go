package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

func TestPlanPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	b := w.Login(coordA)
	plansPath := fmt.Sprintf("/municipalities/%d/plans", w.A.ID)
	if body := testkit.Body(b.Get(plansPath)); !strings.Contains(body, "Lokalni akcioni plan") {
		t.Fatal("plan not listed")
	}
	resp := b.PostForm(plansPath, url.Values{"title": {""}, "period_start": {"2018-01-01"}, "period_end": {"2017-01-01"}})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-title"`) {
		t.Fatalf("bad plan form: %d", resp.StatusCode)
	}
	expect(t, w.Login(member).PostForm(plansPath, url.Values{"title": {"x"}}), 403, "member creates plan by form")
	expect(t, w.Login(coordZ).Get(fmt.Sprintf("/plans/%d", planID)), 404, "other municipality plan page")

	newForm := testkit.Body(b.Get(fmt.Sprintf("/plans/%d/measures/new", planID)))
	if !strings.Contains(newForm, `name="b_amount_0"`) || !strings.Contains(newForm, `name="evidence"`) && !strings.Contains(newForm, "No findings") {
		t.Fatal("measure form incomplete")
	}
	form := url.Values{"code": {"M7"}, "title": {"Mentorstvo nakon zapošljavanja"}, "objective_id": {fmt.Sprint(obj)},
		"lead_organisation_id": {fmt.Sprint(w.OrgA2.ID)}, "partner_organisation_ids": {fmt.Sprint(w.OrgA.ID)}, "groups": {"disability"},
		"start_date": {"2017-05-01"}, "end_date": {"2018-05-01"},
		"ind_name_0": {"Osobe s mentorom"}, "ind_base_0": {"0"}, "ind_target_0": {"10"},
		"b_year_0": {"2017"}, "b_source_0": {"municipal"}, "b_amount_0": {"1500,75"},
		"b_year_3": {"2018"}, "b_source_3": {"donor"}, "b_funder_3": {"UNDP"}, "b_amount_3": {"12.3.4"}}
	resp = b.PostForm(fmt.Sprintf("/plans/%d/measures", planID), form)
	body := testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="e-b_amount_3"`) || !strings.Contains(body, "Mentorstvo nakon") {
		t.Fatalf("bad amount not shown next to its row: %d", resp.StatusCode)
	}
	form.Set("b_amount_3", "2000.00")
	if resp := b.PostForm(fmt.Sprintf("/plans/%d/measures", planID), form); resp.StatusCode != 303 {
		t.Fatalf("measure by form: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	page := testkit.Body(b.Get(fmt.Sprintf("/plans/%d", planID)))
	for _, s := range []string{"Mentorstvo nakon", "3,500.75 KM", "<img class=\"timeline\"", "no evidence cited"} {
		if !strings.Contains(page, s) {
			t.Errorf("plan page lacks %q", s)
		}
	}
}
