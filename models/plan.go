package models

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Plan statuses (API.md).
const (
	PlanDraft        = "draft"
	PlanConsultation = "public_consultation"
	PlanSubmitted    = "submitted"
	PlanAdopted      = "adopted"
	PlanSuperseded   = "superseded"
)

// BudgetSources are the funding sources of API.md.
var BudgetSources = []string{"municipal", "pes", "csw", "government", "donor", "in_kind", "other"}

// Plan is a Municipal Action Plan.
type Plan struct {
	ID                   int64       `json:"id" gorm:"primaryKey"`
	MunicipalityID       int64       `json:"municipality_id"`
	Title                string      `json:"title"`
	PeriodStart          Date        `json:"period_start"`
	PeriodEnd            Date        `json:"period_end"`
	Status               string      `json:"status"`
	RevisesID            *int64      `json:"revises_id"`
	ConsultationClosesOn *Date       `json:"consultation_closes_on"`
	ConsultationOpenedAt *time.Time  `json:"consultation_opened_at"`
	SubmittedAt          *time.Time  `json:"submitted_at"`
	AdoptedOn            *Date       `json:"adopted_on"`
	DecisionNumber       *string     `json:"decision_number"`
	VotesFor             *int        `json:"votes_for"`
	VotesAgainst         *int        `json:"votes_against"`
	VotesAbstained       *int        `json:"votes_abstained"`
	ReturnedReason       *string     `json:"returned_reason"`
	Version              int         `json:"version"`
	CreatedBy            *int64      `json:"-"`
	CreatedAt            time.Time   `json:"created_at"`
	UpdatedAt            time.Time   `json:"updated_at"`
	Objectives           []Objective `json:"objectives" gorm:"-"`
	Measures             []Measure   `json:"measures" gorm:"-"`
	// Changes made since the consultation opened (API answers only).
	Changes []PlanChangeRow `json:"changes,omitempty" gorm:"-"`
}

// TableName maps Plan to action_plans.
func (Plan) TableName() string { return "action_plans" }

// Unanimous says whether the assembly adopted the plan without votes against or abstentions.
func (p *Plan) Unanimous() bool {
	return p.VotesFor != nil && *p.VotesFor > 0 && p.VotesAgainst != nil && *p.VotesAgainst == 0 &&
		p.VotesAbstained != nil && *p.VotesAbstained == 0
}

// ConsultationOpen says whether the public may comment today.
func (p *Plan) ConsultationOpen() bool {
	return p.Status == PlanConsultation && p.ConsultationClosesOn != nil && !Today().After(p.ConsultationClosesOn.Time)
}

// Years lists the calendar years of the plan period.
func (p *Plan) Years() []int {
	var ys []int
	for y := p.PeriodStart.Year(); y <= p.PeriodEnd.Year(); y++ {
		ys = append(ys, y)
	}
	return ys
}

// Objective groups measures.
type Objective struct {
	ID             int64  `json:"id" gorm:"primaryKey"`
	PlanID         int64  `json:"plan_id"`
	MunicipalityID int64  `json:"-"`
	Code           string `json:"code"`
	Title          string `json:"title"`
}

// TableName maps Objective to plan_objectives.
func (Objective) TableName() string { return "plan_objectives" }

// Measure is one precise action of a plan.
type Measure struct {
	ID                     int64         `json:"id" gorm:"primaryKey"`
	PlanID                 int64         `json:"plan_id"`
	MunicipalityID         int64         `json:"-"`
	ObjectiveID            int64         `json:"objective_id"`
	Code                   string        `json:"code"`
	Title                  string        `json:"title"`
	Description            string        `json:"description"`
	Groups                 CodeList      `json:"groups" gorm:"type:text[]"`
	LeadOrganisationID     int64         `json:"lead_organisation_id"`
	PartnerOrganisationIDs Int64s        `json:"partner_organisation_ids" gorm:"type:bigint[]"`
	StartDate              Date          `json:"start_date"`
	EndDate                Date          `json:"end_date"`
	Version                int           `json:"version"`
	Indicators             []Indicator   `json:"indicators" gorm:"-"`
	Budget                 []BudgetLine  `json:"budget" gorm:"-"`
	Evidence               []EvidenceRef `json:"evidence" gorm:"-"`
}

// TableName maps Measure to plan_measures.
func (Measure) TableName() string { return "plan_measures" }

// Total is the measure's planned budget, exact.
func (m *Measure) Total() decimal.Decimal {
	sum := decimal.Zero
	for _, b := range m.Budget {
		sum = sum.Add(b.Amount)
	}
	return sum
}

