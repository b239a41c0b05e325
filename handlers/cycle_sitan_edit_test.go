package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// Findings, vulnerable groups, focus groups and needs can be corrected and
// deleted before publishing (issue #17); published or cited, 409.
func TestSitanEditBeforePublishing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, other := w.Token(coordA), w.Token(member), w.Token(coordZ)
	s := mustSitan(t, w.A.ID, w, "Analiza stanja 2016")
	sp := fmt.Sprintf("/api/v1/situation-analyses/%d", s.ID)
	var f1, f2 struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", sp+"/findings", map[string]any{"statement": "Romi rijetko završe osnovnu školu.",
		"group": "roma", "barrier": "employment", "source_organisation_id": w.OrgA2.ID}), &f1)
	testkit.DecodeJSON(t, w.API(tok, "POST", sp+"/findings", map[string]any{"statement": "Nema prevoza.",
		"group": "roma", "barrier": "participation", "source_organisation_id": w.OrgA2.ID}), &f2)
	var g struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", sp+"/vulnerable-groups", map[string]any{"group": "roma", "estimated_size": 120,
		"barriers": []string{"employment"}, "priority": 1}), &g)
	if f1.ID == 0 || f2.ID == 0 || g.ID == 0 {
		t.Fatal("fixture not created")
	}
	fp, gp := fmt.Sprintf("/api/v1/findings/%d", f1.ID), fmt.Sprintf("/api/v1/vulnerable-groups/%d", g.ID)

	// Correct a finding and a group: absent fields keep their value.
	got := expect(t, w.API(tok, "PATCH", fp, map[string]any{"statement": "Romska djeca rijetko završe osnovnu školu."}), 200, "edit finding")
	if !strings.Contains(got, "Romska djeca") || !strings.Contains(got, `"barrier":"employment"`) {
		t.Fatalf("edited finding: %s", got)
	}
	got = expect(t, w.API(tok, "PATCH", fp, map[string]any{"group": "aliens", "statement": ""}), 422, "bad finding edit")
	if !strings.Contains(got, `"group"`) || !strings.Contains(got, `"statement"`) {
		t.Fatalf("bad finding edit fields: %s", got)
	}
	expect(t, w.API(mem, "PATCH", fp, map[string]any{"statement": "x"}), 403, "member edits finding")
	expect(t, w.API(other, "PATCH", fp, map[string]any{"statement": "x"}), 404, "other municipality edits finding")
	expect(t, w.API(other, "DELETE", fp, nil), 404, "other municipality deletes finding")
	if got := expect(t, w.API(tok, "PATCH", gp, map[string]any{"priority": 2, "women": 50, "men": 60}), 200, "edit group"); !strings.Contains(got, `"priority":2`) {
		t.Fatalf("edited group: %s", got)
	}
	expect(t, w.API(tok, "PATCH", gp, map[string]any{"priority": 0, "women": 100, "men": 100}), 422, "bad group edit")
	expect(t, w.API(mem, "DELETE", gp, nil), 403, "member deletes group")

	// A finding a measure cites cannot be deleted.
	planID, obj := newPlan(t, w, tok)
	body := measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "10.00")
	body["evidence"] = []map[string]any{{"kind": "finding", "id": f1.ID}}
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body), 201, "measure citing the finding")
	expect(t, w.API(tok, "DELETE", fp, nil), 409, "delete cited finding")

	// Browser: delete buttons on the analysis page.
	b := w.Login(coordA)
	page := testkit.Body(b.Get(fmt.Sprintf("/situation-analyses/%d", s.ID)))
	if !strings.Contains(page, fmt.Sprintf(`action="/findings/%d/delete"`, f2.ID)) || !strings.Contains(page, fmt.Sprintf(`action="/vulnerable-groups/%d/delete"`, g.ID)) {
		t.Fatal("analysis page offers no delete buttons")
	}
	expect(t, w.Login(member).PostForm(fmt.Sprintf("/findings/%d/delete", f2.ID), url.Values{}), 403, "member deletes by form")
	expect(t, w.Login(coordZ).PostForm(fmt.Sprintf("/findings/%d/delete", f2.ID), url.Values{}), 404, "other municipality deletes by form")
	back := fmt.Sprintf("/situation-analyses/%d", s.ID)
	expect(t, b.PostForm(fmt.Sprintf("/findings/%d/delete", f2.ID), url.Values{"back": {back}}), 303, "delete finding by form")
	if page := testkit.Body(b.Get(back)); strings.Contains(page, "Nema prevoza.") || !strings.Contains(page, "Deleted.") {
		t.Fatal("deleted finding still shown, or no message")
	}
	resp := b.PostForm(fmt.Sprintf("/findings/%d/delete", f1.ID), url.Values{"back": {back}})
	if resp.StatusCode != 303 || !strings.Contains(testkit.Body(b.Get(back)), "cites this as evidence") {
		t.Fatalf("refused delete: %d, or no reason shown", resp.StatusCode)
	}

	// Published: frozen.
	expect(t, w.API(tok, "POST", sp+"/publish", map[string]any{"confirm_unanswered": true}), 200, "publish")
	expect(t, w.API(tok, "PATCH", fp, map[string]any{"statement": "late"}), 409, "edit published finding")
	expect(t, w.API(tok, "PATCH", gp, map[string]any{"priority": 3}), 409, "edit published group")
	expect(t, w.API(tok, "DELETE", gp, nil), 409, "delete published group")
}

