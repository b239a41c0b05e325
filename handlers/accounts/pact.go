package accounts

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// APIMunicipalityPact is GET /api/v1/municipalities/{id}/pact: the pact at a
// glance (issue #17).
func (h *Handler) APIMunicipalityPact(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	p, err := models.PactOf(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusOK).JSON(p)
}
