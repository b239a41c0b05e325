package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// ProgressStatuses are the statuses of a measure in a period (API.md).
var ProgressStatuses = []string{"not_started", "on_track", "delayed", "completed", "cancelled"}

// Progress is one measure's report for one period.
type Progress struct {
	ID                 int64         `json:"id" gorm:"primaryKey"`
	MeasureID          int64         `json:"measure_id"`
	PeriodID           int64         `json:"period_id"`
	PlanID             int64         `json:"plan_id"`
	MunicipalityID     int64         `json:"-"`
	Status             string        `json:"status"`
	PercentComplete    int           `json:"percent_complete"`
	Narrative          string        `json:"narrative"`
	BeneficiariesTotal int           `json:"-"`
	BeneficiariesWomen int           `json:"-"`
	BeneficiariesMen   int           `json:"-"`
	Employed           int           `json:"-"`
	Trained            int           `json:"-"`
	CompletedEducation int           `json:"-"`
	SelfEmployed       int           `json:"-"`
	Review             string        `json:"review"`
	ReviewComment      string        `json:"review_comment"`
	SubmittedAt        *time.Time    `json:"submitted_at"`
	ReviewedAt         *time.Time    `json:"reviewed_at"`
	Version            int           `json:"version"`
	UpdatedBy          *int64        `json:"-"`
	UpdatedAt          time.Time     `json:"updated_at"`
	Spent              []Spending    `json:"spent" gorm:"-"`
	IndicatorValues    []ActualValue `json:"indicator_values" gorm:"-"`
	Groups             []GroupCount  `json:"-" gorm:"-"`
	Flags              []string      `json:"flags" gorm:"-"`
	PublicNarrative    *string       `json:"-" gorm:"-"` // the coordinator's public wording (narrative_disclosure.go)
	NarrativeFlags     []string      `json:"-" gorm:"-"` // numbers below five in the public text
}

// TableName maps Progress to progress_reports.
func (Progress) TableName() string { return "progress_reports" }

// Spending is money spent from one source in the period.
type Spending struct {
	ID             int64           `json:"-" gorm:"primaryKey"`
	ReportID       int64           `json:"-"`
	PeriodID       int64           `json:"-"`
	MunicipalityID int64           `json:"-"`
	Position       int             `json:"-"`
	Source         string          `json:"source"`
	Funder         string          `json:"funder"`
	Amount         decimal.Decimal `json:"amount"`
}

// TableName maps Spending to progress_spending.
func (Spending) TableName() string { return "progress_spending" }

// ActualValue is a plan indicator's actual value in a period.
type ActualValue struct {
	ReportID       int64           `json:"-" gorm:"primaryKey"`
	IndicatorID    int64           `json:"indicator_id" gorm:"primaryKey"`
	PeriodID       int64           `json:"-"`
	MunicipalityID int64           `json:"-"`
	Value          decimal.Decimal `json:"value"`
}

// TableName maps ActualValue to progress_indicator_values.
func (ActualValue) TableName() string { return "progress_indicator_values" }

// GroupCount is people reached from one vulnerable group.
type GroupCount struct {
	ReportID       int64 `gorm:"primaryKey"`
	PeriodID       int64
	MunicipalityID int64
	GroupCode      string `gorm:"primaryKey"`
	N              int    `gorm:"column:n"`
}

// TableName maps GroupCount to progress_beneficiary_groups.
func (GroupCount) TableName() string { return "progress_beneficiary_groups" }

// Beneficiaries are people reached, by sex and group (API.md shape).
type Beneficiaries struct {
	Total   int            `json:"total"`
	Women   int            `json:"women"`
	Men     int            `json:"men"`
	ByGroup map[string]int `json:"by_group"`
}

// Outcomes are results for people (API.md shape).
type Outcomes struct {
	Employed           int `json:"employed"`
	Trained            int `json:"trained"`
	CompletedEducation int `json:"completed_education"`
	SelfEmployed       int `json:"self_employed"`
}