// Focus groups and their needs change while no adopted plan cites them.
func TestFocusGroupEditUntilCited(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, other := w.Token(coordA), w.Token(member), w.Token(coordZ)
	var fg struct {
		ID    int64
		Needs []struct{ ID int64 }
	}
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/focus-groups", w.A.ID), focusBody(nil)(w)), &fg)
	if fg.ID == 0 || len(fg.Needs) != 2 {
		t.Fatalf("focus group: %+v", fg)
	}
	fp := fmt.Sprintf("/api/v1/focus-groups/%d", fg.ID)
	n1, n2 := fmt.Sprintf("/api/v1/needs/%d", fg.Needs[0].ID), fmt.Sprintf("/api/v1/needs/%d", fg.Needs[1].ID)
	if got := expect(t, w.API(tok, "PATCH", fp, map[string]any{"place": "Dom kulture"}), 200, "edit focus group"); !strings.Contains(got, "Dom kulture") {
		t.Fatalf("edited focus group: %s", got)
	}
	expect(t, w.API(tok, "PATCH", fp, map[string]any{"participants_women": 7}), 422, "counts that do not add up")
	expect(t, w.API(mem, "PATCH", fp, map[string]any{"place": "x"}), 403, "member edits focus group")
	expect(t, w.API(other, "PATCH", fp, map[string]any{"place": "x"}), 404, "other municipality edits focus group")
	if got := expect(t, w.API(tok, "PATCH", n1, map[string]any{"statement": "Plaćene prakse i mentorstvo"}), 200, "edit need"); !strings.Contains(got, "mentorstvo") {
		t.Fatalf("edited need: %s", got)
	}
	expect(t, w.API(tok, "PATCH", n1, map[string]any{"priority": 9}), 422, "bad need")
	expect(t, w.API(other, "DELETE", n2, nil), 404, "other municipality deletes need")

	// An adopted plan cites the first need: it and its focus group are frozen.
	planID, obj := newPlan(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA2.ID, w.OrgA.ID, fg.Needs[0].ID, "M1", "10.00")), 201, "measure citing the need")
	expect(t, w.API(tok, "PATCH", n1, map[string]any{"quote": "draft plans do not freeze"}), 200, "edit need a draft cites")
	expect(t, w.API(tok, "DELETE", n1, nil), 409, "delete need a plan cites")
	expect(t, w.API(tok, "POST", pp+"/submit", nil), 200, "submit")
	expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2017-04-27", "decision_number": "01-022-45/17",
		"votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	expect(t, w.API(tok, "PATCH", n1, map[string]any{"statement": "late"}), 409, "edit need an adopted plan cites")
	expect(t, w.API(tok, "PATCH", fp, map[string]any{"place": "late"}), 409, "edit focus group an adopted plan cites")
	expect(t, w.API(tok, "DELETE", fp, nil), 409, "delete focus group an adopted plan cites")

	// The other need goes, by form.
	b := w.Login(coordA)
	if page := testkit.Body(b.Get(fmt.Sprintf("/focus-groups/%d", fg.ID))); !strings.Contains(page, fmt.Sprintf(`action="/needs/%d/delete"`, fg.Needs[1].ID)) {
		t.Fatal("focus group page offers no delete button for needs")
	}
	expect(t, w.Login(member).PostForm(fmt.Sprintf("/needs/%d/delete", fg.Needs[1].ID), url.Values{}), 403, "member deletes need")
	expect(t, b.PostForm(fmt.Sprintf("/needs/%d/delete", fg.Needs[1].ID), url.Values{"back": {fmt.Sprintf("/focus-groups/%d", fg.ID)}}), 303, "delete need by form")
	var left int
	w.DB.Raw("SELECT count(*) FROM focus_group_needs WHERE focus_group_id = ?", fg.ID).Scan(&left)
	if left != 1 {
		t.Fatalf("%d needs left, want 1", left)
	}
}
