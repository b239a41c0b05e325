package agreements

import (
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/docs"
	"pakt/web"
)

// sign re-authenticates the signatory with their password, then signs.
// When the last party signs, the final PDF is generated and registered.
func (h *Handler) sign(c *fiber.Ctx, ag *models.Agreement, password, code string) error {
	if password == "" {
		return models.Invalid("password", "validation.required")
	}
	// Refuse someone who could not sign before the slow password check.
	if err := h.canSign(c, ag); err != nil {
		return err
	}
	if err := h.reauthenticate(c, password, code); err != nil {
		return err
	}
	// A fresh deadline: the password hash above is slow on purpose and must
	// not eat the time of the signature's transaction.
	ctx, cancel := h.Ctx(c)
	defer cancel()
	inForce, err := models.SignAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID,
		models.SignInput{IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)})
	if err != nil {
		return err
	}
	if inForce {
		// The signatures are committed; a failure here is retried by the next PDF download.
		if _, err := h.finalPDF(c, ag.MunicipalityID, ag.ID); err != nil {
			h.Log.Error("final agreement PDF failed", "agreement", ag.ID, "err", err.Error())
		}
	}
	return nil
}

func (h *Handler) canSign(c *fiber.Ctx, ag *models.Agreement) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.CheckCanSign(ctx, h.DB, ag.MunicipalityID, ag.ID, web.PrincipalOf(c).User.ID)
}

// reauthenticate checks the signed-in user's password again, and the
// second-factor code when TOTP is on, under the sign-in throttle (429).
func (h *Handler) reauthenticate(c *fiber.Ctx, password, code string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.Reauthenticate(ctx, h.DB, c.IP(), web.PrincipalOf(c).User.ID, password, strings.TrimSpace(code))
}

// forbidOrState turns model refusals into the HTTP answers of API.md.
func forbidOrState(err error) error {
	if models.IsForbidden(err) {
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	}
	return err
}

// AgreementSign handles the signature form (password re-entry).
func (h *Handler) AgreementSign(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	err = forbidOrState(h.sign(c, ag, c.FormValue("password"), c.FormValue("code")))
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.renderAgreement(c, 422, ag, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID), "flash.signed")
}

// AgreementDecline records a signatory's refusal with a reason.
func (h *Handler) AgreementDecline(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err = forbidOrState(models.DeclineAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID, c.FormValue("reason")))
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.renderAgreement(c, 422, ag, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID), "flash.declined")
}

// AgreementAmend starts a new draft version.
func (h *Handler) AgreementAmend(c *fiber.Ctx) error {
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
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(next.ID)+"/edit", "flash.amendment_started")
}

// AgreementAttach stores a scanned wet-ink copy (PDF, PNG or JPEG by content).
func (h *Handler) AgreementAttach(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	att, err := h.attach(c, ag)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.renderAgreement(c, web.StatusOf(err), ag, fe) // 413 over the size limit
	}
	if err != nil {
		return err
	}
	_ = att
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID), "flash.attached")
}

// attach reads the multipart "file" (size-limited) and stores it.
func (h *Handler) attach(c *fiber.Ctx, ag *models.Agreement) (*models.Attachment, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, models.Invalid("file", "validation.required")
	}
	if fh.Size > models.MaxAttachmentBytes {
		return nil, models.TooLarge("file", "validation.file_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, models.MaxAttachmentBytes+1))
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.SaveAttachment(ctx, h.DB, web.Actor(c), models.Attachment{
		MunicipalityID: ag.MunicipalityID, ObjectType: "agreement", ObjectID: ag.ID, Kind: "wet_ink", FileName: fh.Filename}, content)
}

// AgreementAttachment downloads a stored scan to users who may see the agreement.
func (h *Handler) AgreementAttachment(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	aid, err := web.ParamID(c, "aid")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	att, err := models.GetAttachment(ctx, h.DB, ag.MunicipalityID, "agreement", ag.ID, aid)
	if err != nil {
		return err
	}
	content, err := models.AttachmentContent(ctx, h.DB, att.ID)
	if err != nil {
		return err
	}
	return web.SendAttachment(c, att, content)
}

// AgreementPDF sends the agreement as a PDF: the registered final document
// once in force, a freshly drawn one (marked as not final) before.
func (h *Handler) AgreementPDF(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	var pdf []byte
	if ag.Status == models.AgreementInForce || ag.Status == models.AgreementSuperseded {
		pdf, err = h.finalPDF(c, ag.MunicipalityID, ag.ID)
	} else {
		pdf, err = h.renderAgreementPDF(c, ag, false)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="agreement-`+web.Itoa(ag.ID)+`-v`+web.Itoa(int64(ag.VersionNo))+`.pdf"`)
	return c.Send(pdf)
}

// finalPDF returns the registered final PDF, generating it once.
func (h *Handler) finalPDF(c *fiber.Ctx, muniID, id int64) ([]byte, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.FinalAgreementPDF(ctx, h.DB, muniID, id, func(ag *models.Agreement) ([]byte, error) {
		return h.renderAgreementPDF(c, ag, true)
	})
}

// renderAgreementPDF draws the agreement; the final document in the
// municipality's language, a working copy in the reader's (?lang=).
func (h *Handler) renderAgreementPDF(c *fiber.Ctx, ag *models.Agreement, final bool) ([]byte, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, ag.MunicipalityID)
	if err != nil {
		return nil, err
	}
	names, err := h.OrgNames(c, m.ID)
	if err != nil {
		return nil, err
	}
	l := h.I18n.For(m.Language)
	if !final && c.Query("lang") != "" {
		l = h.Localizer(c)
	}
	return h.RenderPDF(c, func() ([]byte, error) {
		return docs.Agreement(l, docs.AgreementInput{Agreement: ag, Municipality: m, OrgNames: names,
			VerifyURL: h.BaseURL + "/verify/" + deref(ag.SHA256), Final: final})
	})
}