// BeneficiariesOf returns the report's beneficiaries in API shape.
func (p *Progress) BeneficiariesOf() Beneficiaries {
	b := Beneficiaries{Total: p.BeneficiariesTotal, Women: p.BeneficiariesWomen, Men: p.BeneficiariesMen, ByGroup: map[string]int{}}
	for _, g := range p.Groups {
		b.ByGroup[g.GroupCode] = g.N
	}
	return b
}

// OutcomesOf returns the report's outcomes in API shape.
func (p *Progress) OutcomesOf() Outcomes {
	return Outcomes{p.Employed, p.Trained, p.CompletedEducation, p.SelfEmployed}
}

// ProgressInput is the body of PUT /measures/{id}/progress/{period_id}.
type ProgressInput struct {
	Status          string        `json:"status"`
	PercentComplete *int          `json:"percent_complete"`
	Narrative       string        `json:"narrative"`
	Spent           []SpentInput  `json:"spent"`
	IndicatorValues []ValueInput  `json:"indicator_values"`
	Beneficiaries   Beneficiaries `json:"beneficiaries"`
	Outcomes        Outcomes      `json:"outcomes"`
}

// SpentInput is one spending line as sent.
type SpentInput struct {
	Source string  `json:"source"`
	Funder string  `json:"funder"`
	Amount NumText `json:"amount"`
}

// ValueInput is one indicator value as sent.
type ValueInput struct {
	IndicatorID int64   `json:"indicator_id"`
	Value       NumText `json:"value"`
}

// checkProgress validates the input; every bad value is reported on its field.
func checkProgress(in *ProgressInput, m *Measure) ([]decimal.Decimal, []decimal.Decimal, error) {
	f := map[string]string{}
	in.Narrative = strings.TrimSpace(in.Narrative)
	if !contains(ProgressStatuses, in.Status) {
		f["status"] = "validation.progress_status"
	}
	if in.PercentComplete == nil || *in.PercentComplete < 0 || *in.PercentComplete > 100 {
		f["percent_complete"] = "validation.percent"
	}
	checkText(f, "narrative", in.Narrative, 10000, false)
	checkPeople(f, in.Beneficiaries, in.Outcomes)
	var amounts, values []decimal.Decimal
	for i, s := range in.Spent {
		k := fmt.Sprintf("spent[%d].", i)
		if !contains(BudgetSources, s.Source) {
			f[k+"source"] = "validation.source"
		}
		amounts = append(amounts, parseField(f, k+"amount", string(s.Amount)))
	}
	ids := map[int64]bool{}
	for _, ind := range m.Indicators {
		ids[ind.ID] = true
	}
	for i, v := range in.IndicatorValues {
		if !ids[v.IndicatorID] {
			f[fmt.Sprintf("indicator_values[%d].indicator_id", i)] = "validation.indicator"
		}
		values = append(values, parseField(f, fmt.Sprintf("indicator_values[%d].value", i), string(v.Value)))
	}
	if len(f) > 0 {
		return nil, nil, &ValidationError{Fields: f}
	}
	return amounts, values, nil
}

func checkPeople(f map[string]string, b Beneficiaries, o Outcomes) {
	for k, n := range map[string]int{"beneficiaries.total": b.Total, "beneficiaries.women": b.Women, "beneficiaries.men": b.Men,
		"outcomes.employed": o.Employed, "outcomes.trained": o.Trained, "outcomes.completed_education": o.CompletedEducation,
		"outcomes.self_employed": o.SelfEmployed} {
		if n < 0 {
			f[k] = "validation.negative"
		}
	}
	if b.Women >= 0 && b.Men >= 0 && b.Women+b.Men > b.Total {
		f["beneficiaries.total"] = "validation.women_men_total"
	}
	for g, n := range b.ByGroup {
		switch {
		case !contains(VulnerableGroupCodes, g):
			f["beneficiaries.by_group."+g] = "validation.group"
		case n < 0:
			f["beneficiaries.by_group."+g] = "validation.negative"
		case n > b.Total:
			f["beneficiaries.by_group."+g] = "validation.group_over_total"
		}
	}
}

