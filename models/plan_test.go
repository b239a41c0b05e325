package models_test

import (
	"errors"
	"strings"
	"testing"

	"pakt/models"
)

func bl(year int, source, amount string) models.BudgetInput {
	return models.BudgetInput{Year: year, Source: source, Amount: models.NumText(amount)}
}

// draft → public_consultation → submitted → (returned → draft → submitted) →
// adopted; then revise → the revision's adoption supersedes the plan.
func TestPlanLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	p := w.draftPlan("Lokalni akcioni plan 2025-2026", "2025-01-01", "2026-12-31")
	if p.Status != models.PlanDraft || p.Version != 1 {
		t.Fatalf("new plan: %+v", p)
	}
	soon := models.Date{Time: models.Today().AddDate(0, 0, 14)}

	// A plan without measures goes nowhere.
	_, err := models.OpenConsultation(ctx, db, w.actor, muni, p.ID, soon)
	wantInvalid(t, err, "measures", "validation.plan_without_measures")
	_, err = models.SubmitPlan(ctx, db, w.actor, muni, p.ID, false)
	wantInvalid(t, err, "measures", "validation.plan_without_measures")

	o := w.objective(p.ID, "O1")
	m1 := w.measure(p.ID, o.ID, "M1", bl(2025, "municipal", "1000.00"))

	_, err = models.OpenConsultation(ctx, db, w.actor, muni, p.ID, models.Date{Time: models.Today().AddDate(0, 0, -1)})
	wantInvalid(t, err, "closes_on", "validation.not_past")
	_, err = models.OpenConsultation(ctx, db, w.actor, muni, p.ID, models.Date{})
	wantInvalid(t, err, "closes_on", "validation.date")
	_, err = models.AdoptPlan(ctx, db, w.actor, muni, p.ID, w.adoption())
	wantState(t, err, "error.plan_state_adopt")

	p, err = models.OpenConsultation(ctx, db, w.actor, muni, p.ID, soon)
	w.must(err)
	if p.Status != models.PlanConsultation || !p.ConsultationOpen() || p.ConsultationClosesOn.String() != soon.String() {
		t.Fatalf("in consultation: %+v", p)
	}
	// Under consultation the measures may change (an accepted comment goes
	// into the text, issue #17), each change noted; the head is fixed.
	m2, err := models.CreateMeasure(ctx, db, w.actor, muni, p.ID, w.measureInput(o.ID, "M2"))
	w.must(err)
	w.must(models.DeleteMeasure(ctx, db, w.actor, muni, m2.ID))
	if changes, err := models.PlanChanges(ctx, db, muni, p); err != nil || len(changes) != 2 || changes[0].Action != "added" ||
		changes[1].Action != "removed" || changes[1].Code != "M2" {
		t.Fatalf("changes in consultation: %+v %v", changes, err)
	}
	_, err = models.UpdatePlan(ctx, db, w.actor, muni, p.ID, 0, models.PlanInput{Title: "x", PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd})
	wantState(t, err, "error.plan_not_draft")
	_, err = models.OpenConsultation(ctx, db, w.actor, muni, p.ID, soon)
	wantState(t, err, "error.plan_state_consultation")
	_, err = models.ReturnPlan(ctx, db, w.actor, muni, p.ID, "why")
	wantState(t, err, "error.plan_state_return")

	// Before the announced closing date the plan goes only with the
	// confirmation that this ends the consultation, which then closes today.
	_, err = models.SubmitPlan(ctx, db, w.actor, muni, p.ID, false)
	wantState(t, err, "error.consultation_still_open")
	p, err = models.SubmitPlan(ctx, db, w.actor, muni, p.ID, true)
	w.must(err)
	if p.Status != models.PlanSubmitted || p.SubmittedAt == nil || p.ConsultationClosesOn.String() != models.Today().String() {
		t.Fatalf("submitted: %+v", p)
	}
	_, err = models.SubmitPlan(ctx, db, w.actor, muni, p.ID, true)
	wantState(t, err, "error.plan_state_submit")

	// The assembly sends it back: a draft again, with the reason.
	_, err = models.ReturnPlan(ctx, db, w.actor, muni, p.ID, "  ")
	wantInvalid(t, err, "reason", "validation.required")
	_, err = models.ReturnPlan(ctx, db, w.actor, muni, p.ID, strings.Repeat("ž", 2001))
	wantInvalid(t, err, "reason", "validation.max")
	p, err = models.ReturnPlan(ctx, db, w.actor, muni, p.ID, "Dodati budžet za 2026.")
	w.must(err)
	if p.Status != models.PlanDraft || p.ReturnedReason == nil || *p.ReturnedReason != "Dodati budžet za 2026." || p.ConsultationClosesOn != nil {
		t.Fatalf("returned: %+v", p)
	}
	_, err = models.UpdateMeasure(ctx, db, w.actor, muni, m1.ID, m1.Version, withBudget(w.measureInput(o.ID, "M1"),
		bl(2025, "municipal", "1000.00"), bl(2026, "municipal", "1500.00")))
	w.must(err)
	p, err = models.SubmitPlan(ctx, db, w.actor, muni, p.ID, false)
	w.must(err)
	if p.Status != models.PlanSubmitted || p.ReturnedReason != nil {
		t.Fatalf("submitted again: %+v", p)
	}

	bad := w.adoption()
	bad.VotesFor, bad.VotesAgainst = intp(10), intp(10)
	_, err = models.AdoptPlan(ctx, db, w.actor, muni, p.ID, bad)
	wantInvalid(t, err, "votes_for", "validation.not_adopted")
	bad = w.adoption()
	bad.DecidedOn = models.Date{Time: models.Today().AddDate(0, 0, 1)}
	bad.VotesAbstained = nil
	_, err = models.AdoptPlan(ctx, db, w.actor, muni, p.ID, bad)
	wantInvalid(t, err, "decided_on", "validation.not_future")
	wantInvalid(t, err, "votes_abstained", "validation.votes")

	p, err = models.AdoptPlan(ctx, db, w.actor, muni, p.ID, w.adoption())
	w.must(err)
	if p.Status != models.PlanAdopted || !p.Unanimous() || p.AdoptedOn.String() != "2025-01-20" || *p.DecisionNumber != "01-022-15/25" {
		t.Fatalf("adopted: %+v", p)
	}
	// Adopted content is frozen, by the code and by the database.
	_, err = models.CreateMeasure(ctx, db, w.actor, muni, p.ID, w.measureInput(o.ID, "M3"))
	wantState(t, err, "error.plan_not_editable")
	wantState(t, models.DeleteMeasure(ctx, db, w.actor, muni, m1.ID), "error.plan_not_editable")
	_, err = models.ReturnPlan(ctx, db, w.actor, muni, p.ID, "late")
	wantState(t, err, "error.plan_state_return")
	wantRefused(t, db.Exec(`UPDATE plan_measures SET title = 'changed' WHERE id = ?`, m1.ID).Error, "frozen")
	wantRefused(t, db.Exec(`UPDATE measure_budget_lines SET amount = 1 WHERE measure_id = ?`, m1.ID).Error, "frozen")
	wantRefused(t, db.Exec(`UPDATE action_plans SET title = 'changed' WHERE id = ?`, p.ID).Error, "frozen")

	// Revise: a new draft copying every measure, linked to the adopted plan.
	_, err = models.RevisePlan(ctx, db, w.actor, muni, p.ID+1000)
	if !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revise a missing plan: %v", err)
	}
	rev, err := models.RevisePlan(ctx, db, w.actor, muni, p.ID)
	w.must(err)
	if rev.Status != models.PlanDraft || rev.RevisesID == nil || *rev.RevisesID != p.ID || len(rev.Measures) != 1 ||
		len(rev.Objectives) != 1 || rev.Measures[0].Code != "M1" || !rev.Matrix().Total.Equal(p.Matrix().Total) {
		t.Fatalf("revision: %+v", rev)
	}
	_, err = models.RevisePlan(ctx, db, w.actor, muni, p.ID)
	wantState(t, err, "error.plan_already_revised")
	_, err = models.RevisePlan(ctx, db, w.actor, muni, rev.ID)
	wantState(t, err, "error.plan_state_revise")

	// The revision changes M1's budget and adds M2.
	rm := rev.Measures[0]
	_, err = models.UpdateMeasure(ctx, db, w.actor, muni, rm.ID, rm.Version, withBudget(rm.InputOf(),
		bl(2025, "municipal", "1000.00"), bl(2026, "municipal", "1750.50")))
	w.must(err)
	w.measure(rev.ID, rev.Objectives[0].ID, "M2", bl(2026, "donor", "300.00"))
	rev, err = models.GetPlan(ctx, db, muni, rev.ID)
	w.must(err)
	d := models.DiffPlans(p, rev)
	if len(d.Added) != 1 || d.Added[0].Code != "M2" || len(d.Removed) != 0 || len(d.Changed) != 1 ||
		d.Changed[0].Code != "M1" || d.Changed[0].Before.String() != "2500" || d.Changed[0].After.String() != "2750.5" ||
		d.TotalBefore.String() != "2500" || d.TotalAfter.String() != "3050.5" {
		t.Fatalf("diff: %+v", d)
	}

	_, err = models.SubmitPlan(ctx, db, w.actor, muni, rev.ID, false)
	w.must(err)
	_, err = models.AdoptPlan(ctx, db, w.actor, muni, rev.ID, w.adoption())
	w.must(err)
	old, err := models.GetPlan(ctx, db, muni, p.ID)
	w.must(err)
	if old.Status != models.PlanSuperseded {
		t.Fatalf("the revised plan is %s after the revision's adoption", old.Status)
	}
	list, err := models.ListPlans(ctx, db, muni)
	w.must(err)
	if len(list) != 2 || list[0].Measures+list[1].Measures != 3 {
		t.Fatalf("plans: %+v", list)
	}
}

