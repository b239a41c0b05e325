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
	t.Parallel()
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

// formRowCount counts the rows a form draws for a field name prefix and suffix,
// e.g. party_org_N.
func formRowCount(page, prefix, suffix string) int {
	return len(regexp.MustCompile(`name="`+prefix+`\d+`+suffix+`"`).FindAllString(page, -1))
}

// The agreement form's parties and commitments get more rows the same way.
func TestAgreementFormMoreRows(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login(coordA)
	path := fmt.Sprintf("/municipalities/%d/agreements", w.A.ID)
	// An empty form has 4 rows; one press makes 7.
	if got := formRowCount(testkit.Body(b.PostForm(path, url.Values{"title": {"Protokol"}, "more": {"parties"}})), "party_org_", ""); got != 7 {
		t.Errorf("empty form after one press: %d party rows, want 4 + 3", got)
	}
	form := draftForm(w)
	form.Set("more", "parties")
	resp := b.PostForm(path, form)
	page := testkit.Body(resp)
	// Parties were typed in rows 0 and 2: those two, then rows 3–8 (3 empty + 3 more).
	if resp.StatusCode != 200 || formRowCount(page, "party_org_", "") != 8 || !strings.Contains(page, `name="party_org_8"`) {
		t.Fatalf("more parties: %d, %d rows", resp.StatusCode, formRowCount(page, "party_org_", ""))
	}
	if !strings.Contains(page, `value="Savjetovanje"`) && !strings.Contains(page, ">Savjetovanje</textarea>") {
		t.Error("the typed commitment is gone")
	}
	var n int64
	if w.DB.Model(&models.Agreement{}).Where("municipality_id = ?", w.A.ID).Count(&n); n != 0 {
		t.Fatalf("asking for rows saved %d agreements", n)
	}
	form.Set("more_parties", "3")
	form.Set("more", "commitments")
	page = testkit.Body(b.PostForm(path, form))
	if formRowCount(page, "party_org_", "") != 8 || formRowCount(page, "c_action_", "") != 7 {
		t.Errorf("after more commitments: %d party rows (want 8), %d commitment rows (want 7)",
			formRowCount(page, "party_org_", ""), formRowCount(page, "c_action_", ""))
	}
	form.Set("party_org_7", fmt.Sprint(w.OrgA2.ID))
	form.Set("party_signer_7", fmt.Sprint(w.MemA.ID))
	form.Del("party_org_2")
	form.Del("party_signer_2")
	form.Del("more")
	if resp := b.PostForm(path, form); resp.StatusCode != 303 {
		t.Fatalf("save with a party in an added row: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	expect(t, w.Login(viewer).PostForm(path, url.Values{"more": {"parties"}}), 403, "viewer asks for rows")
	expect(t, w.Login(coordZ).PostForm(path, url.Values{"more": {"parties"}}), 404, "other municipality asks for rows")
}

// A progress report's spending rows, too; nothing is saved meanwhile.
func TestProgressFormMoreRows(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, _ := adoptedPlan(t, w, tok)
	cb := w.Login(coordA)
	if resp := cb.PostForm(fmt.Sprintf("/plans/%d/periods", planID), url.Values{"label": {"2017"}, "start_date": {"2017-01-01"}, "end_date": {"2017-12-31"}}); resp.StatusCode != 303 {
		t.Fatalf("period: %d", resp.StatusCode)
	}
	var per int64
	w.DB.Raw("SELECT id FROM reporting_periods WHERE plan_id = ?", planID).Scan(&per)
	path := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	mb := w.Login(member)
	form := url.Values{"status": {"on_track"}, "percent_complete": {"40"}, "narrative": {"Radionice u toku."},
		"s_source_0": {"csw"}, "s_amount_0": {"250.00"}, "more": {"spent"}}
	resp := mb.PostForm(path, form)
	page := testkit.Body(resp)
	if resp.StatusCode != 200 || formRowCount(page, "s_amount_", "") != 6 || !strings.Contains(page, "Radionice u toku.") {
		t.Fatalf("more spending rows: %d, %d rows (want 1 + 2 + 3)", resp.StatusCode, formRowCount(page, "s_amount_", ""))
	}
	if !strings.Contains(page, `formaction="`+path+`#spent"`) {
		t.Error("the button does not come back to the spending table")
	}
	var n int64
	if w.DB.Table("progress_reports").Where("measure_id = ?", mID).Count(&n); n != 0 {
		t.Fatalf("asking for rows saved %d reports", n)
	}
	form.Del("more")
	form.Set("more_spent", "3")
	form.Set("s_source_4", "municipal")
	form.Set("s_amount_4", "100.50")
	if resp := mb.PostForm(path, form); resp.StatusCode != 303 {
		t.Fatalf("save: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	if w.DB.Table("progress_spending").Where("municipality_id = ?", w.A.ID).Count(&n); n != 2 {
		t.Errorf("%d spending lines saved, want 2", n)
	}
	if body := testkit.Body(w.Login(viewer).Get(path)); strings.Contains(body, `name="more"`) {
		t.Error("a viewer is offered more rows")
	}
	expect(t, w.Login(coordZ).PostForm(path, url.Values{"more": {"spent"}}), 404, "other municipality asks for rows")
}

// The focus-group form's needs: more rows on request, a need typed after
// empty rows is still read, and a chosen file the browser drops is flagged.
func TestFocusFormMoreRows(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login(coordA)
	path := fmt.Sprintf("/municipalities/%d/focus-groups", w.A.ID)
	resp := b.PostForm(path, focusForm(url.Values{"more": {"needs"}}))
	page := testkit.Body(resp)
	if resp.StatusCode != 200 || formRowCount(page, "need_", "_statement") != 9 || !strings.Contains(page, "Pratnja pri prvoj prijavi") {
		t.Fatalf("more needs: %d, %d rows (want 9)", resp.StatusCode, formRowCount(page, "need_", "_statement"))
	}
	if strings.Contains(page, "The chosen file was not kept") {
		t.Error("a dropped file flagged though none was chosen")
	}
	// Sent with the blank consent form attached, the form comes back without
	// it (browsers cannot keep a chosen file) and says so next to the field.
	b.Get(path + "/new")
	page = testkit.Body(b.Send(focusMultipart(t, path, focusForm(url.Values{"more": {"needs"}}), b.CSRF,
		"consent_form", "saglasnost.pdf", []byte("%PDF-1.4 blank consent form"))))
	if !strings.Contains(page, "The chosen file was not kept: choose it again.") || formRowCount(page, "need_", "_statement") != 9 {
		t.Error("multipart form: the dropped file is not flagged, or the rows are wrong")
	}
	var n int64
	if w.DB.Table("focus_groups").Where("municipality_id = ?", w.A.ID).Count(&n); n != 0 {
		t.Fatalf("asking for rows saved %d focus groups", n)
	}
	resp = b.PostForm(path, focusForm(url.Values{"more_needs": {"3"}, "need_8_statement": {"Čuvanje djece za vrijeme obuke"},
		"need_8_barrier": {"participation"}, "need_8_priority": {"2"}}))
	if resp.StatusCode != 303 {
		t.Fatalf("save: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	if w.DB.Table("focus_group_needs").Where("municipality_id = ?", w.A.ID).Count(&n); n != 2 {
		t.Errorf("%d needs saved, want 2 (one typed after empty rows)", n)
	}
	expect(t, w.Login(member).PostForm(path, url.Values{"more": {"needs"}}), 403, "member asks for rows")
}
