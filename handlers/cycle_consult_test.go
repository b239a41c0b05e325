package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// The consultation loop (issue #17): during public consultation the
// commission changes the draft (API and browser); the public page shows the
// current text and a dated list of the changes; each comment names the
// plan version it was written on; a form refused for the plan's state keeps
// what was typed.
func TestConsultationLoop(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, other := w.Token(coordA), w.Token(member), w.Token(coordZ)
	planID, obj := newPlan(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	var m struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "100.00")), &m)
	expect(t, w.API(tok, "POST", pp+"/consultation", map[string]any{"closes_on": "2099-12-31"}), 200, "open consultation")
	cp := fmt.Sprintf("/api/v1/public/action-plans/%d/comments", planID)
	expect(t, w.API("", "POST", cp, map[string]any{"text": "Dodajte mjeru za prevoz.", "measure_id": m.ID}), 201, "comment")
	var cid int64
	w.DB.Raw("SELECT id FROM plan_comments WHERE plan_id = ?", planID).Scan(&cid)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/moderation", cid), map[string]any{"approve": true}), 200, "approve")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/response", cid), map[string]any{"decision": "accepted", "text": "Dodana mjera M2."}), 200, "accept")

	// API: the accepted comment goes into the plan, during consultation.
	mp := fmt.Sprintf("/api/v1/measures/%d", m.ID)
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M2", "250.00")), 201, "add measure in consultation")
	expect(t, w.API(tok, "PATCH", mp, map[string]any{"title": "Obuka i prevoz", "budget": []map[string]any{{"year": 2017, "source": "municipal", "amount": "150.00"}}}), 200, "edit in consultation")
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "", "1.00")), 422, "bad measure in consultation")
	expect(t, w.API(mem, "PATCH", mp, map[string]any{"title": "x"}), 403, "member edits in consultation")
	expect(t, w.API(other, "PATCH", mp, map[string]any{"title": "x"}), 404, "other municipality edits in consultation")
	expect(t, w.API(other, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M8", "1.00")), 404, "other municipality adds")

	// Browser: an objective and a measure by form during consultation.
	b := w.Login(coordA)
	if page := testkit.Body(b.Get(fmt.Sprintf("/plans/%d", planID))); !strings.Contains(page, fmt.Sprintf(`href="/plans/%d/measures/new"`, planID)) ||
		!strings.Contains(page, fmt.Sprintf(`href="/measures/%d/edit"`, m.ID)) {
		t.Fatal("plan in consultation offers no new-measure or edit link")
	}
	expect(t, b.PostForm(fmt.Sprintf("/plans/%d/objectives", planID), url.Values{"code": {"C2"}, "title": {"Prevoz"}}), 303, "objective by form")
	form := amountsMeasureForm(w, obj, "75,50")
	form.Set("code", "M3")
	form.Set("title", "Besplatan prevoz do posla")
	expect(t, b.PostForm(fmt.Sprintf("/plans/%d/measures", planID), form), 303, "measure by form in consultation")
	expect(t, b.Get(fmt.Sprintf("/measures/%d/edit", m.ID)), 200, "edit form in consultation")
	bad := amountsMeasureForm(w, obj, "1")
	bad.Set("code", "")
	if resp := b.PostForm(fmt.Sprintf("/plans/%d/measures", planID), bad); resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), `id="e-code"`) {
		t.Fatalf("bad measure form: %d", resp.StatusCode)
	}
	fresh := func() url.Values { f := amountsMeasureForm(w, obj, "2"); f.Set("code", "M9"); return f }
	expect(t, w.Login(member).PostForm(fmt.Sprintf("/plans/%d/measures", planID), fresh()), 403, "member posts the measure form")
	expect(t, w.Login(coordZ).PostForm(fmt.Sprintf("/plans/%d/measures", planID), fresh()), 404, "other municipality posts the measure form")

	// The public sees the current text, the dated changes and the comment's version.
	pub := testkit.Body(w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)))
	for _, s := range []string{"Obuka i prevoz", "Besplatan prevoz do posla", "Changes since the consultation opened",
		"M2", "added", "changed: title, budget", "Objective", "C2 Prevoz", "on plan version", "the plan has changed since"} {
		if !strings.Contains(pub, s) {
			t.Errorf("public page lacks %q", s)
		}
	}
	if got := testkit.Body(w.API(tok, "GET", pp, nil)); !strings.Contains(got, `"changes":[`) || !strings.Contains(got, `"action":"changed","fields":["title","budget"]`) {
		t.Errorf("API plan lacks its changes: %s", got)
	}
	var version, changes int
	w.DB.Raw("SELECT plan_version FROM plan_comments WHERE id = ?", cid).Scan(&version)
	w.DB.Raw("SELECT count(*) FROM plan_changes WHERE plan_id = ?", planID).Scan(&changes)
	if version == 0 || changes != 4 {
		t.Fatalf("comment version %d, %d changes recorded (want 4)", version, changes)
	}

	// Once submitted the plan cannot change: 409 by API; the form keeps what was typed.
	expect(t, w.API(tok, "POST", pp+"/submit", map[string]any{"end_consultation": true}), 200, "submit")
	expect(t, w.API(tok, "PATCH", mp, map[string]any{"title": "x"}), 409, "edit submitted")
	form.Set("code", "M4")
	form.Set("title", "Mjera koju ne smijem izgubiti")
	resp := b.PostForm(fmt.Sprintf("/plans/%d/measures", planID), form)
	if body := testkit.Body(resp); resp.StatusCode != 409 || !strings.Contains(body, "Mjera koju ne smijem izgubiti") || !strings.Contains(body, "can no longer change") {
		t.Fatalf("refused measure form lost what was typed: %d", resp.StatusCode)
	}
	resp = b.PostForm(fmt.Sprintf("/plans/%d/objectives", planID), url.Values{"code": {"C9"}, "title": {"Cilj koji ostaje u formi"}})
	if body := testkit.Body(resp); resp.StatusCode != 409 || !strings.Contains(body, "Cilj koji ostaje u formi") {
		t.Fatalf("refused objective form lost what was typed: %d", resp.StatusCode)
	}
}

