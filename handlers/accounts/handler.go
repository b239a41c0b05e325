package accounts

import "pakt/web"

// Handler serves the accounts routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[loginPage]("login"),
	web.PageOf[municipalitiesPage]("municipalities"),
	web.PageOf[municipalityFormPage]("municipality_form"),
	web.PageOf[municipalityPage]("municipality"),
	web.PageOf[auditPage]("audit"),
	web.PageOf[organisationFormPage]("organisation_form"),
	web.PageOf[membersPage]("members"),
	web.PageOf[acceptPage]("invitation_accept"),
	web.PageOf[linkGonePage]("link_gone"),
	web.PageOf[forgotPage]("password_forgot"),
	web.PageOf[resetPage]("password_reset"),
	web.PageOf[mePage]("me"),
	web.PageOf[totpPage]("totp"),
	web.PageOf[recoveryPage]("totp_codes"),
}
