package models

import (
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzParseMoney: ParseMoney never panics; whatever it accepts is a
// non-negative amount below 10^12 with at most two decimals, equal to the
// exact value of the text (checked with math/big, not decimal), and it
// survives the API round trip Money → ParseMoney unchanged. Signs, exponents,
// digit grouping and anything but plain digits are refused.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "12500", "12500.5", "12500.50", "12500,50", " 7.01 ", "999999999999.99",
		"1000000000000", "-5", "+5", "1e3", "1E3", "12.500,50", "12,500.50", "12500.505", ".5", "5.", "0x10",
		"١٢", "NaN", "Inf", "", " ", "0.00", "00012.30", "1_000", "5\n", "\t3,5"} {
		f.Add(s)
	}
	limit := decimal.New(1, 12)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseMoney(s)
		if !ok {
			if !d.IsZero() {
				t.Fatalf("ParseMoney(%q) refused but returned %s", s, d)
			}
			return
		}
		if d.IsNegative() || d.GreaterThanOrEqual(limit) {
			t.Fatalf("ParseMoney(%q) = %s: outside [0, 10^12)", s, d)
		}
		if !d.Equal(d.Truncate(2)) {
			t.Fatalf("ParseMoney(%q) = %s: more than two decimals", s, d)
		}
		text := strings.TrimSpace(s)
		if strings.ContainsAny(text, "eE+-_xX") {
			t.Fatalf("ParseMoney(%q) = %s: accepted a sign, an exponent or a separator", s, d)
		}
		// The exact value, independently of the decimal library.
		want, okRat := new(big.Rat).SetString(strings.Replace(text, ",", ".", 1))
		if !okRat || want.Cmp(d.Rat()) != 0 {
			t.Fatalf("ParseMoney(%q) = %s, but the text is worth %v", s, d, want)
		}
		// The API writes Money(d); reading that back gives the same amount.
		out := Money(d)
		back, ok := ParseMoney(out)
		if !ok || !back.Equal(d) {
			t.Fatalf("round trip of %q: Money = %q, ParseMoney gives %s (ok %v)", s, out, back, ok)
		}
		if i := strings.IndexByte(out, '.'); i < 0 || len(out)-i-1 != 2 {
			t.Fatalf("Money(%s) = %q: want exactly two decimals", d, out)
		}
	})
}
