package plans

import "pakt/web"

// Handler serves the plans routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[plansPage]("plans"),
	web.PageOf[planShowPage]("plan_show"),
	web.PageOf[planPublicPage]("plan_public"),
	web.PageOf[consultationReportPage]("consultation_report"),
	web.PageOf[measureFormPage]("measure_form"),
	web.PageOf[planDiffPage]("plan_diff"),
	web.FragmentOf[planView]("partials/plan_head"),
	web.FragmentOf[planView]("partials/plan_content"),
	web.FragmentOf[planView]("partials/plan_public"),
}
