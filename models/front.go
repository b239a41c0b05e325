package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The public front page: what is happening across every municipality, from
// public data only (plans in consultation or adopted, published reports;
// never a draft). A fixed number of small queries, whatever the number of
// municipalities; the page caches their rendering.

// FrontAdoptedDays and FrontLatest bound the front page's lists: plans
// adopted in the last 90 days, and at least the latest 10 of them (and of
// the published reports) when fewer are that recent.
const (
	FrontAdoptedDays = 90
	FrontLatest      = 10
	frontMaxRows     = 50 // a burst of adoptions still draws a short page
)

// FrontPlan is a plan on the front page: one in consultation or one adopted.
type FrontPlan struct {
	PlanID               int64
	Title                string
	MunicipalitySlug     string
	MunicipalityName     string
	MunicipalityLanguage string
	ConsultationClosesOn *Date
	AdoptedOn            *Date
}

// FrontReport is a published progress report on the front page.
type FrontReport struct {
	PlanID               int64
	PeriodID             int64
	PlanTitle            string
	PeriodLabel          string
	MunicipalitySlug     string
	MunicipalityName     string
	MunicipalityLanguage string
	PublishedAt          time.Time
	SHA256               string `gorm:"column:sha256"`
}

// Front is everything the front page lists.
type Front struct {
	Consultations []FrontPlan   // open today, closing soonest first
	Adopted       []FrontPlan   // newest first
	Reports       []FrontReport // newest first
}

// The front page's three lists; each reads a partial index (migration 00026).
const (
	frontConsultationsSQL = `SELECT p.id AS plan_id, p.title, m.slug AS municipality_slug, m.name AS municipality_name,
		m.language AS municipality_language, p.consultation_closes_on
		FROM action_plans p JOIN municipalities m ON m.id = p.municipality_id
		WHERE p.status = ? AND p.consultation_closes_on >= ?
		ORDER BY p.consultation_closes_on, m.name, p.id LIMIT ?`
	frontAdoptedSQL = `SELECT p.id AS plan_id, p.title, m.slug AS municipality_slug, m.name AS municipality_name,
		m.language AS municipality_language, p.adopted_on
		FROM action_plans p JOIN municipalities m ON m.id = p.municipality_id
		WHERE p.status = ? AND p.adopted_on IS NOT NULL
		ORDER BY p.adopted_on DESC, p.id DESC LIMIT ?`
	frontReportsSQL = `SELECT p.id AS plan_id, rp.id AS period_id, p.title AS plan_title, rp.label AS period_label,
		m.slug AS municipality_slug, m.name AS municipality_name, m.language AS municipality_language,
		rp.published_at, coalesce(rp.report_sha256, '') AS sha256
		FROM reporting_periods rp JOIN action_plans p ON p.id = rp.plan_id JOIN municipalities m ON m.id = rp.municipality_id
		WHERE rp.published_at IS NOT NULL
		ORDER BY rp.published_at DESC, rp.id DESC LIMIT ?`
)

// FrontOf gathers the front page's lists as of today.
func FrontOf(ctx context.Context, db *gorm.DB, today Date) (*Front, error) {
	f := &Front{}
	q := db.WithContext(ctx)
	err := q.Raw(frontConsultationsSQL, PlanConsultation, today, frontMaxRows).Scan(&f.Consultations).Error
	if err != nil {
		return nil, err
	}
	var adopted []FrontPlan
	err = q.Raw(frontAdoptedSQL, PlanAdopted, frontMaxRows).Scan(&adopted).Error
	if err != nil {
		return nil, err
	}
	cutoff := today.AddDate(0, 0, -FrontAdoptedDays)
	for i, p := range adopted {
		if i < FrontLatest || !p.AdoptedOn.Before(cutoff) {
			f.Adopted = append(f.Adopted, p)
		}
	}
	err = q.Raw(frontReportsSQL, FrontLatest).Scan(&f.Reports).Error
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FindMunicipalities lists municipalities by name, optionally only those of
// one country and those whose name contains q (case-insensitive; LIKE
// wildcards in q match themselves).
func FindMunicipalities(ctx context.Context, db *gorm.DB, country, q string) ([]Municipality, error) {
	var ms []Municipality
	tx := db.WithContext(ctx).Order("country, name, id")
	if country != "" {
		tx = tx.Where("country = ?", country)
	}
	if q = strings.TrimSpace(q); q != "" {
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
		tx = tx.Where("name ILIKE ?", "%"+esc+"%")
	}
	return ms, tx.Find(&ms).Error
}

// MunicipalityCountries lists the countries that have a municipality.
func MunicipalityCountries(ctx context.Context, db *gorm.DB) ([]string, error) {
	var cs []string
	err := db.WithContext(ctx).Model(&Municipality{}).Distinct("country").Order("country").Pluck("country", &cs).Error
	return cs, err
}
