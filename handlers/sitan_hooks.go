package handlers

import "github.com/gofiber/fiber/v2"

// sitanTasks lists questionnaires the user's organisation must answer.
func (h *Handler) sitanTasks(c *fiber.Ctx) ([]Task, error) { return nil, nil }

// sitanPublic lists published situation analyses and "what we heard".
func (h *Handler) sitanPublic(c *fiber.Ctx, muniID int64) (*PublicSection, error) {
	return nil, nil
}
