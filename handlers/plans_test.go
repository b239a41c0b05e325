package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pakt/app/testkit"
)

type planJSON struct {
	ID        int64
	Status    string
	Version   int
	RevisesID *int64 `json:"revises_id"`
	Measures  []struct {
		ID      int64
		Code    string
		Version int
		Budget  []struct{ Amount string }
	}
}

// seedNeed records a focus group with one high-priority need in municipality A.
func seedNeed(t *testing.T, w *world) (needID int64) {
	t.Helper()
	err := w.DB.Raw(`WITH fg AS (INSERT INTO focus_groups (municipality_id, held_on, place, groups, participants_total,
			participants_women, participants_men, consent_obtained) VALUES (?, '2017-02-01', 'Bratunac', '{roma}', 12, 7, 5, true) RETURNING id)
		INSERT INTO focus_group_needs (municipality_id, focus_group_id, position, statement, barrier, priority, group_code)
		SELECT ?, id, 0, 'Prevoz do radnog mjesta', 'participation', 1, 'roma' FROM fg RETURNING id`, w.A.ID, w.A.ID).Scan(&needID).Error
	if err != nil || needID == 0 {
		t.Fatalf("seed need: %v", err)
	}
	return needID
}

func measureBody(objective, lead, partner int64, need int64, code string, amounts ...string) map[string]any {
	var budget []map[string]any
	for i, a := range amounts {
		budget = append(budget, map[string]any{"year": 2017 + i%2, "source": []string{"municipal", "donor", "pes"}[i%3], "funder": "UNDP", "amount": a})
	}
	m := map[string]any{"code": code, "title": "Obuka za njegovateljice – " + code, "description": "Opis", "objective_id": objective,
		"groups": []string{"roma", "women"}, "lead_organisation_id": lead, "partner_organisation_ids": []int64{partner},
		"start_date": "2017-03-01", "end_date": "2018-06-30",
		"indicators": []map[string]any{{"name": "Zaposlene žene", "unit": "osoba", "baseline": "0", "target": 25}},
		"budget":     budget}
	if need != 0 {
		m["evidence"] = []map[string]any{{"kind": "need", "id": need}}
	}
	return m
}

// newPlan creates a 2017–2018 plan with one objective through the API.
func newPlan(t *testing.T, w *world, tok string) (planID, objectiveID int64) {
	t.Helper()
	var p planJSON
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.A.ID),
		map[string]any{"title": "Lokalni akcioni plan zapošljavanja 2017–2018", "period_start": "2017-01-01", "period_end": "2018-12-31"}), &p)
	var o struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/objectives", p.ID),
		map[string]any{"code": "C1", "title": "Povećati zaposlenost ranjivih grupa"}), &o)
	if p.ID == 0 || o.ID == 0 {
		t.Fatal("plan or objective not created")
	}
	return p.ID, o.ID
}

// Amounts that float64 cannot add exactly must total to the cent.
func TestPlanMoneyIsExact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	amounts := []string{"0.10", "0.20", "9999999999.99", "0.01", "1234567.89", "0.07"}
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", amounts...)), 201, "measure")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M2", "0.30", "0.70")), 201, "measure 2")
	// 0.10+0.01+0.07 (2017, municipal/pes/...) etc: compare against PostgreSQL's numeric sum.
	var dbTotal, dbMunicipal string
	w.DB.Raw("SELECT sum(amount)::text FROM measure_budget_lines WHERE plan_id = ?", planID).Scan(&dbTotal)
	w.DB.Raw("SELECT sum(amount)::text FROM measure_budget_lines WHERE plan_id = ? AND source = 'municipal'", planID).Scan(&dbMunicipal)
	if dbTotal != "10001234569.26" {
		t.Fatalf("database total %s", dbTotal)
	}
	page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/plans/%d", planID)))
	for _, want := range []string{"10,001,234,569.26 KM", "10,000,000,000.06 KM"} {
		if !strings.Contains(page, want) {
			t.Errorf("plan page lacks exact total %q", want)
		}
	}
	_ = dbMunicipal
	// Amounts that are not exact decimals with two places are refused, each on its field.
	got := expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M3", "12500.505", "-5", "1e3", "12.500,50")), 422, "bad amounts")
	for i := 0; i < 4; i++ {
		if !strings.Contains(got, fmt.Sprintf(`"budget[%d].amount"`, i)) {
			t.Errorf("no error for budget[%d].amount: %s", i, got)
		}
	}
	// A comma decimal as typed in local forms is accepted exactly.
	body := measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M4", "12500,50")
	if got := expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body), 201, "comma decimal"); !strings.Contains(got, `"amount":"12500.5"`) {
		t.Fatalf("amount not exact: %s", got)
	}
}

func TestPlanLifecycleAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, other := w.Token(coordA), w.Token(member), w.Token(coordZ)
	need := seedNeed(t, w)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.A.ID),
		map[string]any{"title": "", "period_start": "2018-01-01", "period_end": "2017-01-01"}), 422, "bad plan")
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.A.ID),
		map[string]any{"title": "X", "period_start": "2017-01-01", "period_end": "2018-12-31"}), 403, "member creates plan")
	planID, obj := newPlan(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	expect(t, w.API(other, "GET", pp, nil), 404, "other municipality reads plan")

	// The page flags the high-priority need no measure answers yet.
	if page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/plans/%d", planID))); !strings.Contains(page, "Prevoz do radnog mjesta") {
		t.Fatal("unanswered need not shown")
	}
	bad := measureBody(obj, w.OrgB.ID, w.OrgB.ID, 999999, "M1", "100.00")
	bad["start_date"] = "2016-01-01"
	bad["groups"] = []string{"aliens"}
	got := expect(t, w.API(tok, "POST", pp+"/measures", bad), 422, "bad measure")
	for _, f := range []string{"lead_organisation_id", "partner_organisation_ids", "evidence[0].id", "start_date", "groups"} {
		if !strings.Contains(got, `"`+f+`"`) {
			t.Errorf("no error for %s: %s", f, got)
		}
	}
	var m struct {
		ID         int64
		Version    int
		Indicators []struct{ ID int64 }
	}
	resp := w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA2.ID, w.OrgA.ID, need, "M1", "5000.00", "7500.50"))
	testkit.DecodeJSON(t, resp, &m)
	if resp.StatusCode != 201 || len(m.Indicators) != 1 || m.Indicators[0].ID == 0 {
		t.Fatalf("measure: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	mp := fmt.Sprintf("/api/v1/measures/%d", m.ID)
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "m1", "1.00")), 422, "duplicate code")
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M2", "1.00")), 201, "measure without evidence")
	if page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/plans/%d", planID))); strings.Contains(page, "Prevoz do radnog mjesta") || !strings.Contains(page, "no evidence cited") {
		t.Fatal("evidence flags wrong on the plan page")
	}
	// Two coordinators: the stale edit is refused and the newer data kept.
	expect(t, w.API(tok, "PATCH", mp, map[string]any{"title": "Newer title"}, "If-Match", fmt.Sprint(m.Version)), 200, "first edit")
	expect(t, w.API(tok, "PATCH", mp, map[string]any{"title": "Stale title"}, "If-Match", fmt.Sprint(m.Version)), 412, "stale edit")
	if got := testkit.Body(w.API(tok, "GET", mp, nil)); !strings.Contains(got, "Newer title") {
		t.Fatal("newer data lost")
	}
	expect(t, w.API(mem, "PATCH", mp, map[string]any{"title": "x"}), 403, "member edits measure")
	expect(t, w.API(other, "PATCH", mp, map[string]any{"title": "x"}), 404, "other municipality edits measure")

	checkConsultation(t, w, tok, planID, m.ID)

	expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2017-04-27", "decision_number": "01-022-45/17",
		"votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 409, "adopt before submit")
	expect(t, w.API(tok, "POST", pp+"/submit", nil), 200, "submit")
	expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2099-01-01", "decision_number": "", "votes_for": -1}), 422, "bad adoption")
	expect(t, w.API(tok, "POST", pp+"/return", map[string]any{"reason": "Nedostaje budžet CSR-a."}), 200, "returned")
	if got := testkit.Body(w.API(tok, "GET", pp, nil)); !strings.Contains(got, `"status":"draft"`) || !strings.Contains(got, "Nedostaje budžet") {
		t.Fatalf("return not recorded: %s", got)
	}
	expect(t, w.API(tok, "POST", pp+"/submit", nil), 200, "submit again")
	got = expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2017-04-27", "decision_number": "01-022-45/17",
		"votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	if !strings.Contains(got, `"status":"adopted"`) {
		t.Fatal(got)
	}
	if page := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/plans/%d", planID))); !strings.Contains(page, "unanimously") {
		t.Fatal("unanimous adoption not shown as such")
	}
	expect(t, w.API(tok, "PATCH", mp, map[string]any{"title": "after adoption"}), 409, "edit adopted")
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M9", "1.00")), 409, "add to adopted")
	checkFrozenPlan(t, w, planID, m.ID)
	checkRevision(t, w, tok, planID, obj)
}

