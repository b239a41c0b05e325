package models

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pakt/i18n"
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

// FuzzParseMoneyIn: the form parser never panics; what it accepts is a
// non-negative amount below 10^12 with at most two decimals whose value is
// the text read with the language's marks (checked with math/big); the
// page's own writing of an amount (i18n Decimal) and the API's (Money)
// read back unchanged in every language; and whatever ParseMoney (the API)
// accepts, every form accepts too, so a form never passes the model an
// amount the model would read differently.
func FuzzParseMoneyIn(f *testing.F) {
	for _, s := range []string{"12.500,50", "12,500.50", "12500,50", "12500.50", "1.500", "1,5", "1,500", "12.50.3",
		"1.000.000", "1,000,000", "12 500,50", "12\u00a0500", "0,001", "0,100", "-5", "1e3", "5,", ",5", ".5", "",
		"999.999.999.999,99", "1.000.000.000.000", "١٢", "1.50", "12.3.4", "1 0", "12.500 000"} {
		for _, lang := range []string{"en", "bs", "sr", "sr-Latn", "mk", "sq"} {
			f.Add(lang, s)
		}
	}
	limit := decimal.New(1, 12)
	f.Fuzz(func(t *testing.T, lang, s string) {
		d, err := ParseMoneyIn(lang, s)
		if api, ok := ParseMoney(s); ok && err != nil {
			t.Fatalf("ParseMoney(%q) = %s but ParseMoneyIn(%q) refuses it: %v", s, api, lang, err)
		}
		if err != nil {
			if !d.IsZero() || !(errors.Is(err, ErrMoneyFormat) || errors.Is(err, ErrMoneyDecimals) || errors.Is(err, ErrMoneyTooLarge)) {
				t.Fatalf("ParseMoneyIn(%q, %q) = %s, %v", lang, s, d, err)
			}
			return
		}
		if d.IsNegative() || d.GreaterThanOrEqual(limit) || !d.Equal(d.Truncate(2)) {
			t.Fatalf("ParseMoneyIn(%q, %q) = %s: not an amount", lang, s, d)
		}
		if !readsAs(lang, s, d) {
			t.Fatalf("ParseMoneyIn(%q, %q) = %s: not what the text says", lang, s, d)
		}
		l := &i18n.Localizer{Lang: lang}
		for _, out := range []string{l.Decimal(d, 2), Money(d)} {
			if back, err := ParseMoneyIn(lang, out); err != nil || !back.Equal(d) {
				t.Fatalf("round trip of %s in %s: %q reads as %s, %v", d, lang, out, back, err)
			}
		}
	})
}

// readsAs says whether d is the value of s with lang's grouping marks (or
// spaces) dropped and its decimal mark as the point, or — for one lone
// grouping mark before one or two digits — with that mark as the point.
func readsAs(lang, s string, d decimal.Decimal) bool {
	group, dec := i18n.Separators(lang)
	s = strings.TrimSpace(s)
	plain := strings.NewReplacer(group, "", " ", "", "\u00a0", "", "\u202f", "").Replace(s)
	plain = strings.Replace(plain, dec, ".", 1)
	lone := strings.Replace(s, group, ".", 1)
	for _, txt := range []string{plain, lone} {
		if r, ok := new(big.Rat).SetString(txt); ok && r.Cmp(d.Rat()) == 0 {
			return true
		}
	}
	return false
}
