package models

import (
	"context"

	"gorm.io/gorm"
)

// IndicatorParts are the relations the templates imply between baseline
// indicators: each part counts people who are also counted in its whole
// ("54 long-term unemployed of 52 registered" cannot be).
var IndicatorParts = map[string]string{
	"long_term_unemployed":                 "registered_unemployed",
	"youth_registered_unemployed":          "registered_unemployed",
	"unemployed_without_primary_education": "registered_unemployed",
	"roma_registered_unemployed":           "registered_unemployed",
	"pwd_registered_unemployed":            "registered_unemployed",
	"returnees_registered_unemployed":      "registered_unemployed",
	"social_assistance_able_to_work":       "social_assistance_recipients",
	"ngo_employed":                         "ngo_beneficiaries",
}

// checkPlausible refuses, within one questionnaire, a part larger than its
// whole (also women and men apart), counting the answers saved before
// together with the new ones (a partner saves in several goes).
func checkPlausible(ctx context.Context, tx *gorm.DB, q *Questionnaire, qs []Question, rows []Answer, clear []int64) error {
	stored, err := QuestionnaireAnswers(ctx, tx, q.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	for _, id := range clear {
		delete(stored, id)
	}
	for _, r := range rows {
		stored[r.QuestionID] = r
	}
	byIndicator := map[string]Question{}
	for _, qu := range qs {
		if qu.Indicator != nil && qu.Kind == QuestionNumber {
			byIndicator[*qu.Indicator] = qu
		}
	}
	f := map[string]string{}
	for part, whole := range IndicatorParts {
		pq, ok1 := byIndicator[part]
		wq, ok2 := byIndicator[whole]
		if !ok1 || !ok2 {
			continue
		}
		pa, ok1 := stored[pq.ID]
		wa, ok2 := stored[wq.ID]
		if !ok1 || !ok2 {
			continue
		}
		for _, side := range []struct {
			field       string
			part, whole *int64
		}{{"value", pa.NumberValue, wa.NumberValue}, {"women", pa.Women, wa.Women}, {"men", pa.Men, wa.Men}} {
			if side.part != nil && side.whole != nil && *side.part > *side.whole {
				sitanAddField(f, AnswerField(pq.ID, side.field), "sitan.error.part_exceeds_whole")
				sitanAddField(f, AnswerField(wq.ID, side.field), "sitan.error.whole_below_part")
			}
		}
	}
	return sitanInvalid(f)
}
