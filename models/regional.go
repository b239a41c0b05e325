package models

import (
	"context"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Dashboards: the municipality's current plan and its late flags, and the
// regional side-by-side comparison ("benchlearning"). Every function runs a
// fixed number of queries, however many municipalities, plans or measures.

// CurrentPlanOf picks the plan a municipality's dashboard shows: the adopted
// plan with the latest reporting period; without an adopted plan, the newest
// plan of any status. ErrNotFound when the municipality has no plan at all.
func CurrentPlanOf(ctx context.Context, db *gorm.DB, muniID int64) (*Plan, error) {
	var p Plan
	err := db.WithContext(ctx).Raw(`SELECT p.* FROM action_plans p
		LEFT JOIN LATERAL (SELECT max(rp.end_date) AS last FROM reporting_periods rp WHERE rp.plan_id = p.id) per ON true
		WHERE p.municipality_id = ?
		ORDER BY (p.status = 'adopted') DESC, CASE WHEN p.status = 'adopted' THEN per.last END DESC NULLS LAST,
			p.period_start DESC, p.id DESC
		LIMIT 1`, muniID).Scan(&p).Error
	if err != nil {
		return nil, err
	}
	if p.ID == 0 {
		return nil, ErrNotFound
	}
	return &p, nil
}

// LateMeasure is a measure past its end date whose latest reported status
// is not "completed" (or that was never reported on).
type LateMeasure struct {
	MeasureID    int64
	Code         string
	Title        string
	EndDate      Date
	LatestStatus string // "not_reported" when no report exists
}

// LateReport is a report owed for a period whose due date has passed: none
// was written, or it is still a draft or was returned and not resubmitted.
type LateReport struct {
	PeriodID    int64
	PeriodLabel string
	DueDate     Date
	MeasureID   int64
	Code        string
	Title       string
	State       string // "missing", "draft" or "returned"
}

// LateFlags are what the commission should chase on a plan.
type LateFlags struct {
	Measures []LateMeasure
	Reports  []LateReport
}

// LateFlagsOf finds a plan's late measures and late reports as of today, in
// one query. Cancelled measures are not late. A report is owed by every
// measure that had started by the end of the period (as in ReportsDue).
func LateFlagsOf(ctx context.Context, db *gorm.DB, muniID, planID int64, today Date) (*LateFlags, error) {
	db = db.WithContext(ctx)
	out := &LateFlags{Measures: []LateMeasure{}, Reports: []LateReport{}}
	// Each measure's latest status is kept by the writes (measure_latest, migration 00023).
	// One statement for both lists, scanned by hand (a 200-measure plan can
	// owe hundreds of reports): GORM's reflective scan cost more than the
	// query. The plan's reports are read once and hashed: cheaper than one
	// probe per measure and period.
	rows, err := db.Raw(`SELECT 'm' AS kind, 0::bigint AS period_id, '' AS period_label, m.end_date AS day, m.id AS measure_id,
			m.code, m.title, coalesce(latest.status, 'not_reported') AS state
		FROM plan_measures m
		LEFT JOIN measure_latest latest ON latest.measure_id = m.id
		WHERE m.plan_id = ? AND m.municipality_id = ? AND m.end_date < ?
		AND coalesce(latest.status, 'not_reported') NOT IN ('completed', 'cancelled')
		UNION ALL
		SELECT 'r', rp.id, rp.label, rp.due_date, m.id, m.code, m.title, CASE WHEN pr.id IS NULL THEN 'missing' ELSE pr.review END
		FROM reporting_periods rp
		JOIN plan_measures m ON m.plan_id = rp.plan_id AND m.start_date <= rp.end_date
		LEFT JOIN (SELECT id, measure_id, period_id, review FROM progress_reports WHERE plan_id = ?) pr
			ON pr.measure_id = m.id AND pr.period_id = rp.id
		WHERE rp.plan_id = ? AND rp.municipality_id = ? AND rp.due_date < ?
		AND (pr.id IS NULL OR pr.review IN ('draft', 'returned'))
		ORDER BY kind, day, period_id, code`, planID, muniID, today, planID, planID, muniID, today).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, label, code, title, state string
		var period, measure int64
		var day Date
		if err := rows.Scan(&kind, &period, &label, &day, &measure, &code, &title, &state); err != nil {
			return nil, err
		}
		if kind == "m" {
			out.Measures = append(out.Measures, LateMeasure{MeasureID: measure, Code: code, Title: title, EndDate: day, LatestStatus: state})
			continue
		}
		out.Reports = append(out.Reports, LateReport{PeriodID: period, PeriodLabel: label, DueDate: day, MeasureID: measure,
			Code: code, Title: title, State: state})
	}
	return out, rows.Err()
}

