package accounts

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

type organisationReq struct {
	Name           string `json:"name" form:"name" validate:"required,max=200"`
	Type           string `json:"type" form:"type" validate:"required,orgtype"`
	MunicipalityID int64  `json:"municipality_id" form:"-"`
}

func (r *organisationReq) clean() { r.Name = strings.TrimSpace(r.Name) }

func (r *organisationReq) input() models.OrganisationInput {
	return models.OrganisationInput{Name: r.Name, Type: r.Type}
}

func (r *organisationReq) form() map[string]string {
	return map[string]string{"name": r.Name, "type": r.Type}
}

// organisationFormPage is the data of views/pages/organisation_form.html:
// the new-partner form (Organisation nil) or a partner's edit form.
type organisationFormPage struct {
	web.FormState
	Municipality *models.Municipality
	Organisation *models.Organisation
	Types        []string
}

// OrganisationNew shows the empty partner form.
func (h *Handler) OrganisationNew(c *fiber.Ctx) error {
	return h.organisationForm(c, 200, nil, map[string]string{"type": "ngo"}, nil)
}

func (h *Handler) organisationForm(c *fiber.Ctx, status int, org *models.Organisation, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	title := "organisations.new"
	if org != nil {
		title = "organisations.edit"
	}
	return h.Render(c, status, "organisation_form", title, organisationFormPage{FormState: web.FormState{Form: form, Errors: errs},
		Municipality: m, Organisation: org, Types: models.OrganisationTypes})
}

// OrganisationCreate handles the new-partner form.
func (h *Handler) OrganisationCreate(c *fiber.Ctx) error {
	var r organisationReq
	if err := c.BodyParser(&r); err != nil {
		return fiber.ErrBadRequest
	}
	muni := web.ScopeOf(c).MunicipalityID
	r.clean()
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err := h.Check(&r)
	if err == nil {
		_, err = models.CreateOrganisation(ctx, h.DB, web.Actor(c), muni, r.input())
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.organisationForm(c, 422, nil, r.form(), fe)
	}
	if err != nil {
		return err
	}
	if web.AddAnother(c) {
		return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(muni)+"/organisations/new", "flash.saved_add_another")
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(muni), "flash.saved")
}

// OrganisationEdit shows a partner's edit form.
func (h *Handler) OrganisationEdit(c *fiber.Ctx) error {
	org, err := h.scopedOrganisation(c)
	if err != nil {
		return err
	}
	return h.organisationForm(c, 200, org, map[string]string{"name": org.Name, "type": org.Type,
		"version": web.Itoa(int64(org.Version))}, nil)
}

// OrganisationUpdate saves a partner's edit form; stale versions are refused.
func (h *Handler) OrganisationUpdate(c *fiber.Ctx) error {
	org, err := h.scopedOrganisation(c)
	if err != nil {
		return err
	}
	var r organisationReq
	if err := c.BodyParser(&r); err != nil {
		return fiber.ErrBadRequest
	}
	r.clean()
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err = h.Check(&r)
	if err == nil {
		_, err = models.UpdateOrganisation(ctx, h.DB, web.Actor(c), org.MunicipalityID, org.ID, web.Atoi(c.FormValue("version")), r.input())
	}
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		f := r.form()
		f["version"] = c.FormValue("version")
		return h.organisationForm(c, 422, org, f, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(org.MunicipalityID), "flash.saved")
}

// scopedOrganisation loads the :id organisation inside the policy's municipality.
func (h *Handler) scopedOrganisation(c *fiber.Ctx) (*models.Organisation, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetOrganisation(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// APIOrganisationCreate is POST /api/v1/organisations; the policy resolved
// municipality_id from the body.
func (h *Handler) APIOrganisationCreate(c *fiber.Ctx) error {
	var r organisationReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	r.clean()
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	o, err := models.CreateOrganisation(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, r.input())
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, o.Version, o)
}

// APIOrganisationGet is GET /api/v1/organisations/{id}.
func (h *Handler) APIOrganisationGet(c *fiber.Ctx) error {
	o, err := h.scopedOrganisation(c)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, o.Version, o)
}

// APIOrganisationUpdate is PATCH /api/v1/organisations/{id}.
func (h *Handler) APIOrganisationUpdate(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	o, err := h.scopedOrganisation(c)
	if err != nil {
		return err
	}
	r := organisationReq{Name: o.Name, Type: o.Type, MunicipalityID: o.MunicipalityID}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	r.clean()
	if r.MunicipalityID != o.MunicipalityID {
		return models.Invalid("municipality_id", "error.immutable")
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	o, err = models.UpdateOrganisation(ctx, h.DB, web.Actor(c), o.MunicipalityID, o.ID, version, r.input())
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, o.Version, o)
}

// APIOrganisationList is GET /api/v1/municipalities/{id}/organisations.
func (h *Handler) APIOrganisationList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	os, err := models.ListOrganisations(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendList(c, os)
}
