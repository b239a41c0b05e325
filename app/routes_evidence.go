package app

import "pakt/models"

// evidenceRoutes are the evidence-of-delivery routes (issue #17, API.md
// "Working the cycle"): files attached to progress reports and commitments.
// Adding needs membership; the model checks the caller's organisation leads
// or partners the measure (or is responsible or supporting the commitment)
// and that the period is open (the agreement in force): 403 / 409 otherwise.
// Removing: the uploader or a coordinator. Reading: the municipality's users.
func evidenceRoutes(r *router, h *Handlers) {
	member, viewer := models.RoleMember, models.RoleViewer
	measure, cm := MeasureParam("id"), CommitmentParam("id")

	r.get("/measures/:id/progress/:period_id/attachments/:aid", InMunicipality(measure, viewer), h.Tracking.ProgressAttachment)
	r.post("/measures/:id/progress/:period_id/attachments", InMunicipality(measure, member), h.Tracking.ProgressAttach)
	r.post("/measures/:id/progress/:period_id/attachments/:aid/delete", InMunicipality(measure, member), h.Tracking.ProgressAttachmentDelete)
	r.get("/commitments/:id", InMunicipality(cm, viewer), h.Agreements.CommitmentShow)
	r.get("/commitments/:id/attachments/:aid", InMunicipality(cm, viewer), h.Agreements.CommitmentAttachment)
	r.post("/commitments/:id/attachments", InMunicipality(cm, member), h.Agreements.CommitmentAttach)
	r.post("/commitments/:id/attachments/:aid/delete", InMunicipality(cm, member), h.Agreements.CommitmentAttachmentDelete)

	api := "/api/v1"
	r.get(api+"/measures/:id/progress/:period_id/attachments", InMunicipality(measure, viewer), h.Tracking.APIProgressAttachments)
	r.post(api+"/measures/:id/progress/:period_id/attachments", InMunicipality(measure, member), h.Tracking.APIProgressAttach)
	r.get(api+"/measures/:id/progress/:period_id/attachments/:aid", InMunicipality(measure, viewer), h.Tracking.ProgressAttachment)
	r.delete(api+"/measures/:id/progress/:period_id/attachments/:aid", InMunicipality(measure, member), h.Tracking.APIProgressAttachmentDelete)
	r.get(api+"/commitments/:id/attachments", InMunicipality(cm, viewer), h.Agreements.APICommitmentAttachments)
	r.post(api+"/commitments/:id/attachments", InMunicipality(cm, member), h.Agreements.APICommitmentAttach)
	r.get(api+"/commitments/:id/attachments/:aid", InMunicipality(cm, viewer), h.Agreements.CommitmentAttachment)
	r.delete(api+"/commitments/:id/attachments/:aid", InMunicipality(cm, member), h.Agreements.APICommitmentAttachmentDelete)
}
