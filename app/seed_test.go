package app_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/models"
)

// The demo looks alive right after loading (issue #17): its dates are
// relative to today, so a plan is in public consultation with comments,
// each adopted plan's current period contains today and last year's report
// is published, one report went back to its partner with a reason, and the
// municipalities did not all do the same.
func TestDemoLooksAlive(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	ctx := context.Background()
	if _, err := app.SeedDemo(ctx, db, "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	today := models.Today()

	var consult []models.Plan
	db.Where("status = ?", models.PlanConsultation).Find(&consult)
	if len(consult) != 1 || consult[0].ConsultationClosesOn == nil || !consult[0].ConsultationClosesOn.After(today.Time) || !consult[0].ConsultationOpen() {
		t.Fatalf("plans in consultation: %+v, want one closing after %s", consult, today)
	}
	var comments int64
	db.Raw(`SELECT count(*) FROM plan_comments WHERE plan_id = ? AND moderation = 'approved'`, consult[0].ID).Scan(&comments)
	if comments < 2 {
		t.Errorf("the consultation has %d approved comments, want a couple", comments)
	}

	var returned []struct {
		Review, ReviewComment string
		Open                  bool
	}
	db.Raw(`SELECT pr.review, pr.review_comment, rp.status = 'open' AS open FROM progress_reports pr
		JOIN reporting_periods rp ON rp.id = pr.period_id WHERE pr.review = 'returned'`).Scan(&returned)
	if len(returned) != 1 || returned[0].ReviewComment == "" || !returned[0].Open {
		t.Errorf("returned reports: %+v, want one with a reason in a running period", returned)
	}

	var adopted []models.Plan
	db.Where("status = ?", models.PlanAdopted).Order("id").Find(&adopted)
	if len(adopted) != 4 {
		t.Fatalf("adopted plans: %d, want 4", len(adopted))
	}
	for _, p := range adopted {
		if p.AdoptedOn == nil || p.AdoptedOn.Year() < today.Year()-1 || p.AdoptedOn.After(today.Time) {
			t.Errorf("plan %d adopted on %v, want last year or this year", p.ID, p.AdoptedOn)
		}
		var running, published int64
		db.Raw(`SELECT count(*) FROM reporting_periods WHERE plan_id = ? AND status = 'open' AND start_date <= ? AND end_date >= ?`,
			p.ID, today, today).Scan(&running)
		db.Raw(`SELECT count(*) FROM reporting_periods WHERE plan_id = ? AND status = 'closed' AND published_at IS NOT NULL AND end_date < ?`,
			p.ID, today).Scan(&published)
		if running != 1 || published != 1 {
			t.Errorf("plan %d: %d running periods containing today, %d closed and published; want 1 and 1", p.ID, running, published)
		}
		late, err := models.LateFlagsOf(ctx, db, p.MunicipalityID, p.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(late.Reports) != 0 || len(late.Measures) > 1 {
			t.Errorf("plan %d: %d late reports and %d late measures: the demo is not all red", p.ID, len(late.Reports), len(late.Measures))
		}
	}

	// Varied execution: progress and spending differ between municipalities.
	pcs, execs := map[int]bool{}, map[string]bool{}
	for _, p := range adopted {
		var pc float64
		db.Raw(`SELECT avg(pr.percent_complete) FROM progress_reports pr JOIN reporting_periods rp ON rp.id = pr.period_id
			WHERE pr.plan_id = ? AND rp.status = 'open'`, p.ID).Scan(&pc)
		pcs[int(pc)] = true
		s, err := models.PlanSummaryOf(ctx, db, p.MunicipalityID, p.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		execs[s.ExecutionPercent().StringFixed(1)] = true
	}
	if len(pcs) != len(adopted) || len(execs) != len(adopted) {
		t.Errorf("percent complete %v and budget execution %v: want a different value in each municipality", pcs, execs)
	}
	statuses := map[string]int{}
	var rows []struct {
		Status string
		N      int
	}
	db.Raw(`SELECT status, count(*) AS n FROM progress_reports GROUP BY status`).Scan(&rows)
	for _, r := range rows {
		statuses[r.Status] = r.N
	}
	if statuses["completed"] == 0 || statuses["delayed"] == 0 || statuses["cancelled"] != 1 || statuses["on_track"] == 0 {
		t.Errorf("report statuses %v: want some completed, some delayed, one cancelled", statuses)
	}
	var signedAgo int64
	if err := db.Raw(`SELECT count(*) FROM agreements WHERE status = 'in_force' AND valid_from < ?::date - interval '3 months'`,
		today).Scan(&signedAgo).Error; err != nil {
		t.Fatal(err)
	}
	if signedAgo != 3 {
		t.Errorf("%d agreements in force since months ago, want 3", signedAgo)
	}

	// The same day gives the same demo, to the cent.
	other := testkit.DB(t)
	if _, err := app.SeedDemo(ctx, other, "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	if a, b := demoFingerprint(t, db), demoFingerprint(t, other); a != b {
		t.Errorf("two loads on one day differ:\n%s\n%s", a, b)
	}
}

// demoFingerprint sums what the demo reported, per municipality.
func demoFingerprint(t *testing.T, db *gorm.DB) string {
	t.Helper()
	var out string
	err := db.Raw(`SELECT string_agg(m.slug || ':' || coalesce(x.spent, 0) || '/' || coalesce(x.pc, 0) || '/' || coalesce(x.people, 0), ' ' ORDER BY m.slug)
		FROM municipalities m LEFT JOIN (SELECT pr.municipality_id, sum(pr.percent_complete) AS pc, sum(pr.beneficiaries_total) AS people,
			(SELECT sum(amount) FROM progress_spending s WHERE s.municipality_id = pr.municipality_id) AS spent
			FROM progress_reports pr GROUP BY pr.municipality_id) x ON x.municipality_id = m.id`).Scan(&out).Error
	if err != nil || out == "" {
		t.Fatalf("fingerprint: %q %v", out, err)
	}
	return out
}
