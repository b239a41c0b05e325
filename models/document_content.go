package models

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// The canonical content of registered plans, reports and situation
// analyses: what their content hash covers (see document.go). Like the
// agreement's canonical form, each is a struct with a schema name, fields in
// a fixed order and lists in a fixed order, holding only what is frozen
// with the document: ids rather than organisation names (an organisation
// may be renamed later), no versions or update times. Amounts are exact
// decimal strings.

type planDoc struct {
	Schema         string         `json:"schema"`
	MunicipalityID int64          `json:"municipality_id"`
	PlanID         int64          `json:"plan_id"`
	RevisesID      *int64         `json:"revises_id"`
	Title          string         `json:"title"`
	PeriodStart    string         `json:"period_start"`
	PeriodEnd      string         `json:"period_end"`
	AdoptedOn      string         `json:"adopted_on"`
	DecisionNumber string         `json:"decision_number"`
	Votes          [3]int         `json:"votes"` // for, against, abstained
	Objectives     [][2]string    `json:"objectives"`
	Measures       []planDocEntry `json:"measures"`
}

type planDocEntry struct {
	Code, Title, Description string
	ObjectiveID              int64
	Groups                   []string
	Lead                     int64
	Partners                 []int64
	Start, End               string
	Indicators               [][4]string // name, unit, baseline, target
	Budget                   [][4]string // year, source, funder, amount
	Evidence                 [][2]any    // kind, id
}

// planContent is the canonical form of an adopted plan loaded with GetPlan.
func planContent(p *Plan) []byte {
	d := planDoc{Schema: "pakt-plan-v1", MunicipalityID: p.MunicipalityID, PlanID: p.ID, RevisesID: p.RevisesID,
		Title: p.Title, PeriodStart: p.PeriodStart.String(), PeriodEnd: p.PeriodEnd.String(),
		Votes:      [3]int{intOrZero(p.VotesFor), intOrZero(p.VotesAgainst), intOrZero(p.VotesAbstained)},
		Objectives: [][2]string{}, Measures: []planDocEntry{}}
	if p.AdoptedOn != nil {
		d.AdoptedOn = p.AdoptedOn.String()
	}
	if p.DecisionNumber != nil {
		d.DecisionNumber = *p.DecisionNumber
	}
	for _, o := range p.Objectives {
		d.Objectives = append(d.Objectives, [2]string{o.Code, o.Title})
	}
	for _, m := range p.Measures {
		d.Measures = append(d.Measures, planEntry(m))
	}
	return marshalCanonical(d)
}

func planEntry(m Measure) planDocEntry {
	e := planDocEntry{Code: m.Code, Title: m.Title, Description: m.Description, ObjectiveID: m.ObjectiveID,
		Groups: append([]string{}, m.Groups...), Lead: m.LeadOrganisationID, Partners: sortedIDs(m.PartnerOrganisationIDs),
		Start: m.StartDate.String(), End: m.EndDate.String(), Indicators: [][4]string{}, Budget: [][4]string{}, Evidence: [][2]any{}}
	for _, i := range m.Indicators {
		e.Indicators = append(e.Indicators, [4]string{i.Name, i.Unit, i.Baseline.String(), i.Target.String()})
	}
	for _, b := range m.Budget {
		e.Budget = append(e.Budget, [4]string{strconv.Itoa(b.Year), b.Source, b.Funder, b.Amount.StringFixed(2)})
	}
	for _, ev := range m.Evidence {
		e.Evidence = append(e.Evidence, [2]any{ev.Kind, ev.EvidenceID})
	}
	return e
}

type reportDoc struct {
	Schema         string          `json:"schema"`
	MunicipalityID int64           `json:"municipality_id"`
	PlanID         int64           `json:"plan_id"`
	PeriodID       int64           `json:"period_id"`
	Label          string          `json:"label"`
	Dates          [2]string       `json:"dates"`
	Reports        []reportDocLine `json:"reports"`
}

type reportDocLine struct {
	Measure                   int64
	Status, Narrative, Review string
	Percent                   int
	People                    [3]int // total, women, men
	Outcomes                  [4]int // employed, trained, completed education, self-employed
	Spent                     [][3]string
	Values                    [][2]string
	Groups                    [][2]any
}

