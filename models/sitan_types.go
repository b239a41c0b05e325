package models

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ChoiceList is the jsonb options of a choice question.
type ChoiceList []QuestionChoice

// Scan reads jsonb.
func (l *ChoiceList) Scan(v any) error {
	var raw []byte
	switch t := v.(type) {
	case nil:
		*l = ChoiceList{}
		return nil
	case string:
		raw = []byte(t)
	case []byte:
		raw = t
	default:
		return fmt.Errorf("cannot scan %T into ChoiceList", v)
	}
	return json.Unmarshal(raw, (*[]QuestionChoice)(l))
}

// Value writes jsonb.
func (l ChoiceList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]QuestionChoice(l))
	return string(b), err
}

// Has says whether value is one of the options.
func (l ChoiceList) Has(value string) bool {
	for _, c := range l {
		if c.Value == value {
			return true
		}
	}
	return false
}

// frozenCode is the SQLSTATE the freeze triggers of 00003_sitan.sql raise
// (object_not_in_prerequisite_state).
const frozenCode = "55000"

// sitanFrozen turns a refusal by a freeze trigger into a state error, so a
// write that raced a publish or a submit answers 409 instead of 500.
func sitanFrozen(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == frozenCode {
		return &StateError{Key: "sitan.error.frozen"}
	}
	return err
}

// sitanUniqueViolation says whether err is a unique-index violation.
func sitanUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// sitanDay drops the time of day, in UTC.
func sitanDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sitanAddField records a validation failure unless the field already has one.
func sitanAddField(f map[string]string, field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// sitanInvalid returns a ValidationError when f has entries, else nil.
func sitanInvalid(f map[string]string) error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}
