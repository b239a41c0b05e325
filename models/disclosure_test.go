package models_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"pakt/models"
)

// show writes cells as the public would read them: the value, "<5" for a
// small count, "*" for a cell hidden to protect one, "-" for not recorded.
func show(cells []models.PublicCell) string {
	out := make([]string, len(cells))
	for i, c := range cells {
		switch {
		case c.Missing:
			out[i] = "-"
		case c.Small:
			out[i] = "<5"
		case c.Hidden:
			out[i] = "*"
		case c.Shown():
			out[i] = strconv.FormatInt(c.Value, 10)
		}
	}
	return strings.Join(out, " ")
}

func TestSmallCountsAreNeverShown(t *testing.T) {
	t.Parallel()
	want := map[int64]string{-1: "-", 0: "<5", 1: "<5", 2: "<5", 3: "<5", 4: "<5", 5: "5", 6: "6", 1340: "1340"}
	for v, w := range want {
		c := models.CountTable{Rows: [][]int64{{v}}}.Disclose().Rows[0]
		if got := show(c); got != w {
			t.Errorf("count %d reads %q, want %q", v, got, w)
		}
		if c[0].Shown() != (v >= models.MinPublicCount) {
			t.Errorf("count %d: Shown() = %v", v, c[0].Shown())
		}
	}
	if models.MinPublicCount != 5 {
		t.Fatalf("the threshold is 5 (DOMAIN.md), not %d", models.MinPublicCount)
	}
}

// A row is total, women, men: a small part also hides its complement (or
// total − shown part would give it away); a small total hides the row.
func TestDiscloseRowsWithParts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		row  []int64
		want string
	}{
		{[]int64{10, 5, 5}, "10 5 5"},
		{[]int64{5, 5, 0}, "5 * <5"},
		{[]int64{9, 5, 4}, "9 * <5"},
		{[]int64{9, 4, 5}, "9 <5 *"},
		{[]int64{8, 4, 4}, "8 <5 <5"},
		{[]int64{4, 2, 2}, "<5 <5 <5"},
		{[]int64{0, 0, 0}, "<5 <5 <5"},
		{[]int64{12, 12, -1}, "12 12 -"},
		{[]int64{7, 3, -1}, "7 <5 -"},
	}
	for _, c := range cases {
		d := models.CountTable{Rows: [][]int64{c.row}, Parts: [][]int{{1, 2}}}.Disclose()
		if got := show(d.Rows[0]); got != c.want {
			t.Errorf("row %v reads %q, want %q", c.row, got, c.want)
		}
	}
}

// With column totals, a hidden cell must not be recoverable from its column
// either: 11 − 10 would give the small 1 away, so the 10 goes, and then its
// row's complement.
func TestDiscloseWithTotals(t *testing.T) {
	t.Parallel()
	tab := models.CountTable{Rows: [][]int64{{20, 10, 10}, {6, 1, 5}}, Parts: [][]int{{1, 2}}, WithTotals: true}
	if sums := tab.Sums(); !slices.Equal(sums, []int64{26, 11, 15}) {
		t.Fatalf("sums %v", sums)
	}
	d := tab.Disclose()
	got := []string{show(d.Rows[0]), show(d.Rows[1]), show(d.Totals)}
	if want := []string{"20 * *", "6 <5 *", "26 11 15"}; !slices.Equal(got, want) {
		t.Fatalf("disclosed %q, want %q", got, want)
	}

	// Totals are protected like any row: a small column sum is "<5", and a
	// shown grand total with one small part hides the other part.
	small := models.CountTable{Rows: [][]int64{{3, 2, 1}, {1, 1, 0}}, Parts: [][]int{{1, 2}}, WithTotals: true}.Disclose()
	if got := show(small.Totals); got != "<5 <5 <5" {
		t.Fatalf("small totals read %q", got)
	}
	mixed := models.CountTable{Rows: [][]int64{{6, 4, 2}, {7, 6, 1}}, Parts: [][]int{{1, 2}}, WithTotals: true}.Disclose()
	if got := []string{show(mixed.Rows[0]), show(mixed.Rows[1]), show(mixed.Totals)}; !slices.Equal(got, []string{"6 <5 <5", "7 * <5", "13 * <5"}) {
		t.Fatalf("totals with a small part read %q", got)
	}
	// Columns with nothing recorded sum to "not recorded", not to 0.
	if sums := (models.CountTable{Rows: [][]int64{{3, -1}, {4, -1}}}).Sums(); !slices.Equal(sums, []int64{7, -1}) {
		t.Fatalf("sums with an unrecorded column: %v", sums)
	}
	if sums := (models.CountTable{}).Sums(); sums != nil {
		t.Fatalf("sums of no rows: %v", sums)
	}
}
