package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// AnswerRow is one answer with its questionnaire and question, for the
// coordinator's CSV export.
type AnswerRow struct {
	QuestionnaireID  int64
	OrganisationName string
	OrganisationType string
	Template         string
	Status           string
	SubmittedAt      *time.Time
	QuestionID       int64
	Position         int
	Code             string
	Kind             string
	Indicator        *string
	TextEn, TextBs   string
	TextSr, TextSq   string
	TextMk           string
	NumberValue      *int64
	Women, Men       *int64
	TextValue        *string
}

// Question returns the question's texts.
func (r AnswerRow) Question() Phrase { return Phrase{r.TextEn, r.TextBs, r.TextSr, r.TextSq, r.TextMk} }

// Answer returns the row's answer part.
func (r AnswerRow) Answer() Answer {
	return Answer{NumberValue: r.NumberValue, Women: r.Women, Men: r.Men, TextValue: r.TextValue}
}

// SitanAnswerRows returns every stored answer of an analysis, submitted or
// still being filled in, by organisation and question order.
func SitanAnswerRows(ctx context.Context, db *gorm.DB, muniID, sitanID int64) ([]AnswerRow, error) {
	var out []AnswerRow
	err := db.WithContext(ctx).Raw(`SELECT q.id AS questionnaire_id, o.name AS organisation_name,
			o.type AS organisation_type, q.template, q.status, q.submitted_at, qq.id AS question_id, qq.position,
			qq.code, qq.kind, qq.indicator, qq.text_en, qq.text_bs,
			qq.text_sr, qq.text_sq, qq.text_mk, qa.number_value, qa.women, qa.men, qa.text_value
		FROM questionnaire_answers qa
		JOIN questionnaire_questions qq ON qq.id = qa.question_id
		JOIN questionnaires q ON q.id = qa.questionnaire_id
		JOIN organisations o ON o.id = q.organisation_id
		WHERE qa.municipality_id = ? AND qa.situation_analysis_id = ?
		ORDER BY lower(o.name), q.id, qq.position, qq.id`, muniID, sitanID).Scan(&out).Error
	return out, err
}

// SitanContributors returns the organisations that submitted answers to an analysis.
func SitanContributors(ctx context.Context, db *gorm.DB, muniID, sitanID int64) ([]Organisation, error) {
	var out []Organisation
	err := db.WithContext(ctx).Raw(`SELECT DISTINCT o.* FROM organisations o
		JOIN questionnaires q ON q.organisation_id = o.id
		WHERE q.municipality_id = ? AND q.situation_analysis_id = ? AND q.status = 'submitted'
		ORDER BY o.name`, muniID, sitanID).Scan(&out).Error
	return out, err
}