// reportContent is the canonical form of a closed period's reports: what
// each measure reported (the published report draws its figures from it).
func reportContent(ctx context.Context, db *gorm.DB, per *Period) ([]byte, error) {
	progress, err := PeriodProgress(ctx, db, per.MunicipalityID, per.ID)
	if err != nil {
		return nil, err
	}
	d := reportDoc{Schema: "pakt-report-v1", MunicipalityID: per.MunicipalityID, PlanID: per.PlanID, PeriodID: per.ID,
		Label: per.Label, Dates: [2]string{per.StartDate.String(), per.EndDate.String()}, Reports: []reportDocLine{}}
	ids := make([]int64, 0, len(progress))
	for id := range progress {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		d.Reports = append(d.Reports, reportLine(progress[id]))
	}
	return marshalCanonical(d), nil
}

func reportLine(p *Progress) reportDocLine {
	l := reportDocLine{Measure: p.MeasureID, Status: p.Status, Narrative: p.Narrative, Review: p.Review, Percent: p.PercentComplete,
		People:   [3]int{p.BeneficiariesTotal, p.BeneficiariesWomen, p.BeneficiariesMen},
		Outcomes: [4]int{p.Employed, p.Trained, p.CompletedEducation, p.SelfEmployed},
		Spent:    [][3]string{}, Values: [][2]string{}, Groups: [][2]any{}}
	for _, s := range p.Spent {
		l.Spent = append(l.Spent, [3]string{s.Source, s.Funder, s.Amount.StringFixed(2)})
	}
	for _, v := range p.IndicatorValues {
		l.Values = append(l.Values, [2]string{strconv.FormatInt(v.IndicatorID, 10), v.Value.String()})
	}
	for _, g := range p.Groups {
		l.Groups = append(l.Groups, [2]any{g.GroupCode, g.N})
	}
	return l
}

type sitanDoc struct {
	Schema         string   `json:"schema"`
	MunicipalityID int64    `json:"municipality_id"`
	SitanID        int64    `json:"situation_analysis_id"`
	Title          string   `json:"title"`
	Year           int      `json:"year"`
	Indicators     [][]any  `json:"indicators"` // indicator, organisation, question, value, women, men, counted
	Groups         [][]any  `json:"groups"`     // group, label, size, women, men, barriers, specific, priority
	Findings       [][5]any `json:"findings"`   // id, statement, group, barrier, source organisation
}

// sitanContent is the canonical form of a published analysis: the answers
// behind its indicators, its vulnerable groups and its findings.
func sitanContent(ctx context.Context, db *gorm.DB, s *SituationAnalysis) ([]byte, error) {
	vals, err := SitanIndicators(ctx, db, s.MunicipalityID, s.ID)
	if err != nil {
		return nil, err
	}
	groups, err := ListVulnerableGroups(ctx, db, s.MunicipalityID, s.ID)
	if err != nil {
		return nil, err
	}
	findings, err := ListFindings(ctx, db, s.MunicipalityID, s.ID)
	if err != nil {
		return nil, err
	}
	d := sitanDoc{Schema: "pakt-sitan-v1", MunicipalityID: s.MunicipalityID, SitanID: s.ID, Title: s.Title, Year: s.Year,
		Indicators: [][]any{}, Groups: [][]any{}, Findings: [][5]any{}}
	for _, v := range vals {
		for _, src := range v.Values {
			d.Indicators = append(d.Indicators, []any{v.Indicator, src.OrganisationID, src.QuestionID, src.Value, src.Women, src.Men, src.Counted})
		}
	}
	for _, g := range groups {
		d.Groups = append(d.Groups, []any{g.Group, g.Label, g.EstimatedSize, g.Women, g.Men, g.Barriers, g.SpecificBarriers, g.Priority})
	}
	for _, f := range findings {
		d.Findings = append(d.Findings, [5]any{f.ID, f.Statement, f.Group, f.Barrier, f.SourceOrganisationID})
	}
	return marshalCanonical(d), nil
}

// marshalCanonical encodes plain structs, slices, strings and numbers,
// which cannot fail.
func marshalCanonical(v any) []byte {
	raw, _ := json.Marshal(v)
	return raw
}

func sortedIDs(ids []int64) []int64 {
	out := append([]int64{}, ids...)
	slices.Sort(out)
	return out
}

func intOrZero(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
