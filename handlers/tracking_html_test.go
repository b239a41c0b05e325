package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

func TestTrackingPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, indID := adoptedPlan(t, w, tok)
	cb := w.Login(coordA)
	track := fmt.Sprintf("/plans/%d/tracking", planID)
	resp := cb.PostForm(fmt.Sprintf("/plans/%d/periods", planID), url.Values{"label": {""}, "start_date": {"2016-01-01"}, "end_date": {"2016-06-30"}})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-label"`) || !strings.Contains(body, `id="e-start_date"`) {
		t.Fatalf("bad period form: %d", resp.StatusCode)
	}
	if resp := cb.PostForm(fmt.Sprintf("/plans/%d/periods", planID), url.Values{"label": {"2017"}, "start_date": {"2017-01-01"}, "end_date": {"2017-12-31"}}); resp.StatusCode != 303 {
		t.Fatalf("period form: %d", resp.StatusCode)
	}
	var per int64
	w.DB.Raw("SELECT id FROM reporting_periods WHERE plan_id = ?", planID).Scan(&per)
	expect(t, w.Login(member).PostForm(fmt.Sprintf("/plans/%d/periods", planID), url.Values{"label": {"x"}}), 403, "member opens period")
	expect(t, w.Login(coordZ).Get(track), 404, "other municipality tracking page")

	form := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	mb := w.Login(member)
	if body := testkit.Body(mb.Get(form)); !strings.Contains(body, `name="b_total"`) || strings.Contains(body, "<fieldset disabled") {
		t.Fatal("member cannot edit the report form")
	}
	if body := testkit.Body(w.Login(viewer).Get(form)); !strings.Contains(body, "<fieldset disabled") {
		t.Fatal("viewer gets an editable form")
	}
	bad := url.Values{"status": {"on_track"}, "percent_complete": {"150"}, "b_total": {"5"}, "b_women": {"4"}, "b_men": {"4"},
		"s_source_0": {"municipal"}, "s_amount_0": {"abc"}, "g_roma": {"9"}}
	resp = mb.PostForm(form, bad)
	body := testkit.Body(resp)
	for _, s := range []string{`id="e-percent_complete"`, `id="e-b_total"`, `id="e-g_roma"`, "Enter an amount such as"} {
		if !strings.Contains(body, s) {
			t.Errorf("error %q not shown next to its field", s)
		}
	}
	good := url.Values{"status": {"on_track"}, "percent_complete": {"50"}, "narrative": {"Održane radionice."}, "b_total": {"12"},
		"b_women": {"7"}, "b_men": {"5"}, "g_roma": {"4"}, "o_employed": {"2"}, "s_source_0": {"csw"}, "s_funder_0": {"CSR"},
		"s_amount_0": {"250.00"}, fmt.Sprintf("ind_%d", indID): {"6"}}
	if resp := mb.PostForm(form, good); resp.StatusCode != 303 {
		t.Fatalf("report by form: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	if body := testkit.Body(mb.Get(form)); !strings.Contains(body, "Spending on a source with no planned budget line") {
		t.Fatal("unplanned source not flagged")
	}
	if resp := mb.PostForm(form+"/submit", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	expect(t, mb.PostForm(form+"/accept", url.Values{}), 403, "member accepts by form")
	if resp := cb.PostForm(form+"/return", url.Values{"comment": {""}}); resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), `id="e-comment"`) {
		t.Fatalf("return without comment: %d", resp.StatusCode)
	}
	if resp := cb.PostForm(form+"/accept", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("accept: %d", resp.StatusCode)
	}
	page := testkit.Body(cb.Get(track))
	for _, s := range []string{"accepted", "250.00 KM", "Close the period"} {
		if !strings.Contains(page, s) {
			t.Errorf("tracking page lacks %q", s)
		}
	}
	if resp := cb.PostForm(fmt.Sprintf("/periods/%d/close", per), url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("close: %d", resp.StatusCode)
	}
	expect(t, mb.PostForm(form, good), 409, "report after close by form")
	csv := testkit.Body(cb.Get(fmt.Sprintf("/plans/%d/progress.csv", planID)))
	if !strings.Contains(csv, "M1") || !strings.Contains(csv, "on_track,50,accepted,250.00,12,7,5") {
		t.Fatalf("progress csv: %s", csv)
	}
}
