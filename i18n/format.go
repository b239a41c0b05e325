package i18n

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// style is how a locale writes numbers and dates.
type style struct {
	thousands, decimal string
	date               string
}

var styles = map[string]style{
	"en":      {",", ".", "2 Jan 2006"},
	"bs":      {".", ",", "02.01.2006."},
	"sr":      {".", ",", "02.01.2006."},
	"sr-Latn": {".", ",", "02.01.2006."},
	"mk":      {".", ",", "02.01.2006"},
	"sq":      {".", ",", "02.01.2006"},
}

func (l *Localizer) style() style { return styleOf(l.Lang) }

func styleOf(lang string) style {
	if s, ok := styles[lang]; ok {
		return s
	}
	return styles["bs"]
}

// Separators are the digit-grouping and decimal marks lang writes numbers
// with (Decimal): "." and "," in bs, sr, mk and sq; "," and "." in en.
// Forms read amounts back with them (models.ParseMoneyIn).
func Separators(lang string) (thousands, decimal string) {
	s := styleOf(lang)
	return s.thousands, s.decimal
}

// Date formats a calendar date the local way (en: 5 Mar 2017, bs: 05.03.2017.).
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(l.style().date)
}

// DateTime formats a timestamp in UTC with hours and minutes.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.Date(t.UTC()) + " " + t.UTC().Format("15:04") + " UTC"
}

// Int formats a whole number with the locale's digit grouping.
func (l *Localizer) Int(n int64) string {
	if n > -maxScaled && n < maxScaled {
		return l.grouped(n, 0)
	}
	return l.Decimal(decimal.NewFromInt(n), 0)
}

// Decimal formats d with places decimals, grouped per locale (12.500,50).
func (l *Localizer) Decimal(d decimal.Decimal, places int32) string {
	if n, ok := scaled(d, places); ok {
		return l.grouped(n, places)
	}
	return l.decimalBig(d, places)
}

// maxScaled bounds the integers grouped formats: 18 digits.
const maxScaled = 1_000_000_000_000_000_000

// scaled is d·10^places rounded half away from zero (as decimal.Round) as
// an integer, when d has at most 18 digits and the result fits — amounts and
// counts as read from numeric columns — so Decimal formats them without
// big-number arithmetic (a dashboard formats a thousand of them; the
// big-number path was a tenth of drawing it).
func scaled(d decimal.Decimal, places int32) (int64, bool) {
	shift := places + d.Exponent() // d is coefficient·10^exponent
	if places < 0 || shift < -18 || shift > 18 || d.NumDigits()+int(max(shift, 0)) > 18 {
		return 0, false
	}
	n := d.CoefficientInt64() // fits: at most 18 digits
	if shift >= 0 {
		return n * pow10[shift], true
	}
	p := pow10[-shift]
	q, r := n/p, n%p
	if 2*max(r, -r) >= p {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return q, true
}

// pow10[i] is 10^i.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// grouped writes n/10^places with the locale's marks; |n| < maxScaled.
func (l *Localizer) grouped(n int64, places int32) string {
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], n, 10)
	if n < 0 {
		digits = digits[1:]
	}
	return l.marked(n < 0, digits, int(places))
}

// decimalBig is Decimal for any value, by big-number arithmetic.
func (l *Localizer) decimalBig(d decimal.Decimal, places int32) string {
	rounded := d.Round(places)
	txt := rounded.Abs().StringFixed(places)
	return l.marked(rounded.IsNegative(), []byte(strings.Replace(txt, ".", "", 1)), int(places))
}

// marked writes digits (no sign, the last places of them decimals) with
// the locale's grouping and decimal marks. A value that rounded to zero
// comes with neg false: -0.004 is shown as 0,00, not -0,00.
func (l *Localizer) marked(neg bool, digits []byte, places int) string {
	s := l.style()
	if pad := places + 1 - len(digits); pad > 0 { // at least one whole digit: 0,05
		digits = append(bytes.Repeat([]byte{'0'}, pad), digits...)
	}
	whole, frac := digits[:len(digits)-places], digits[len(digits)-places:]
	out := make([]byte, 0, len(digits)+len(digits)/3*len(s.thousands)+len(s.decimal)+1)
	if neg {
		out = append(out, '-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			out = append(out, s.thousands...)
		}
		out = append(out, c)
	}
	if places > 0 {
		out = append(out, s.decimal...)
		out = append(out, frac...)
	}
	return string(out)
}

// currencySymbols are how amounts are written locally; BAM is "KM".
var currencySymbols = map[string]string{"BAM": "KM", "RSD": "RSD", "EUR": "€", "ALL": "L", "MKD": "ден."}

// Money formats an exact amount with its currency: 12.500,50 KM.
func (l *Localizer) Money(d decimal.Decimal, currency string) string {
	sym := currencySymbols[currency]
	if sym == "" {
		sym = currency
	}
	return l.Decimal(d, 2) + " " + sym
}
