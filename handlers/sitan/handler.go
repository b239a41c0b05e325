package sitan

import "pakt/web"

// Handler serves the sitan routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[focusListPage]("focus_list"),
	web.PageOf[focusFormPage]("focus_form"),
	web.PageOf[focusShowPage]("focus_show"),
	web.PageOf[focusHeardPage]("focus_heard"),
	web.PageOf[focusRegionPage]("focus_region"),
	web.PageOf[sitanListPage]("sitan_list"),
	web.PageOf[sitanShowPage]("sitan_show"),
	web.PageOf[questionnairePage]("sitan_questionnaire"),
	web.PageOf[answersUploadPage]("answers_upload"),
	web.PageOf[sitanReportPage]("sitan_report"),
	web.PageOf[findingEditPage]("finding_edit"),
	web.PageOf[groupEditPage]("group_edit"),
	web.PageOf[focusEditPage]("focus_edit"),
	web.PageOf[needEditPage]("need_edit"),
}
