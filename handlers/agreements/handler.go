package agreements

import "pakt/web"

// Handler serves the agreements routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[agreementsPage]("agreements"),
	web.PageOf[agreementFormPage]("agreement_form"),
	web.PageOf[agreementShowPage]("agreement_show"),
	web.PageOf[commitmentsPage]("commitments"),
	web.PageOf[commitmentPage]("commitment_show"),
	web.PageOf[verifyPage]("verify"),
	web.PageOf[verifyResultPage]("verify_result"),
}