// Submitting before the consultation's announced closing date needs an
// explicit confirmation: API 409 unless end_consultation is true; the
// browser form asks for it next to the button.
func TestSubmitBeforeConsultationCloses(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "100.00")), 201, "measure")
	expect(t, w.API(tok, "POST", pp+"/consultation", map[string]any{"closes_on": "2099-12-31"}), 200, "open consultation")

	got := expect(t, w.API(tok, "POST", pp+"/submit", nil), 409, "submit while open")
	if !strings.Contains(got, `"code":"conflict"`) || !strings.Contains(got, "still open") {
		t.Fatalf("409 body: %s", got)
	}
	expect(t, w.API(tok, "POST", pp+"/submit", map[string]any{"end_consultation": false}), 409, "submit without confirming")
	expect(t, w.API(tok, "POST", pp+"/submit", `{"end_consultation": "yes"}`), 400, "malformed confirmation")
	expect(t, w.API(w.Token(member), "POST", pp+"/submit", map[string]any{"end_consultation": true}), 403, "member submits")
	expect(t, w.API(w.Token(coordZ), "POST", pp+"/submit", map[string]any{"end_consultation": true}), 404, "other municipality submits")

	// Browser: the form asks; without the tick the plan stays in consultation.
	b := w.Login(coordA)
	page := testkit.Body(b.Get(fmt.Sprintf("/plans/%d", planID)))
	if !strings.Contains(page, `name="end_consultation"`) || !strings.Contains(page, "announced to stay open until") {
		t.Fatal("plan page does not ask to confirm ending the consultation")
	}
	resp := b.PostForm(fmt.Sprintf("/plans/%d/submit", planID), url.Values{})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-end_consultation"`) {
		t.Fatalf("unconfirmed submit: %d", resp.StatusCode)
	}
	var status, closes string
	w.DB.Raw("SELECT status, consultation_closes_on::text FROM action_plans WHERE id = ?", planID).Row().Scan(&status, &closes)
	if status != "public_consultation" || closes != "2099-12-31" {
		t.Fatalf("unconfirmed submit changed the plan: %s %s", status, closes)
	}
	expect(t, b.PostForm(fmt.Sprintf("/plans/%d/submit", planID), url.Values{"end_consultation": {"yes"}}), 303, "confirmed submit")
	w.DB.Raw("SELECT status, consultation_closes_on::text FROM action_plans WHERE id = ?", planID).Row().Scan(&status, &closes)
	if status != "submitted" || closes == "2099-12-31" {
		t.Fatalf("confirmed submit: %s %s", status, closes)
	}

	// After the closing date no confirmation is needed.
	planID2, obj2 := newPlan(t, w, tok)
	pp2 := fmt.Sprintf("/api/v1/action-plans/%d", planID2)
	expect(t, w.API(tok, "POST", pp2+"/measures", measureBody(obj2, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "100.00")), 201, "measure")
	expect(t, w.API(tok, "POST", pp2+"/consultation", map[string]any{"closes_on": "2099-12-31"}), 200, "open consultation")
	w.DB.Exec("UPDATE action_plans SET consultation_closes_on = current_date - 1 WHERE id = ?", planID2)
	expect(t, w.API(tok, "POST", pp2+"/submit", nil), 200, "submit after closing")
}
