package tracking

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// PublicNarrativeSave is the coordinator's form for the public wording of a
// report's text (numbers of fewer than five people in it are flagged on the
// report's page); the partner's text stays as written.
func (h *Handler) PublicNarrativeSave(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.SetPublicNarrative(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, mID, pID, c.FormValue("public_narrative"))
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.progressForm(c, 422, nil, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, fmt.Sprintf("/measures/%d/progress/%d", mID, pID), "flash.public_narrative_saved")
}

type publicNarrativeReq struct {
	PublicNarrative string `json:"public_narrative"`
}

// APIPublicNarrativePut is PUT /api/v1/measures/{id}/progress/{period_id}/public-narrative:
// {"public_narrative": "..."} ("" publishes the partner's text again); the
// answer is the report with its narrative_flags.
func (h *Handler) APIPublicNarrativePut(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	var in publicNarrativeReq
	if err := web.ParseJSON(c, &in); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	pr, err := models.SetPublicNarrative(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, mID, pID, in.PublicNarrative)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, pr.Version, progressAnswer(pr))
}
