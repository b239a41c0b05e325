package handlers_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

var indNameRe = regexp.MustCompile(`name="ind_name_(\d+)"`)

// "More rows" draws the measure form again with more empty indicator rows,
// keeps what was typed, saves nothing, and adds up over several presses;
// the form is then saved with all its rows. On an edit it keeps the version
// the user started from, so a concurrent change is still caught.
func TestMeasureFormMoreRows(t *testing.T) {
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	b := w.Login(coordA)
	path := fmt.Sprintf("/plans/%d/measures", planID)
	rowsOf := func(page string) int { return len(indNameRe.FindAllString(page, -1)) }
	before := rowsOf(testkit.Body(b.Get(path + "/new")))

	form := url.Values{"code": {"M9"}, "title": {"Javni radovi"}, "objective_id": {fmt.Sprint(obj)},
		"lead_organisation_id": {fmt.Sprint(w.OrgA2.ID)}, "groups": {"roma"}, "start_date": {"2017-05-01"}, "end_date": {"2018-05-01"},
		"ind_name_0": {"Zaposleni Romi"}, "ind_base_0": {"0"}, "ind_target_0": {"8"},
		"b_year_0": {"2017"}, "b_source_0": {"municipal"}, "b_amount_0": {"1000.00"}, "more": {"indicators"}}
	resp := b.PostForm(path, form)
	page := testkit.Body(resp)
	if resp.StatusCode != 200 || !strings.Contains(page, `value="Zaposleni Romi"`) || !strings.Contains(page, `value="Javni radovi"`) {
		t.Fatalf("more rows: %d, or the typed values are gone", resp.StatusCode)
	}
	if got := rowsOf(page); got != before+1+3 {
		t.Errorf("after one press: %d indicator rows, want %d", got, before+1+3)
	}
	if !strings.Contains(page, `name="more_indicators" value="3"`) || !strings.Contains(page, `formaction="/plans/`+fmt.Sprint(planID)+`/measures#indicators"`) {
		t.Error("the form does not carry the extra rows or the button's target")
	}
	if strings.Contains(page, `class="field-error"`) {
		t.Error("asking for rows showed validation errors")
	}
	form.Set("more_indicators", "3")
	if got := rowsOf(testkit.Body(b.PostForm(path, form))); got != before+1+6 {
		t.Errorf("after two presses: %d indicator rows, want %d", got, before+1+6)
	}
	var n int64
	w.DB.Model(&models.Measure{}).Where("plan_id = ?", planID).Count(&n)
	if n != 0 {
		t.Fatalf("asking for rows saved %d measures", n)
	}

	// The new rows are read like the others.
	form.Del("more")
	form.Set("ind_name_4", "Zaposlene Romkinje")
	form.Set("ind_base_4", "0")
	form.Set("ind_target_4", "4")
	if resp := b.PostForm(path, form); resp.StatusCode != 303 {
		t.Fatalf("save: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	var m models.Measure
	if err := w.DB.Where("plan_id = ?", planID).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	if w.DB.Table("measure_indicators").Where("measure_id = ?", m.ID).Count(&n); n != 2 {
		t.Fatalf("saved measure has %d indicators, want 2", n)
	}

	// Editing: more rows keeps the version the form was opened at.
	edit := fmt.Sprintf("/measures/%d", m.ID)
	opened := testkit.Body(b.Get(edit + "/edit"))
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(opened)
	if version == nil {
		t.Fatal("edit form without a version")
	}
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/measures/%d", m.ID), map[string]any{"title": "Javni radovi 2017"}), 200, "concurrent edit")
	form.Set("version", version[1])
	form.Set("more", "budget")
	page = testkit.Body(b.PostForm(edit, form))
	if !strings.Contains(page, `name="version" value="`+version[1]+`"`) || !strings.Contains(page, `name="more_budget" value="3"`) {
		t.Fatal("more rows on an edit lost the version it started from")
	}
	form.Del("more")
	if resp := b.PostForm(edit, form); resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), "Javni radovi") {
		t.Errorf("save over a concurrent change: %d, want 422", resp.StatusCode)
	}

	// Rows are for the plan's coordinator only, like the form itself.
	expect(t, w.Login(member).PostForm(path, url.Values{"more": {"indicators"}}), 403, "member asks for rows")
	expect(t, w.Login(coordZ).PostForm(path, url.Values{"more": {"indicators"}}), 404, "other municipality asks for rows")
}
