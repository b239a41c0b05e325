package models

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// MeasureInput is a measure as the coordinator writes it; numbers are
// strings so each bad value is reported on its own field.
type MeasureInput struct {
	Code                   string           `json:"code"`
	Title                  string           `json:"title"`
	Description            string           `json:"description"`
	ObjectiveID            int64            `json:"objective_id"`
	Groups                 []string         `json:"groups"`
	LeadOrganisationID     int64            `json:"lead_organisation_id"`
	PartnerOrganisationIDs []int64          `json:"partner_organisation_ids"`
	StartDate              string           `json:"start_date"`
	EndDate                string           `json:"end_date"`
	Evidence               []EvidenceInput  `json:"evidence"`
	Indicators             []IndicatorInput `json:"indicators"`
	Budget                 []BudgetInput    `json:"budget"`
}

// EvidenceInput cites a finding or a need by id.
type EvidenceInput struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
}

// IndicatorInput is an indicator with its baseline and target.
type IndicatorInput struct {
	Name     string  `json:"name"`
	Unit     string  `json:"unit"`
	Baseline NumText `json:"baseline"`
	Target   NumText `json:"target"`
}

// BudgetInput is one planned amount.
type BudgetInput struct {
	Year   int     `json:"year"`
	Source string  `json:"source"`
	Funder string  `json:"funder"`
	Amount NumText `json:"amount"`
}

// InputOf returns a stored measure as input (for PATCH and revisions).
func (m *Measure) InputOf() MeasureInput {
	in := MeasureInput{Code: m.Code, Title: m.Title, Description: m.Description, ObjectiveID: m.ObjectiveID,
		Groups: append([]string{}, m.Groups...), LeadOrganisationID: m.LeadOrganisationID,
		PartnerOrganisationIDs: append([]int64{}, m.PartnerOrganisationIDs...), StartDate: m.StartDate.String(), EndDate: m.EndDate.String(),
		Evidence: []EvidenceInput{}, Indicators: []IndicatorInput{}, Budget: []BudgetInput{}}
	for _, e := range m.Evidence {
		in.Evidence = append(in.Evidence, EvidenceInput{e.Kind, e.EvidenceID})
	}
	for _, i := range m.Indicators {
		in.Indicators = append(in.Indicators, IndicatorInput{i.Name, i.Unit, NumText(QuantityText(i.Baseline)), NumText(QuantityText(i.Target))})
	}
	for _, b := range m.Budget {
		in.Budget = append(in.Budget, BudgetInput{b.Year, b.Source, b.Funder, NumText(Money(b.Amount))})
	}
	return in
}

// checkedMeasure is a validated input with parsed values.
type checkedMeasure struct {
	in         MeasureInput
	start, end Date
	baselines  []decimal.Decimal
	targets    []decimal.Decimal
	amounts    []decimal.Decimal
}

// validateMeasure checks everything against the plan and the municipality.
func validateMeasure(ctx context.Context, tx *gorm.DB, p *Plan, selfID int64, in MeasureInput) (*checkedMeasure, error) {
	in.Code, in.Title, in.Description = strings.TrimSpace(in.Code), strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	f := map[string]string{}
	cm := &checkedMeasure{in: in}
	checkText(f, "code", in.Code, 20, true)
	checkText(f, "title", in.Title, 500, true)
	checkText(f, "description", in.Description, 10000, false)
	if err := checkMeasureRefs(ctx, tx, p, selfID, in, f); err != nil {
		return nil, err
	}
	cm.start, cm.end = checkMeasureDates(p, in, f)
	for i, ind := range in.Indicators {
		k := fmt.Sprintf("indicators[%d].", i)
		checkText(f, k+"name", strings.TrimSpace(ind.Name), 300, true)
		checkText(f, k+"unit", ind.Unit, 50, false)
		cm.baselines = append(cm.baselines, parseField(f, k+"baseline", string(ind.Baseline)))
		cm.targets = append(cm.targets, parseField(f, k+"target", string(ind.Target)))
	}
	for i, b := range in.Budget {
		k := fmt.Sprintf("budget[%d].", i)
		if b.Year < p.PeriodStart.Year() || b.Year > p.PeriodEnd.Year() {
			f[k+"year"] = "validation.year_in_period"
		}
		if !contains(BudgetSources, b.Source) {
			f[k+"source"] = "validation.source"
		}
		checkText(f, k+"funder", b.Funder, 200, false)
		cm.amounts = append(cm.amounts, parseField(f, k+"amount", string(b.Amount)))
	}
	if len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	return cm, nil
}

func parseField(f map[string]string, field, s string) decimal.Decimal {
	d, ok := ParseMoney(s)
	if !ok {
		f[field] = "validation.amount"
	}
	return d
}

