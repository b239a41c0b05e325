package app

import "pakt/models"

// disclosureRoutes: the coordinator's public wording of a report's text
// (issue #15, docs/disclosure.md).
func disclosureRoutes(r *router, h *Handlers) {
	measure := MeasureParam("id")
	coord := models.RoleCoordinator
	r.post("/measures/:id/progress/:period_id/public-narrative", InMunicipality(measure, coord), h.Tracking.PublicNarrativeSave)
	r.put("/api/v1/measures/:id/progress/:period_id/public-narrative", InMunicipality(measure, coord), h.Tracking.APIPublicNarrativePut)
}
