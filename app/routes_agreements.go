package app

import (
	"gorm.io/gorm"

	"github.com/gofiber/fiber/v2"

	"pakt/handlers"
	"pakt/models"
)

// AgreementParam scopes by the municipality owning the agreement in the path.
func AgreementParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfAgreement(c.UserContext(), db, id)
	}
}

// CommitmentParam scopes by the municipality owning the commitment in the path.
func CommitmentParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfCommitment(c.UserContext(), db, id)
	}
}

// agreementRoutes are the partnership-agreement routes (API.md "Partnership agreements").
// Signing and declining need only membership: the model checks that the
// caller is a pending signatory (403 otherwise).
func agreementRoutes(r *router, h *handlers.Handler) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	muni, ag, cm := MuniParam("id"), AgreementParam("id"), CommitmentParam("id")

	r.get("/municipalities/:id/agreements", InMunicipality(muni, viewer), h.AgreementList)
	r.get("/municipalities/:id/agreements/new", InMunicipality(muni, coord), h.AgreementNew)
	r.post("/municipalities/:id/agreements", InMunicipality(muni, coord), h.AgreementCreate)
	r.get("/agreements/:id", InMunicipality(ag, viewer), h.AgreementShow)
	r.get("/agreements/:id/edit", InMunicipality(ag, coord), h.AgreementEdit)
	r.post("/agreements/:id", InMunicipality(ag, coord), h.AgreementUpdate)
	r.post("/agreements/:id/open", InMunicipality(ag, coord), h.AgreementOpen)
	r.post("/agreements/:id/sign", InMunicipality(ag, member), h.AgreementSign)
	r.post("/agreements/:id/decline", InMunicipality(ag, member), h.AgreementDecline)
	r.post("/agreements/:id/amend", InMunicipality(ag, coord), h.AgreementAmend)
	r.post("/agreements/:id/attachments", InMunicipality(ag, coord), h.AgreementAttach)
	r.get("/agreements/:id/attachments/:aid", InMunicipality(ag, viewer), h.AgreementAttachment)
	r.get("/agreements/:id/pdf", InMunicipality(ag, viewer), h.AgreementPDF)
	r.get("/commitments", SignedIn, h.CommitmentsPage)
	r.post("/commitments/:id/progress", InMunicipality(cm, member), h.CommitmentProgress)
	r.get("/verify", Public, h.VerifyForm)
	r.post("/verify", Public, h.VerifyUpload)
	r.get("/verify/:sha256", Public, h.VerifyHash)

	api := "/api/v1"
	r.get(api+"/municipalities/:id/agreements", InMunicipality(muni, viewer), h.APIAgreementList)
	r.post(api+"/municipalities/:id/agreements", InMunicipality(muni, coord), h.APIAgreementCreate)
	r.get(api+"/agreements/:id", InMunicipality(ag, viewer), h.APIAgreementGet)
	r.patch(api+"/agreements/:id", InMunicipality(ag, coord), h.APIAgreementUpdate)
	r.post(api+"/agreements/:id/open", InMunicipality(ag, coord), h.APIAgreementOpen)
	r.post(api+"/agreements/:id/signatures", InMunicipality(ag, member), h.APIAgreementSign)
	r.post(api+"/agreements/:id/decline", InMunicipality(ag, member), h.APIAgreementDecline)
	r.post(api+"/agreements/:id/amend", InMunicipality(ag, coord), h.APIAgreementAmend)
	r.post(api+"/agreements/:id/attachments", InMunicipality(ag, coord), h.APIAgreementAttach)
	r.get(api+"/agreements/:id/pdf", InMunicipality(ag, viewer), h.AgreementPDF)
	r.get(api+"/commitments", SignedIn, h.APIMyCommitments)
	r.post(api+"/commitments/:id/progress", InMunicipality(cm, member), h.APICommitmentProgress)
}
