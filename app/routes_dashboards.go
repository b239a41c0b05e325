package app

import (
	"pakt/models"
)

// dashboardRoutes are the implementation dashboards: one municipality's
// current plan, and the regional comparison of every municipality the user
// has a role in (all of them for admins; the handler filters, not the policy).
// The dashboard's indicator chart is an image of its own, with the same policy.
func dashboardRoutes(r *router, h *Handlers) {
	r.get("/municipalities/:id/dashboard", InMunicipality(MuniParam("id"), models.RoleViewer), h.Dashboards.MunicipalityDashboard)
	r.get("/municipalities/:id/dashboard/indicators.svg", InMunicipality(MuniParam("id"), models.RoleViewer), h.Dashboards.DashboardIndicatorChart)
	r.get("/region", SignedIn, h.Dashboards.RegionDashboard)
}
