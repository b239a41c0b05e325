package models_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/models"
)

// wholePlanMatchesRows compares a plan's summary read from its aggregates
// (no period) with the one summed from the rows (up to the last period,
// which includes every report), and each period's summary read from the
// period aggregates with the one summed from the rows up to that period:
// they must be equal to the cent.
func wholePlanMatchesRows(t *testing.T, w *world, planID, lastPeriod int64, when string) *models.Summary {
	t.Helper()
	agg, err := models.PlanSummaryOf(w.ctx, w.db, w.muni.ID, planID, nil)
	w.must(err)
	rows, err := models.PlanSummaryFromRows(w.ctx, w.db, w.muni.ID, planID, &lastPeriod)
	w.must(err)
	rows.PeriodID = nil
	if !reflect.DeepEqual(agg, rows) {
		t.Fatalf("%s: aggregates\n%+v\ndiffer from the rows\n%+v", when, agg, rows)
	}
	var periods []int64
	w.must(w.db.Raw(`SELECT id FROM reporting_periods WHERE plan_id = ? ORDER BY end_date`, planID).Scan(&periods).Error)
	for _, per := range periods {
		agg, err := models.PlanSummaryOf(w.ctx, w.db, w.muni.ID, planID, &per)
		w.must(err)
		rows, err := models.PlanSummaryFromRows(w.ctx, w.db, w.muni.ID, planID, &per)
		w.must(err)
		if !reflect.DeepEqual(agg, rows) {
			t.Fatalf("%s, up to period %d: aggregates\n%+v\ndiffer from the rows\n%+v", when, per, agg, rows)
		}
	}
	return agg
}

// The plan's aggregates follow every save, change and removal of lines, in
// exact cents, and /region reads the same totals.
func TestAggregatesFollowTheWrites(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	p, ms := w.adoptedPlan([]models.BudgetInput{bl(2025, "municipal", "1000.10"), bl(2026, "donor", "0.20")},
		[]models.BudgetInput{bl(2025, "pes", "0.30")})
	h1 := w.period(p.ID, "2025 H1", "2025-01-01", "2025-06-30")
	h2 := w.period(p.ID, "2025 H2", "2025-07-01", "2025-12-31")
	sum := wholePlanMatchesRows(t, w, p.ID, h2.ID, "no report yet")
	if sum.PlannedTotal.String() != "1000.6" || sum.MeasuresByStatus["not_reported"] != 2 {
		t.Fatalf("planned %s, statuses %v", sum.PlannedTotal, sum.MeasuresByStatus)
	}

	in := progressInput()
	in.Spent = []models.SpentInput{{Source: "municipal", Amount: "0.10"}, {Source: "donor", Funder: "EU", Amount: "0.20"},
		{Source: "municipal", Amount: "100.01"}}
	in.IndicatorValues = []models.ValueInput{{IndicatorID: ms[0].Indicators[0].ID, Value: "3"}}
	_, err := models.SaveProgress(ctx, db, w.actor, muni, ms[0].ID, h1.ID, 0, nil, true, in)
	w.must(err)
	wholePlanMatchesRows(t, w, p.ID, h2.ID, "first report")

	in.Status, in.Beneficiaries.ByGroup = "completed", map[string]int{"roma": 2, "youth_neet": 6}
	in.IndicatorValues = []models.ValueInput{{IndicatorID: ms[1].Indicators[0].ID, Value: "5.5"}}
	in.Spent = []models.SpentInput{{Source: "municipal", Amount: "0.10"}, {Source: "csw", Amount: "7.77"}}
	_, err = models.SaveProgress(ctx, db, w.actor, muni, ms[1].ID, h2.ID, 0, nil, true, in)
	w.must(err)
	in.Spent = in.Spent[:1] // a line removed, a group changed, an indicator dropped
	in.Status = "delayed"
	in.IndicatorValues, in.Beneficiaries.ByGroup = nil, map[string]int{"roma": 1}
	_, err = models.SaveProgress(ctx, db, w.actor, muni, ms[0].ID, h1.ID, 0, nil, true, in)
	w.must(err)
	sum = wholePlanMatchesRows(t, w, p.ID, h2.ID, "second and changed reports")
	if sum.SpentTotal.String() != "7.97" || sum.MeasuresByStatus["completed"] != 1 || sum.MeasuresByStatus["delayed"] != 1 || sum.Beneficiaries.ByGroup["roma"] != 3 {
		t.Fatalf("spent %s, statuses %v, groups %v", sum.SpentTotal, sum.MeasuresByStatus, sum.Beneficiaries.ByGroup)
	}

	rows, err := models.RegionalOverview(ctx, db, []int64{muni})
	w.must(err)
	if len(rows) != 1 || !rows[0].Spent.Equal(sum.SpentTotal) || !rows[0].Planned.Equal(sum.PlannedTotal) ||
		rows[0].PeopleTotal != int64(sum.Beneficiaries.Total) {
		t.Fatalf("regional row %+v, summary spent %s planned %s", rows, sum.SpentTotal, sum.PlannedTotal)
	}

	// A rolled-back save leaves the aggregates as they were.
	in.Spent = []models.SpentInput{{Source: "municipal", Amount: "999.99"}}
	err = db.Transaction(func(tx *gorm.DB) error {
		if _, err := models.SaveProgress(ctx, tx, w.actor, muni, ms[1].ID, h2.ID, 0, nil, true, in); err != nil {
			return err
		}
		return context.Canceled
	})
	if err != context.Canceled {
		t.Fatal(err)
	}
	if again := wholePlanMatchesRows(t, w, p.ID, h2.ID, "after a rollback"); !again.SpentTotal.Equal(sum.SpentTotal) {
		t.Fatalf("rolled-back save moved spent to %s", again.SpentTotal)
	}

	// A report removed with its lines (a refresh of its period and measure
	// only), then a period's end moved (a refresh of the whole plan): the
	// aggregates follow both.
	w.must(db.Exec(`DELETE FROM progress_reports WHERE measure_id = ? AND period_id = ?`, ms[1].ID, h2.ID).Error)
	if sum = wholePlanMatchesRows(t, w, p.ID, h2.ID, "a report removed"); sum.SpentTotal.String() != "0.1" {
		t.Fatalf("spent after the removal: %s", sum.SpentTotal)
	}
	w.must(db.Exec(`UPDATE reporting_periods SET end_date = '2026-01-15' WHERE id = ?`, h2.ID).Error)
	wholePlanMatchesRows(t, w, p.ID, h2.ID, "a period's end moved")
}

