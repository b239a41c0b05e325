package web

import (
	"github.com/gofiber/fiber/v2"
)

// SendFields answers an API error of any status with the message of its
// code and per-field reasons (catalog keys, translated): an upload refused
// cell by cell names each cell also when the answer is 403, 409 or 412.
func (h *Kernel) SendFields(c *fiber.Ctx, status int, fields map[string]string) error {
	l := h.Localizer(c)
	code := codeFor(status)
	body := APIError{Code: code, Message: l.T(messageKey(code)), Fields: TranslateFields(l, fields)}
	return c.Status(status).JSON(fiber.Map{"error": body})
}
