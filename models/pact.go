package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Pact step statuses (API.md "Working the cycle").
const (
	StepDone       = "done"
	StepInProgress = "in_progress"
	StepNotStarted = "not_started"
)

// PactStepKeys are the steps of the model practice (DOMAIN.md), in order:
// the commission and its protocols, the situation analysis, the focus
// groups, the adopted action plan and the annual report to the assembly.
var PactStepKeys = []string{"commission", "agreements", "situation_analysis", "focus_groups", "action_plan", "annual_report"}

// PactStep is where a municipality stands on one step.
type PactStep struct {
	Key     string     `json:"key"`
	Status  string     `json:"status"`
	DoneAt  *time.Time `json:"done_at"`
	NextURL *string    `json:"next_url"`
}

// Pact is the pact at a glance.
type Pact struct {
	Steps            []PactStep `json:"steps"`
	PartnershipLevel string     `json:"partnership_level"`
}

// pactRow is one row of facts, each a count or the first date a step was done.
type pactRow struct {
	Orgs         int64
	CommissionAt *time.Time
	AgrOpen      int64
	AgrAt        *time.Time
	SitanOpen    int64
	SitanAt      *time.Time
	FGFuture     int64
	FGAt         *time.Time
	PlanOpen     int64
	PlanAt       *time.Time
	Periods      int64
	ReportAt     *time.Time
	TopLevel     int64
}

// PactOf computes the pact at a glance of one municipality in one query.
//
// A step is done when its first result exists (dates are of the first one):
// commission — at least two partner organisations (done when the second was
// added); agreements — an agreement in force; situation analysis — one
// published; focus groups — one held; action plan — one adopted; annual
// report — a reporting period's report published. It is in progress when
// work towards it has begun (a draft, a plan in consultation, a period).
//
// The partnership level is the closest level of the agreements in force
// (cooperation < coordination < collaboration), and at least coordination
// once an action plan is adopted, since that is joint planning. Cooperation
// is the floor: information shared among partners.
func PactOf(ctx context.Context, db *gorm.DB, municipalityID int64) (*Pact, error) {
	var r pactRow
	err := db.WithContext(ctx).Raw(`SELECT
  (SELECT count(*) FROM organisations WHERE municipality_id = @m) AS orgs,
  (SELECT created_at FROM organisations WHERE municipality_id = @m ORDER BY created_at, id OFFSET 1 LIMIT 1) AS commission_at,
  (SELECT count(*) FROM agreements WHERE municipality_id = @m AND status IN ('draft', 'open_for_signature')) AS agr_open,
  (SELECT min(in_force_at) FROM agreements WHERE municipality_id = @m AND status IN ('in_force', 'superseded') AND in_force_at IS NOT NULL) AS agr_at,
  (SELECT count(*) FROM situation_analyses WHERE municipality_id = @m AND status = 'collecting') AS sitan_open,
  (SELECT min(published_at) FROM situation_analyses WHERE municipality_id = @m AND status = 'published') AS sitan_at,
  (SELECT count(*) FROM focus_groups WHERE municipality_id = @m AND held_on > current_date) AS fg_future,
  (SELECT min(held_on)::timestamptz FROM focus_groups WHERE municipality_id = @m AND held_on <= current_date) AS fg_at,
  (SELECT count(*) FROM action_plans WHERE municipality_id = @m AND status IN ('draft', 'public_consultation', 'submitted')) AS plan_open,
  (SELECT min(adopted_on)::timestamptz FROM action_plans WHERE municipality_id = @m AND status IN ('adopted', 'superseded') AND adopted_on IS NOT NULL) AS plan_at,
  (SELECT count(*) FROM reporting_periods WHERE municipality_id = @m) AS periods,
  (SELECT min(published_at) FROM reporting_periods WHERE municipality_id = @m AND published_at IS NOT NULL) AS report_at,
  (SELECT coalesce(max(CASE level WHEN 'collaboration' THEN 2 WHEN 'coordination' THEN 1 ELSE 0 END), 0)
     FROM agreements WHERE municipality_id = @m AND status = 'in_force') AS top_level`,
		map[string]any{"m": municipalityID}).Scan(&r).Error
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("/municipalities/%d", municipalityID)
	p := &Pact{Steps: []PactStep{
		pactStep("commission", r.CommissionAt, r.Orgs > 0, base+"/organisations/new"),
		pactStep("agreements", r.AgrAt, r.AgrOpen > 0, base+"/agreements"),
		pactStep("situation_analysis", r.SitanAt, r.SitanOpen > 0, base+"/situation-analyses"),
		pactStep("focus_groups", r.FGAt, r.FGFuture > 0, base+"/focus-groups"),
		pactStep("action_plan", r.PlanAt, r.PlanOpen > 0, base+"/plans"),
		pactStep("annual_report", r.ReportAt, r.Periods > 0, base+"/plans"),
	}}
	level := r.TopLevel
	if r.PlanAt != nil && level < 1 {
		level = 1
	}
	p.PartnershipLevel = PartnershipLevels[level]
	return p, nil
}

// pactStep is a step done at doneAt (if set), in progress if begun; a step
// not done names the page where its next action is.
func pactStep(key string, doneAt *time.Time, begun bool, next string) PactStep {
	s := PactStep{Key: key, Status: StepNotStarted}
	switch {
	case doneAt != nil:
		s.Status, s.DoneAt = StepDone, doneAt
	case begun:
		s.Status, s.NextURL = StepInProgress, &next
	default:
		s.NextURL = &next
	}
	return s
}

// Current is the index of the first step not done: where the municipality stands.
func (p *Pact) Current() int {
	for i, s := range p.Steps {
		if s.Status != StepDone {
			return i
		}
	}
	return len(p.Steps)
}
