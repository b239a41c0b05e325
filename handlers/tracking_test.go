package handlers_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"pakt/app/testkit"
)

// adoptedPlan makes an adopted 2017–2018 plan with one measure led by the
// member's organisation (OrgA2), partnered by OrgA; returns plan, measure, indicator ids.
func adoptedPlan(t *testing.T, w *world, tok string) (planID, measureID, indicatorID int64) {
	t.Helper()
	planID, obj := newPlan(t, w, tok)
	var m struct {
		ID         int64
		Indicators []struct{ ID int64 }
	}
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "1000.00", "2000.00")), &m)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", planID), nil), 200, "submit")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", planID), map[string]any{"decided_on": "2017-04-27",
		"decision_number": "01-1/17", "votes_for": 20, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	return planID, m.ID, m.Indicators[0].ID
}

func openPeriod(t *testing.T, w *world, tok string, planID int64, label, from, to string) int64 {
	t.Helper()
	var per struct{ ID int64 }
	resp := w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/reporting-periods", planID),
		map[string]any{"label": label, "start_date": from, "end_date": to})
	testkit.DecodeJSON(t, resp, &per)
	if resp.StatusCode != 201 {
		t.Fatalf("period: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	return per.ID
}

func progressBody(indicator int64, amount string, total, women, men int) map[string]any {
	return map[string]any{"status": "on_track", "percent_complete": 40, "narrative": "Održane 3 obuke.",
		"spent":            []map[string]any{{"source": "municipal", "funder": "Općina", "amount": amount}},
		"indicator_values": []map[string]any{{"indicator_id": indicator, "value": "8"}},
		"beneficiaries":    map[string]any{"total": total, "women": women, "men": men, "by_group": map[string]int{"roma": 3, "women": women}},
		"outcomes":         map[string]any{"employed": 4, "trained": 12, "completed_education": 0, "self_employed": 1}}
}

func TestTrackingLifecycleAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, view, other := w.Token(coordA), w.Token(member), w.Token(viewer), w.Token(coordZ)
	planID, _ := newPlan(t, w, tok)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/reporting-periods", planID),
		map[string]any{"label": "2017 H1", "start_date": "2017-01-01", "end_date": "2017-06-30"}), 409, "period on a draft plan")
	planID, mID, indID := adoptedPlan(t, w, tok)
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/action-plans/%d/reporting-periods", planID),
		map[string]any{"label": "x", "start_date": "2017-01-01", "end_date": "2017-06-30"}), 403, "member opens period")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/reporting-periods", planID),
		map[string]any{"label": "", "start_date": "2016-01-01", "end_date": "2015-06-30"}), 422, "bad period")
	per := openPeriod(t, w, tok, planID, "2017 – prvo polugodište", "2017-01-01", "2017-06-30")
	overlap := w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/reporting-periods", planID),
		map[string]any{"label": "2017 Q2-Q3", "start_date": "2017-04-01", "end_date": "2017-09-30"})
	expect(t, overlap, 422, "overlapping period")
	if body := testkit.Body(overlap); !strings.Contains(body, `"start_date"`) {
		t.Errorf("overlap answer names no start_date: %s", body)
	}
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)

	// The member's organisation leads the measure: the report is due on its dashboard.
	if dash := testkit.Body(w.Login(member).Get("/dashboard")); !strings.Contains(dash, "Report due") {
		t.Fatal("report not due on the member's dashboard")
	}
	bad := progressBody(indID, "-5", 10, 8, 7)
	bad["percent_complete"] = 120
	got := expect(t, w.API(mem, "PUT", pp, bad), 422, "bad report")
	for _, f := range []string{"percent_complete", "spent[0].amount", "beneficiaries.total"} {
		if !strings.Contains(got, `"`+f+`"`) {
			t.Errorf("no error for %s: %s", f, got)
		}
	}
	expect(t, w.API(view, "PUT", pp, progressBody(indID, "100.00", 20, 12, 8)), 403, "viewer reports")
	expect(t, w.API(other, "PUT", pp, progressBody(indID, "100.00", 20, 12, 8)), 404, "other municipality reports")
	ngo := w.User("ngo.a@test.ba", false, nil, w.A.ID, "member")
	_ = ngo
	expect(t, w.API(w.Token("ngo.a@test.ba"), "PUT", pp, progressBody(indID, "100.00", 20, 12, 8)), 403, "member of an uninvolved organisation")
	body := progressBody(indID, "0.10", 20, 12, 8)
	body["spent"] = append(body["spent"].([]map[string]any), map[string]any{"source": "csw", "funder": "CSR", "amount": "0.20"})
	resp := w.API(mem, "PUT", pp, body)
	got = expect(t, resp, 200, "report")
	if !strings.Contains(got, `"unplanned_source:csw"`) || resp.Header.Get("ETag") != `"1"` {
		t.Fatalf("flag or version missing: %s", got)
	}
	// Concurrent edits: the stale one is refused and nothing is lost.
	expect(t, w.API(mem, "PUT", pp, progressBody(indID, "0.30", 25, 12, 8), "If-Match", "1"), 200, "edit v1")
	expect(t, w.API(tok, "PUT", pp, progressBody(indID, "9.99", 30, 12, 8), "If-Match", "1"), 412, "stale edit")
	if got := testkit.Body(w.API(view, "GET", pp, nil)); !strings.Contains(got, `"total":25`) {
		t.Fatalf("newer report lost: %s", got)
	}
	// Review: submit, send back with a comment, resubmit, accept.
	expect(t, w.API(tok, "POST", pp+"/accept", nil), 409, "accept a draft")
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "submit")
	expect(t, w.API(mem, "PUT", pp, progressBody(indID, "1.00", 25, 12, 8)), 409, "edit submitted")
	expect(t, w.API(mem, "POST", pp+"/accept", nil), 403, "member accepts")
	expect(t, w.API(tok, "POST", pp+"/return", map[string]any{"comment": ""}), 422, "return without comment")
	expect(t, w.API(tok, "POST", pp+"/return", map[string]any{"comment": "Dodajte podatke po grupama."}), 200, "return")
	expect(t, w.API(mem, "PUT", pp, progressBody(indID, "0.30", 25, 12, 8)), 200, "edit returned")
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "resubmit")
	expect(t, w.API(tok, "POST", pp+"/accept", nil), 200, "accept")

	sum := testkit.Body(w.API(view, "GET", fmt.Sprintf("/api/v1/action-plans/%d/summary?period_id=%d", planID, per), nil))
	for _, s := range []string{`"spent":{"municipal":"0.3"}`, `"planned":{`, `"on_track":1`, `"employed":4`, `"total":25`, `"actual":"8"`} {
		if !strings.Contains(sum, s) {
			t.Errorf("summary lacks %s: %s", s, sum)
		}
	}
	expect(t, w.API(view, "GET", fmt.Sprintf("/api/v1/action-plans/%d/summary?period_id=abc", planID), nil), 422, "bad period id")
	expect(t, w.API(other, "GET", fmt.Sprintf("/api/v1/action-plans/%d/summary", planID), nil), 404, "other municipality summary")

	// Closing locks the period, in the application and in the database.
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 403, "member closes")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 200, "close")
	expect(t, w.API(tok, "PUT", pp, progressBody(indID, "1.00", 25, 12, 8)), 409, "report after close")
	for _, q := range []string{
		fmt.Sprintf("UPDATE progress_reports SET narrative = 'forged' WHERE period_id = %d", per),
		fmt.Sprintf("DELETE FROM progress_spending WHERE period_id = %d", per),
		fmt.Sprintf("UPDATE progress_beneficiary_groups SET n = 0 WHERE period_id = %d", per),
		fmt.Sprintf("UPDATE reporting_periods SET status = 'open' WHERE id = %d", per),
	} {
		if err := w.DB.Exec(q).Error; err == nil {
			t.Errorf("database allowed: %s", q)
		}
	}
	checkPublish(t, w, tok, planID, per)
}