func checkConsultation(t *testing.T, w *world, tok string, planID, measureID int64) {
	t.Helper()
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	cp := fmt.Sprintf("/api/v1/public/action-plans/%d/comments", planID)
	expect(t, w.API("", "POST", cp, map[string]any{"text": "Too early"}), 404, "comment on unpublished draft")
	expect(t, w.API(tok, "POST", pp+"/consultation", map[string]any{"closes_on": "2000-01-01"}), 422, "closing date in the past")
	expect(t, w.API(tok, "POST", pp+"/consultation", map[string]any{"closes_on": "2099-12-31"}), 200, "open consultation")
	expect(t, w.API("", "POST", cp, map[string]any{"text": "  "}), 422, "empty comment")
	expect(t, w.API("", "POST", cp, map[string]any{"text": "x", "name": strings.Repeat("n", 101)}), 422, "long name")
	expect(t, w.API("", "POST", cp, map[string]any{"text": "Trebalo bi uključiti i prevoz.", "measure_id": measureID}), 201, "anonymous comment")
	expect(t, w.API("", "POST", cp, map[string]any{"text": "BUY NOW", "website": "http://spam"}), 201, "honeypot")
	var stored int64
	w.DB.Raw("SELECT count(*) FROM plan_comments WHERE plan_id = ?", planID).Scan(&stored)
	if stored != 1 {
		t.Fatalf("%d comments stored, want 1 (the honeypot one must be dropped)", stored)
	}
	// Not public before approval.
	pub := fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)
	if strings.Contains(testkit.Body(w.Anonymous().Get(pub)), "uključiti i prevoz") {
		t.Fatal("comment public before approval")
	}
	var cid int64
	w.DB.Raw("SELECT id FROM plan_comments WHERE plan_id = ?", planID).Scan(&cid)
	expect(t, w.API(w.Token(member), "POST", fmt.Sprintf("/api/v1/comments/%d/response", cid), map[string]any{"decision": "noted", "text": "x"}), 403, "member answers")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/moderation", cid), map[string]any{"approve": true}), 200, "approve")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/response", cid), map[string]any{"decision": "maybe", "text": ""}), 422, "bad answer")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/response", cid), map[string]any{"decision": "accepted", "text": "Dodan je prevoz u mjeru M1."}), 200, "answer")
	page := testkit.Body(w.Anonymous().Get(pub))
	if !strings.Contains(page, "uključiti i prevoz") || !strings.Contains(page, "Dodan je prevoz") {
		t.Fatal("approved comment or answer not public")
	}
	report := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/plans/%d/consultation-report", planID)))
	if !strings.Contains(report, "Accepted") || !strings.Contains(report, "Dodan je prevoz") {
		t.Fatalf("consultation report lacks the answer: %s", report)
	}
	// Rate limit: five comments per address per hour.
	for i := 0; i < 4; i++ {
		expect(t, w.API("", "POST", cp, map[string]any{"text": fmt.Sprint("komentar ", i)}), 201, "comment")
	}
	expect(t, w.API("", "POST", cp, map[string]any{"text": "one too many"}), 429, "rate limited")
	// After the closing date new comments are refused.
	w.DB.Exec("UPDATE action_plans SET consultation_closes_on = current_date - 1 WHERE id = ?", planID)
	w.DB.Exec("DELETE FROM plan_comments WHERE text LIKE 'komentar%'")
	expect(t, w.API("", "POST", cp, map[string]any{"text": "late"}), 409, "comment after closing")
}