// Indicator measures a measure's result.
type Indicator struct {
	ID             int64           `json:"id" gorm:"primaryKey"`
	MeasureID      int64           `json:"measure_id"`
	PlanID         int64           `json:"-"`
	MunicipalityID int64           `json:"-"`
	Position       int             `json:"-"`
	Name           string          `json:"name"`
	Unit           string          `json:"unit"`
	Baseline       decimal.Decimal `json:"baseline"`
	Target         decimal.Decimal `json:"target"`
}

// TableName maps Indicator to measure_indicators.
func (Indicator) TableName() string { return "measure_indicators" }

// BudgetLine is planned money from one source in one year.
type BudgetLine struct {
	ID             int64           `json:"id" gorm:"primaryKey"`
	MeasureID      int64           `json:"measure_id"`
	PlanID         int64           `json:"-"`
	MunicipalityID int64           `json:"-"`
	Position       int             `json:"-"`
	Year           int             `json:"year"`
	Source         string          `json:"source"`
	Funder         string          `json:"funder"`
	Amount         decimal.Decimal `json:"amount"`
}

// TableName maps BudgetLine to measure_budget_lines.
func (BudgetLine) TableName() string { return "measure_budget_lines" }

// EvidenceRef cites a situation-analysis finding or a focus-group need.
type EvidenceRef struct {
	MeasureID      int64  `json:"-" gorm:"primaryKey"`
	PlanID         int64  `json:"-"`
	MunicipalityID int64  `json:"-"`
	Kind           string `json:"kind" gorm:"primaryKey"`
	EvidenceID     int64  `json:"id" gorm:"column:evidence_id;primaryKey"`
	Statement      string `json:"statement,omitempty" gorm:"->;-:migration"`
}

// TableName maps EvidenceRef to measure_evidence.
func (EvidenceRef) TableName() string { return "measure_evidence" }

// PlanInput is the editable head of a plan.
type PlanInput struct {
	Title       string
	PeriodStart Date
	PeriodEnd   Date
}

func (in *PlanInput) validate() error {
	in.Title = strings.TrimSpace(in.Title)
	f := map[string]string{}
	checkText(f, "title", in.Title, 300, true)
	switch {
	case in.PeriodStart.IsZero():
		f["period_start"] = "validation.date"
	case in.PeriodEnd.IsZero():
		f["period_end"] = "validation.date"
	case !in.PeriodEnd.After(in.PeriodStart.Time):
		f["period_end"] = "validation.period_order"
	case in.PeriodEnd.Year()-in.PeriodStart.Year() > 10:
		f["period_end"] = "validation.period_too_long"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// CreatePlan starts a draft plan.
func CreatePlan(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in PlanInput) (*Plan, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	p := &Plan{MunicipalityID: muniID, Title: in.Title, PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd,
		Status: PlanDraft, Version: 1, CreatedBy: userRef(a)}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Objectives", "Measures").Create(p).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "action_plan", p.ID, in)
	})
	return p, err
}

