package agreements

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// APIAgreementCreate is POST /api/v1/municipalities/{id}/agreements.
func (h *Handler) APIAgreementCreate(c *fiber.Ctx) error {
	var r agreementReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	var in models.AgreementInput
	if err := r.apply(&in); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ag, err := models.CreateAgreement(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, in)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, ag.Version, ag)
}

// APIAgreementList is GET /api/v1/municipalities/{id}/agreements.
func (h *Handler) APIAgreementList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	items, err := models.ListAgreements(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendList(c, items)
}

// APIAgreementGet is GET /api/v1/agreements/{id}.
func (h *Handler) APIAgreementGet(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, ag.Version, ag)
}

// APIAgreementUpdate is PATCH /api/v1/agreements/{id}: 200 in draft, 409 otherwise.
func (h *Handler) APIAgreementUpdate(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	var r agreementReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if ag.Status != models.AgreementDraft {
		return &models.StateError{Key: "error.agreement_not_draft"}
	}
	in := ag.InputOf()
	if err := r.apply(&in); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ag, err = models.UpdateAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID, version, in)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, ag.Version, ag)
}

// APIAgreementOpen is POST /api/v1/agreements/{id}/open.
func (h *Handler) APIAgreementOpen(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ag, err = models.OpenAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, ag.Version, ag)
}

type passwordReq struct {
	Password string `json:"password"`
	Code     string `json:"code"` // second factor, when the signatory has TOTP on
}

// APIAgreementSign is POST /api/v1/agreements/{id}/signatures.
func (h *Handler) APIAgreementSign(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	var r passwordReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := forbidOrState(h.sign(c, ag, r.Password, r.Code)); err != nil {
		return err
	}
	return h.agreementAnswer(c, ag, fiber.StatusCreated)
}

// APIAgreementDecline is POST /api/v1/agreements/{id}/decline.
func (h *Handler) APIAgreementDecline(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	var r web.ReasonReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := forbidOrState(models.DeclineAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID, r.Reason)); err != nil {
		return err
	}
	return h.agreementAnswer(c, ag, 200)
}

// APIAgreementAmend is POST /api/v1/agreements/{id}/amend.
func (h *Handler) APIAgreementAmend(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	next, err := models.AmendAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, next.Version, next)
}

// APIAgreementAttach is POST /api/v1/agreements/{id}/attachments (multipart "file").
func (h *Handler) APIAgreementAttach(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	att, err := h.attach(c, ag)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(att)
}

// agreementAnswer reloads and sends the agreement.
func (h *Handler) agreementAnswer(c *fiber.Ctx, ag *models.Agreement, status int) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fresh, err := models.GetAgreement(ctx, h.DB, ag.MunicipalityID, ag.ID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, status, fresh.Version, fresh)
}