func checkFrozenPlan(t *testing.T, w *world, planID, measureID int64) {
	t.Helper()
	for _, q := range []string{
		fmt.Sprintf("UPDATE action_plans SET title = 'forged' WHERE id = %d", planID),
		fmt.Sprintf("UPDATE action_plans SET status = 'draft' WHERE id = %d", planID),
		fmt.Sprintf("DELETE FROM action_plans WHERE id = %d", planID),
		fmt.Sprintf("UPDATE plan_measures SET title = 'forged' WHERE id = %d", measureID),
		fmt.Sprintf("DELETE FROM plan_measures WHERE id = %d", measureID),
		fmt.Sprintf("UPDATE measure_budget_lines SET amount = amount + 1 WHERE measure_id = %d", measureID),
		fmt.Sprintf("DELETE FROM measure_indicators WHERE measure_id = %d", measureID),
		fmt.Sprintf("DELETE FROM measure_evidence WHERE measure_id = %d", measureID),
		fmt.Sprintf("UPDATE plan_objectives SET title = 'x' WHERE plan_id = %d", planID),
	} {
		if err := w.DB.Exec(q).Error; err == nil || !strings.Contains(err.Error(), "frozen") && !strings.Contains(err.Error(), "cannot") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func checkRevision(t *testing.T, w *world, tok string, planID, obj int64) {
	t.Helper()
	var rev planJSON
	resp := w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/revise", planID), nil)
	testkit.DecodeJSON(t, resp, &rev)
	if resp.StatusCode != 201 || rev.RevisesID == nil || *rev.RevisesID != planID || len(rev.Measures) != 2 {
		t.Fatalf("revise: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/revise", planID), nil), 409, "revise twice")
	var newObj int64
	w.DB.Raw("SELECT id FROM plan_objectives WHERE plan_id = ?", rev.ID).Scan(&newObj)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", rev.ID), measureBody(newObj, w.OrgA.ID, w.OrgA2.ID, 0, "M3", "300.00")), 201, "add measure to revision")
	for _, mm := range rev.Measures {
		if mm.Code == "M2" {
			expect(t, w.API(tok, "DELETE", fmt.Sprintf("/api/v1/measures/%d", mm.ID), nil), 204, "remove measure in revision")
		}
	}
	page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/plans/%d", rev.ID)))
	for _, s := range []string{"Measures added", "M3", "Measures removed", "M2"} {
		if !strings.Contains(page, s) {
			t.Errorf("revision page lacks %q", s)
		}
	}
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", rev.ID), nil), 200, "submit revision")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", rev.ID), map[string]any{"decided_on": "2018-03-01",
		"decision_number": "01-022-12/18", "votes_for": 18, "votes_against": 2, "votes_abstained": 1}), 200, "adopt revision")
	if got := testkit.Body(w.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d", planID), nil)); !strings.Contains(got, `"status":"superseded"`) {
		t.Fatal("old plan not superseded")
	}
}

func TestPlanDocuments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	body := measureBody(obj, w.OrgA2.ID, w.OrgA.ID, seedNeed(t, w), "M1", "5000.00", "0.10", "0.20")
	body["title"] = "=HYPERLINK(\"http://evil\") Obuka – Ђорђе"
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body), 201, "measure")
	resp := w.API(w.Token(viewer), "GET", fmt.Sprintf("/api/v1/action-plans/%d/pdf", planID), nil)
	pdf := expect(t, resp, 200, "plan pdf")
	if resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatal("not a PDF")
	}
	csv := expect(t, w.API(w.Token(viewer), "GET", fmt.Sprintf("/api/v1/action-plans/%d/export.csv", planID), nil), 200, "csv")
	lines := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/plans/%d/budget-lines.csv", planID)))
	if !strings.Contains(csv, `'=HYPERLINK`) || !strings.Contains(csv, "municipal,5000.00,0.00") {
		t.Fatalf("execution csv: %s", csv)
	}
	if !strings.Contains(lines, `'=HYPERLINK`) || !strings.Contains(lines, "5000.00") || !strings.Contains(lines, "5000.30") {
		t.Fatalf("budget lines csv: %s", lines)
	}
	expect(t, w.API(w.Token(coordZ), "GET", fmt.Sprintf("/api/v1/action-plans/%d/pdf", planID), nil), 404, "other municipality pdf")
	expect(t, w.Login(viewer).Get(fmt.Sprintf("/plans/%d/consultation-report.pdf", planID)), 200, "consultation pdf")
	// A draft is not public; after publishing for consultation it is.
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.A.Slug, planID)), 404, "public pdf of draft")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", planID), map[string]any{"closes_on": "2099-01-01"}), 200, "consultation")
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.A.Slug, planID)), 200, "public pdf")
	if dir := os.Getenv("PAKT_PDF_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "plan.pdf"), []byte(pdf), 0o644)
	}
}
