package models

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Plan versions (issue #17): a plan's content is written down as it stood
// when its consultation opened and when it was adopted, so any two versions
// (a revision and the plan it revises, a draft and what the public first
// read) can be compared measure by measure.

// Snapshot kinds.
const (
	SnapshotConsultation = "consultation"
	SnapshotAdopted      = "adopted"
	SnapshotCurrent      = "current" // not stored: the plan as it is now
)

// PlanContent is what a plan says, with names rather than ids, so a stored
// version reads the same after organisations are renamed or ids reused.
type PlanContent struct {
	Title       string        `json:"title"`
	PeriodStart string        `json:"period_start"`
	PeriodEnd   string        `json:"period_end"`
	Measures    []SnapMeasure `json:"measures"`
}

// SnapMeasure is one measure of a plan version.
type SnapMeasure struct {
	Code        string          `json:"code"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Objective   string          `json:"objective"`
	Groups      []string        `json:"groups"`
	Lead        string          `json:"lead"`
	Partners    []string        `json:"partners"`
	StartDate   string          `json:"start_date"`
	EndDate     string          `json:"end_date"`
	Indicators  []SnapIndicator `json:"indicators"`
	Budget      []SnapBudget    `json:"budget"`
}

// SnapIndicator is an indicator of a plan version.
type SnapIndicator struct {
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Baseline string `json:"baseline"`
	Target   string `json:"target"`
}

// SnapBudget is a budget line of a plan version; Amount is a decimal string.
type SnapBudget struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
	Funder string `json:"funder"`
	Amount string `json:"amount"`
}

// PlanSnapshot is a stored version of a plan.
type PlanSnapshot struct {
	ID             int64           `gorm:"primaryKey"`
	PlanID         int64           `json:"plan_id"`
	MunicipalityID int64           `json:"-"`
	PlanVersion    int             `json:"plan_version"`
	Kind           string          `json:"kind"`
	TakenAt        time.Time       `json:"taken_at"`
	Content        json.RawMessage `json:"-" gorm:"type:jsonb"`
}

// TableName maps PlanSnapshot to plan_snapshots.
func (PlanSnapshot) TableName() string { return "plan_snapshots" }

// ContentOf writes a loaded plan down as PlanContent.
func ContentOf(p *Plan, orgs map[int64]string) PlanContent {
	objectives := map[int64]string{}
	for _, o := range p.Objectives {
		objectives[o.ID] = o.Code + " " + o.Title
	}
	c := PlanContent{Title: p.Title, PeriodStart: p.PeriodStart.String(), PeriodEnd: p.PeriodEnd.String(), Measures: []SnapMeasure{}}
	for _, m := range p.Measures {
		sm := SnapMeasure{Code: m.Code, Title: m.Title, Description: m.Description, Objective: objectives[m.ObjectiveID],
			Groups: append([]string{}, m.Groups...), Lead: orgs[m.LeadOrganisationID], Partners: []string{},
			StartDate: m.StartDate.String(), EndDate: m.EndDate.String(), Indicators: []SnapIndicator{}, Budget: []SnapBudget{}}
		for _, id := range m.PartnerOrganisationIDs {
			sm.Partners = append(sm.Partners, orgs[id])
		}
		for _, i := range m.Indicators {
			sm.Indicators = append(sm.Indicators, SnapIndicator{i.Name, i.Unit, QuantityText(i.Baseline), QuantityText(i.Target)})
		}
		for _, b := range m.Budget {
			sm.Budget = append(sm.Budget, SnapBudget{b.Year, b.Source, b.Funder, Money(b.Amount)})
		}
		c.Measures = append(c.Measures, sm)
	}
	return c
}

// CurrentContent is a plan's content as it is now.
func CurrentContent(ctx context.Context, db *gorm.DB, muniID, planID int64) (PlanContent, error) {
	p, err := GetPlan(ctx, db, muniID, planID)
	if err != nil {
		return PlanContent{}, err
	}
	orgs, err := ListOrganisations(ctx, db, muniID)
	if err != nil {
		return PlanContent{}, err
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return ContentOf(p, names), nil
}

// takeSnapshot writes the plan's content down as it is inside tx; version
// is the plan version the snapshot belongs to.
func takeSnapshot(ctx context.Context, tx *gorm.DB, muniID, planID int64, version int, kind string) error {
	c, err := CurrentContent(ctx, tx, muniID, planID)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return tx.Create(&PlanSnapshot{PlanID: planID, MunicipalityID: muniID, PlanVersion: version, Kind: kind,
		TakenAt: time.Now(), Content: raw}).Error
}

// ensureAdoptedSnapshot writes down an adopted plan (frozen, so its content
// now is its content at adoption) when no snapshot of its adoption exists,
// as for plans adopted before snapshots were kept.
func ensureAdoptedSnapshot(ctx context.Context, tx *gorm.DB, p *Plan) error {
	var n int64
	if err := tx.Model(&PlanSnapshot{}).Where("plan_id = ? AND kind = ?", p.ID, SnapshotAdopted).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return takeSnapshot(ctx, tx, p.MunicipalityID, p.ID, p.Version, SnapshotAdopted)
}

// PlanVersion is one version of a plan that can be compared: ID 0 is the
// plan as it is now.
type PlanVersion struct {
	ID          int64     `json:"id"`
	PlanID      int64     `json:"plan_id"`
	PlanVersion int       `json:"plan_version"`
	Kind        string    `json:"kind"`
	TakenAt     time.Time `json:"taken_at"`
}

// PlanVersions lists the versions of a plan and of the plans it revises,
// newest first, the current content first of all.
func PlanVersions(ctx context.Context, db *gorm.DB, muniID int64, p *Plan) ([]PlanVersion, error) {
	var snaps []PlanVersion
	err := db.WithContext(ctx).Raw(`WITH RECURSIVE chain (id, revises_id) AS (
			SELECT id, revises_id FROM action_plans WHERE id = ? AND municipality_id = ?
			UNION SELECT p.id, p.revises_id FROM action_plans p JOIN chain c ON p.id = c.revises_id WHERE p.municipality_id = ?)
		SELECT s.id, s.plan_id, s.plan_version, s.kind, s.taken_at FROM plan_snapshots s
		WHERE s.municipality_id = ? AND s.plan_id IN (SELECT id FROM chain) ORDER BY s.id DESC`,
		p.ID, muniID, muniID, muniID).Scan(&snaps).Error
	if err != nil {
		return nil, err
	}
	return append([]PlanVersion{{ID: 0, PlanID: p.ID, PlanVersion: p.Version, Kind: SnapshotCurrent, TakenAt: p.UpdatedAt}}, snaps...), nil
}

// DefaultFrom is the version a plan is compared with by default: for a
// revision, the adoption of the plan it revises; otherwise what its last
// consultation opened with. ok is false when there is none.
func DefaultFrom(p *Plan, versions []PlanVersion) (int64, bool) {
	for _, v := range versions {
		if p.RevisesID != nil && v.PlanID == *p.RevisesID && v.Kind == SnapshotAdopted {
			return v.ID, true
		}
	}
	for _, v := range versions {
		if v.PlanID == p.ID && v.Kind == SnapshotConsultation {
			return v.ID, true
		}
	}
	return 0, false
}

// VersionContent is the content of one version of versions (0: current).
func VersionContent(ctx context.Context, db *gorm.DB, muniID int64, p *Plan, id int64) (PlanContent, error) {
	if id == 0 {
		return CurrentContent(ctx, db, muniID, p.ID)
	}
	var s PlanSnapshot
	if err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&s).Error; err != nil {
		return PlanContent{}, notFound(err)
	}
	var c PlanContent
	err := json.Unmarshal(s.Content, &c)
	return c, err
}

// DiffField is one changed field: before and after (strings, or lists of
// strings for groups and partners).
type DiffField struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// IndicatorChange is an indicator (by name) whose unit, baseline or target changed.
type IndicatorChange struct {
	Name   string      `json:"name"`
	Fields []DiffField `json:"fields"`
}

// BudgetChange is a budget line (by year, source and funder) whose amount changed.
type BudgetChange struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
	Funder string `json:"funder"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// MeasureDiff is what changed in a measure present in both versions.
type MeasureDiff struct {
	Code              string            `json:"code"`
	Title             string            `json:"title"`
	Fields            []DiffField       `json:"fields"`
	IndicatorsAdded   []SnapIndicator   `json:"indicators_added"`
	IndicatorsRemoved []SnapIndicator   `json:"indicators_removed"`
	IndicatorsChanged []IndicatorChange `json:"indicators_changed"`
	BudgetAdded       []SnapBudget      `json:"budget_added"`
	BudgetRemoved     []SnapBudget      `json:"budget_removed"`
	BudgetChanged     []BudgetChange    `json:"budget_changed"`
}

// PlanDiff is what changed from one plan version to another.
type PlanDiff struct {
	Fields  []DiffField   `json:"fields"`
	Added   []SnapMeasure `json:"measures_added"`
	Removed []SnapMeasure `json:"measures_removed"`
	Changed []MeasureDiff `json:"measures_changed"`
}

// Empty says whether the two versions say the same.
func (d PlanDiff) Empty() bool {
	return len(d.Fields)+len(d.Added)+len(d.Removed)+len(d.Changed) == 0
}

// DiffPlanVersions compares two plan versions: the head, then measures matched by
// code, and within a changed measure its text fields, indicators (by name)
// and budget lines (by year, source and funder).
func DiffPlanVersions(from, to PlanContent) PlanDiff {
	d := PlanDiff{Fields: []DiffField{}, Added: []SnapMeasure{}, Removed: []SnapMeasure{}, Changed: []MeasureDiff{}}
	d.Fields = diffFields(d.Fields, "title", from.Title, to.Title)
	d.Fields = diffFields(d.Fields, "period_start", from.PeriodStart, to.PeriodStart)
	d.Fields = diffFields(d.Fields, "period_end", from.PeriodEnd, to.PeriodEnd)
	old := map[string]SnapMeasure{}
	for _, m := range from.Measures {
		old[strings.ToUpper(m.Code)] = m
	}
	seen := map[string]bool{}
	for _, m := range to.Measures {
		key := strings.ToUpper(m.Code)
		seen[key] = true
		o, ok := old[key]
		if !ok {
			d.Added = append(d.Added, m)
			continue
		}
		if md, changed := diffMeasure(o, m); changed {
			d.Changed = append(d.Changed, md)
		}
	}
	for _, m := range from.Measures {
		if !seen[strings.ToUpper(m.Code)] {
			d.Removed = append(d.Removed, m)
		}
	}
	return d
}

func diffFields(out []DiffField, field string, a, b any) []DiffField {
	if !reflect.DeepEqual(a, b) {
		out = append(out, DiffField{field, a, b})
	}
	return out
}

func diffMeasure(a, b SnapMeasure) (MeasureDiff, bool) {
	md := MeasureDiff{Code: b.Code, Title: b.Title, Fields: []DiffField{},
		IndicatorsAdded: []SnapIndicator{}, IndicatorsRemoved: []SnapIndicator{}, IndicatorsChanged: []IndicatorChange{},
		BudgetAdded: []SnapBudget{}, BudgetRemoved: []SnapBudget{}, BudgetChanged: []BudgetChange{}}
	md.Fields = diffFields(md.Fields, "code", a.Code, b.Code)
	md.Fields = diffFields(md.Fields, "title", a.Title, b.Title)
	md.Fields = diffFields(md.Fields, "description", a.Description, b.Description)
	md.Fields = diffFields(md.Fields, "objective", a.Objective, b.Objective)
	md.Fields = diffFields(md.Fields, "groups", sorted(a.Groups), sorted(b.Groups))
	md.Fields = diffFields(md.Fields, "lead", a.Lead, b.Lead)
	md.Fields = diffFields(md.Fields, "partners", sorted(a.Partners), sorted(b.Partners))
	md.Fields = diffFields(md.Fields, "start_date", a.StartDate, b.StartDate)
	md.Fields = diffFields(md.Fields, "end_date", a.EndDate, b.EndDate)

	oldInd := map[string]SnapIndicator{}
	for _, i := range a.Indicators {
		oldInd[i.Name] = i
	}
	newInd := map[string]bool{}
	for _, i := range b.Indicators {
		newInd[i.Name] = true
		o, ok := oldInd[i.Name]
		if !ok {
			md.IndicatorsAdded = append(md.IndicatorsAdded, i)
			continue
		}
		var f []DiffField
		f = diffFields(f, "unit", o.Unit, i.Unit)
		f = diffFields(f, "baseline", o.Baseline, i.Baseline)
		f = diffFields(f, "target", o.Target, i.Target)
		if len(f) > 0 {
			md.IndicatorsChanged = append(md.IndicatorsChanged, IndicatorChange{i.Name, f})
		}
	}
	for _, i := range a.Indicators {
		if !newInd[i.Name] {
			md.IndicatorsRemoved = append(md.IndicatorsRemoved, i)
		}
	}

	type lineKey struct {
		year           int
		source, funder string
	}
	oldBud := map[lineKey][]SnapBudget{}
	for _, l := range a.Budget {
		k := lineKey{l.Year, l.Source, l.Funder}
		oldBud[k] = append(oldBud[k], l)
	}
	for _, l := range b.Budget {
		k := lineKey{l.Year, l.Source, l.Funder}
		if olds := oldBud[k]; len(olds) > 0 {
			o := olds[0]
			oldBud[k] = olds[1:]
			if o.Amount != l.Amount {
				md.BudgetChanged = append(md.BudgetChanged, BudgetChange{l.Year, l.Source, l.Funder, o.Amount, l.Amount})
			}
			continue
		}
		md.BudgetAdded = append(md.BudgetAdded, l)
	}
	for _, l := range a.Budget {
		k := lineKey{l.Year, l.Source, l.Funder}
		if olds := oldBud[k]; len(olds) > 0 && olds[0] == l {
			md.BudgetRemoved = append(md.BudgetRemoved, l)
			oldBud[k] = olds[1:]
		}
	}
	changed := len(md.Fields)+len(md.IndicatorsAdded)+len(md.IndicatorsRemoved)+len(md.IndicatorsChanged)+
		len(md.BudgetAdded)+len(md.BudgetRemoved)+len(md.BudgetChanged) > 0
	return md, changed
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}