func checkPublish(t *testing.T, w *world, tok string, planID, per int64) {
	t.Helper()
	pdfPath := fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", planID, per)
	expect(t, w.API("", "GET", pdfPath, nil), 401, "unpublished report without sign-in")
	expect(t, w.API(w.Token(viewer), "GET", pdfPath, nil), 200, "unpublished report for a member")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/reports/%d/publish", per), nil), 200, "publish")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/reports/%d/publish", per), nil), 409, "publish twice")
	pdf1 := expect(t, w.API("", "GET", pdfPath, nil), 200, "published report without sign-in")
	pdf2 := expect(t, w.Anonymous().Get(fmt.Sprintf("/plans/%d/report.pdf?period_id=%d", planID, per)), 200, "published report by page")
	var stored string
	w.DB.Raw("SELECT report_sha256 FROM reporting_periods WHERE id = ?", per).Scan(&stored)
	if pdf1 != pdf2 || sha(pdf1) != stored {
		t.Fatal("public report is not the registered document")
	}
	if page := testkit.Body(w.Anonymous().Get("/m/" + w.A.Slug)); !strings.Contains(page, fmt.Sprintf("report.pdf?period_id=%d", per)) || !strings.Contains(page, stored) {
		t.Fatal("public page does not link the report with its SHA-256")
	}
	if page := testkit.Body(w.Anonymous().Get("/verify/" + stored)); !strings.Contains(page, "Bratunac") {
		t.Fatal("verify page does not know the report")
	}
}

// Twenty concurrent saves of one report keep one row and a consistent version.
func TestConcurrentProgressSaves(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, indID := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	mem := w.Token(member)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.API(mem, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per), progressBody(indID, fmt.Sprintf("%d.00", i), 20, 10, 10))
		}()
	}
	wg.Wait()
	var rows, version int
	w.DB.Raw("SELECT count(*), max(version) FROM progress_reports WHERE measure_id = ?", mID).Row().Scan(&rows, &version)
	if rows != 1 || version != 10 {
		t.Fatalf("rows %d version %d, want 1 and 10", rows, version)
	}
}
