package models_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"pakt/models"
)

func orgp(o *models.Organisation) *int64 { id := o.ID; return &id }

func progressInput() models.ProgressInput {
	return models.ProgressInput{Status: "on_track", PercentComplete: intp(40), Narrative: "Održane dvije radionice.",
		Beneficiaries: models.Beneficiaries{Total: 12, Women: 7, Men: 5, ByGroup: map[string]int{"roma": 9}},
		Outcomes:      models.Outcomes{Employed: 3, Trained: 8}}
}

func dueMeasures(t *testing.T, w *world, org *models.Organisation) []string {
	t.Helper()
	due, err := models.ReportsDue(w.ctx, w.db, org.ID)
	w.must(err)
	var codes []string
	for _, d := range due {
		codes = append(codes, d.MeasureCode+"@"+d.PeriodLabel)
	}
	return codes
}

// A report goes draft → submitted → returned → submitted → accepted; only
// the lead and partner organisations (and coordinators) write it, and a
// closed period refuses every write, in the code and in the database.
func TestProgressReportsAndPeriodClose(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	p, ms := w.adoptedPlan([]models.BudgetInput{bl(2025, "municipal", "5000.00")}, nil)
	m1, m2 := ms[0], ms[1]

	// Periods belong to adopted plans, inside their period, with unique labels.
	draft := w.draftPlan("Nacrt", "2025-01-01", "2025-12-31")
	_, err := models.OpenPeriod(ctx, db, w.actor, muni, draft.ID, models.PeriodInput{Label: "H1",
		StartDate: models.MustDate("2025-01-01"), EndDate: models.MustDate("2025-06-30")})
	wantState(t, err, "error.plan_not_adopted")
	_, err = models.OpenPeriod(ctx, db, w.actor, muni, p.ID, models.PeriodInput{Label: "Early",
		StartDate: models.MustDate("2024-07-01"), EndDate: models.MustDate("2025-06-30")})
	wantInvalid(t, err, "start_date", "validation.date_in_period")
	per := w.period(p.ID, "2025 H1", "2025-01-01", "2025-06-30")
	if per.Status != "open" || per.DueDate.String() != "2025-07-30" {
		t.Fatalf("period: %+v (due date defaults to 30 days after the end)", per)
	}
	_, err = models.OpenPeriod(ctx, db, w.actor, muni, p.ID, models.PeriodInput{Label: "2025 h1",
		StartDate: models.MustDate("2025-01-01"), EndDate: models.MustDate("2025-06-30")})
	wantInvalid(t, err, "label", "validation.label_taken")
	_, err = models.OpenPeriod(ctx, db, w.actor, muni, p.ID, models.PeriodInput{Label: "Q2-Q3",
		StartDate: models.MustDate("2025-06-01"), EndDate: models.MustDate("2025-09-30")})
	wantInvalid(t, err, "start_date", "validation.period_overlap")

	// Who owes a report: the lead (PES) and the partner (NGO), not the CSW.
	if got := dueMeasures(t, w, w.pes); !slices.Equal(got, []string{"M1@2025 H1", "M2@2025 H1"}) {
		t.Fatalf("due for the PES: %v", got)
	}
	if got := dueMeasures(t, w, w.csw); len(got) != 0 {
		t.Fatalf("due for the CSW, which has no measure: %v", got)
	}

	in := progressInput()
	_, err = models.SaveProgress(ctx, db, w.as(w.cswHead), muni, m1.ID, per.ID, 0, orgp(w.csw), false, in)
	if !errors.Is(err, models.ErrNotResponsible) || !models.IsForbidden(err) {
		t.Fatalf("the CSW reports on a PES measure: %v", err)
	}
	if _, err := models.GetProgress(ctx, db, muni, m1.ID, per.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a refused report was stored: %v", err)
	}

	// Bad figures are reported field by field.
	bad := progressInput()
	bad.PercentComplete = nil
	bad.Beneficiaries = models.Beneficiaries{Total: 10, Women: 6, Men: 5, ByGroup: map[string]int{"roma": 11}}
	bad.Spent = []models.SpentInput{{Source: "municipal", Amount: "12.345"}}
	bad.IndicatorValues = []models.ValueInput{{IndicatorID: m2.Indicators[0].ID, Value: "3"}}
	_, err = models.SaveProgress(ctx, db, w.as(w.ngoMember), muni, m1.ID, per.ID, 0, orgp(w.ngo), false, bad)
	for field, key := range map[string]string{"percent_complete": "validation.percent", "beneficiaries.total": "validation.women_men_total",
		"beneficiaries.by_group.roma": "validation.group_over_total", "spent[0].amount": "validation.amount",
		"indicator_values[0].indicator_id": "validation.indicator"} {
		wantInvalid(t, err, field, key)
	}

	// The partner NGO writes the first version of the report.
	in.Spent = []models.SpentInput{{Source: "municipal", Amount: "1200.50"}, {Source: "donor", Funder: "UNDP", Amount: "300"}}
	in.IndicatorValues = []models.ValueInput{{IndicatorID: m1.Indicators[0].ID, Value: "3"}}
	rep, err := models.SaveProgress(ctx, db, w.as(w.ngoMember), muni, m1.ID, per.ID, 0, orgp(w.ngo), false, in)
	w.must(err)
	if rep.Review != "draft" || rep.Version != 1 || rep.Status != "on_track" || rep.PercentComplete != 40 || len(rep.Spent) != 2 ||
		rep.SpentTotal().String() != "1500.5" || rep.BeneficiariesOf().ByGroup["roma"] != 9 || rep.OutcomesOf().Employed != 3 {
		t.Fatalf("first report: %+v", rep)
	}
	if !slices.Equal(rep.Flags, []string{"unplanned_source:donor"}) {
		t.Fatalf("spending from a source the measure planned nothing from must be flagged: %v", rep.Flags)
	}
	_, err = models.SaveProgress(ctx, db, w.as(w.pesHead), muni, m1.ID, per.ID, rep.Version+1, orgp(w.pes), false, in)
	if !errors.Is(err, models.ErrStale) {
		t.Fatalf("stale report: %v", err)
	}
	in.PercentComplete = intp(50)
	rep, err = models.SaveProgress(ctx, db, w.as(w.pesHead), muni, m1.ID, per.ID, rep.Version, orgp(w.pes), false, in)
	w.must(err)
	if rep.Version != 2 || rep.PercentComplete != 50 {
		t.Fatalf("second version: %+v", rep)
	}

	// Review: submit (reporter) → return (coordinator, with a reason) → submit → accept.
	review := func(u *models.User, org *models.Organisation, coord bool, action, comment string) (*models.Progress, error) {
		return models.ReviewProgress(ctx, db, w.as(u), muni, m1.ID, per.ID, action, comment, orgp(org), coord)
	}
	_, err = review(w.ngoMember, w.ngo, false, "accept", "")
	if !errors.Is(err, models.ErrNotResponsible) {
		t.Fatalf("a reporter accepts: %v", err)
	}
	_, err = review(w.coordinator, w.town, true, "accept", "")
	wantState(t, err, "error.report_not_submitted")
	rep, err = review(w.ngoMember, w.ngo, false, "submit", "")
	w.must(err)
	if rep.Review != "submitted" || rep.SubmittedAt == nil {
		t.Fatalf("submitted: %+v", rep)
	}
	_, err = models.SaveProgress(ctx, db, w.as(w.pesHead), muni, m1.ID, per.ID, 0, orgp(w.pes), false, in)
	wantState(t, err, "error.report_not_editable")
	_, err = review(w.ngoMember, w.ngo, false, "submit", "")
	wantState(t, err, "error.report_not_editable")
	if got := dueMeasures(t, w, w.pes); !slices.Equal(got, []string{"M2@2025 H1"}) {
		t.Fatalf("a submitted report is still due: %v", got)
	}
	_, err = review(w.coordinator, w.town, true, "return", " ")
	wantInvalid(t, err, "comment", "validation.required")
	_, err = review(w.coordinator, w.town, true, "return", strings.Repeat("ž", 2001))
	wantInvalid(t, err, "comment", "validation.max")
	rep, err = review(w.coordinator, w.town, true, "return", "Nedostaje račun.")
	w.must(err)
	if rep.Review != "returned" || rep.ReviewComment != "Nedostaje račun." {
		t.Fatalf("returned: %+v", rep)
	}
	if got := dueMeasures(t, w, w.ngo); !slices.Equal(got, []string{"M1@2025 H1", "M2@2025 H1"}) {
		t.Fatalf("a returned report is due again: %v", got)
	}
	rep, err = models.SaveProgress(ctx, db, w.as(w.pesHead), muni, m1.ID, per.ID, 0, orgp(w.pes), false, in)
	w.must(err)
	if rep.Review != "returned" {
		t.Fatalf("editing a returned report changed its review to %q", rep.Review)
	}
	_, err = review(w.pesHead, w.pes, false, "submit", "")
	w.must(err)
	_, err = review(w.coordinator, w.town, true, "accept", strings.Repeat("ž", 2001))
	wantInvalid(t, err, "comment", "validation.max")
	rep, err = review(w.coordinator, w.town, true, "accept", "U redu.")
	w.must(err)
	if rep.Review != "accepted" || rep.ReviewedAt == nil {
		t.Fatalf("accepted: %+v", rep)
	}

	// A coordinator may report on any measure.
	_, err = models.SaveProgress(ctx, db, w.actor, muni, m2.ID, per.ID, 0, orgp(w.town), true, progressInput())
	w.must(err)

	// Close: no more writes, through the models or behind their back.
	closed, err := models.ClosePeriod(ctx, db, w.actor, muni, per.ID)
	w.must(err)
	if closed.Status != "closed" || closed.ClosedAt == nil {
		t.Fatalf("closed: %+v", closed)
	}
	_, err = models.ClosePeriod(ctx, db, w.actor, muni, per.ID)
	wantState(t, err, "error.period_closed")
	_, err = models.SaveProgress(ctx, db, w.actor, muni, m2.ID, per.ID, 0, orgp(w.town), true, progressInput())
	wantState(t, err, "error.period_closed")
	_, err = models.ReviewProgress(ctx, db, w.actor, muni, m2.ID, per.ID, "submit", "", orgp(w.town), true)
	wantState(t, err, "error.period_closed")
	wantRefused(t, db.Exec(`UPDATE progress_reports SET narrative = 'changed' WHERE period_id = ?`, per.ID).Error, "closed")
	wantRefused(t, db.Exec(`DELETE FROM progress_spending WHERE period_id = ?`, per.ID).Error, "closed")
	wantRefused(t, db.Exec(`UPDATE reporting_periods SET status = 'open' WHERE id = ?`, per.ID).Error, "closed")
	if got := dueMeasures(t, w, w.pes); len(got) != 0 {
		t.Fatalf("reports due in a closed period: %v", got)
	}
	all, err := models.PeriodProgress(ctx, db, muni, per.ID)
	w.must(err)
	if len(all) != 2 || all[m1.ID].Review != "accepted" || len(all[m1.ID].Spent) != 2 || all[m2.ID].Review != "draft" {
		t.Fatalf("period progress: %+v", all)
	}
}

func TestPublishReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	p, _ := w.adoptedPlan(nil)
	per := w.period(p.ID, "2025", "2025-01-01", "2025-12-31")
	pdf := []byte("%PDF-1.4 report")
	render := func(*models.Period) ([]byte, error) { return pdf, nil }

	_, err := models.PublishReport(ctx, db, w.actor, muni, per.ID, render)
	wantState(t, err, "error.period_not_closed")
	_, err = models.ClosePeriod(ctx, db, w.actor, muni, per.ID)
	w.must(err)
	// A failing renderer publishes nothing.
	boom := errors.New("renderer failed")
	if _, err := models.PublishReport(ctx, db, w.actor, muni, per.ID, func(*models.Period) ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("renderer error: %v", err)
	}
	got, err := models.PublishReport(ctx, db, w.actor, muni, per.ID, render)
	w.must(err)
	if got.PublishedAt == nil || got.ReportSHA256 == nil || *got.ReportSHA256 != models.SHA256Hex(pdf) {
		t.Fatalf("published: %+v", got)
	}
	_, err = models.PublishReport(ctx, db, w.actor, muni, per.ID, render)
	wantState(t, err, "error.report_published")
	content, err := models.PublishedReport(ctx, db, per.ID)
	w.must(err)
	if string(content) != string(pdf) {
		t.Fatalf("registered content %q", content)
	}
	links, err := models.PublishedReports(ctx, db, muni)
	w.must(err)
	if len(links) != 1 || links[0].PeriodID != per.ID || links[0].SHA256 != *got.ReportSHA256 {
		t.Fatalf("public links: %+v", links)
	}
}

