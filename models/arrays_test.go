package models_test

import (
	"encoding/json"
	"slices"
	"testing"

	"pakt/dbtest"
	"pakt/models"
)

// Awkward text for an array literal: separators, quotes, braces,
// backslashes, blanks, the word NULL, Cyrillic and Latin diacritics.
var awkwardCodes = []string{"a,b", `say "hi"`, "{braces}", `back\slash`, "", " padded ", "NULL", "Зворник", "Milići đ ž"}

// CodeList and Int64s go through the real driver both ways: written as a
// parameter, checked by the server element by element, then read back.
func TestCodeListRoundTrip(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	cases := map[string]models.CodeList{
		"empty":   {},
		"one":     {"roma"},
		"many":    {"roma", "youth_neet", "women_violence"},
		"awkward": awkwardCodes,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				Back  models.CodeList
				N     int
				Parts []byte
			}
			// The server's own view of the parameter: its length and its
			// elements as JSON, independent of our decoder.
			err := db.Raw(`SELECT ?::text[] AS back, cardinality(?::text[]) AS n, to_json(?::text[])::text AS parts`, in, in, in).
				Scan(&got).Error
			if err != nil {
				t.Fatal(err)
			}
			if got.N != len(in) {
				t.Fatalf("server saw %d elements, want %d", got.N, len(in))
			}
			var parts []string
			if err := json.Unmarshal(got.Parts, &parts); err != nil || !slices.Equal(parts, in) {
				t.Fatalf("server saw %q (%v), want %q", parts, err, in)
			}
			if got.Back == nil || !slices.Equal(got.Back, in) {
				t.Fatalf("read back %#v, want %#v", got.Back, in)
			}
		})
	}
}

// An array built by the server (not by our encoder) decodes exactly.
func TestCodeListScanServerLiteral(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	// Row().Scan is database/sql itself, so NULL reaches CodeList.Scan
	// (GORM's struct scanning leaves a NULL column at its zero value).
	var l, empty, null models.CodeList
	err := db.Raw(`SELECT ARRAY['a,b', 'say "hi"', '{braces}', 'back\slash', '', ' padded ', 'NULL', 'Зворник', 'Milići đ ž'],
		'{}'::text[], NULL::text[]`).Row().Scan(&l, &empty, &null)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l, awkwardCodes) {
		t.Fatalf("got %#v", l)
	}
	if empty == nil || len(empty) != 0 || null == nil || len(null) != 0 {
		t.Fatalf("empty %#v, NULL %#v: both must read as an empty, non-nil list", empty, null)
	}
	// A NULL element has no string to become: refused, not turned into "".
	var bad struct{ L models.CodeList }
	if err := db.Raw(`SELECT ARRAY['a', NULL] AS l`).Scan(&bad).Error; err == nil {
		t.Fatalf("an array with a NULL element was read as %#v", bad.L)
	}
}

func TestCodeListNilIsEmptyArray(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	var isEmpty bool
	if err := db.Raw(`SELECT ?::text[] = '{}'::text[]`, models.CodeList(nil)).Scan(&isEmpty).Error; err != nil {
		t.Fatal(err)
	}
	if !isEmpty {
		t.Fatal("a nil CodeList must be written as '{}', not NULL")
	}
	if !(models.CodeList{"a", "b"}).Has("b") || (models.CodeList{"a"}).Has("b") || models.CodeList(nil).Has("") {
		t.Fatal("Has is wrong")
	}
}

func TestInt64sRoundTrip(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	cases := map[string]models.Int64s{
		"empty":   {},
		"one":     {42},
		"many":    {3, 1, 2, 2},
		"extreme": {-9223372036854775808, 0, 9223372036854775807},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				Back  models.Int64s
				Parts []byte
			}
			err := db.Raw(`SELECT ?::bigint[] AS back, to_json(?::bigint[])::text AS parts`, in, in).Scan(&got).Error
			if err != nil {
				t.Fatal(err)
			}
			var parts []int64
			if err := json.Unmarshal(got.Parts, &parts); err != nil || !slices.Equal(parts, in) {
				t.Fatalf("server saw %s (%v), want %v", got.Parts, err, in)
			}
			if got.Back == nil || !slices.Equal(got.Back, in) {
				t.Fatalf("sent %v, read back %#v", in, got.Back)
			}
		})
	}
}

func TestInt64sNullAndEmpty(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	null, empty, fromNil := models.Int64s{1}, models.Int64s(nil), models.Int64s(nil)
	err := db.Raw(`SELECT NULL::bigint[], '{}'::bigint[], ?::bigint[]`, models.Int64s(nil)).Row().Scan(&null, &empty, &fromNil)
	if err != nil {
		t.Fatal(err)
	}
	if null != nil {
		t.Fatalf("NULL read as %#v, want nil", null)
	}
	if empty == nil || len(empty) != 0 || fromNil == nil || len(fromNil) != 0 {
		t.Fatalf("'{}' read as %#v, nil written and read as %#v: want an empty, non-nil list", empty, fromNil)
	}
	// The JSON shape callers rely on: null for nil, [] for empty, numbers otherwise.
	for _, c := range []struct {
		v    any
		want string
	}{{models.Int64s(nil), "null"}, {models.Int64s{}, "[]"}, {models.Int64s{1, 2}, "[1,2]"},
		{models.CodeList{}, "[]"}, {models.CodeList{"a,b", "Ђ"}, `["a,b","Ђ"]`}} {
		b, _ := json.Marshal(c.v)
		if string(b) != c.want {
			t.Errorf("json of %#v = %s, want %s", c.v, b, c.want)
		}
	}
	if !(models.Int64s{5, 7}).Has(7) || (models.Int64s{5}).Has(7) {
		t.Fatal("Has is wrong")
	}
}

// The columns of the schema, through GORM and a real model: a measure's
// partner ids and groups are written and read by the model functions.
func TestArrayColumnsThroughModels(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.draftPlan("Plan 2025-2026", "2025-01-01", "2026-12-31")
	obj := w.objective(p.ID, "O1")
	in := w.measureInput(obj.ID, "M1")
	in.Groups = []string{"roma", "youth_neet"}
	in.PartnerOrganisationIDs = []int64{w.csw.ID, w.ngo.ID}
	m, err := models.CreateMeasure(w.ctx, w.db, w.actor, w.muni.ID, p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := models.GetMeasure(w.ctx, w.db, w.muni.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Groups, models.CodeList{"roma", "youth_neet"}) || !slices.Equal(got.PartnerOrganisationIDs, models.Int64s{w.csw.ID, w.ngo.ID}) {
		t.Fatalf("groups %v, partners %v", got.Groups, got.PartnerOrganisationIDs)
	}
	var viaSQL bool
	w.db.Raw(`SELECT partner_organisation_ids = ARRAY[?, ?]::bigint[] AND groups = ARRAY['roma', 'youth_neet']
		FROM plan_measures WHERE id = ?`, w.csw.ID, w.ngo.ID, m.ID).Scan(&viaSQL)
	if !viaSQL {
		t.Fatal("the stored arrays differ from what was written")
	}
}
