package opendata

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// openDataPage is the data of views/pages/opendata.html: where the
// municipality's open data is, its adopted plans' IATI files and, for
// coordinators, the IATI organisation identifier form.
type openDataPage struct {
	web.FormState
	Municipality *models.Municipality
	Setting      *models.IATISetting
	Coordinator  bool
	JSONURL      string
	CSVURL       string
	FiguresURL   string
	Plans        []iatiPlanLink
}

// iatiPlanLink is an adopted plan's IATI file, for members and the public.
type iatiPlanLink struct {
	Title, Status, URL, PublicURL string
}

// OpenDataPage shows a municipality's open data and IATI setting.
func (h *Handler) OpenDataPage(c *fiber.Ctx) error {
	return h.openDataPage(c, 200, nil, nil)
}

func (h *Handler) openDataPage(c *fiber.Ctx, status int, form, errs map[string]string) error {
	s := web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	setting, err := models.IATISettingOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	plans, err := models.ListPlans(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"version": web.Itoa(int64(setting.Version))}
		if setting.Custom {
			form["org_ref"] = setting.OrgRef
		}
	}
	base := "/api/v1/public/municipalities/" + m.Slug
	pg := openDataPage{FormState: web.FormState{Form: form, Errors: errs}, Municipality: m, Setting: setting,
		Coordinator: s.Role == models.RoleCoordinator, JSONURL: h.abs(base), CSVURL: h.abs(base + ".csv"),
		FiguresURL: h.abs(base + "/figures.csv")}
	for _, p := range plans {
		if p.Status == models.PlanAdopted || p.Status == models.PlanSuperseded {
			pg.Plans = append(pg.Plans, iatiPlanLink{Title: p.Title, Status: p.Status, URL: fmt.Sprintf("/plans/%d/iati.xml", p.ID),
				PublicURL: h.abs(fmt.Sprintf("/m/%s/plans/%d/iati.xml", m.Slug, p.ID))})
		}
	}
	return h.Render(c, status, "opendata", "opendata.title", pg)
}

// OpenDataSave sets the IATI organisation identifier from the form; an
// empty field goes back to the default.
func (h *Handler) OpenDataSave(c *fiber.Ctx) error {
	id := web.ScopeOf(c).MunicipalityID
	ref, version := c.FormValue("org_ref"), web.Atoi(c.FormValue("version"))
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err := models.SetIATIOrgRef(ctx, h.DB, web.Actor(c), id, version, ref)
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.openDataPage(c, 422, map[string]string{"org_ref": ref, "version": c.FormValue("version")}, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(id)+"/open-data", "flash.saved")
}

// iatiSettingReq is the body of PUT /api/v1/municipalities/{id}/iati.
type iatiSettingReq struct {
	OrgRef *string `json:"org_ref"`
}

// APIIATISettingGet is GET /api/v1/municipalities/{id}/iati.
func (h *Handler) APIIATISettingGet(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s, err := models.IATISettingOf(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, s.Version, s)
}

// APIIATISettingPut is PUT /api/v1/municipalities/{id}/iati: {"org_ref":
// "XM-DAC-…"} sets the identifier, "" or null goes back to the default.
// If-Match names the municipality's version.
func (h *Handler) APIIATISettingPut(c *fiber.Ctx) error {
	var req iatiSettingReq
	if err := web.ParseJSON(c, &req); err != nil {
		return err
	}
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	ref := ""
	if req.OrgRef != nil {
		ref = *req.OrgRef
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s, err := models.SetIATIOrgRef(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, version, ref)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, s.Version, s)
}
