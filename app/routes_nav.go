package app

import "pakt/models"

// navRoutes serve the municipality navigation (partials/muni_nav) where no
// page of its own exists: "Tracking" leads to the current plan's tracking.
func navRoutes(r *router, h *Handlers) {
	r.get("/municipalities/:id/tracking", InMunicipality(MuniParam("id"), models.RoleViewer), h.Tracking.MunicipalityTracking)
}
