package app

import "pakt/models"

// searchRoutes are search (issue #17, API.md "Working the cycle"): any
// signed-in person searches the municipalities they have a role in (a
// platform admin: all); the model keeps to those, so nothing else leaks.
func searchRoutes(r *router, h *Handlers) {
	r.get("/search", SignedIn, h.Search.Page)
	r.get("/api/v1/search", SignedIn, h.Search.API)
	// The measure list with the filters of the tracking page.
	r.get("/api/v1/action-plans/:id/measures", InMunicipality(PlanParam("id"), models.RoleViewer), h.Tracking.APIMeasureList)
}
