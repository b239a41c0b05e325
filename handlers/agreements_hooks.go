package handlers

import "github.com/gofiber/fiber/v2"

// agreementTasks lists agreements waiting for the user's signature.
func (h *Handler) agreementTasks(c *fiber.Ctx) ([]Task, error) { return nil, nil }

// agreementPublic lists a municipality's agreements in force for its public page.
func (h *Handler) agreementPublic(c *fiber.Ctx, muniID int64) (*PublicSection, error) {
	return nil, nil
}