// UpdatePlan edits a draft plan's head; measures outside the new period are refused.
func UpdatePlan(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, in PlanInput) (*Plan, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := lockPlan(tx, muniID, id, version)
		if err != nil {
			return err
		}
		if p.Status != PlanDraft {
			return &StateError{"error.plan_not_draft"}
		}
		var outside int64
		tx.Model(&Measure{}).Where("plan_id = ? AND (start_date < ? OR end_date > ?)", id, in.PeriodStart, in.PeriodEnd).Count(&outside)
		if outside > 0 {
			return Invalid("period_start", "validation.measures_outside_period")
		}
		if err := bumpPlan(tx, id, map[string]any{"title": in.Title, "period_start": in.PeriodStart, "period_end": in.PeriodEnd}); err != nil {
			return err
		}
		before := map[string]any{"title": p.Title, "period_start": p.PeriodStart, "period_end": p.PeriodEnd}
		after := map[string]any{"title": in.Title, "period_start": in.PeriodStart, "period_end": in.PeriodEnd}
		return Audit(ctx, tx, a, muniID, "update", "action_plan", id, Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return GetPlan(ctx, db, muniID, id)
}

// lockPlan reads a plan FOR UPDATE inside its municipality; a version other
// than 0 must match the stored one.
func lockPlan(tx *gorm.DB, muniID, id int64, version int) (*Plan, error) {
	var p Plan
	err := tx.Raw(`SELECT * FROM action_plans WHERE id = ? AND municipality_id = ? FOR UPDATE`, id, muniID).Scan(&p).Error
	if err == nil && p.ID == 0 {
		return nil, ErrNotFound
	}
	if err == nil && version != 0 && version != p.Version {
		return nil, ErrStale
	}
	return &p, err
}

// bumpPlan writes changes and increments the plan's version.
func bumpPlan(tx *gorm.DB, id int64, changes map[string]any) error {
	changes["version"] = gorm.Expr("version + 1")
	changes["updated_at"] = time.Now()
	return tx.Model(&Plan{}).Where("id = ?", id).Updates(changes).Error
}

// GetPlan loads a plan with objectives, measures, indicators, budget and
// evidence in a fixed number of queries, whatever the plan's size.
func GetPlan(ctx context.Context, db *gorm.DB, muniID, id int64) (*Plan, error) {
	db = db.WithContext(ctx)
	var p Plan
	if err := db.Where("id = ? AND municipality_id = ?", id, muniID).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	if err := db.Where("plan_id = ?", id).Order("code").Find(&p.Objectives).Error; err != nil {
		return nil, err
	}
	if err := db.Where("plan_id = ?", id).Order("code").Find(&p.Measures).Error; err != nil {
		return nil, err
	}
	var inds []Indicator
	var lines []BudgetLine
	var ev []EvidenceRef
	if err := db.Where("plan_id = ?", id).Order("measure_id, position").Find(&inds).Error; err != nil {
		return nil, err
	}
	if err := db.Where("plan_id = ?", id).Order("measure_id, position").Find(&lines).Error; err != nil {
		return nil, err
	}
	err := db.Raw(`SELECT e.*, coalesce(f.statement, n.statement, '') AS statement FROM measure_evidence e
		LEFT JOIN sitan_findings f ON e.kind = 'finding' AND f.id = e.evidence_id
		LEFT JOIN focus_group_needs n ON e.kind = 'need' AND n.id = e.evidence_id
		WHERE e.plan_id = ? ORDER BY e.measure_id, e.kind, e.evidence_id`, id).Scan(&ev).Error
	if err != nil {
		return nil, err
	}
	attachParts(&p, inds, lines, ev)
	return &p, nil
}

func attachParts(p *Plan, inds []Indicator, lines []BudgetLine, ev []EvidenceRef) {
	idx := map[int64]*Measure{}
	for i := range p.Measures {
		m := &p.Measures[i]
		idx[m.ID] = m
		m.Indicators, m.Budget, m.Evidence = []Indicator{}, []BudgetLine{}, []EvidenceRef{}
	}
	// The parts are read by later statements than the measures, so under
	// concurrent writers they may belong to a measure created (or deleted)
	// in between: such parts are left out, never put on another measure.
	// (Before, they went to the first measure, or panicked with no measure:
	// "index out of range [0] with length 0" under 8 parallel writers.)
	for _, x := range inds {
		if m := idx[x.MeasureID]; m != nil {
			m.Indicators = append(m.Indicators, x)
		}
	}
	for _, x := range lines {
		if m := idx[x.MeasureID]; m != nil {
			m.Budget = append(m.Budget, x)
		}
	}
	for _, x := range ev {
		if m := idx[x.MeasureID]; m != nil {
			m.Evidence = append(m.Evidence, x)
		}
	}
}

// PlanSummary is a row of the plans list.
type PlanSummary struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	PeriodStart Date   `json:"period_start"`
	PeriodEnd   Date   `json:"period_end"`
	Measures    int    `json:"measures"`
	RevisesID   *int64 `json:"revises_id"`
}

// ListPlans lists a municipality's plans, newest first.
func ListPlans(ctx context.Context, db *gorm.DB, muniID int64) ([]PlanSummary, error) {
	var out []PlanSummary
	err := db.WithContext(ctx).Raw(`SELECT p.id, p.title, p.status, p.period_start, p.period_end, p.revises_id,
		(SELECT count(*) FROM plan_measures m WHERE m.plan_id = p.id) AS measures
		FROM action_plans p WHERE p.municipality_id = ? ORDER BY p.period_start DESC, p.id DESC`, muniID).Scan(&out).Error
	return out, err
}

// MunicipalityOfPlan answers which municipality owns a plan (for the policy).
func MunicipalityOfPlan(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return municipalityOf(ctx, db, "action_plans", id)
}

// MunicipalityOfMeasure answers which municipality owns a measure (for the policy).
func MunicipalityOfMeasure(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return municipalityOf(ctx, db, "plan_measures", id)
}

// MunicipalityOfComment answers which municipality owns a comment (for the policy).
func MunicipalityOfComment(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return municipalityOf(ctx, db, "plan_comments", id)
}
