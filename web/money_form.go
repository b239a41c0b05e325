package web

import (
	"strings"

	"pakt/i18n"
	"pakt/models"
)

// LocalAmount reads an amount typed into a form the way the page writes
// amounts (models.ParseMoneyIn in the page's language: 12.500,50 in bs,
// 12,500.50 in en) and hands it to the model the API's way ("12500.50").
// Text that is no amount comes back as typed with ok false: the model
// refuses it as well (ParseMoney accepts nothing that ParseMoneyIn
// refuses), and FormatErrors then says which format the form wants.
func LocalAmount(l *i18n.Localizer, typed models.NumText) (amount models.NumText, ok bool) {
	d, err := models.ParseMoneyIn(l.Lang, string(typed))
	if err != nil {
		return typed, false
	}
	return models.NumText(models.Money(d)), true
}

// LocalQuantity reads an indicator value (baseline, target, actual) typed
// the way the page writes numbers, like LocalAmount, and hands it on as a
// form shows it ("12.5", "8"). Empty stays empty: the model decides whether
// the value is required.
func LocalQuantity(l *i18n.Localizer, typed models.NumText) (value models.NumText, ok bool) {
	if strings.TrimSpace(string(typed)) == "" {
		return typed, true
	}
	d, err := models.ParseMoneyIn(l.Lang, string(typed))
	if err != nil {
		return typed, false
	}
	return models.NumText(models.QuantityText(d)), true
}

// FormatErrors replaces the model's message (written for the API's
// "12500.50") on the fields the form could not read with the form's own
// (bad maps each field to its message key: validation.amount_in or
// validation.number_in), which shows a number the way this language writes
// it.
func FormatErrors(l *i18n.Localizer, errs map[string]string, bad map[string]string) {
	for f, key := range bad {
		if _, ok := errs[f]; ok {
			errs[f] = l.T(key)
		}
	}
}
