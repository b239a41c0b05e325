package app

import (
	"gorm.io/gorm"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// AgreementParam scopes by the municipality owning the agreement in the path.
func AgreementParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfAgreement(c.UserContext(), db, id)
	}
}

// CommitmentParam scopes by the municipality owning the commitment in the path.
func CommitmentParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfCommitment(c.UserContext(), db, id)
	}
}

// agreementRoutes are the partnership-agreement routes (API.md "Partnership agreements").
// Signing and declining need only membership: the model checks that the
// caller is a pending signatory (403 otherwise).
func agreementRoutes(r *router, h *Handlers) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	muni, ag, cm := MuniParam("id"), AgreementParam("id"), CommitmentParam("id")

	r.get("/municipalities/:id/agreements", InMunicipality(muni, viewer), h.Agreements.AgreementList)
	r.get("/municipalities/:id/agreements/new", InMunicipality(muni, coord), h.Agreements.AgreementNew)
	r.post("/municipalities/:id/agreements", InMunicipality(muni, coord), h.Agreements.AgreementCreate)
	r.get("/agreements/:id", InMunicipality(ag, viewer), h.Agreements.AgreementShow)
	r.get("/agreements/:id/edit", InMunicipality(ag, coord), h.Agreements.AgreementEdit)
	r.post("/agreements/:id", InMunicipality(ag, coord), h.Agreements.AgreementUpdate)
	r.post("/agreements/:id/open", InMunicipality(ag, coord), h.Agreements.AgreementOpen)
	r.post("/agreements/:id/sign", InMunicipality(ag, member), h.Agreements.AgreementSign)
	r.post("/agreements/:id/decline", InMunicipality(ag, member), h.Agreements.AgreementDecline)
	r.post("/agreements/:id/amend", InMunicipality(ag, coord), h.Agreements.AgreementAmend)
	r.post("/agreements/:id/attachments", InMunicipality(ag, coord), h.Agreements.AgreementAttach)
	r.get("/agreements/:id/attachments/:aid", InMunicipality(ag, viewer), h.Agreements.AgreementAttachment)
	r.get("/agreements/:id/pdf", InMunicipality(ag, viewer), h.Agreements.AgreementPDF)
	r.get("/commitments", SignedIn, h.Agreements.CommitmentsPage)
	r.post("/commitments/:id/progress", InMunicipality(cm, member), h.Agreements.CommitmentProgress)
	r.get("/verify", Public, h.Agreements.VerifyForm)
	r.post("/verify", Public, h.Agreements.VerifyUpload)
	r.get("/verify/:sha256", Public, h.Agreements.VerifyHash)

	api := "/api/v1"
	r.get(api+"/municipalities/:id/agreements", InMunicipality(muni, viewer), h.Agreements.APIAgreementList)
	r.post(api+"/municipalities/:id/agreements", InMunicipality(muni, coord), h.Agreements.APIAgreementCreate)
	r.get(api+"/agreements/:id", InMunicipality(ag, viewer), h.Agreements.APIAgreementGet)
	r.patch(api+"/agreements/:id", InMunicipality(ag, coord), h.Agreements.APIAgreementUpdate)
	r.post(api+"/agreements/:id/open", InMunicipality(ag, coord), h.Agreements.APIAgreementOpen)
	r.post(api+"/agreements/:id/signatures", InMunicipality(ag, member), h.Agreements.APIAgreementSign)
	r.post(api+"/agreements/:id/decline", InMunicipality(ag, member), h.Agreements.APIAgreementDecline)
	r.post(api+"/agreements/:id/amend", InMunicipality(ag, coord), h.Agreements.APIAgreementAmend)
	r.post(api+"/agreements/:id/attachments", InMunicipality(ag, coord), h.Agreements.APIAgreementAttach)
	r.get(api+"/agreements/:id/pdf", InMunicipality(ag, viewer), h.Agreements.AgreementPDF)
	r.get(api+"/commitments", SignedIn, h.Agreements.APIMyCommitments)
	r.post(api+"/commitments/:id/progress", InMunicipality(cm, member), h.Agreements.APICommitmentProgress)
	r.get(api+"/verify/:sha256", Public, h.Agreements.VerifyHash)
}