// A measure owes reports only for periods it runs in: one that ended
// before a period began is not due in it (nor reminded of).
func TestReportsDueOnlyWhileTheMeasureRuns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.draftPlan("Lokalni akcioni plan 2025-2026", "2025-01-01", "2026-12-31")
	o := w.objective(p.ID, "O1")
	w.measure(p.ID, o.ID, "M1", bl(2025, "municipal", "100.00"))
	w.measure(p.ID, o.ID, "M2", bl(2025, "municipal", "100.00"))
	w.must(w.db.Exec(`UPDATE plan_measures SET start_date = '2025-01-01', end_date = '2025-03-31' WHERE plan_id = ? AND code = 'M2'`, p.ID).Error)
	_, err := models.SubmitPlan(w.ctx, w.db, w.actor, w.muni.ID, p.ID, false)
	w.must(err)
	_, err = models.AdoptPlan(w.ctx, w.db, w.actor, w.muni.ID, p.ID, w.adoption())
	w.must(err)
	w.period(p.ID, "2025 H1", "2025-01-01", "2025-06-30")
	w.period(p.ID, "2025 H2", "2025-07-01", "2025-12-31")
	got := dueMeasures(t, w, w.pes)
	if !slices.Equal(got, []string{"M1@2025 H1", "M2@2025 H1", "M1@2025 H2"}) {
		t.Fatalf("due: %v (M2 ended in March and owes nothing for H2)", got)
	}
}
