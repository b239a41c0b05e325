package models

import (
	"context"
	"slices"
	"sort"

	"gorm.io/gorm"
)

// IndicatorSource is one submitted numeric answer that feeds an indicator.
type IndicatorSource struct {
	Indicator        string `json:"-"`
	OrganisationID   int64  `json:"organisation_id"`
	OrganisationName string `json:"organisation_name"`
	OrganisationType string `json:"organisation_type"`
	QuestionID       int64  `json:"question_id"`
	QuestionCode     string `json:"question_code"`
	Value            int64  `json:"value"`
	Women            *int64 `json:"women"`
	Men              *int64 `json:"men"`
	Counted          bool   `json:"counted"`
}

// IndicatorValue is one baseline indicator of an analysis.
type IndicatorValue struct {
	Indicator string `json:"indicator"`
	Value     int64  `json:"value"`
	Women     *int64 `json:"women"`
	Men       *int64 `json:"men"`
	// Conflict: an organisation not counted in Value reported a different number.
	Conflict bool `json:"conflict"`
	// Values lists every organisation's answer, counted or not.
	Values []IndicatorSource `json:"values"`
}

// Counted returns the sources the headline value was summed from.
func (v IndicatorValue) Counted() []IndicatorSource {
	var out []IndicatorSource
	for _, s := range v.Values {
		if s.Counted {
			out = append(out, s)
		}
	}
	return out
}

// AggregateIndicators turns submitted numeric answers into indicator values.
//
// The rule, so that nothing is silently counted twice:
//   - Each indicator names the organisation types that keep its register, most
//     authoritative first (BaselineIndicator.Owners; e.g. registered unemployed:
//     the employment service; social-assistance recipients able to work: the
//     centre for social work, then the employment service). Types that are not
//     owners rank after them, in the order of OrganisationTypes.
//   - The headline value is the sum over the organisations of the best-ranked
//     type that answered: two schools each report their own drop-outs, two NGOs
//     their own beneficiaries, so those add up.
//   - Answers of other types describe the same people from another register.
//     They are listed next to the headline and never added; when one differs
//     from the headline the indicator is flagged as a conflict.
//   - One organisation answering the same indicator twice (a template question
//     and an own question) is counted once, by its first question.
//   - Women and men are summed like the value, and left empty when a counted
//     answer lacks them.
func AggregateIndicators(rows []IndicatorSource) []IndicatorValue {
	by := map[string][]IndicatorSource{}
	var codes []string
	for _, r := range rows {
		if by[r.Indicator] == nil {
			codes = append(codes, r.Indicator)
		}
		by[r.Indicator] = append(by[r.Indicator], r)
	}
	sort.SliceStable(codes, func(i, j int) bool { return indicatorOrder(codes[i]) < indicatorOrder(codes[j]) })
	out := make([]IndicatorValue, 0, len(codes))
	for _, code := range codes {
		out = append(out, aggregateOne(code, by[code]))
	}
	return out
}

func aggregateOne(code string, rows []IndicatorSource) IndicatorValue {
	def, _ := BaselineIndicatorByCode(code)
	rank := func(s IndicatorSource) int { return sourceRank(def.Owners, s.OrganisationType) }
	sort.SliceStable(rows, func(i, j int) bool {
		if rank(rows[i]) != rank(rows[j]) {
			return rank(rows[i]) < rank(rows[j])
		}
		return rows[i].OrganisationID < rows[j].OrganisationID
	})
	v := IndicatorValue{Indicator: code}
	best := rank(rows[0])
	seen := map[int64]bool{}
	splitKnown := true
	var women, men int64
	for i := range rows {
		if rank(rows[i]) != best || seen[rows[i].OrganisationID] {
			continue
		}
		seen[rows[i].OrganisationID] = true
		rows[i].Counted = true
		v.Value += rows[i].Value
		if rows[i].Women == nil || rows[i].Men == nil {
			splitKnown = false
		} else {
			women += *rows[i].Women
			men += *rows[i].Men
		}
	}
	if splitKnown {
		v.Women, v.Men = &women, &men
	}
	v.Conflict = disagreement(rows, v.Value)
	v.Values = rows
	return v
}

// disagreement says whether an answer left out of the headline differs:
// from the same organisation's counted answer, or else from the headline.
func disagreement(rows []IndicatorSource, headline int64) bool {
	counted := map[int64]int64{}
	for _, r := range rows {
		if r.Counted {
			counted[r.OrganisationID] = r.Value
		}
	}
	for _, r := range rows {
		if r.Counted {
			continue
		}
		want, sameOrg := counted[r.OrganisationID]
		if !sameOrg {
			want = headline
		}
		if r.Value != want {
			return true
		}
	}
	return false
}

// sourceRank orders organisation types by authority for an indicator.
func sourceRank(owners []string, orgType string) int {
	if i := slices.Index(owners, orgType); i >= 0 {
		return i
	}
	return len(owners) + slices.Index(OrganisationTypes, orgType) + 1
}

// indicatorOrder places catalogue indicators in catalogue order, others after.
func indicatorOrder(code string) int {
	for i, in := range BaselineIndicators {
		if in.Code == code {
			return i
		}
	}
	return len(BaselineIndicators)
}

// SitanIndicators aggregates the submitted numeric answers of an analysis.
func SitanIndicators(ctx context.Context, db *gorm.DB, muniID, sitanID int64) ([]IndicatorValue, error) {
	var rows []IndicatorSource
	err := db.WithContext(ctx).Raw(`SELECT qq.indicator, q.organisation_id, o.name AS organisation_name,
			o.type AS organisation_type, qq.id AS question_id, qq.code AS question_code,
			qa.number_value AS value, qa.women, qa.men
		FROM questionnaire_answers qa
		JOIN questionnaire_questions qq ON qq.id = qa.question_id
		JOIN questionnaires q ON q.id = qa.questionnaire_id
		JOIN organisations o ON o.id = q.organisation_id
		WHERE qa.municipality_id = ? AND qa.situation_analysis_id = ? AND q.status = 'submitted'
			AND qq.indicator IS NOT NULL AND qa.number_value IS NOT NULL
		ORDER BY q.organisation_id, qq.position, qq.id`, muniID, sitanID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	return AggregateIndicators(rows), nil
}
