package web

import (
	"github.com/gofiber/fiber/v2"
)

// Healthz answers 200 when the database answers, 503 otherwise.
func (h *Kernel) Healthz(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	db, err := h.DB.DB()
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "version": h.Version})
}

// ErrorPage draws the friendly error page; ref is shown for 500s so staff can
// find the logged error.
func (h *Kernel) ErrorPage(c *fiber.Ctx, status int, ref string) error {
	key := "error.page.generic"
	switch status {
	case 401, 403, 404, 409, 412, 413, 429, 500, 503:
		key = "error.page." + Itoa(int64(status))
	}
	return h.Render(c, status, "error", key, ErrorData{Status: status, Ref: ref, Key: key})
}

// ErrorData is the data of views/pages/error.html.
type ErrorData struct {
	Status int
	Ref    string // reference of the logged error, for support
	Key    string // catalog key of the title; Key+".text" explains
}

// Pages are the templates the kernel draws itself.
var Pages = []PageSpec{PageOf[ErrorData]("error")}
