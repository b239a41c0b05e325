package dashboards

import "pakt/web"

// Handler serves the dashboards routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[homePage]("home"),
	web.FragmentOf[homeFrontView]("partials/home_front"),
	web.FragmentOf[homeMunisView]("partials/home_municipalities"),
	web.PageOf[dashboardPage]("dashboard"),
	web.PageOf[publicMunicipalityPage]("public_municipality"),
	web.PageOf[dashboardMunicipalityPage]("dashboard_municipality"),
	web.FragmentOf[dashMunicipalityView]("partials/dash_municipality"),
	web.PageOf[dashboardRegionPage]("dashboard_region"),
	web.FragmentOf[dashRegionView]("partials/dash_region"),
}