// RegionalRow is one municipality in the regional comparison. Money is in
// the municipality's own currency; HasPlan is false without an adopted plan.
type RegionalRow struct {
	MunicipalityID     int64
	Name               string
	Slug               string
	Currency           string
	Language           string // of the plan's title (web.Authored)
	AgreementsInForce  int64
	HighestLevel       string // "" when no agreement is in force
	PlanID             *int64
	PlanTitle          string
	PeriodStart        Date
	PeriodEnd          Date
	Planned            decimal.Decimal
	Spent              decimal.Decimal
	PeopleTotal        int64
	PeopleWomen        int64
	PeopleMen          int64
	Employed           int64
	Trained            int64
	CompletedEducation int64
	SelfEmployed       int64
}

// HasPlan says whether the municipality has an adopted plan.
func (r *RegionalRow) HasPlan() bool { return r.PlanID != nil }

// ExecutionPercent is spent / planned × 100, rounded to one decimal (as Summary).
func (r *RegionalRow) ExecutionPercent() decimal.Decimal {
	if r.Planned.IsZero() {
		return decimal.Zero
	}
	return r.Spent.Mul(decimal.NewFromInt(100)).Div(r.Planned).Round(1)
}

// RegionalOverview returns one row per municipality (ids == nil: all), by
// name, in a single set-based query: agreements in force and the highest
// partnership level, the adopted plan with the latest reporting period, its
// planned and spent totals, people reached and outcomes — the plan's figures
// read from its aggregate row (plan_totals, kept by the writes, migration
// 00023), so the query costs a few index reads per municipality.
func RegionalOverview(ctx context.Context, db *gorm.DB, ids []int64) ([]RegionalRow, error) {
	// Everyone (a platform admin): each part aggregated over its whole
	// table in one pass, which is cheaper than one index probe per
	// municipality. A few municipalities: the probes are cheaper.
	filter, args := "TRUE", []any{}
	agrIn, planIn := "TRUE", "TRUE"
	last := `LEFT JOIN (SELECT plan_id, max(end_date) AS last FROM reporting_periods GROUP BY plan_id) per ON per.plan_id = p.id`
	if ids != nil {
		filter, args = "id IN ?", append(args, append(append([]int64{}, ids...), 0))
		agrIn, planIn = "a.municipality_id IN (SELECT id FROM mun)", "p.municipality_id IN (SELECT id FROM mun)"
		last = `LEFT JOIN LATERAL (SELECT max(rp.end_date) AS last FROM reporting_periods rp WHERE rp.plan_id = p.id) per ON true`
	}
	rows, err := db.WithContext(ctx).Raw(`WITH mun AS (
			SELECT id, name, slug, currency, language FROM municipalities WHERE `+filter+`
		), agr AS (
			SELECT a.municipality_id, count(*) AS n,
				max(CASE a.level WHEN 'cooperation' THEN 1 WHEN 'coordination' THEN 2 WHEN 'collaboration' THEN 3 END) AS top
			FROM agreements a WHERE a.status = 'in_force' AND `+agrIn+`
			GROUP BY a.municipality_id
		), cur AS (
			SELECT DISTINCT ON (p.municipality_id) p.municipality_id, p.id, p.title, p.period_start, p.period_end
			FROM action_plans p
			`+last+`
			WHERE p.status = 'adopted' AND `+planIn+`
			ORDER BY p.municipality_id, per.last DESC NULLS LAST, p.period_start DESC, p.id DESC
		)
		SELECT mun.id AS municipality_id, mun.name, mun.slug, mun.currency, mun.language,
			coalesce(agr.n, 0) AS agreements_in_force,
			CASE agr.top WHEN 1 THEN 'cooperation' WHEN 2 THEN 'coordination' WHEN 3 THEN 'collaboration' ELSE '' END AS highest_level,
			cur.id AS plan_id, coalesce(cur.title, '') AS plan_title, cur.period_start, cur.period_end,
			coalesce(t.planned, 0) AS planned, coalesce(t.spent, 0) AS spent,
			coalesce(t.beneficiaries_total, 0) AS people_total, coalesce(t.beneficiaries_women, 0) AS people_women,
			coalesce(t.beneficiaries_men, 0) AS people_men, coalesce(t.employed, 0) AS employed,
			coalesce(t.trained, 0) AS trained, coalesce(t.completed_education, 0) AS completed_education,
			coalesce(t.self_employed, 0) AS self_employed
		FROM mun
		LEFT JOIN agr ON agr.municipality_id = mun.id
		LEFT JOIN cur ON cur.municipality_id = mun.id
		LEFT JOIN plan_totals t ON t.plan_id = cur.id
		ORDER BY mun.name, mun.id`, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// Scanned by hand: GORM's reflective scan of hundreds of rows cost more
	// than the query.
	out := []RegionalRow{}
	for rows.Next() {
		var r RegionalRow
		if err := rows.Scan(&r.MunicipalityID, &r.Name, &r.Slug, &r.Currency, &r.Language, &r.AgreementsInForce, &r.HighestLevel,
			&r.PlanID, &r.PlanTitle, &r.PeriodStart, &r.PeriodEnd, &r.Planned, &r.Spent, &r.PeopleTotal, &r.PeopleWomen,
			&r.PeopleMen, &r.Employed, &r.Trained, &r.CompletedEducation, &r.SelfEmployed); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
