package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// safeNext keeps redirects after login on this site.
func SafeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/dashboard"
	}
	return next
}

// safeBack returns to the page the form came from (same site only).
func SafeBack(c *fiber.Ctx) string {
	next := c.FormValue("back")
	if next == "" {
		return "/commitments"
	}
	return SafeNext(next)
}
