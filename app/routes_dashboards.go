package app

import (
	"pakt/handlers"
	"pakt/models"
)

// dashboardRoutes are the implementation dashboards: one municipality's
// current plan, and the regional comparison of every municipality the user
// has a role in (all of them for admins; the handler filters, not the policy).
// The dashboard's indicator chart is an image of its own, with the same policy.
func dashboardRoutes(r *router, h *handlers.Handler) {
	r.get("/municipalities/:id/dashboard", InMunicipality(MuniParam("id"), models.RoleViewer), h.MunicipalityDashboard)
	r.get("/municipalities/:id/dashboard/indicators.svg", InMunicipality(MuniParam("id"), models.RoleViewer), h.DashboardIndicatorChart)
	r.get("/region", SignedIn, h.RegionDashboard)
}