func withBudget(in models.MeasureInput, lines ...models.BudgetInput) models.MeasureInput {
	in.Budget = lines
	return in
}

func TestPlanDraftEdits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	_, err := models.CreatePlan(ctx, db, w.actor, muni, models.PlanInput{Title: " ", PeriodStart: models.MustDate("2025-01-01"),
		PeriodEnd: models.MustDate("2024-01-01")})
	wantInvalid(t, err, "title", "validation.required")
	wantInvalid(t, err, "period_end", "validation.period_order")

	p := w.draftPlan("Plan", "2025-01-01", "2026-12-31")
	o := w.objective(p.ID, "O1")
	if _, err := models.CreateObjective(ctx, db, w.actor, muni, p.ID, "o1", "again"); err == nil {
		t.Fatal("a second objective with the same code (other case) was accepted")
	}
	m := w.measure(p.ID, o.ID, "M1")

	// Measures must stay inside the plan period, codes unique, partners known.
	in := w.measureInput(o.ID, "m1")
	in.StartDate, in.EndDate = "2024-12-31", "2025-03-01"
	in.PartnerOrganisationIDs = []int64{w.pes.ID} // the lead as its own partner
	in.Groups = []string{"aliens"}
	_, err = models.CreateMeasure(ctx, db, w.actor, muni, p.ID, in)
	for field, key := range map[string]string{"code": "validation.code_taken", "start_date": "validation.date_in_period",
		"partner_organisation_ids": "validation.partners", "groups": "validation.group"} {
		wantInvalid(t, err, field, key)
	}
	// Shrinking the period under a measure is refused.
	_, err = models.UpdatePlan(ctx, db, w.actor, muni, p.ID, 0, models.PlanInput{Title: "Plan", PeriodStart: models.MustDate("2025-06-01"),
		PeriodEnd: models.MustDate("2026-12-31")})
	wantInvalid(t, err, "period_start", "validation.measures_outside_period")
	// Stale versions are refused, for the plan and for a measure.
	_, err = models.UpdatePlan(ctx, db, w.actor, muni, p.ID, 1, models.PlanInput{Title: "Plan B", PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd})
	if !errors.Is(err, models.ErrStale) {
		t.Fatalf("stale plan update (objective and measure raised the version): %v", err)
	}
	_, err = models.UpdateMeasure(ctx, db, w.actor, muni, m.ID, m.Version+1, w.measureInput(o.ID, "M1"))
	if !errors.Is(err, models.ErrStale) {
		t.Fatalf("stale measure update: %v", err)
	}
	w.must(models.DeleteMeasure(ctx, db, w.actor, muni, m.ID))
	if _, err := models.GetMeasure(ctx, db, muni, m.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("deleted measure: %v", err)
	}
}
