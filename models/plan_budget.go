package models

import (
	"context"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// BudgetMatrix is planned money by source and year, exact to the cent:
// every total is the sum of its lines, computed with decimals.
type BudgetMatrix struct {
	Years     []int
	Sources   []string
	Cells     map[string]map[int]decimal.Decimal
	BySource  map[string]decimal.Decimal
	ByYear    map[int]decimal.Decimal
	ByMeasure map[int64]decimal.Decimal
	Total     decimal.Decimal
}

// Cell returns the amount of one source in one year.
func (b *BudgetMatrix) Cell(source string, year int) decimal.Decimal { return b.Cells[source][year] }

// Matrix totals a loaded plan's budget lines.
func (p *Plan) Matrix() *BudgetMatrix {
	b := &BudgetMatrix{Years: p.Years(), Cells: map[string]map[int]decimal.Decimal{}, BySource: map[string]decimal.Decimal{},
		ByYear: map[int]decimal.Decimal{}, ByMeasure: map[int64]decimal.Decimal{}}
	used := map[string]bool{}
	for _, m := range p.Measures {
		for _, l := range m.Budget {
			if b.Cells[l.Source] == nil {
				b.Cells[l.Source] = map[int]decimal.Decimal{}
			}
			b.Cells[l.Source][l.Year] = b.Cells[l.Source][l.Year].Add(l.Amount)
			b.BySource[l.Source] = b.BySource[l.Source].Add(l.Amount)
			b.ByYear[l.Year] = b.ByYear[l.Year].Add(l.Amount)
			b.ByMeasure[m.ID] = b.ByMeasure[m.ID].Add(l.Amount)
			b.Total = b.Total.Add(l.Amount)
			used[l.Source] = true
		}
	}
	for _, s := range BudgetSources {
		if used[s] {
			b.Sources = append(b.Sources, s)
		}
	}
	return b
}

// UnansweredNeed is a high-priority need no measure of the plan cites.
type UnansweredNeed struct {
	ID        int64
	Statement string
	Group     *string `gorm:"column:group_code"`
	Barrier   string
}

// UnansweredNeeds lists the municipality's priority-1 focus-group needs that
// no measure of this plan answers yet.
func UnansweredNeeds(ctx context.Context, db *gorm.DB, muniID, planID int64) ([]UnansweredNeed, error) {
	var out []UnansweredNeed
	err := db.WithContext(ctx).Raw(`SELECT n.id, n.statement, n.group_code, n.barrier FROM focus_group_needs n
		WHERE n.municipality_id = ? AND n.priority = 1 AND NOT EXISTS (SELECT 1 FROM measure_evidence e
			WHERE e.plan_id = ? AND e.kind = 'need' AND e.evidence_id = n.id)
		ORDER BY n.id`, muniID, planID).Scan(&out).Error
	return out, err
}

// EvidenceOption is a finding or need a measure can cite.
type EvidenceOption struct {
	Kind      string
	ID        int64
	Statement string
	Group     *string `gorm:"column:group_code"`
	Priority  *int
}

// EvidenceOptions lists the municipality's findings and needs for the measure form.
func EvidenceOptions(ctx context.Context, db *gorm.DB, muniID int64) ([]EvidenceOption, error) {
	var out []EvidenceOption
	err := db.WithContext(ctx).Raw(`SELECT 'finding' AS kind, id, statement, group_code, NULL::int AS priority
		FROM sitan_findings WHERE municipality_id = ?
		UNION ALL SELECT 'need', id, statement, group_code, priority FROM focus_group_needs WHERE municipality_id = ?
		ORDER BY kind, id`, muniID, muniID).Scan(&out).Error
	return out, err
}

// PlanChange is what a revision changed against the adopted plan.
type PlanChange struct {
	Added, Removed []Measure
	Changed        []MeasureBudgetChange
	TotalBefore    decimal.Decimal
	TotalAfter     decimal.Decimal
}

// MeasureBudgetChange is a measure present in both versions.
type MeasureBudgetChange struct {
	Code, Title    string
	Before, After  decimal.Decimal
	ContentChanged bool
}

// DiffPlans compares measures by code: added, removed, budget and content changes.
func DiffPlans(old, new *Plan) PlanChange {
	d := PlanChange{TotalBefore: old.Matrix().Total, TotalAfter: new.Matrix().Total}
	olds := map[string]Measure{}
	for _, m := range old.Measures {
		olds[m.Code] = m
	}
	seen := map[string]bool{}
	for _, m := range new.Measures {
		o, ok := olds[m.Code]
		seen[m.Code] = true
		if !ok {
			d.Added = append(d.Added, m)
			continue
		}
		changed := o.Title != m.Title || o.Description != m.Description || o.StartDate != m.StartDate || o.EndDate != m.EndDate ||
			o.LeadOrganisationID != m.LeadOrganisationID || len(o.Indicators) != len(m.Indicators)
		if changed || !o.Total().Equal(m.Total()) {
			d.Changed = append(d.Changed, MeasureBudgetChange{m.Code, m.Title, o.Total(), m.Total(), changed})
		}
	}
	for _, m := range old.Measures {
		if !seen[m.Code] {
			d.Removed = append(d.Removed, m)
		}
	}
	return d
}
