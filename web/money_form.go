package web

import (
	"pakt/i18n"
	"pakt/models"
)

// LocalAmount reads an amount typed into a form the way the page writes
// amounts (models.ParseMoneyIn in the page's language: 12.500,50 in bs,
// 12,500.50 in en) and hands it to the model the API's way ("12500.50").
// Text that is no amount comes back as typed with ok false: the model
// refuses it as well (ParseMoney accepts nothing that ParseMoneyIn
// refuses), and AmountErrors then says which format the form wants.
func LocalAmount(l *i18n.Localizer, typed models.NumText) (amount models.NumText, ok bool) {
	d, err := models.ParseMoneyIn(l.Lang, string(typed))
	if err != nil {
		return typed, false
	}
	return models.NumText(models.Money(d)), true
}

// AmountErrors replaces the model's message (written for the API's
// "12500.50") on the given amount fields with the form's own, which shows
// an amount the way this language writes it.
func AmountErrors(l *i18n.Localizer, errs map[string]string, fields []string) {
	for _, f := range fields {
		if _, ok := errs[f]; ok {
			errs[f] = l.T("validation.amount_in")
		}
	}
}