// ReporterRights says who may write a measure's report: coordinators, and
// members of the lead or a partner organisation.
func ReporterRights(m *Measure, callerOrg *int64, coordinator bool) bool {
	if coordinator {
		return true
	}
	return callerOrg != nil && (*callerOrg == m.LeadOrganisationID || m.PartnerOrganisationIDs.Has(*callerOrg))
}

// SaveProgress writes a measure's report for a period. The period must have
// started (422 on period_id) and be open (409), the version current (412); a submitted or accepted report is
// read-only until the coordinator sends it back.
func SaveProgress(ctx context.Context, db *gorm.DB, a Actor, muniID, measureID, periodID int64, version int,
	callerOrg *int64, coordinator bool, in ProgressInput) (*Progress, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, per, err := measureAndPeriod(ctx, tx, muniID, measureID, periodID)
		if err != nil {
			return err
		}
		if !ReporterRights(m, callerOrg, coordinator) {
			return ErrNotResponsible
		}
		// Nothing can be reported yet on a period that has not started.
		if per.StartDate.After(Today().Time) {
			return Invalid("period_id", "validation.period_not_started")
		}
		// Serialise writers of one measure: the first report of a period has
		// no row to lock yet, and two first saves must not both insert.
		if err := tx.Exec(`SELECT 1 FROM plan_measures WHERE id = ? FOR NO KEY UPDATE`, measureID).Error; err != nil {
			return err
		}
		amounts, values, err := checkProgress(&in, m)
		if err != nil {
			return err
		}
		old, err := lockProgress(tx, measureID, periodID)
		if err != nil {
			return err
		}
		if err := writable(per, old, version); err != nil {
			return err
		}
		row := progressRow(m, per, in, old, a)
		if err := replaceProgress(tx, row, in, amounts, values); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "report", "measure", measureID, map[string]any{"period_id": periodID, "report": in})
	})
	if err != nil {
		return nil, err
	}
	return GetProgress(ctx, db, muniID, measureID, periodID)
}

func writable(per *Period, old *Progress, version int) error {
	switch {
	case per.Status == "closed":
		return &StateError{"error.period_closed"}
	case old != nil && version != 0 && version != old.Version:
		return ErrStale
	case old != nil && (old.Review == "submitted" || old.Review == "accepted"):
		return &StateError{"error.report_not_editable"}
	}
	return nil
}

func progressRow(m *Measure, per *Period, in ProgressInput, old *Progress, a Actor) *Progress {
	row := &Progress{MeasureID: m.ID, PeriodID: per.ID, PlanID: m.PlanID, MunicipalityID: m.MunicipalityID, Status: in.Status,
		PercentComplete: *in.PercentComplete, Narrative: in.Narrative, BeneficiariesTotal: in.Beneficiaries.Total,
		BeneficiariesWomen: in.Beneficiaries.Women, BeneficiariesMen: in.Beneficiaries.Men, Employed: in.Outcomes.Employed,
		Trained: in.Outcomes.Trained, CompletedEducation: in.Outcomes.CompletedEducation, SelfEmployed: in.Outcomes.SelfEmployed,
		Review: "draft", Version: 1, UpdatedBy: userRef(a), UpdatedAt: time.Now()}
	if old != nil {
		row.ID, row.Version, row.Review, row.ReviewComment = old.ID, old.Version+1, old.Review, old.ReviewComment
	}
	return row
}