func checkMeasureDates(p *Plan, in MeasureInput, f map[string]string) (Date, Date) {
	start, err1 := ParseDate(in.StartDate)
	end, err2 := ParseDate(in.EndDate)
	switch {
	case err1 != nil:
		f["start_date"] = "validation.date"
	case err2 != nil:
		f["end_date"] = "validation.date"
	case start.Before(p.PeriodStart.Time) || start.After(p.PeriodEnd.Time):
		f["start_date"] = "validation.date_in_period"
	case end.Before(start.Time):
		f["end_date"] = "validation.period_order"
	case end.After(p.PeriodEnd.Time):
		f["end_date"] = "validation.date_in_period"
	}
	return start, end
}

// checkMeasureRefs checks code uniqueness, objective, groups, organisations and evidence.
func checkMeasureRefs(ctx context.Context, tx *gorm.DB, p *Plan, selfID int64, in MeasureInput, f map[string]string) error {
	db := tx.WithContext(ctx)
	var n int64
	db.Model(&Measure{}).Where("plan_id = ? AND lower(code) = lower(?) AND id <> ?", p.ID, in.Code, selfID).Count(&n)
	if n > 0 {
		f["code"] = "validation.code_taken"
	}
	db.Model(&Objective{}).Where("id = ? AND plan_id = ?", in.ObjectiveID, p.ID).Count(&n)
	if n == 0 {
		f["objective_id"] = "validation.objective"
	}
	for _, g := range in.Groups {
		if !contains(VulnerableGroupCodes, g) {
			f["groups"] = "validation.group"
		}
	}
	orgs, _, err := agreementRefs(ctx, tx, p.MunicipalityID)
	if err != nil {
		return err
	}
	if !orgs[in.LeadOrganisationID] {
		f["lead_organisation_id"] = "error.unknown_organisation"
	}
	for _, o := range in.PartnerOrganisationIDs {
		if !orgs[o] || o == in.LeadOrganisationID {
			f["partner_organisation_ids"] = "validation.partners"
		}
	}
	return checkEvidence(db, p.MunicipalityID, in.Evidence, f)
}

// checkEvidence accepts only findings and needs of the same municipality.
func checkEvidence(db *gorm.DB, muniID int64, ev []EvidenceInput, f map[string]string) error {
	for i, e := range ev {
		table := map[string]string{"finding": "sitan_findings", "need": "focus_group_needs"}[e.Kind]
		if table == "" {
			f[fmt.Sprintf("evidence[%d].kind", i)] = "validation.evidence_kind"
			continue
		}
		var n int64
		if err := db.Table(table).Where("id = ? AND municipality_id = ?", e.ID, muniID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			f[fmt.Sprintf("evidence[%d].id", i)] = "validation.evidence_unknown"
		}
	}
	return nil
}

// CreateMeasure adds a measure to a draft plan or a plan in consultation.
func CreateMeasure(ctx context.Context, db *gorm.DB, a Actor, muniID, planID int64, in MeasureInput) (*Measure, error) {
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := lockEditablePlan(tx, muniID, planID)
		if err != nil {
			return err
		}
		cm, err := validateMeasure(ctx, tx, p, 0, in)
		if err != nil {
			return err
		}
		m := &Measure{PlanID: planID, MunicipalityID: muniID, Version: 1}
		if err := saveMeasure(tx, m, cm); err != nil {
			return err
		}
		id = m.ID
		if err := recordChange(tx, p, "measure", m.ID, m.Code, m.Title, "added", nil); err != nil {
			return err
		}
		if err := bumpPlan(tx, planID, map[string]any{}); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "measure", m.ID, in)
	})
	if err != nil {
		return nil, err
	}
	return GetMeasure(ctx, db, muniID, id)
}

// UpdateMeasure replaces a measure of a draft plan or a plan in
// consultation; version 0 skips the staleness check.
func UpdateMeasure(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, in MeasureInput) (*Measure, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := GetMeasure(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		p, err := lockEditablePlan(tx, muniID, old.PlanID)
		if err != nil {
			return err
		}
		if version != 0 && version != old.Version {
			return ErrStale
		}
		cm, err := validateMeasure(ctx, tx, p, id, in)
		if err != nil {
			return err
		}
		for _, t := range []any{&Indicator{}, &BudgetLine{}, &EvidenceRef{}} {
			if err := tx.Where("measure_id = ?", id).Delete(t).Error; err != nil {
				return err
			}
		}
		m := &Measure{ID: id, PlanID: old.PlanID, MunicipalityID: muniID, Version: old.Version + 1}
		if err := saveMeasure(tx, m, cm); err != nil {
			return err
		}
		if err := recordMeasureEdit(ctx, tx, p, old); err != nil {
			return err
		}
		if err := bumpPlan(tx, old.PlanID, map[string]any{}); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "update", "measure", id, map[string]any{"before": old.InputOf(), "after": in})
	})
	if err != nil {
		return nil, err
	}
	return GetMeasure(ctx, db, muniID, id)
}

