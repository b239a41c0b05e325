package tracking

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// MunicipalityTracking is GET /municipalities/{id}/tracking, the
// municipality navigation's "Tracking": the tracking page of the plan in
// force (the newest adopted one), else of the newest plan; with no plan yet,
// the plans list, where one is started.
func (h *Handler) MunicipalityTracking(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	plans, err := models.ListPlans(ctx, h.DB, muni)
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		return c.Redirect("/municipalities/"+web.Itoa(muni)+"/plans", fiber.StatusSeeOther)
	}
	to := plans[0].ID
	for _, p := range plans {
		if p.Status == models.PlanAdopted {
			to = p.ID
			break
		}
	}
	return c.Redirect("/plans/"+web.Itoa(to)+"/tracking", fiber.StatusSeeOther)
}
