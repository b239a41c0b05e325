// Package disclosure is the one rule by which Pakt publishes a count of
// people: every public page, regional page, PDF, CSV, JSON answer and chart
// prints such a count through Of (DOMAIN.md: never publish a small count
// that could identify someone). Pages for the municipality's own users
// print exact numbers and do not use this package.
//
// # Method: interval publication to base 5 (banding)
//
// A count n of people is published only as the band of five values that
// holds it: [5k, 5k+4] with k = n div 5. Counts from 0 to 4 read "<5" (zero
// too, so "<5" never tells whether anyone is there); 5 to 9 read "5–9",
// 10 to 14 "10–14", and so on. This is the rounding to base 5 used by
// statistical offices (rounding down, printed as the interval it stands
// for, so the reader is never misled about the value), chosen over
// primary and complementary suppression for three reasons:
//
//   - It holds across every output without coordination. A figure has the
//     same band wherever it appears (municipality page, regional page,
//     period report, open data), so a second page adds no new fact about
//     it; suppression must instead decide, for the whole database at once,
//     which extra cells to hide on every page, and one page computed
//     alone undoes another (the case found by the outside review).
//   - Totals cannot give a small cell away by subtraction. A total and its
//     parts are each known only to five values, so "total − the others"
//     leaves the small cell in an interval at least as wide as its own
//     band, in the usual case of a total with up to three other parts
//     (women and men; three age bands; a few municipalities or periods).
//     The attacker test (disclosure_attack_test.go in handlers) and
//     `pakt disclosure-audit` check the rest by linear programming over
//     everything that is public at once.
//   - It is one pure function: a page, a PDF and the JSON cannot disagree,
//     and a chart draws the band's lower bound, which tells nothing more.
//
// See docs/disclosure.md.
package disclosure

import "strconv"

// Base is the width of a band; counts below it read "<5".
const Base = 5

// Small is how a count from 0 to Base-1 is printed.
const Small = "<5"

// NotRecorded is how a count nobody recorded is printed.
const NotRecorded = "—"

// Band is a count of people as the public may see it: the interval
// [Lo, Hi] that holds the true value, or Missing when nothing is recorded.
type Band struct {
	Lo, Hi  int64
	Missing bool
}

// Of is the band of a count; a negative count means "not recorded".
func Of(n int64) Band {
	if n < 0 {
		return Band{Missing: true}
	}
	lo := n - n%Base
	return Band{Lo: lo, Hi: lo + Base - 1}
}

// OfInt is Of for an int.
func OfInt(n int) Band { return Of(int64(n)) }

// IsSmall says whether the band prints as "<5" (it lies within 0–4).
func (b Band) IsSmall() bool { return !b.Missing && b.Lo == 0 && b.Hi < Base }

// Contains says whether n lies in the band.
func (b Band) Contains(n int64) bool { return !b.Missing && b.Lo <= n && n <= b.Hi }

// Text prints the band with format for the bounds (a locale's integers):
// "<5", "10–14", or "—" when not recorded.
func (b Band) Text(format func(int64) string) string {
	switch {
	case b.Missing:
		return NotRecorded
	case b.IsSmall():
		return Small
	}
	if format == nil {
		format = func(n int64) string { return strconv.FormatInt(n, 10) }
	}
	return format(b.Lo) + "–" + format(b.Hi)
}

// String prints the band with plain digits.
func (b Band) String() string { return b.Text(nil) }

// ChartValue is the length of a bar that stands for the band: its lower
// bound, which a reader already knows from the label.
func (b Band) ChartValue() float64 {
	if b.Missing {
		return 0
	}
	return float64(b.Lo)
}

// Parse reads back what Text printed ("<5", "10–14", "10-14"); ok is false
// for anything else (the attacker test reads public pages with it).
func Parse(s string) (b Band, ok bool) {
	switch s {
	case Small:
		return Band{Lo: 0, Hi: Base - 1}, true
	case NotRecorded:
		return Band{Missing: true}, true
	}
	for _, sep := range []string{"–", "-"} {
		for i := 0; i+len(sep) <= len(s); i++ {
			if s[i:i+len(sep)] != sep {
				continue
			}
			lo, err1 := strconv.ParseInt(digits(s[:i]), 10, 64)
			hi, err2 := strconv.ParseInt(digits(s[i+len(sep):]), 10, 64)
			if err1 == nil && err2 == nil && hi >= lo {
				return Band{Lo: lo, Hi: hi}, true
			}
			return Band{}, false
		}
	}
	return Band{}, false
}

// digits drops grouping separators (".", ",", spaces) of a locale's integer.
func digits(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// Sum is the band of a total printed next to its parts: from the sum of
// the parts' lower bounds to the sum of their upper bounds. It tells a
// reader nothing the parts do not; a total of no parts is 0.
func Sum(parts ...Band) Band {
	var out Band
	for _, p := range parts {
		if !p.Missing {
			out.Lo, out.Hi = out.Lo+p.Lo, out.Hi+p.Hi
		}
	}
	return out
}

// SumOf is Sum for n counts whose lower bounds add up to lo (a query can
// add them up: sum(n - n % 5)).
func SumOf(lo int64, n int64) Band { return Band{Lo: lo, Hi: lo + n*(Base-1)} }
