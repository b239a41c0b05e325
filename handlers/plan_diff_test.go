package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"pakt/app/testkit"
	"pakt/migrations"
	"pakt/models"
)

type planDiffJSON struct {
	From, To struct {
		ID     int64
		PlanID int64 `json:"plan_id"`
		Kind   string
	}
	Versions []struct {
		ID     int64
		PlanID int64 `json:"plan_id"`
		Kind   string
	}
	Fields  []struct{ Field string }
	Added   []struct{ Code string } `json:"measures_added"`
	Removed []struct{ Code string } `json:"measures_removed"`
	Changed []planDiffMeasureJSON   `json:"measures_changed"`
	PlanID  int64                   `json:"plan_id"`
}

type planDiffMeasureJSON struct {
	Code   string
	Fields []struct {
		Field         string
		Before, After any
	}
	IndicatorsAdded   []struct{ Name string } `json:"indicators_added"`
	IndicatorsChanged []struct {
		Name   string
		Fields []struct {
			Field         string
			Before, After string
		}
	} `json:"indicators_changed"`
	BudgetRemoved []struct{ Amount string } `json:"budget_removed"`
	BudgetChanged []struct {
		Year          int
		Source        string
		Before, After string
	} `json:"budget_changed"`
}

// planInConsultation makes a plan with M1 and M2, opens its consultation,
// then changes it as an accepted comment would: M1 retitled, its target,
// groups and budget changed, an indicator added, a budget line dropped; M2
// removed, M3 added.
func planInConsultation(t *testing.T, w *world, tok string) (planID, obj int64) {
	t.Helper()
	planID, obj = newPlan(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	var m1, m2 struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "5000.00", "7500.50")), &m1)
	testkit.DecodeJSON(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M2", "300.00")), &m2)
	expect(t, w.API(tok, "POST", pp+"/consultation", map[string]any{"closes_on": "2099-12-31"}), 200, "open consultation")
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/measures/%d", m1.ID), map[string]any{
		"title":  "Obuka i prevoz za njegovateljice",
		"groups": []string{"roma"},
		"indicators": []map[string]any{{"name": "Zaposlene žene", "unit": "osoba", "baseline": "0", "target": "30"},
			{"name": "Obučene osobe", "unit": "osoba", "baseline": "0", "target": "40"}},
		"budget": []map[string]any{{"year": 2017, "source": "municipal", "funder": "UNDP", "amount": "6000.00"}},
	}), 200, "change M1")
	expect(t, w.API(tok, "DELETE", fmt.Sprintf("/api/v1/measures/%d", m2.ID), nil), 204, "remove M2")
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M3", "450.00")), 201, "add M3")
	return planID, obj
}

func TestPlanDiffPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	draftID, _ := newPlan(t, w, tok)
	page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/plans/%d/diff", draftID)))
	if !strings.Contains(page, "There is no earlier version of this plan yet") {
		t.Fatal("a plan without versions does not say so")
	}
	planID, _ := planInConsultation(t, w, tok)
	path := fmt.Sprintf("/plans/%d/diff", planID)
	if plan := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/plans/%d", planID))); !strings.Contains(plan, `href="`+path+`"`) {
		t.Fatal("the plan page does not link its comparison")
	}
	page = testkit.Body(w.Login(viewer).Get(path))
	for _, want := range []string{
		"As opened for public consultation",
		"Measures added", "M3 Obuka za njegovateljice – M3</ins> — 450.00 KM",
		"Measures removed", "M2 Obuka za njegovateljice – M2</del> — 300.00 KM",
		"M1 Obuka i prevoz za njegovateljice</h4>",
		`<strong>Title</strong>: <del lang="bs">Obuka za njegovateljice – M1</del> → <ins lang="bs">Obuka i prevoz za njegovateljice</ins>`,
		`<strong>Target vulnerable groups</strong>: <del lang="bs">Roma, Women</del> → <ins lang="bs">Roma</ins>`,
		"Zaposlene žene</span>: Target <del>25</del> → <ins>30</ins>",
		"added: <ins lang=\"bs\">Obučene osobe: 0 → 40 osoba</ins>",
		"2017 · Municipal budget · UNDP: <del>5,000.00 KM</del> → <ins>6,000.00 KM</ins>",
		"removed: <del>2018 · Donors · UNDP: 7,500.50 KM</del>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("diff page lacks %q", want)
		}
	}
	// Bad input: a version that is not one of this plan's.
	resp := w.Login(coordA).Get(path + "?from=abc&to=999999")
	page = testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(page, `id="e-from"`) || !strings.Contains(page, `id="e-to"`) {
		t.Fatalf("bad versions: %d", resp.StatusCode)
	}
	// Who may look: anyone of the municipality; outsiders see nothing.
	expect(t, w.Login(member).Get(path), 200, "member")
	expect(t, w.Login(coordZ).Get(path), 404, "other municipality")
	expect(t, w.Login("nobody@test.ba").Get(path), 404, "no role")
}

func TestPlanDiffAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	draftID, _ := newPlan(t, w, tok)
	expect(t, w.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d/diff", draftID), nil), 409, "nothing to compare")
	planID, _ := planInConsultation(t, w, tok)
	path := fmt.Sprintf("/api/v1/action-plans/%d/diff", planID)
	var d planDiffJSON
	testkit.DecodeJSON(t, w.API(w.Token(viewer), "GET", path, nil), &d)
	if d.From.Kind != "consultation" || d.To.Kind != "current" || len(d.Added) != 1 || d.Added[0].Code != "M3" ||
		len(d.Removed) != 1 || d.Removed[0].Code != "M2" || len(d.Changed) != 1 {
		t.Fatalf("diff: %+v", d)
	}
	m := d.Changed[0]
	if m.Code != "M1" || len(m.IndicatorsAdded) != 1 || len(m.IndicatorsChanged) != 1 || m.IndicatorsChanged[0].Fields[0].After != "30" ||
		len(m.BudgetChanged) != 1 || m.BudgetChanged[0].Before != "5000.00" || m.BudgetChanged[0].After != "6000.00" ||
		len(m.BudgetRemoved) != 1 || m.BudgetRemoved[0].Amount != "7500.50" {
		t.Fatalf("measure diff: %+v", m)
	}
	// Adopt, revise, change the revision: it is compared with the adopted plan.
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	expect(t, w.API(tok, "POST", pp+"/submit", map[string]any{"end_consultation": true}), 200, "submit")
	expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2017-04-27", "decision_number": "01-022-45/17",
		"votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	var rev struct {
		ID       int64
		Measures []struct {
			ID   int64
			Code string
		}
	}
	testkit.DecodeJSON(t, w.API(tok, "POST", pp+"/revise", nil), &rev)
	for _, mm := range rev.Measures {
		if mm.Code == "M3" {
			expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/measures/%d", mm.ID), map[string]any{
				"budget": []map[string]any{{"year": 2017, "source": "municipal", "funder": "UNDP", "amount": "900.00"}}}), 200, "change M3")
		}
	}
	testkit.DecodeJSON(t, w.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d/diff", rev.ID), nil), &d)
	if d.From.Kind != "adopted" || d.From.PlanID != planID || len(d.Added)+len(d.Removed) != 0 || len(d.Changed) != 1 ||
		d.Changed[0].Code != "M3" || d.Changed[0].BudgetChanged[0].After != "900.00" {
		t.Fatalf("revision diff: %+v", d)
	}
	kinds := map[string]bool{}
	for _, v := range d.Versions {
		kinds[v.Kind] = true
	}
	if !kinds["current"] || !kinds["adopted"] || !kinds["consultation"] {
		t.Fatalf("versions: %+v", d.Versions)
	}
	// An explicit pair: what the consultation opened with against the revision now.
	var consult int64
	for _, v := range d.Versions {
		if v.Kind == "consultation" {
			consult = v.ID
		}
	}
	testkit.DecodeJSON(t, w.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d/diff?from=%d&to=current", rev.ID, consult), nil), &d)
	if d.From.ID != consult || len(d.Added) != 1 || len(d.Removed) != 1 {
		t.Fatalf("explicit versions: %+v", d)
	}
	// Bad input, and a version of another plan.
	got := expect(t, w.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d/diff?from=x&to=%d", rev.ID, 987654), nil), 422, "bad versions")
	if !strings.Contains(got, `"from"`) || !strings.Contains(got, `"to"`) {
		t.Fatalf("bad versions: %s", got)
	}
	otherPlan, _ := newPlan(t, w, tok)
	expect(t, w.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d/diff?from=%d", otherPlan, consult), nil), 422, "version of another plan")
	expect(t, w.API(w.Token(coordZ), "GET", path, nil), 404, "other municipality")
}

// Migration 00020 writes down the plans adopted before versions were kept,
// exactly as the code writes a plan at its adoption.
func TestPlanSnapshotsMigration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := planInConsultation(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	// A rate with decimals, and a measure with no budget or partners.
	rate := measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M9")
	rate["indicators"] = []map[string]any{{"name": "Stopa zaposlenosti", "unit": "%", "baseline": "12.50", "target": "17.25"}}
	rate["partner_organisation_ids"] = []int64{}
	rate["groups"] = []string{}
	rate["budget"] = []map[string]any{}
	expect(t, w.API(tok, "POST", pp+"/measures", rate), 201, "measure with a rate")
	expect(t, w.API(tok, "POST", pp+"/submit", map[string]any{"end_consultation": true}), 200, "submit")
	expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2017-04-27", "decision_number": "01-022-45/17",
		"votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	ctx := context.Background()
	want, err := models.CurrentContent(ctx, w.DB, w.A.ID, planID)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := w.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 19); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	var rows []struct {
		Kind    string
		Content string
	}
	w.DB.Raw("SELECT kind, content::text AS content FROM plan_snapshots WHERE plan_id = ?", planID).Scan(&rows)
	if len(rows) != 1 || rows[0].Kind != "adopted" {
		t.Fatalf("snapshots after the migration: %+v", rows)
	}
	var got models.PlanContent
	if err := json.Unmarshal([]byte(rows[0].Content), &got); err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	x, _ := json.Marshal(want)
	if string(g) != string(x) {
		t.Fatalf("migrated snapshot\n%s\nwant\n%s", g, x)
	}
}
