package models_test

import (
	"fmt"
	"testing"

	"pakt/models"
)

// The front page's lists: plans in consultation until their closing day
// (inclusive), plans adopted in the last 90 days or at least the latest 10,
// never a draft; municipalities found by name and country, LIKE wildcards
// taken literally.
func TestFrontOf(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	today := models.Today()
	setPlan := func(p *models.Plan, status string, closes, adopted *models.Date) {
		t.Helper()
		w.must(w.db.Exec(`UPDATE action_plans SET status = ?, consultation_closes_on = ?, adopted_on = ?, decision_number = '01-1' WHERE id = ?`,
			status, closes, adopted, p.ID).Error)
	}
	day := func(offset int) *models.Date { d := models.Date{Time: today.AddDate(0, 0, offset)}; return &d }
	for i := range 12 { // adopted in the last 90 days
		setPlan(w.draftPlan(fmt.Sprintf("Novi plan %d", i), "2025-01-01", "2026-12-31"), models.PlanAdopted, nil, day(-1-7*i))
	}
	for i := range 3 { // adopted long ago
		setPlan(w.draftPlan(fmt.Sprintf("Stari plan %d", i), "2017-01-01", "2018-12-31"), models.PlanAdopted, nil, day(-400-i))
	}
	open := w.draftPlan("Otvoren do danas", "2027-01-01", "2028-12-31")
	setPlan(open, models.PlanConsultation, day(0), nil)
	closed := w.draftPlan("Zatvoren juče", "2027-01-01", "2028-12-31")
	setPlan(closed, models.PlanConsultation, day(-1), nil)
	w.draftPlan("Nacrt", "2027-01-01", "2028-12-31")

	f, err := models.FrontOf(w.ctx, w.db, today)
	w.must(err)
	if len(f.Consultations) != 1 || f.Consultations[0].PlanID != open.ID || f.Consultations[0].MunicipalitySlug != w.muni.Slug {
		t.Errorf("consultations: %+v, want only %d (closes today)", f.Consultations, open.ID)
	}
	if len(f.Adopted) != 12 || f.Adopted[0].Title != "Novi plan 0" || f.Adopted[11].Title != "Novi plan 11" {
		t.Errorf("adopted in the last 90 days: %d %+v", len(f.Adopted), f.Adopted)
	}
	// A year on, nothing is recent: the latest 10.
	later, err := models.FrontOf(w.ctx, w.db, models.Date{Time: today.AddDate(1, 0, 0)})
	w.must(err)
	if len(later.Adopted) != 10 || later.Adopted[9].Title != "Novi plan 9" || len(later.Consultations) != 0 {
		t.Errorf("a year later: %d adopted, %d consultations", len(later.Adopted), len(later.Consultations))
	}
	if len(f.Reports) != 0 {
		t.Errorf("reports without any published: %+v", f.Reports)
	}

	w.must(w.db.Exec(`UPDATE municipalities SET name = 'Zvornik 100%' WHERE id = ?`, w.muni.ID).Error)
	w.municipality("Tirana")
	w.must(w.db.Exec(`UPDATE municipalities SET country = 'AL' WHERE name = 'Tirana'`).Error)
	for _, c := range []struct {
		country, q string
		want       int
	}{{"", "", 2}, {"", "zvor", 1}, {"", "100%", 1}, {"", "%", 1}, {"", "_", 0}, {"AL", "", 1}, {"AL", "zvor", 0}, {"XK", "", 0}} {
		ms, err := models.FindMunicipalities(w.ctx, w.db, c.country, c.q)
		w.must(err)
		if len(ms) != c.want {
			t.Errorf("country %q, name %q: %d municipalities, want %d", c.country, c.q, len(ms), c.want)
		}
	}
	cs, err := models.MunicipalityCountries(w.ctx, w.db)
	w.must(err)
	if len(cs) != 2 || cs[0] != "AL" || cs[1] != "BA" {
		t.Errorf("countries: %v", cs)
	}
}
