package models

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5/pgtype"
)

// PostgreSQL arrays are read and written by pgx's own array codec (quoting,
// escapes, NULL, dimensions), never parsed by hand. Through database/sql the
// pgx driver hands an array column over in its text form ("{a,b}"); Scan
// decodes that text with pgx, and Value encodes the text form with pgx, which
// the driver sends as a parameter of the column's array type.

// typeMaps lends pgtype.Maps: a Map memoizes plans and is not safe for
// concurrent use, so each conversion borrows one.
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// scanArray decodes the text form of a one-dimensional PostgreSQL array.
func scanArray[T any](oid uint32, name string, src any, dst *[]T) error {
	var text []byte
	switch s := src.(type) {
	case string:
		text = []byte(s)
	case []byte:
		text = s
	default:
		return fmt.Errorf("cannot scan %T into %s", src, name)
	}
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	var out []T
	if err := m.Scan(oid, pgtype.TextFormatCode, text, &out); err != nil {
		return fmt.Errorf("scan %s: %w", name, err)
	}
	if out == nil {
		out = []T{}
	}
	*dst = out
	return nil
}

// arrayValue encodes a list as the text form of a PostgreSQL array; a nil
// list is written as the empty array, not NULL.
func arrayValue[T any](oid uint32, list []T) (driver.Value, error) {
	if list == nil {
		list = []T{}
	}
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	buf, err := m.Encode(oid, pgtype.TextFormatCode, list, nil)
	if err != nil {
		return nil, err
	}
	return string(buf), nil
}

// CodeList is a PostgreSQL text[] of codes (vulnerable groups, barriers).
// NULL reads as an empty list; a nil list is written as '{}'.
type CodeList []string

// Scan reads a text[] column.
func (l *CodeList) Scan(v any) error {
	if v == nil {
		*l = CodeList{}
		return nil
	}
	return scanArray(pgtype.TextArrayOID, "CodeList", v, (*[]string)(l))
}

// Value writes a text[] value.
func (l CodeList) Value() (driver.Value, error) {
	return arrayValue(pgtype.TextArrayOID, []string(l))
}

// Has says whether the list holds code.
func (l CodeList) Has(code string) bool { return slices.Contains(l, code) }

// Int64s is a PostgreSQL bigint[] (organisation ids). NULL reads as nil; a
// nil list is written as '{}'.
type Int64s []int64

// Scan reads a bigint[] column.
func (a *Int64s) Scan(v any) error {
	if v == nil {
		*a = nil
		return nil
	}
	return scanArray(pgtype.Int8ArrayOID, "Int64s", v, (*[]int64)(a))
}

// Value writes a bigint[] value.
func (a Int64s) Value() (driver.Value, error) {
	return arrayValue(pgtype.Int8ArrayOID, []int64(a))
}

// Has says whether n is in the list.
func (a Int64s) Has(n int64) bool { return slices.Contains(a, n) }
