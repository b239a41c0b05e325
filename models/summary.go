package models

import (
	"context"
	"database/sql"
	"errors"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"pakt/models/disclosure"
)

// Summary is a plan's implementation in figures (API.md summary): exact
// sums by source and year, statuses, people reached, outcomes, indicators.
type Summary struct {
	PlanID           int64                      `json:"plan_id"`
	PeriodID         *int64                     `json:"period_id"`
	Currency         string                     `json:"currency"`
	Planned          map[string]decimal.Decimal `json:"planned"`
	Spent            map[string]decimal.Decimal `json:"spent"`
	PlannedByYear    map[int]decimal.Decimal    `json:"planned_by_year"`
	SpentByYear      map[int]decimal.Decimal    `json:"spent_by_year"`
	PlannedTotal     decimal.Decimal            `json:"planned_total"`
	SpentTotal       decimal.Decimal            `json:"spent_total"`
	MeasuresByStatus map[string]int             `json:"measures_by_status"`
	Beneficiaries    Beneficiaries              `json:"beneficiaries"`
	Outcomes         Outcomes                   `json:"outcomes"`
	Indicators       []IndicatorActual          `json:"indicators"`
	// Public is the people as public outputs print them (package disclosure).
	Public PeopleBands `json:"-"`
}

// PeopleBands are a summary's counts of people as the public sees them:
// each the sum of the bands of the progress reports it adds up, so a
// cumulative figure tells nothing its periods and measures do not.
type PeopleBands struct {
	Total, Women, Men                                   disclosure.Band
	Employed, Trained, CompletedEducation, SelfEmployed disclosure.Band
	ByGroup                                             map[string]disclosure.Band
}

// IndicatorActual is baseline → target → actual for one indicator.
type IndicatorActual struct {
	IndicatorID int64            `json:"indicator_id"`
	MeasureCode string           `json:"measure_code"`
	Name        string           `json:"name"`
	Unit        string           `json:"unit"`
	Baseline    decimal.Decimal  `json:"baseline"`
	Target      decimal.Decimal  `json:"target"`
	Actual      *decimal.Decimal `json:"actual"`
}

// ExecutionPercent is spent / planned × 100, rounded to one decimal.
func (s *Summary) ExecutionPercent() decimal.Decimal {
	if s.PlannedTotal.IsZero() {
		return decimal.Zero
	}
	return s.SpentTotal.Mul(decimal.NewFromInt(100)).Div(s.PlannedTotal).Round(1)
}

// PlanSummaryOf sums a plan's implementation up to and including a period
// (nil = all periods), in a fixed number of queries, from the aggregates
// the writes keep.
func PlanSummaryOf(ctx context.Context, db *gorm.DB, muniID, planID int64, periodID *int64) (*Summary, error) {
	return planSummary(ctx, db, muniID, planID, periodID, false)
}

