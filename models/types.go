package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without time or zone, written YYYY-MM-DD.
type Date struct{ time.Time }

// ParseDate reads YYYY-MM-DD strictly.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return Date{t}, err
}

// MustDate is ParseDate for literals in code and tests.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Today is the current UTC date.
func Today() Date {
	y, m, d := time.Now().UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// MarshalJSON writes "YYYY-MM-DD" (null when unset).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD"; anything else is an error.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(s)
	*d = p
	return err
}

// Scan reads a PostgreSQL date.
func (d *Date) Scan(v any) error {
	switch t := v.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
	case string:
		p, err := ParseDate(t)
		*d = p
		return err
	default:
		return fmt.Errorf("cannot scan %T into Date", v)
	}
	return nil
}

// Value writes a PostgreSQL date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}
