package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// PRG answers a browser form POST that draws a page (a refused form: errors
// next to the fields, what was typed kept) with a redirect to the page the
// form is on, which then shows the drawn page once. The address bar shows
// the form's own address, so reloading never posts again (post, redirect,
// get). The page waits server-side (models.FormReplay, keyed by the
// session), so it works across instances and holds nothing in the URL.
//
// The form's page is the Referer (same origin; the security headers send it
// to this site only). Without a session or a Referer, an htmx request, the
// API, or an error the error handler draws, the answer is as before.
func (h *Kernel) PRG(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	if IsAPI(c) || p.SessionID == "" || c.Get("HX-Request") != "" {
		return c.Next()
	}
	if c.Method() == fiber.MethodGet {
		if c.Cookies(replayCookie) == "" {
			return c.Next() // nothing waits: no query on ordinary page views
		}
		return h.replay(c, p.SessionID)
	}
	err := c.Next()
	if err != nil || c.Method() != fiber.MethodPost {
		return err
	}
	status := c.Response().StatusCode()
	ct := string(c.Response().Header.ContentType())
	if status >= 300 && status < 400 || !strings.HasPrefix(ct, fiber.MIMETextHTML) {
		return nil
	}
	target := formPage(c)
	if target == "" {
		return nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	r := models.FormReplay{Status: status, ContentType: ct, Body: append([]byte(nil), c.Response().Body()...),
		ContentEncoding: string(c.Response().Header.Peek(fiber.HeaderContentEncoding))}
	if err := models.SaveFormReplay(ctx, h.DB, p.SessionID, target, r); err != nil {
		return nil // the page drawn at the POST address still stands
	}
	c.Response().ResetBody()
	c.Response().Header.Del(fiber.HeaderContentEncoding)
	c.Cookie(&fiber.Cookie{Name: replayCookie, Value: "1", Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: h.SecureCookies, MaxAge: 600})
	return c.Redirect(target, fiber.StatusSeeOther)
}

// replayCookie says a drawn page waits for this browser (only then does a
// page view look for one).
const replayCookie = "pakt_replay"

// replay sends the page a refused POST drew for this address, if any.
func (h *Kernel) replay(c *fiber.Ctx, session string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	r, err := models.TakeFormReplay(ctx, h.DB, session, c.OriginalURL())
	if err != nil || r == nil {
		return c.Next()
	}
	c.Cookie(&fiber.Cookie{Name: replayCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: h.SecureCookies, Expires: time.Unix(0, 0)})
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, r.ContentType)
	if r.ContentEncoding != "" {
		c.Set(fiber.HeaderContentEncoding, r.ContentEncoding)
		c.Vary(fiber.HeaderAcceptEncoding)
	}
	c.Status(r.Status)
	return c.Send(r.Body)
}

// formPage is the address of the page the form was posted from: the
// Referer's path and query when it is this site's.
func formPage(c *fiber.Ctx) string {
	ref := c.Get(fiber.HeaderReferer)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Host != "" && u.Host != string(c.Request().Host())) {
		return ""
	}
	target := u.EscapedPath()
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	if !sameSitePath(target) || strings.HasPrefix(target, "/api/") {
		return ""
	}
	return target
}