// planSummary is PlanSummaryOf; fromRows sums every report, spending line
// and group count instead of the aggregates (what the tests compare the
// aggregates with).
func planSummary(ctx context.Context, db *gorm.DB, muniID, planID int64, periodID *int64, fromRows bool) (*Summary, error) {
	db = db.WithContext(ctx)
	s := &Summary{PlanID: planID, PeriodID: periodID, Planned: map[string]decimal.Decimal{}, Spent: map[string]decimal.Decimal{},
		PlannedByYear: map[int]decimal.Decimal{}, SpentByYear: map[int]decimal.Decimal{}, MeasuresByStatus: map[string]int{},
		Beneficiaries: Beneficiaries{ByGroup: map[string]int{}}, Indicators: []IndicatorActual{}}
	var plan struct {
		ID       int64
		Currency string
		planTotalsRow
	}
	// The plan (it must be the municipality's), the municipality's currency
	// and the plan's totals (kept by the writes; read only for the whole plan).
	t := &plan.planTotalsRow
	err := db.Raw(`SELECT p.id, mu.currency, `+planTotalsColumns+` FROM action_plans p
		JOIN municipalities mu ON mu.id = p.municipality_id LEFT JOIN plan_totals t ON t.plan_id = p.id
		WHERE p.id = ? AND p.municipality_id = ?`, planID, muniID).Row().Scan(&plan.ID, &plan.Currency,
		&t.Reports, &t.BeneficiariesTotal, &t.BeneficiariesWomen, &t.BeneficiariesMen, &t.Employed, &t.Trained,
		&t.CompletedEducation, &t.SelfEmployed, &t.LoTotal, &t.LoWomen, &t.LoMen, &t.LoEmployed, &t.LoTrained,
		&t.LoCompletedEducation, &t.LoSelfEmployed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	s.Currency = plan.Currency
	upTo := "TRUE"
	args := []any{planID}
	if periodID != nil {
		var per Period
		if err := db.Where("id = ? AND plan_id = ?", *periodID, planID).First(&per).Error; err != nil {
			return nil, notFound(err)
		}
		upTo, args = "rp.end_date <= ?", append(args, per.EndDate)
	}
	// Up to a period: the sums from each period's aggregates (migration
	// 00027); statuses and indicators are each measure's latest report up
	// to the period, found by index.
	s.Public.ByGroup = map[string]disclosure.Band{}
	steps := []func() error{
		func() error { return s.addPeriodAggregates(db, planID, upTo, args) },
		func() error { return s.addStatuses(db, upTo, args) },
		func() error { return s.addIndicators(db, upTo, args) },
	}
	if fromRows {
		steps = []func() error{
			func() error { return s.addPlanned(db, planID) },
			func() error { return s.addSpent(db, upTo, args) },
			func() error { return s.addStatuses(db, upTo, args) },
			func() error { return s.addPeople(db, upTo, args) },
			func() error { return s.addIndicators(db, upTo, args) },
		}
	}
	if periodID == nil && !fromRows {
		// The whole plan: its aggregates, kept by the writes (migration 00023).
		s.Public.ByGroup = map[string]disclosure.Band{}
		steps = []func() error{
			func() error { return s.addAggregates(db, planID) },
			func() error { s.addPeopleAgg(plan.planTotalsRow); return nil },
			func() error { return s.addIndicatorsAgg(db, planID) },
		}
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Summary) addPlanned(db *gorm.DB, planID int64) error {
	var rows []struct {
		Source string
		Year   int
		Amount decimal.Decimal
	}
	if err := db.Raw(`SELECT source, year, sum(amount) AS amount FROM measure_budget_lines WHERE plan_id = ? GROUP BY source, year`, planID).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		s.Planned[r.Source] = s.Planned[r.Source].Add(r.Amount)
		s.PlannedByYear[r.Year] = s.PlannedByYear[r.Year].Add(r.Amount)
		s.PlannedTotal = s.PlannedTotal.Add(r.Amount)
	}
	return nil
}

func (s *Summary) addSpent(db *gorm.DB, upTo string, args []any) error {
	var rows []struct {
		Source string
		Year   int
		Amount decimal.Decimal
	}
	err := db.Raw(`SELECT sp.source, extract(year FROM rp.end_date)::int AS year, sum(sp.amount) AS amount
		FROM progress_spending sp JOIN reporting_periods rp ON rp.id = sp.period_id
		WHERE rp.plan_id = ? AND `+upTo+` GROUP BY sp.source, year`, args...).Scan(&rows).Error
	for _, r := range rows {
		s.Spent[r.Source] = s.Spent[r.Source].Add(r.Amount)
		s.SpentByYear[r.Year] = s.SpentByYear[r.Year].Add(r.Amount)
		s.SpentTotal = s.SpentTotal.Add(r.Amount)
	}
	return err
}

// addStatuses counts each measure by its latest reported status ("not_reported" when none).
func (s *Summary) addStatuses(db *gorm.DB, upTo string, args []any) error {
	var rows []struct {
		Status string
		N      int
	}
	err := db.Raw(`SELECT coalesce(latest.status, 'not_reported') AS status, count(*) AS n FROM plan_measures m
		LEFT JOIN LATERAL (SELECT pr.status FROM progress_reports pr JOIN reporting_periods rp ON rp.id = pr.period_id
			WHERE pr.measure_id = m.id AND rp.plan_id = ? AND `+upTo+` ORDER BY rp.end_date DESC LIMIT 1) latest ON true
		WHERE m.plan_id = ? GROUP BY 1`, append(args, args[0])...).Scan(&rows).Error
	for _, r := range rows {
		s.MeasuresByStatus[r.Status] = r.N
	}
	return err
}

func (s *Summary) addPeople(db *gorm.DB, upTo string, args []any) error {
	var t struct{ Total, Women, Men, Employed, Trained, CompletedEducation, SelfEmployed int }
	err := db.Raw(`SELECT coalesce(sum(beneficiaries_total),0) AS total, coalesce(sum(beneficiaries_women),0) AS women,
		coalesce(sum(beneficiaries_men),0) AS men, coalesce(sum(employed),0) AS employed, coalesce(sum(trained),0) AS trained,
		coalesce(sum(completed_education),0) AS completed_education, coalesce(sum(self_employed),0) AS self_employed
		FROM progress_reports pr JOIN reporting_periods rp ON rp.id = pr.period_id WHERE rp.plan_id = ? AND `+upTo, args...).Scan(&t).Error
	if err != nil {
		return err
	}
	s.Beneficiaries.Total, s.Beneficiaries.Women, s.Beneficiaries.Men = t.Total, t.Women, t.Men
	s.Outcomes = Outcomes{t.Employed, t.Trained, t.CompletedEducation, t.SelfEmployed}
	if err := s.addPeopleBands(db, upTo, args); err != nil {
		return err
	}
	var groups []struct {
		GroupCode   string
		N, Lo, Rows int64
	}
	err = db.Raw(`SELECT g.group_code, sum(g.n) AS n, sum(g.n - g.n % 5) AS lo, count(*) AS rows
		FROM progress_beneficiary_groups g JOIN reporting_periods rp ON rp.id = g.period_id
		WHERE rp.plan_id = ? AND `+upTo+` GROUP BY g.group_code`, args...).Scan(&groups).Error
	s.Public.ByGroup = map[string]disclosure.Band{}
	for _, g := range groups {
		s.Beneficiaries.ByGroup[g.GroupCode] = int(g.N)
		s.Public.ByGroup[g.GroupCode] = disclosure.SumOf(g.Lo, g.Rows)
	}
	return err
}

// addPeopleBands sums the lower bounds of each report's bands (n - n % 5,
// disclosure.Base being 5) and counts the reports.
func (s *Summary) addPeopleBands(db *gorm.DB, upTo string, args []any) error {
	var t struct{ Rows, Total, Women, Men, Employed, Trained, CompletedEducation, SelfEmployed int64 }
	err := db.Raw(`SELECT count(*) AS rows, coalesce(sum(beneficiaries_total - beneficiaries_total % 5),0) AS total,
		coalesce(sum(beneficiaries_women - beneficiaries_women % 5),0) AS women, coalesce(sum(beneficiaries_men - beneficiaries_men % 5),0) AS men,
		coalesce(sum(employed - employed % 5),0) AS employed, coalesce(sum(trained - trained % 5),0) AS trained,
		coalesce(sum(completed_education - completed_education % 5),0) AS completed_education,
		coalesce(sum(self_employed - self_employed % 5),0) AS self_employed
		FROM progress_reports pr JOIN reporting_periods rp ON rp.id = pr.period_id WHERE rp.plan_id = ? AND `+upTo, args...).Scan(&t).Error
	p := &s.Public
	p.Total, p.Women, p.Men = disclosure.SumOf(t.Total, t.Rows), disclosure.SumOf(t.Women, t.Rows), disclosure.SumOf(t.Men, t.Rows)
	p.Employed, p.Trained = disclosure.SumOf(t.Employed, t.Rows), disclosure.SumOf(t.Trained, t.Rows)
	p.CompletedEducation, p.SelfEmployed = disclosure.SumOf(t.CompletedEducation, t.Rows), disclosure.SumOf(t.SelfEmployed, t.Rows)
	return err
}

// addIndicators takes each indicator's latest reported value as its actual.
func (s *Summary) addIndicators(db *gorm.DB, upTo string, args []any) error {
	err := db.Raw(`SELECT i.id AS indicator_id, m.code AS measure_code, i.name, i.unit, i.baseline, i.target, latest.value AS actual
		FROM measure_indicators i JOIN plan_measures m ON m.id = i.measure_id
		LEFT JOIN LATERAL (SELECT v.value FROM progress_indicator_values v JOIN reporting_periods rp ON rp.id = v.period_id
			WHERE v.indicator_id = i.id AND rp.plan_id = ? AND `+upTo+` ORDER BY rp.end_date DESC LIMIT 1) latest ON true
		WHERE i.plan_id = ? ORDER BY m.code, i.position`, append(args, args[0])...).Scan(&s.Indicators).Error
	return err
}

// addPeriodAggregates adds the plan's planned money (plan_money) and, from
// the aggregates of the periods up to the summary's (period_money,
// period_groups, period_totals), the money spent, the groups and the
// people reached with their bands.
func (s *Summary) addPeriodAggregates(db *gorm.DB, planID int64, upTo string, args []any) error {
	// args: the plan, then the period's end when upTo names it.
	rows, err := db.Raw(`SELECT 'planned', source, year, amount, 0, 0, 0 FROM plan_money WHERE plan_id = ? AND kind = 'planned'
		UNION ALL SELECT 'spent', pm.source, extract(year FROM rp.end_date)::int, sum(pm.amount), 0, 0, 0
			FROM period_money pm JOIN reporting_periods rp ON rp.id = pm.period_id WHERE pm.plan_id = ? AND `+upTo+`
			GROUP BY pm.source, 3
		UNION ALL SELECT 'group', g.group_code, 0, 0, sum(g.n), sum(g.lo), sum(g.reports)
			FROM period_groups g JOIN reporting_periods rp ON rp.id = g.period_id WHERE g.plan_id = ? AND `+upTo+`
			GROUP BY g.group_code`, append(append([]any{planID}, args...), args...)...).Rows()
	if err != nil {
		return err
	}
	if err := s.addAggregateRows(rows); err != nil {
		return err
	}
	var t planTotalsRow
	err = db.Raw(`SELECT `+planTotalsSums+` FROM period_totals t JOIN reporting_periods rp ON rp.id = t.period_id
		WHERE t.plan_id = ? AND `+upTo, args...).Row().Scan(&t.Reports, &t.BeneficiariesTotal, &t.BeneficiariesWomen,
		&t.BeneficiariesMen, &t.Employed, &t.Trained, &t.CompletedEducation, &t.SelfEmployed, &t.LoTotal, &t.LoWomen,
		&t.LoMen, &t.LoEmployed, &t.LoTrained, &t.LoCompletedEducation, &t.LoSelfEmployed)
	if err != nil {
		return err
	}
	s.addPeopleAgg(t)
	return nil
}

// addMoneyAgg reads planned and spent by source and year from the plan's
// aggregate rows (plan_money): exact sums, as addPlanned and addSpent.
func (s *Summary) addMoneyAgg(kind, source string, year int, amount decimal.Decimal) {
	if kind == "planned" {
		s.Planned[source] = s.Planned[source].Add(amount)
		s.PlannedByYear[year] = s.PlannedByYear[year].Add(amount)
		s.PlannedTotal = s.PlannedTotal.Add(amount)
		return
	}
	s.Spent[source] = s.Spent[source].Add(amount)
	s.SpentByYear[year] = s.SpentByYear[year].Add(amount)
	s.SpentTotal = s.SpentTotal.Add(amount)
}

// addAggregates reads the plan's money by source and year (plan_money),
// its measures by latest status (plan_status_counts) and its people by
// group (plan_group_totals) in one statement: three round trips were a
// good part of a summary's cost.
func (s *Summary) addAggregates(db *gorm.DB, planID int64) error {
	rows, err := db.Raw(`SELECT kind, source, year, amount, 0, 0, 0 FROM plan_money WHERE plan_id = ?
		UNION ALL SELECT 'status', status, 0, 0, n, 0, 0 FROM plan_status_counts WHERE plan_id = ?
		UNION ALL SELECT 'group', group_code, 0, 0, n, lo, reports FROM plan_group_totals WHERE plan_id = ?`,
		planID, planID, planID).Rows()
	if err != nil {
		return err
	}
	return s.addAggregateRows(rows)
}

// addAggregateRows adds rows of (part, key, year, amount, n, lo, reports):
// measures by status, people by group, or money ("planned", "spent").
func (s *Summary) addAggregateRows(rows *sql.Rows) error {
	defer rows.Close()
	for rows.Next() {
		var part, key string
		var year int
		var amount decimal.Decimal
		var n, lo, reports int64
		if err := rows.Scan(&part, &key, &year, &amount, &n, &lo, &reports); err != nil {
			return err
		}
		switch part {
		case "status":
			s.MeasuresByStatus[key] = int(n)
		case "group":
			s.Beneficiaries.ByGroup[key] = int(n)
			s.Public.ByGroup[key] = disclosure.SumOf(lo, reports)
		default:
			s.addMoneyAgg(part, key, year, amount)
		}
	}
	return rows.Err()
}

// addPeopleAgg sets people reached, outcomes and their bands from the
// plan's aggregate row (plan_totals).
func (s *Summary) addPeopleAgg(r planTotalsRow) {
	p := &s.Public
	s.Beneficiaries.Total, s.Beneficiaries.Women, s.Beneficiaries.Men = int(r.BeneficiariesTotal), int(r.BeneficiariesWomen), int(r.BeneficiariesMen)
	s.Outcomes = Outcomes{int(r.Employed), int(r.Trained), int(r.CompletedEducation), int(r.SelfEmployed)}
	p.Total, p.Women, p.Men = disclosure.SumOf(r.LoTotal, r.Reports), disclosure.SumOf(r.LoWomen, r.Reports), disclosure.SumOf(r.LoMen, r.Reports)
	p.Employed, p.Trained = disclosure.SumOf(r.LoEmployed, r.Reports), disclosure.SumOf(r.LoTrained, r.Reports)
	p.CompletedEducation, p.SelfEmployed = disclosure.SumOf(r.LoCompletedEducation, r.Reports), disclosure.SumOf(r.LoSelfEmployed, r.Reports)
}

// planTotalsRow is what a summary reads of a plan's plan_totals row (all
// zero when the plan has none yet).
type planTotalsRow struct {
	Reports                                                                              int64
	BeneficiariesTotal, BeneficiariesWomen, BeneficiariesMen                             int64
	Employed, Trained, CompletedEducation, SelfEmployed                                  int64
	LoTotal, LoWomen, LoMen, LoEmployed, LoTrained, LoCompletedEducation, LoSelfEmployed int64
}

// planTotalsSums adds up planTotalsRow over rows of period_totals t.
const planTotalsSums = `coalesce(sum(t.reports), 0), coalesce(sum(t.beneficiaries_total), 0), coalesce(sum(t.beneficiaries_women), 0),
	coalesce(sum(t.beneficiaries_men), 0), coalesce(sum(t.employed), 0), coalesce(sum(t.trained), 0),
	coalesce(sum(t.completed_education), 0), coalesce(sum(t.self_employed), 0), coalesce(sum(t.lo_total), 0),
	coalesce(sum(t.lo_women), 0), coalesce(sum(t.lo_men), 0), coalesce(sum(t.lo_employed), 0), coalesce(sum(t.lo_trained), 0),
	coalesce(sum(t.lo_completed_education), 0), coalesce(sum(t.lo_self_employed), 0)`

// planTotalsColumns selects planTotalsRow from plan_totals t (joined).
const planTotalsColumns = `coalesce(t.reports, 0) AS reports, coalesce(t.beneficiaries_total, 0) AS beneficiaries_total,
	coalesce(t.beneficiaries_women, 0) AS beneficiaries_women, coalesce(t.beneficiaries_men, 0) AS beneficiaries_men,
	coalesce(t.employed, 0) AS employed, coalesce(t.trained, 0) AS trained, coalesce(t.completed_education, 0) AS completed_education,
	coalesce(t.self_employed, 0) AS self_employed, coalesce(t.lo_total, 0) AS lo_total, coalesce(t.lo_women, 0) AS lo_women,
	coalesce(t.lo_men, 0) AS lo_men, coalesce(t.lo_employed, 0) AS lo_employed, coalesce(t.lo_trained, 0) AS lo_trained,
	coalesce(t.lo_completed_education, 0) AS lo_completed_education, coalesce(t.lo_self_employed, 0) AS lo_self_employed`

// addIndicatorsAgg is addIndicators over the whole plan, each indicator's
// latest value read from indicator_latest (kept by the writes).
func (s *Summary) addIndicatorsAgg(db *gorm.DB, planID int64) error {
	// The plan's measures and latest values are read as whole ranges and
	// joined by hash (MATERIALIZED keeps the planner from probing both
	// tables once per indicator, which cost twice as much).
	rows, err := db.Raw(`WITH m AS MATERIALIZED (SELECT id, code FROM plan_measures WHERE plan_id = @plan),
		l AS MATERIALIZED (SELECT indicator_id, value FROM indicator_latest WHERE plan_id = @plan)
		SELECT count(*) OVER (), i.id AS indicator_id, m.code AS measure_code, i.name, i.unit, i.baseline, i.target, l.value AS actual
		FROM measure_indicators i JOIN m ON m.id = i.measure_id
		LEFT JOIN l ON l.indicator_id = i.id
		WHERE i.plan_id = @plan ORDER BY m.code, i.position`, sql.Named("plan", planID)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	// Scanned by hand: a plan has hundreds of indicators, and GORM's
	// reflective scan cost more than the query. The count sizes the list
	// once rather than growing it row by row.
	for rows.Next() {
		var in IndicatorActual
		var n int
		if err := rows.Scan(&n, &in.IndicatorID, &in.MeasureCode, &in.Name, &in.Unit, &in.Baseline, &in.Target, &in.Actual); err != nil {
			return err
		}
		if s.Indicators == nil {
			s.Indicators = make([]IndicatorActual, 0, n)
		}
		s.Indicators = append(s.Indicators, in)
	}
	return rows.Err()
}

// PeopleBandsOf is what addPeopleBands computes, from reports in memory.
func PeopleBandsOf(reports []*Progress) PeopleBands {
	var p PeopleBands
	p.ByGroup = map[string]disclosure.Band{}
	add := func(b *disclosure.Band, n int) { *b = disclosure.Sum(*b, disclosure.OfInt(n)) }
	for _, r := range reports {
		add(&p.Total, r.BeneficiariesTotal)
		add(&p.Women, r.BeneficiariesWomen)
		add(&p.Men, r.BeneficiariesMen)
		add(&p.Employed, r.Employed)
		add(&p.Trained, r.Trained)
		add(&p.CompletedEducation, r.CompletedEducation)
		add(&p.SelfEmployed, r.SelfEmployed)
		for _, g := range r.Groups {
			b := p.ByGroup[g.GroupCode]
			add(&b, g.N)
			p.ByGroup[g.GroupCode] = b
		}
	}
	return p
}