// replaceProgress upserts the report row and replaces its lines.
func replaceProgress(tx *gorm.DB, row *Progress, in ProgressInput, amounts, values []decimal.Decimal) error {
	if err := tx.Omit("Spent", "IndicatorValues", "Groups", "Flags", "PublicNarrative", "NarrativeFlags").Save(row).Error; err != nil {
		return err
	}
	for _, t := range []any{&Spending{}, &ActualValue{}, &GroupCount{}} {
		if err := tx.Where("report_id = ?", row.ID).Delete(t).Error; err != nil {
			return err
		}
	}
	for i, s := range in.Spent {
		sp := Spending{ReportID: row.ID, PeriodID: row.PeriodID, MunicipalityID: row.MunicipalityID, Position: i,
			Source: s.Source, Funder: strings.TrimSpace(s.Funder), Amount: amounts[i]}
		if err := tx.Create(&sp).Error; err != nil {
			return err
		}
	}
	for i, v := range in.IndicatorValues {
		iv := ActualValue{ReportID: row.ID, IndicatorID: v.IndicatorID, PeriodID: row.PeriodID, MunicipalityID: row.MunicipalityID, Value: values[i]}
		if err := tx.Save(&iv).Error; err != nil {
			return err
		}
	}
	for g, n := range in.Beneficiaries.ByGroup {
		gc := GroupCount{ReportID: row.ID, PeriodID: row.PeriodID, MunicipalityID: row.MunicipalityID, GroupCode: g, N: n}
		if err := tx.Create(&gc).Error; err != nil {
			return err
		}
	}
	return nil
}

func measureAndPeriod(ctx context.Context, tx *gorm.DB, muniID, measureID, periodID int64) (*Measure, *Period, error) {
	m, err := GetMeasure(ctx, tx, muniID, measureID)
	if err != nil {
		return nil, nil, err
	}
	per, err := GetPeriod(ctx, tx, muniID, periodID)
	if err != nil {
		return nil, nil, err
	}
	if per.PlanID != m.PlanID {
		return nil, nil, ErrNotFound
	}
	return m, per, nil
}

func lockProgress(tx *gorm.DB, measureID, periodID int64) (*Progress, error) {
	var p Progress
	err := tx.Raw(`SELECT * FROM progress_reports WHERE measure_id = ? AND period_id = ? FOR UPDATE`, measureID, periodID).Scan(&p).Error
	if err != nil || p.ID == 0 {
		return nil, err
	}
	return &p, nil
}

// GetProgress loads a report with its lines and flags; ErrNotFound when none yet.
func GetProgress(ctx context.Context, db *gorm.DB, muniID, measureID, periodID int64) (*Progress, error) {
	db = db.WithContext(ctx)
	var p Progress
	if err := db.Where("measure_id = ? AND period_id = ? AND municipality_id = ?", measureID, periodID, muniID).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	db.Where("report_id = ?", p.ID).Order("position").Find(&p.Spent)
	db.Where("report_id = ?", p.ID).Order("indicator_id").Find(&p.IndicatorValues)
	db.Where("report_id = ?", p.ID).Order("group_code").Find(&p.Groups)
	m, err := GetMeasure(ctx, db, muniID, measureID)
	if err != nil {
		return nil, err
	}
	p.Flags = spendingFlags(m, p.Spent)
	if err := loadPublicNarratives(db, map[int64]*Progress{p.ID: &p}); err != nil {
		return nil, err
	}
	return &p, nil
}

// spendingFlags marks spending on a source the measure planned nothing from:
// allowed, but the commission should see it.
func spendingFlags(m *Measure, spent []Spending) []string {
	planned := map[string]bool{}
	for _, b := range m.Budget {
		planned[b.Source] = true
	}
	var flags []string
	for _, s := range spent {
		if !planned[s.Source] && !contains(flags, "unplanned_source:"+s.Source) {
			flags = append(flags, "unplanned_source:"+s.Source)
		}
	}
	return flags
}

