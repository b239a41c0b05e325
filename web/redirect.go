package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// SafeNext keeps redirects after login on this site: anything but a plain
// path of this site becomes the dashboard.
func SafeNext(next string) string {
	if !sameSitePath(next) {
		return "/dashboard"
	}
	return next
}

// sameSitePath accepts "/x..." only. Browsers read a backslash as a slash
// ("/\evil.example" goes to evil.example), and a path may be decoded again
// on its way, so every percent-decoded layer must pass too.
func sameSitePath(p string) bool {
	for range 4 {
		if !plainPath(p) {
			return false
		}
		dec, err := url.PathUnescape(p)
		if err != nil {
			return false
		}
		if dec == p {
			return true
		}
		p = dec
	}
	return false // encoded deeper than any honest link
}

func plainPath(p string) bool {
	if len(p) < 1 || p[0] != '/' || strings.ContainsAny(p, "\\\x00\r\n\t") {
		return false
	}
	if len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
		return false
	}
	u, err := url.Parse(p)
	return err == nil && !u.IsAbs() && u.Host == "" && u.User == nil
}

// SafeBack returns to the page the form came from (its "back" field, same
// site only), or to fallback.
func SafeBack(c *fiber.Ctx, fallback string) string {
	if next := c.FormValue("back"); sameSitePath(next) {
		return next
	}
	return fallback
}
