package app

import "pakt/models"

// historyRoutes are what changed and who changed it (issue #17): the audit
// log's API (the page is in routeTable), for the municipality's
// coordinators only, and the comparison of two versions of a plan, for
// anyone who may read the plan.
func historyRoutes(r *router, h *Handlers) {
	coord, viewer := models.RoleCoordinator, models.RoleViewer
	r.get("/api/v1/municipalities/:id/audit", InMunicipality(MuniParam("id"), coord), h.Accounts.APIAudit)
	r.get("/plans/:id/diff", InMunicipality(PlanParam("id"), viewer), h.Plans.PlanDiff)
	r.get("/api/v1/action-plans/:id/diff", InMunicipality(PlanParam("id"), viewer), h.Plans.APIPlanDiff)
}
