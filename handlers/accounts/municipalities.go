package accounts

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

type municipalityReq struct {
	Name     string `json:"name" form:"name" validate:"required,max=200"`
	Country  string `json:"country" form:"country" validate:"required,country"`
	Currency string `json:"currency" form:"currency" validate:"required,oneof=BAM RSD EUR ALL MKD"`
	Language string `json:"language" form:"language" validate:"omitempty,oneof=en bs sr sr-Latn sq mk"`
}

func (r *municipalityReq) clean() {
	r.Name = strings.TrimSpace(r.Name)
	r.Country = strings.ToUpper(strings.TrimSpace(r.Country))
	r.Currency = strings.ToUpper(strings.TrimSpace(r.Currency))
	if r.Language == "" {
		r.Language = "bs"
	}
}

func (r *municipalityReq) input() models.MunicipalityInput {
	return models.MunicipalityInput{Name: r.Name, Country: r.Country, Currency: r.Currency, Language: r.Language}
}

func (r *municipalityReq) form() map[string]string {
	return map[string]string{"name": r.Name, "country": r.Country, "currency": r.Currency, "language": r.Language}
}

// municipalitiesPage is the data of views/pages/municipalities.html.
type municipalitiesPage struct {
	Municipalities []models.Municipality
}

// municipalityFormPage is the data of views/pages/municipality_form.html:
// the new-municipality form (Municipality nil) or the edit form.
type municipalityFormPage struct {
	web.FormState
	Municipality *models.Municipality
	Countries    []string
	Currencies   []string
	Languages    []string
}

// municipalityForm is the municipality form's data with its select options.
func municipalityForm(m *models.Municipality, form, errs map[string]string) municipalityFormPage {
	return municipalityFormPage{FormState: web.FormState{Form: form, Errors: errs}, Municipality: m,
		Countries: web.Countries, Currencies: web.Currencies, Languages: []string{"bs", "sr", "sr-Latn", "mk", "sq", "en"}}
}

// MunicipalityList shows the municipalities the caller can see.
func (h *Handler) MunicipalityList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ms, err := models.ListMunicipalities(ctx, h.DB, web.PrincipalOf(c).MunicipalityIDs())
	if err != nil {
		return err
	}
	return h.Render(c, 200, "municipalities", "municipalities.title", municipalitiesPage{Municipalities: ms})
}

// MunicipalityNew shows the empty form (admins only).
func (h *Handler) MunicipalityNew(c *fiber.Ctx) error {
	d := municipalityForm(nil, map[string]string{"country": "BA", "currency": "BAM", "language": "bs"}, nil)
	return h.Render(c, 200, "municipality_form", "municipalities.new", d)
}

// MunicipalityCreate handles the new-municipality form.
func (h *Handler) MunicipalityCreate(c *fiber.Ctx) error {
	var r municipalityReq
	if err := c.BodyParser(&r); err != nil {
		return fiber.ErrBadRequest
	}
	r.clean()
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err := h.Check(&r)
	var m *models.Municipality
	if err == nil {
		m, err = models.CreateMunicipality(ctx, h.DB, web.Actor(c), r.input())
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.Render(c, 422, "municipality_form", "municipalities.new", municipalityForm(nil, r.form(), fe))
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(m.ID), "flash.saved")
}

// municipalityPage is the data of views/pages/municipality.html.
type municipalityPage struct {
	Municipality  *models.Municipality
	Organisations []models.Organisation
	Members       []models.Member
	Role          string // the viewer's role in the municipality
	Coordinator   bool
	Standing      *models.PartnershipStanding
	Pact          *models.Pact
}

// MunicipalityShow is a municipality's private home: partners, members.
func (h *Handler) MunicipalityShow(c *fiber.Ctx) error {
	s := web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	orgs, err := models.ListOrganisations(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	members, err := models.ListMembers(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	standing, err := models.StandingOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	pact, err := models.PactOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "municipality", "municipality.title", municipalityPage{Municipality: m, Organisations: orgs,
		Members: members, Role: s.Role, Coordinator: s.Role == models.RoleCoordinator, Standing: standing, Pact: pact})
}

// MunicipalityEdit shows the edit form with the stored values.
func (h *Handler) MunicipalityEdit(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	form := map[string]string{"name": m.Name, "country": m.Country, "currency": m.Currency,
		"language": m.Language, "version": web.Itoa(int64(m.Version))}
	return h.Render(c, 200, "municipality_form", "municipalities.edit", municipalityForm(m, form, nil))
}

// MunicipalityUpdate saves the edit form; a stale version is refused and the
// newer stored data kept.
func (h *Handler) MunicipalityUpdate(c *fiber.Ctx) error {
	var r municipalityReq
	if err := c.BodyParser(&r); err != nil {
		return fiber.ErrBadRequest
	}
	r.clean()
	id := web.ScopeOf(c).MunicipalityID
	version := web.Atoi(c.FormValue("version"))
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err := h.Check(&r)
	if err == nil {
		_, err = models.UpdateMunicipality(ctx, h.DB, web.Actor(c), id, version, r.input())
	}
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		m, gerr := models.GetMunicipality(ctx, h.DB, id)
		if gerr != nil {
			return gerr
		}
		f := r.form()
		f["version"] = c.FormValue("version")
		return h.Render(c, 422, "municipality_form", "municipalities.edit", municipalityForm(m, f, fe))
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(id), "flash.saved")
}

// APIMunicipalityCreate is POST /api/v1/municipalities.
func (h *Handler) APIMunicipalityCreate(c *fiber.Ctx) error {
	var r municipalityReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	r.clean()
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.CreateMunicipality(ctx, h.DB, web.Actor(c), r.input())
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, m.Version, m)
}

// APIMunicipalityList is GET /api/v1/municipalities: those the caller can see.
func (h *Handler) APIMunicipalityList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ms, err := models.ListMunicipalities(ctx, h.DB, web.PrincipalOf(c).MunicipalityIDs())
	if err != nil {
		return err
	}
	return web.SendList(c, ms)
}

// APIMunicipalityGet is GET /api/v1/municipalities/{id}.
func (h *Handler) APIMunicipalityGet(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, m.Version, m)
}

// APIMunicipalityUpdate is PATCH /api/v1/municipalities/{id}; absent fields keep their value.
func (h *Handler) APIMunicipalityUpdate(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	r := municipalityReq{Name: m.Name, Country: m.Country, Currency: m.Currency, Language: m.Language}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	r.clean()
	if err := h.Check(&r); err != nil {
		return err
	}
	m, err = models.UpdateMunicipality(ctx, h.DB, web.Actor(c), m.ID, version, r.input())
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, m.Version, m)
}
