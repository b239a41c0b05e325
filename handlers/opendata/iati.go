package opendata

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/iati"
	"pakt/web"
)

const xmlType = "application/xml; charset=utf-8"

// PlanIATI is GET /plans/{id}/iati.xml and GET /api/v1/action-plans/{id}/iati.xml
// for the municipality's people: the adopted plan as an IATI 2.03 file
// (409 for a plan not adopted). It is the same file the public gets.
func (h *Handler) PlanIATI(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return h.sendIATI(c, m, id, false)
}

// PublicPlanIATI is GET /m/{slug}/plans/{id}/iati.xml: IATI data is meant
// to be published, so an adopted plan's file is public like its page. A
// draft does not exist for the public (404); a plan in consultation or
// submitted is 409, as on the API.
func (h *Handler) PublicPlanIATI(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return err
	}
	return h.sendIATI(c, m, id, true)
}

// sendIATI checks the plan's state, then answers its file from the cache
// under the municipality's content revision and today's date (statuses
// depend on it), with an ETag.
func (h *Handler) sendIATI(c *fiber.Ctx, m *models.Municipality, planID int64, public bool) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	today := models.Today()
	key, err := h.MuniKey(c, "iati.xml", m.ID, planID, today.String(), h.BaseURL)
	if err != nil {
		return err
	}
	status, err := models.PlanStatusOf(ctx, h.DB, m.ID, planID)
	switch {
	case err != nil:
		return err
	case public && status == models.PlanDraft:
		return models.ErrNotFound
	case status != models.PlanAdopted && status != models.PlanSuperseded:
		return &models.StateError{Key: "opendata.iati.not_adopted"}
	}
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="%s-plan-%d-iati.xml"`, m.Slug, planID))
	return h.sendTagged(c, key, xmlType, public, func() ([]byte, error) {
		return h.buildIATI(c, m, planID, today)
	})
}

func (h *Handler) buildIATI(c *fiber.Ctx, m *models.Municipality, planID int64, today models.Date) ([]byte, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	data, err := models.LoadIATIData(ctx, h.DB, m.ID, planID)
	if err != nil {
		return nil, err
	}
	setting, err := models.IATISettingOf(ctx, h.DB, m.ID)
	if err != nil {
		return nil, err
	}
	out, err := iati.Build(h.I18n.For(m.Language), iati.Input{Municipality: m, OrgRef: setting.OrgRef, Data: data,
		BaseURL: h.abs(""), Today: today.Time})
	if errors.Is(err, iati.ErrNoMeasures) {
		return nil, &models.StateError{Key: "opendata.iati.no_measures"}
	}
	return out, err
}
