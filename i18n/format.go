package i18n

import (
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
	return l.Decimal(decimal.NewFromInt(n), 0)
}

// Decimal formats d with places decimals, grouped per locale (12.500,50).
func (l *Localizer) Decimal(d decimal.Decimal, places int32) string {
	s := l.style()
	neg := d.IsNegative()
	txt := d.Abs().StringFixed(places)
	whole, frac, _ := strings.Cut(txt, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(s.thousands)
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += s.decimal + frac
	}
	if neg {
		out = "-" + out
	}
	return out
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
