package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// Healthz answers 200 when the database answers, 503 otherwise.
func (h *Kernel) Healthz(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.Ping(ctx, h.DB); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "version": h.Version})
}

// APICacheStats is GET /api/v1/admin/cache: how often the page cache found
// what was asked and how full it is, so an operator can tell whether
// PAKT_CACHE_SIZE suits the national load (and the benchmark can say what
// each of its rows was served from).
func (h *Kernel) APICacheStats(c *fiber.Ctx) error {
	return c.JSON(h.Cache.Stats())
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

// Robots lets crawlers read the public pages and keeps them out of the
// signed-in parts and the API.
func (h *Kernel) Robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.SendString("User-agent: *\nAllow: /\nAllow: /m/\nDisallow: /api/\nDisallow: /dashboard\n" +
		"Disallow: /municipalities\nDisallow: /plans\nDisallow: /agreements\nDisallow: /login\n")
}

// SecurityTxt is RFC 9116's contact file. It expires a year after the
// server started, so a forgotten deployment does not advertise it forever.
func (h *Kernel) SecurityTxt(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	expires := h.Started.AddDate(1, 0, 0).UTC().Format(time.RFC3339)
	return c.SendString("Contact: " + h.SecurityContact + "\nExpires: " + expires +
		"\nPreferred-Languages: en, bs, sr, sq, mk\nCanonical: " + h.BaseURL + "/.well-known/security.txt\n")
}

// Favicon points browsers that ask for /favicon.ico at the icon.
func (h *Kernel) Favicon(c *fiber.Ctx) error {
	return c.Redirect(h.FaviconURL, fiber.StatusMovedPermanently)
}
