package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Questionnaire answers sent in bulk (a workbook): the changed answers go
// through SaveAnswers in one transaction, so the rules are the form's.

// AnswerUpload is one question's answer as it came back; Print is AnswerPrint
// of the answer that was handed out.
type AnswerUpload struct {
	Print string
	In    AnswerInput
}

// SaveAnswerRows saves the answers that changed. An answer equal to the
// stored one, or to the one handed out, is unchanged; a changed answer whose
// stored value moved on since it was handed out is ErrStale. Any refused row
// refuses the whole batch.
func SaveAnswerRows(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, rows []AnswerUpload) (BatchResult, error) {
	var res BatchResult
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res = BatchResult{}
		q, err := lockQuestionnaire(tx, muniID, id)
		if err != nil {
			return err
		}
		if q.Status != QuestionnaireSent {
			return &StateError{Key: answerStateKey(q.Status)}
		}
		stored, err := QuestionnaireAnswers(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		changed, err := changedAnswers(ctx, tx, q, stored, rows)
		if err != nil {
			return err
		}
		res.Updated, res.Unchanged = len(changed), len(rows)-len(changed)
		if len(changed) == 0 {
			return nil
		}
		_, err = SaveAnswers(ctx, tx, a, muniID, id, 0, changed)
		return err
	})
	return res, err
}

// changedAnswers keeps the rows that change a stored answer; rows of unknown
// questions and stale rows are refused.
func changedAnswers(ctx context.Context, tx *gorm.DB, q *Questionnaire, stored map[int64]Answer, rows []AnswerUpload) ([]AnswerInput, error) {
	qs, err := QuestionnaireQuestions(ctx, tx, q.MunicipalityID, q.ID)
	if err != nil {
		return nil, err
	}
	known := map[int64]bool{}
	for _, qu := range qs {
		known[qu.ID] = true
	}
	var changed []AnswerInput
	var refused []RowError
	for i, r := range rows {
		cur, sent := "", AnswerPrint(r.In)
		if a, ok := stored[r.In.QuestionID]; ok {
			cur = AnswerPrint(AnswerInputOf(a))
		} else {
			cur = AnswerPrint(AnswerInput{QuestionID: r.In.QuestionID})
		}
		switch {
		case !known[r.In.QuestionID]:
			refused = append(refused, RowError{i, ErrNotFound})
		case sent == cur || sent == r.Print:
		case cur != r.Print:
			refused = append(refused, RowError{i, ErrStale})
		default:
			changed = append(changed, r.In)
		}
	}
	if len(refused) > 0 {
		return nil, &BatchError{Rows: refused}
	}
	return changed, nil
}

// AnswerInputOf is a stored answer as input.
func AnswerInputOf(a Answer) AnswerInput {
	in := AnswerInput{QuestionID: a.QuestionID, Value: a.Value()}
	if a.Women != nil {
		in.Women = strconv.FormatInt(*a.Women, 10)
	}
	if a.Men != nil {
		in.Men = strconv.FormatInt(*a.Men, 10)
	}
	return in
}

// AnswerPrint is a short fingerprint of an answer, the same for equal
// answers however they were written (surrounding spaces, "07" and "7").
func AnswerPrint(in AnswerInput) string {
	norm := func(s string) string {
		s = strings.TrimSpace(s)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
		return s
	}
	sum := sha256.Sum256([]byte(strconv.FormatInt(in.QuestionID, 10) + "\x00" + norm(in.Value) + "\x00" +
		norm(in.Women) + "\x00" + norm(in.Men)))
	return hex.EncodeToString(sum[:12])
}