// DeleteMeasure removes a measure from a draft plan or a plan in consultation.
func DeleteMeasure(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := GetMeasure(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		p, err := lockEditablePlan(tx, muniID, old.PlanID)
		if err != nil {
			return err
		}
		if err := tx.Delete(&Measure{}, id).Error; err != nil {
			return err
		}
		if err := recordChange(tx, p, "measure", id, old.Code, old.Title, "removed", nil); err != nil {
			return err
		}
		if err := bumpPlan(tx, old.PlanID, map[string]any{}); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "delete", "measure", id, old.InputOf())
	})
}

// recordMeasureEdit notes, for a plan in consultation, which parts of the
// measure an edit changed (nothing when the edit changed nothing).
func recordMeasureEdit(ctx context.Context, tx *gorm.DB, p *Plan, old *Measure) error {
	if p.Status != PlanConsultation {
		return nil
	}
	now, err := GetMeasure(ctx, tx, old.MunicipalityID, old.ID)
	if err != nil {
		return err
	}
	fields := measureFieldsChanged(old.InputOf(), now.InputOf())
	if len(fields) == 0 {
		return nil
	}
	return recordChange(tx, p, "measure", now.ID, now.Code, now.Title, "changed", fields)
}

// saveMeasure writes the measure row and its indicators, budget and evidence.
func saveMeasure(tx *gorm.DB, m *Measure, cm *checkedMeasure) error {
	in := cm.in
	m.ObjectiveID, m.Code, m.Title, m.Description = in.ObjectiveID, in.Code, in.Title, in.Description
	m.Groups, m.LeadOrganisationID = CodeList(orEmpty(in.Groups)), in.LeadOrganisationID
	m.PartnerOrganisationIDs = Int64s(in.PartnerOrganisationIDs)
	if m.PartnerOrganisationIDs == nil {
		m.PartnerOrganisationIDs = Int64s{}
	}
	m.StartDate, m.EndDate = cm.start, cm.end
	if err := tx.Omit("Indicators", "Budget", "Evidence").Save(m).Error; err != nil {
		return err
	}
	for i, ind := range in.Indicators {
		row := Indicator{MeasureID: m.ID, PlanID: m.PlanID, MunicipalityID: m.MunicipalityID, Position: i,
			Name: strings.TrimSpace(ind.Name), Unit: strings.TrimSpace(ind.Unit), Baseline: cm.baselines[i], Target: cm.targets[i]}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	for i, b := range in.Budget {
		row := BudgetLine{MeasureID: m.ID, PlanID: m.PlanID, MunicipalityID: m.MunicipalityID, Position: i,
			Year: b.Year, Source: b.Source, Funder: strings.TrimSpace(b.Funder), Amount: cm.amounts[i]}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	seen := map[EvidenceInput]bool{}
	for _, e := range in.Evidence {
		if seen[e] {
			continue
		}
		seen[e] = true
		row := EvidenceRef{MeasureID: m.ID, PlanID: m.PlanID, MunicipalityID: m.MunicipalityID, Kind: e.Kind, EvidenceID: e.ID}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GetMeasure loads one measure with its parts, inside the municipality.
func GetMeasure(ctx context.Context, db *gorm.DB, muniID, id int64) (*Measure, error) {
	db = db.WithContext(ctx)
	var m Measure
	if err := db.Where("id = ? AND municipality_id = ?", id, muniID).First(&m).Error; err != nil {
		return nil, notFound(err)
	}
	p := &Plan{Measures: []Measure{m}}
	var inds []Indicator
	var lines []BudgetLine
	var ev []EvidenceRef
	for _, q := range []struct {
		dst   any
		order string
	}{{&inds, "position"}, {&lines, "position"}, {&ev, "kind, evidence_id"}} {
		if err := db.Where("measure_id = ?", id).Order(q.order).Find(q.dst).Error; err != nil {
			return nil, err
		}
	}
	attachParts(p, inds, lines, ev)
	return &p.Measures[0], nil
}

// CreateObjective adds an objective to a draft plan or a plan in consultation.
func CreateObjective(ctx context.Context, db *gorm.DB, a Actor, muniID, planID int64, code, title string) (*Objective, error) {
	code, title = strings.TrimSpace(code), strings.TrimSpace(title)
	o := &Objective{PlanID: planID, MunicipalityID: muniID, Code: code, Title: title}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := lockEditablePlan(tx, muniID, planID)
		if err != nil {
			return err
		}
		f := map[string]string{}
		checkText(f, "code", code, 20, true)
		checkText(f, "title", title, 500, true)
		var n int64
		tx.Model(&Objective{}).Where("plan_id = ? AND lower(code) = lower(?)", planID, code).Count(&n)
		if n > 0 {
			f["code"] = "validation.code_taken"
		}
		if len(f) > 0 {
			return &ValidationError{Fields: f}
		}
		if err := tx.Create(o).Error; err != nil {
			return err
		}
		if err := recordChange(tx, p, "objective", o.ID, o.Code, o.Title, "added", nil); err != nil {
			return err
		}
		if err := bumpPlan(tx, planID, map[string]any{}); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "objective", o.ID, map[string]any{"code": code, "title": title})
	})
	return o, err
}