// ReviewProgress moves a report through submit / accept / return.
func ReviewProgress(ctx context.Context, db *gorm.DB, a Actor, muniID, measureID, periodID int64, action, comment string,
	callerOrg *int64, coordinator bool) (*Progress, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, per, err := measureAndPeriod(ctx, tx, muniID, measureID, periodID)
		if err != nil {
			return err
		}
		old, err := lockProgress(tx, measureID, periodID)
		if err != nil {
			return err
		}
		if old == nil {
			return ErrNotFound
		}
		if per.Status == "closed" {
			return &StateError{"error.period_closed"}
		}
		changes, err := reviewChange(action, strings.TrimSpace(comment), old, m, callerOrg, coordinator)
		if err != nil {
			return err
		}
		changes["version"] = gorm.Expr("version + 1")
		if err := tx.Model(&Progress{}).Where("id = ?", old.ID).Updates(changes).Error; err != nil {
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "report_"+action, "measure", measureID, map[string]any{"period_id": periodID, "comment": comment}); err != nil {
			return err
		}
		return notifyReview(ctx, tx, a, m, per, action)
	})
	if err != nil {
		return nil, err
	}
	return GetProgress(ctx, db, muniID, measureID, periodID)
}

func reviewChange(action, comment string, old *Progress, m *Measure, callerOrg *int64, coordinator bool) (map[string]any, error) {
	now := time.Now()
	switch action {
	case "submit":
		if !ReporterRights(m, callerOrg, coordinator) {
			return nil, ErrNotResponsible
		}
		if old.Review != "draft" && old.Review != "returned" {
			return nil, &StateError{"error.report_not_editable"}
		}
		return map[string]any{"review": "submitted", "submitted_at": now}, nil
	case "accept", "return":
		if !coordinator {
			return nil, ErrNotResponsible
		}
		if old.Review != "submitted" {
			return nil, &StateError{"error.report_not_submitted"}
		}
		// A return must say why; either comment fits the column (2000).
		if err := checkReason("comment", comment, action == "return"); err != nil {
			return nil, err
		}
		if action == "return" {
			return map[string]any{"review": "returned", "review_comment": comment, "reviewed_at": now}, nil
		}
		return map[string]any{"review": "accepted", "review_comment": comment, "reviewed_at": now}, nil
	}
	return nil, ErrNotFound
}

// PeriodProgress loads every report of a period with its lines, keyed by
// measure, in a fixed number of queries.
func PeriodProgress(ctx context.Context, db *gorm.DB, muniID, periodID int64) (map[int64]*Progress, error) {
	db = db.WithContext(ctx)
	var rows []Progress
	if err := db.Where("period_id = ? AND municipality_id = ?", periodID, muniID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64]*Progress{}
	byID := map[int64]*Progress{}
	for i := range rows {
		out[rows[i].MeasureID], byID[rows[i].ID] = &rows[i], &rows[i]
	}
	var spent []Spending
	var values []ActualValue
	var groups []GroupCount
	db.Where("period_id = ?", periodID).Order("report_id, position").Find(&spent)
	db.Where("period_id = ?", periodID).Order("report_id, indicator_id").Find(&values)
	db.Where("period_id = ?", periodID).Order("report_id, group_code").Find(&groups)
	for _, s := range spent {
		byID[s.ReportID].Spent = append(byID[s.ReportID].Spent, s)
	}
	for _, v := range values {
		byID[v.ReportID].IndicatorValues = append(byID[v.ReportID].IndicatorValues, v)
	}
	for _, g := range groups {
		byID[g.ReportID].Groups = append(byID[g.ReportID].Groups, g)
	}
	return out, loadPublicNarratives(db, byID)
}

// SpentTotal is the report's spending, exact.
func (p *Progress) SpentTotal() decimal.Decimal {
	sum := decimal.Zero
	for _, s := range p.Spent {
		sum = sum.Add(s.Amount)
	}
	return sum
}

// PlanProgress loads every period's reports of a plan: period id → measure id → report.
func PlanProgress(ctx context.Context, db *gorm.DB, muniID, planID int64) ([]Period, map[int64]map[int64]*Progress, error) {
	periods, err := ListPeriods(ctx, db, muniID, planID)
	if err != nil {
		return nil, nil, err
	}
	out := map[int64]map[int64]*Progress{}
	for _, per := range periods {
		if out[per.ID], err = PeriodProgress(ctx, db, muniID, per.ID); err != nil {
			return nil, nil, err
		}
	}
	return periods, out, nil
}