// The revision rises once per transaction, at commit, and a save waiting to
// commit holds no lock another measure's save needs: two saves in one
// municipality proceed side by side.
func TestSavesInOneMunicipalityDoNotQueue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	p, ms := w.adoptedPlan([]models.BudgetInput{bl(2025, "municipal", "500.00")}, []models.BudgetInput{bl(2025, "pes", "500.00")})
	per := w.period(p.ID, "2025 H1", "2025-01-01", "2025-06-30")
	before := revision(t, w, muni)
	region, err := models.RegionRevision(ctx, db)
	w.must(err)

	in := progressInput()
	in.Spent = []models.SpentInput{{Source: "municipal", Amount: "10.00"}}
	tx := db.Begin()
	defer tx.Rollback()
	_, err = models.SaveProgress(ctx, tx, w.actor, muni, ms[0].ID, per.ID, 0, nil, true, in)
	w.must(err)
	// Several more writes in the same transaction: still one raise.
	_, err = models.SaveProgress(ctx, tx, w.actor, muni, ms[0].ID, per.ID, 0, nil, true, in)
	w.must(err)

	// Meanwhile another measure's save commits, without waiting for the first.
	quick, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	in.Spent = []models.SpentInput{{Source: "pes", Amount: "20.00"}}
	if _, err := models.SaveProgress(quick, db, w.actor, muni, ms[1].ID, per.ID, 0, nil, true, in); err != nil {
		t.Fatalf("a save of another measure waited for the open transaction: %v", err)
	}
	if got := revision(t, w, muni); got != before+1 {
		t.Fatalf("after one committed save: revision %d, want %d", got, before+1)
	}
	w.must(tx.Commit().Error)
	if got := revision(t, w, muni); got != before+2 {
		t.Fatalf("after two committed transactions (three saves): revision %d, want %d", got, before+2)
	}
	if again, _ := models.RegionRevision(ctx, db); again == region {
		t.Fatal("region revision unchanged after the plan's totals changed")
	}
	sum := wholePlanMatchesRows(t, w, p.ID, per.ID, "two concurrent saves")
	if sum.SpentTotal.String() != "30" {
		t.Fatalf("spent %s, want both saves' 30.00", sum.SpentTotal)
	}
	// Nothing is left pending once committed.
	var pending int64
	w.must(db.Raw(`SELECT (SELECT count(*) FROM revision_pending) + (SELECT count(*) FROM revision_commits)`).Scan(&pending).Error)
	if pending != 0 {
		t.Fatalf("%d pending marks after commit", pending)
	}
}
