package models

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
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

// ParseQuantity reads an indicator baseline or target: counts and rates in a
// plan are never negative and need at most two decimals, like money.
func ParseQuantity(s string) (decimal.Decimal, bool) { return ParseMoney(s) }

// Money formats an amount the API way: "12500.50".
func Money(d decimal.Decimal) string { return d.StringFixed(2) }

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
