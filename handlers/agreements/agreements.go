package agreements

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// agreementsPage is the data of views/pages/agreements.html.
type agreementsPage struct {
	Municipality *models.Municipality
	Agreements   []models.AgreementSummary
	Standing     *models.PartnershipStanding
	Coordinator  bool
}

// AgreementList shows a municipality's agreements and where it stands on the partnership ladder.
func (h *Handler) AgreementList(c *fiber.Ctx) error {
	s := web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	list, err := models.ListAgreements(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	standing, err := models.StandingOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "agreements", "agreements.title", agreementsPage{Municipality: m, Agreements: list,
		Standing: standing, Coordinator: s.Role == models.RoleCoordinator})
}

// AgreementNew shows an empty draft form.
func (h *Handler) AgreementNew(c *fiber.Ctx) error {
	f := &agreementForm{Fields: map[string]string{}}
	f.In.Level = "cooperation"
	return h.renderAgreementForm(c, 200, nil, f, nil)
}

// agreementFormPage is the data of views/pages/agreement_form.html: the
// draft's fields in FormState, its party and commitment rows, and the
// choices of the selects.
type agreementFormPage struct {
	web.FormState
	Municipality  *models.Municipality
	Agreement     *models.Agreement // nil for a new draft
	Rows          *agreementForm
	Organisations []models.Organisation
	Signers       []models.Signer
	Levels        []string
}

// renderAgreementForm draws the draft form with its choices and errors.
func (h *Handler) renderAgreementForm(c *fiber.Ctx, status int, ag *models.Agreement, f *agreementForm, errs map[string]string) error {
	pg, err := h.agreementFormChoices(c)
	if err != nil {
		return err
	}
	f.rows(errs)
	form := map[string]string{"title": f.In.Title, "level": f.In.Level, "goal": f.In.Goal, "body": f.In.Body,
		"valid_from": orDate(f.Fields["valid_from"], f.In.ValidFrom), "valid_to": orDate(f.Fields["valid_to"], f.In.ValidTo)}
	title := "agreements.new"
	if ag != nil {
		form["version"] = web.FormVersion(c, ag.Version)
		title = "agreements.edit"
	}
	pg.FormState, pg.Agreement, pg.Rows = web.FormState{Form: form, Errors: web.TopLevel(errs)}, ag, f
	return h.Render(c, status, "agreement_form", title, pg)
}

// agreementFormChoices loads the municipality and the choices of the draft
// form: its organisations, the users who may sign, the partnership levels.
func (h *Handler) agreementFormChoices(c *fiber.Ctx) (agreementFormPage, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	pg := agreementFormPage{Levels: models.PartnershipLevels}
	var err error
	if pg.Municipality, err = models.GetMunicipality(ctx, h.DB, muni); err != nil {
		return pg, err
	}
	if pg.Organisations, err = models.ListOrganisations(ctx, h.DB, muni); err != nil {
		return pg, err
	}
	pg.Signers, err = models.ListSigners(ctx, h.DB, muni)
	return pg, err
}

func orDate(typed string, d models.Date) string {
	if typed != "" {
		return typed
	}
	return d.String()
}

// AgreementCreate saves a new draft from the form.
func (h *Handler) AgreementCreate(c *fiber.Ctx) error {
	f := parseAgreementForm(c)
	if web.AddingRows(c) {
		return h.renderAgreementForm(c, 200, nil, f, nil)
	}
	muni := web.ScopeOf(c).MunicipalityID
	ctx, cancel := h.Ctx(c)
	defer cancel()
	// A date that did not parse is left empty, and the model reports it
	// together with every other invalid field.
	ag, err := models.CreateAgreement(ctx, h.DB, web.Actor(c), muni, f.In)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.renderAgreementForm(c, 422, nil, f, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID), "flash.saved")
}

// AgreementEdit shows a draft's form; other states cannot be edited (409).
func (h *Handler) AgreementEdit(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	if ag.Status != models.AgreementDraft {
		return &models.StateError{Key: "error.agreement_not_draft"}
	}
	f := &agreementForm{Fields: map[string]string{}, In: ag.InputOf()}
	return h.renderAgreementForm(c, 200, ag, f, nil)
}

