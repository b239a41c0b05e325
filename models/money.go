package models

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"pakt/i18n"
)

// moneyRe is a non-negative amount with at most two decimals: "12500", "12500.5", "12500.50".
var moneyRe = regexp.MustCompile(`^\d{1,12}(\.\d{1,2})?$`)

// ParseMoney reads an amount exactly (never through float64). It accepts
// the API's "12500.50"; a comma decimal separator as typed in local forms
// ("12500,50") is accepted too, but digit grouping is not, to avoid guessing.
func ParseMoney(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !moneyRe.MatchString(s) {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// Why ParseMoneyIn refuses an amount.
var (
	ErrMoneyFormat   = errors.New("not an amount in the form's format")
	ErrMoneyDecimals = errors.New("an amount has at most two decimals")
	ErrMoneyTooLarge = errors.New("an amount is at most 999999999999.99")
)

// ParseMoneyIn reads an amount typed into a form of a page in lang, written
// the way that page writes amounts (i18n.Separators): "12.500,50" in bs, sr,
// mk and sq, "12,500.50" in en; digit grouping is optional ("12500,50") and
// may also be a space. When a lone mark is followed by exactly three digits
// the language decides: "1.500" is 1500 in bs and 1.5 in en. A lone
// grouping mark followed by one or two digits cannot be grouping and is
// read as the decimal point, so the API's "12500.50" (which the forms show
// for stored amounts) is accepted everywhere. Anything else — signs,
// exponents, letters, misplaced or mixed marks ("12.50.3", "12,500.50" in
// bs) — is ErrMoneyFormat; more than two decimals ErrMoneyDecimals.
// Whatever ParseMoney accepts, ParseMoneyIn accepts in every language.
func ParseMoneyIn(lang, s string) (decimal.Decimal, error) {
	group, dec := i18n.Separators(lang)
	whole, frac, err := splitAmount(strings.TrimSpace(s), group, dec)
	if err != nil {
		return decimal.Zero, err
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 {
		return decimal.Zero, ErrMoneyDecimals
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 12 {
		return decimal.Zero, ErrMoneyTooLarge
	}
	if whole == "" {
		whole = "0"
	}
	if frac != "" {
		whole += "." + frac
	}
	return decimal.RequireFromString(whole), nil
}

// splitAmount splits s at its decimal mark into the digits before it
// (grouping checked and removed) and the digits after it.
func splitAmount(s, group, dec string) (whole, frac string, err error) {
	if s == "" || strings.Trim(s, "0123456789., \u00a0\u202f") != "" {
		return "", "", ErrMoneyFormat
	}
	head, tail := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		mark := s[i : i+1]
		lone := mark == group && !strings.ContainsAny(s[:i], "., \u00a0\u202f") && len(s)-i-1 <= 2
		if mark == dec || lone {
			head, tail = s[:i], s[i+1:]
			if tail == "" || !onlyDigits(tail) {
				return "", "", ErrMoneyFormat
			}
		}
	}
	digits, ok := ungroup(head, group)
	if !ok {
		return "", "", ErrMoneyFormat
	}
	return digits, tail, nil
}

// ungroup checks the digit grouping of the part before the decimal mark —
// none, or one kind of mark (the language's or a space) every three digits
// — and returns the digits.
func ungroup(s, group string) (string, bool) {
	s = strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s) // no-break spaces are spaces
	mark := group
	if strings.Contains(s, " ") {
		mark = " "
	}
	parts := strings.Split(s, mark)
	for i, p := range parts {
		if !onlyDigits(p) || (i > 0 && len(p) != 3) || (i == 0 && len(parts) > 1 && len(p) > 3) {
			return "", false
		}
	}
	return strings.Join(parts, ""), true
}

// onlyDigits says whether s is one or more ASCII digits.
func onlyDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseQuantity reads an indicator baseline or target: counts and rates in a
// plan are never negative and need at most two decimals, like money.
func ParseQuantity(s string) (decimal.Decimal, bool) { return ParseMoney(s) }

// Money formats an amount the API way: "12500.50".
func Money(d decimal.Decimal) string { return d.StringFixed(2) }

// QuantityText is an indicator value as a form field shows it: whole
// numbers without decimals ("8", never "8.00": most indicators count
// people), anything else with two.
func QuantityText(d decimal.Decimal) string {
	if d.IsInteger() {
		return d.StringFixed(0)
	}
	return d.StringFixed(2)
}

// NumText is a decimal as written: a JSON string "12500.50" or a JSON number
// 12500.50, kept as its literal text (never through float64).
type NumText string

// UnmarshalJSON accepts a string or a number literal.
func (n *NumText) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*n = NumText(str)
		return nil
	}
	if s == "null" {
		*n = ""
		return nil
	}
	*n = NumText(s)
	return nil
}
