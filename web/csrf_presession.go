package web

import (
	"crypto/subtle"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// A CSRF token before there is a session: the sign-in form. Writing a
// session row for every anonymous visit of /login (crawlers, monitors)
// only filled the sessions table, so the form is protected by a
// double-submit cookie instead: a random token in an HttpOnly cookie that
// the form repeats. Another site can neither read the cookie nor set it
// (SameSite=Lax; the __Host- prefix under HTTPS stops subdomains setting
// it), so it cannot forge the pair.

const localPreCSRF = "pakt.precsrf"

func (h *Kernel) preCSRFCookie() string {
	if h.SecureCookies {
		return "__Host-pakt_csrf"
	}
	return "pakt_csrf"
}

// PreSessionCSRF gives the request a pre-session CSRF token (reusing the
// browser's), for a form shown to someone without a session.
func (h *Kernel) PreSessionCSRF(c *fiber.Ctx) {
	tok := c.Cookies(h.preCSRFCookie())
	if len(tok) < 32 {
		tok = models.RandomToken()
		c.Cookie(&fiber.Cookie{Name: h.preCSRFCookie(), Value: tok, Path: "/", HTTPOnly: true,
			SameSite: "Lax", Secure: h.SecureCookies, Expires: time.Now().Add(12 * time.Hour)})
	}
	c.Locals(localPreCSRF, tok)
}

// preSessionCSRFOK checks a session-less post against the cookie and keeps
// the token for a form drawn again (a wrong password).
func (h *Kernel) preSessionCSRFOK(c *fiber.Ctx, sent string) bool {
	tok := c.Cookies(h.preCSRFCookie())
	if len(tok) < 32 || subtle.ConstantTimeCompare([]byte(sent), []byte(tok)) != 1 {
		return false
	}
	c.Locals(localPreCSRF, tok)
	return true
}

// csrfToken is the token a page's forms carry.
func csrfToken(c *fiber.Ctx, p *Principal) string {
	if p.Session != nil {
		return p.Session.CSRFToken
	}
	tok, _ := c.Locals(localPreCSRF).(string)
	return tok
}