// AgreementUpdate saves the draft form; a stale version keeps the stored data.
func (h *Handler) AgreementUpdate(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	f := parseAgreementForm(c)
	if web.AddingRows(c) {
		if ag.Status != models.AgreementDraft {
			return &models.StateError{Key: "error.agreement_not_draft"}
		}
		return h.renderAgreementForm(c, 200, ag, f, nil)
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.UpdateAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID, web.Atoi(c.FormValue("version")), f.In)
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.renderAgreementForm(c, 422, ag, f, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID), "flash.saved")
}

// scopedAgreement loads the :id agreement inside the policy's municipality.
func (h *Handler) scopedAgreement(c *fiber.Ctx) (*models.Agreement, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetAgreement(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// agreementShowPage is the data of views/pages/agreement_show.html; its
// FormState holds the errors of the sign, decline and attach forms.
type agreementShowPage struct {
	web.FormState
	Municipality *models.Municipality
	Agreement    *models.Agreement
	History      []models.AgreementSummary
	Diff         *models.AgreementDiff // what changed since the version it supersedes
	Attachments  []models.Attachment
	OrgNames     map[int64]string
	Coordinator  bool
	MySign       *models.Party // the party the caller still has to sign for
	WithCode     bool          // the caller signs with a second factor
}

// AgreementShow is the agreement page: frozen text, parties, signatures,
// versions and what changed, and the actions the caller may take.
func (h *Handler) AgreementShow(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	return h.renderAgreement(c, 200, ag, nil)
}

// renderAgreement draws the agreement page, with the errors of a form
// posted from it.
func (h *Handler) renderAgreement(c *fiber.Ctx, status int, ag *models.Agreement, errs map[string]string) error {
	data, err := h.agreementPageData(c, ag)
	if err != nil {
		return err
	}
	data.Errors = errs
	return h.Render(c, status, "agreement_show", "agreement.title", data)
}

func (h *Handler) agreementPageData(c *fiber.Ctx, ag *models.Agreement) (agreementShowPage, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s := web.ScopeOf(c)
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return agreementShowPage{}, err
	}
	pg := agreementShowPage{Municipality: m, Agreement: ag, Coordinator: s.Role == models.RoleCoordinator,
		MySign: h.pendingParty(c, ag)}
	if pg.History, err = models.VersionHistory(ctx, h.DB, m.ID, ag.ID); err != nil {
		return pg, err
	}
	if pg.Diff, err = h.agreementDiff(c, ag); err != nil {
		return pg, err
	}
	if pg.Attachments, err = models.ListAttachments(ctx, h.DB, m.ID, "agreement", ag.ID); err != nil {
		return pg, err
	}
	if pg.MySign != nil {
		if pg.WithCode, err = models.TOTPEnabled(ctx, h.DB, web.PrincipalOf(c).User.ID); err != nil {
			return pg, err
		}
	}
	pg.OrgNames, err = h.OrgNames(c, m.ID)
	return pg, err
}

// agreementDiff is what changed since the version ag supersedes, or nil.
func (h *Handler) agreementDiff(c *fiber.Ctx, ag *models.Agreement) (*models.AgreementDiff, error) {
	if ag.SupersedesID == nil {
		return nil, nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	prev, err := models.GetAgreement(ctx, h.DB, ag.MunicipalityID, *ag.SupersedesID)
	if err != nil {
		return nil, err
	}
	d := models.DiffAgreements(prev, ag)
	return &d, nil
}

// pendingParty is the party the caller still has to sign for, or nil.
func (h *Handler) pendingParty(c *fiber.Ctx, ag *models.Agreement) *models.Party {
	p := web.PrincipalOf(c)
	if ag.Status != models.AgreementOpen || !p.SignedIn() {
		return nil
	}
	signed := map[int64]bool{}
	for _, s := range ag.Signatures {
		signed[s.PartyID] = true
	}
	for i, party := range ag.Parties {
		if party.SignatoryUserID == p.User.ID && !signed[party.ID] {
			return &ag.Parties[i]
		}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// AgreementOpen freezes a draft for signature.
func (h *Handler) AgreementOpen(c *fiber.Ctx) error {
	ag, err := h.scopedAgreement(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.OpenAgreement(ctx, h.DB, web.Actor(c), ag.MunicipalityID, ag.ID)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID)+"/edit", "flash.agreement_incomplete")
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/agreements/"+web.Itoa(ag.ID), "flash.agreement_opened")
}
