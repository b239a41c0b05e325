package app

import "pakt/models"

// auditRoutes are the audit log's API (the page is in routeTable): the
// municipality's coordinators only.
func auditRoutes(r *router, h *Handlers) {
	r.get("/api/v1/municipalities/:id/audit", InMunicipality(MuniParam("id"), models.RoleCoordinator), h.Accounts.APIAudit)
}
