package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Answer is a partner's answer to one question.
type Answer struct {
	ID                  int64     `json:"-" gorm:"primaryKey"`
	MunicipalityID      int64     `json:"-"`
	SituationAnalysisID int64     `json:"-"`
	QuestionnaireID     int64     `json:"-"`
	QuestionID          int64     `json:"question_id"`
	NumberValue         *int64    `json:"-"`
	Women               *int64    `json:"women"`
	Men                 *int64    `json:"men"`
	TextValue           *string   `json:"-"`
	UpdatedBy           *int64    `json:"-"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// TableName maps Answer to questionnaire_answers.
func (Answer) TableName() string { return "questionnaire_answers" }

// Value is the answer as text: the number or the text/choice value.
func (a Answer) Value() string {
	if a.NumberValue != nil {
		return strconv.FormatInt(*a.NumberValue, 10)
	}
	if a.TextValue != nil {
		return *a.TextValue
	}
	return ""
}

// AnswerInput is one answer as typed: an empty Value clears the answer.
// Women and Men are the split of a number, for questions asked by sex.
type AnswerInput struct {
	QuestionID        int64
	Value, Women, Men string
}

// sitanMaxCount bounds numeric answers: no municipality counts more people.
const sitanMaxCount = 100_000_000

// AnswerField names the field of a question's answer in validation errors:
// "answers.<question id>.value", ".women" or ".men".
func AnswerField(questionID int64, part string) string {
	return fmt.Sprintf("answers.%d.%s", questionID, part)
}

// SaveAnswers stores answers of a sent questionnaire (partial saves are fine:
// the partner resumes later). Every invalid value is reported; nothing is
// stored unless all are valid. version 0 skips the staleness check.
func SaveAnswers(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, in []AnswerInput) (*Questionnaire, error) {
	return questionnaireStep(ctx, db, muniID, id, func(tx *gorm.DB, q *Questionnaire) error {
		if q.Status != QuestionnaireSent {
			return &StateError{Key: answerStateKey(q.Status)}
		}
		qs, err := QuestionnaireQuestions(ctx, tx, muniID, q.ID)
		if err != nil {
			return err
		}
		rows, clear, err := parseAnswers(qs, in)
		if err != nil {
			return err
		}
		if err := checkPlausible(ctx, tx, q, qs, rows, clear); err != nil {
			return err
		}
		if version != 0 && version != q.Version {
			return ErrStale
		}
		changes, err := storeAnswers(tx, a, q, qs, rows, clear)
		if err != nil {
			return err
		}
		return questionnaireWrite(ctx, tx, a, q, 0, "save_answers", nil, changes)
	})
}

func answerStateKey(status string) string {
	if status == QuestionnaireSubmitted {
		return "sitan.error.answers_read_only"
	}
	return "sitan.error.not_sent"
}

// parseAnswers checks every input against its question and returns the rows
// to store and the question ids whose answers are cleared.
func parseAnswers(qs []Question, in []AnswerInput) ([]Answer, []int64, error) {
	byID := map[int64]*Question{}
	for i := range qs {
		byID[qs[i].ID] = &qs[i]
	}
	f := map[string]string{}
	seen := map[int64]bool{}
	var rows []Answer
	var clear []int64
	for _, ai := range in {
		q := byID[ai.QuestionID]
		if q == nil || seen[ai.QuestionID] {
			sitanAddField(f, AnswerField(ai.QuestionID, "question_id"), "sitan.error.unknown_question")
			continue
		}
		seen[ai.QuestionID] = true
		row, empty := parseAnswer(f, q, ai)
		if empty {
			clear = append(clear, q.ID)
		} else if row != nil {
			rows = append(rows, *row)
		}
	}
	return rows, clear, sitanInvalid(f)
}

// parseAnswer checks one answer; empty means the answer is to be cleared.
func parseAnswer(f map[string]string, q *Question, in AnswerInput) (*Answer, bool) {
	v := strings.TrimSpace(in.Value)
	women, men := strings.TrimSpace(in.Women), strings.TrimSpace(in.Men)
	field := AnswerField(q.ID, "value")
	if q.Kind != QuestionNumber || !q.Split {
		if women != "" || men != "" {
			sitanAddField(f, AnswerField(q.ID, "women"), "sitan.error.no_split")
			return nil, false
		}
	}
	if v == "" {
		if women != "" || men != "" {
			sitanAddField(f, field, "sitan.error.total_required")
		}
		return nil, women == "" && men == ""
	}
	row := &Answer{QuestionID: q.ID}
	switch q.Kind {
	case QuestionNumber:
		row.NumberValue = sitanCount(f, field, v)
		row.Women = sitanCount(f, AnswerField(q.ID, "women"), women)
		row.Men = sitanCount(f, AnswerField(q.ID, "men"), men)
		sitanCheckSplit(f, q.ID, row)
	case QuestionChoiceKind:
		if !q.Options.Has(v) {
			sitanAddField(f, field, "sitan.error.choice")
		}
		row.TextValue = &v
	default:
		if len([]rune(v)) > 4000 {
			sitanAddField(f, field, "validation.max")
		}
		row.TextValue = &v
	}
	return row, false
}

// sitanCount reads a whole, non-negative count; "" is no value.
func sitanCount(f map[string]string, field, s string) *int64 {
	if s == "" {
		return nil
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		sitanAddField(f, field, "sitan.error.number")
		return nil
	}
	if neg {
		sitanAddField(f, field, "sitan.error.negative")
		return nil
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > sitanMaxCount {
		sitanAddField(f, field, "sitan.error.too_large")
		return nil
	}
	return &n
}

// sitanCheckSplit refuses women + men > total.
func sitanCheckSplit(f map[string]string, qid int64, row *Answer) {
	if row.NumberValue == nil {
		return
	}
	var sum int64
	if row.Women != nil {
		sum += *row.Women
	}
	if row.Men != nil {
		sum += *row.Men
	}
	if sum > *row.NumberValue {
		sitanAddField(f, AnswerField(qid, "women"), "sitan.error.split_sum")
		sitanAddField(f, AnswerField(qid, "men"), "sitan.error.split_sum")
	}
}

// storeAnswers upserts rows and deletes cleared answers; it returns what
// changed, by question code, for the audit log.
func storeAnswers(tx *gorm.DB, a Actor, q *Questionnaire, qs []Question, rows []Answer, clear []int64) (map[string]any, error) {
	code := map[int64]string{}
	for _, qu := range qs {
		code[qu.ID] = qu.Code
	}
	changes := map[string]any{}
	for _, r := range rows {
		err := tx.Exec(`INSERT INTO questionnaire_answers (municipality_id, situation_analysis_id, questionnaire_id,
				question_id, number_value, women, men, text_value, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
			ON CONFLICT (question_id) DO UPDATE SET number_value = EXCLUDED.number_value, women = EXCLUDED.women,
				men = EXCLUDED.men, text_value = EXCLUDED.text_value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			q.MunicipalityID, q.SituationAnalysisID, q.ID, r.QuestionID, r.NumberValue, r.Women, r.Men, r.TextValue,
			sitanUser(a)).Error
		if err != nil {
			return nil, sitanFrozen(err)
		}
		changes[code[r.QuestionID]] = map[string]any{"value": r.Value(), "women": r.Women, "men": r.Men}
	}
	if len(clear) > 0 {
		err := tx.Exec(`DELETE FROM questionnaire_answers WHERE questionnaire_id = ? AND question_id IN ?`, q.ID, clear).Error
		if err != nil {
			return nil, sitanFrozen(err)
		}
		for _, id := range clear {
			changes[code[id]] = nil
		}
	}
	return changes, nil
}

// QuestionnaireAnswers returns a questionnaire's answers by question id.
func QuestionnaireAnswers(ctx context.Context, db *gorm.DB, muniID, questionnaireID int64) (map[int64]Answer, error) {
	var rows []Answer
	err := db.WithContext(ctx).Where("municipality_id = ? AND questionnaire_id = ?", muniID, questionnaireID).Find(&rows).Error
	out := make(map[int64]Answer, len(rows))
	for _, r := range rows {
		out[r.QuestionID] = r
	}
	return out, err
}
