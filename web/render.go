package web

import (
	"html/template"
	"time"
	"unsafe"

	"github.com/valyala/bytebufferpool"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
)

// Localizer returns the language chosen for this request.
func (h *Kernel) Localizer(c *fiber.Ctx) *i18n.Localizer {
	lang, _ := c.Locals(localLang).(string)
	return h.I18n.For(lang)
}

// SetLang records the request's language (set by the locale middleware).
func SetLang(c *fiber.Ctx, lang string) { c.Locals(localLang, lang) }

// page is what every template receives besides its own data.
type Page struct {
	L         *i18n.Localizer
	P         *Principal
	CSRF      string
	Path      string
	Title     string
	Langs     []string
	Data      fiber.Map
	Errors    map[string]string
	Form      map[string]string
	Flash     string
	Version   string
	IsPublic  bool
	CanManage bool
	Content   template.HTML // the page inside the layout
}

// render draws a page inside the main layout.
func (h *Kernel) Render(c *fiber.Ctx, status int, tmpl, titleKey string, data fiber.Map) error {
	p := PrincipalOf(c)
	l := h.Localizer(c)
	pg := Page{L: l, P: p, Path: c.Path(), Title: l.T(titleKey), Langs: h.I18n.Languages(), Data: data,
		Version: h.Version, CanManage: p.CoordinatesAny()}
	if p.Session != nil {
		pg.CSRF = p.Session.CSRFToken
	}
	if f := c.Cookies(flashCookie); f != "" {
		pg.Flash = l.T(f)
		// Expire with the same path it was set with, or the browser keeps it.
		c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", Expires: time.Unix(0, 0),
			HTTPOnly: true, SameSite: "Lax", Secure: h.SecureCookies})
	}
	if e, ok := data["errors"].(map[string]string); ok {
		pg.Errors = e
	}
	if f, ok := data["form"].(map[string]string); ok {
		pg.Form = f
	}
	c.Status(status)
	return renderInLayout(c, "pages/"+tmpl, &pg)
}

// renderInLayout draws the page template, then the layout around it.
//
// Not c.Render(name, data, "layouts/main"): the template engine's layout
// support changes the layout's functions on every call and so holds one
// global lock while it renders, which made every page view of every user
// wait for the others (measured on the 200-measure plan page).
func renderInLayout(c *fiber.Ctx, name string, pg *Page) error {
	views := c.App().Config().Views
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := views.Render(buf, name, pg); err != nil {
		return err
	}
	// The page template escaped what it printed; buf is not touched again
	// before the layout has been written, so no copy is needed.
	pg.Content = template.HTML(unsafe.String(unsafe.SliceData(buf.B), len(buf.B))) //nolint:gosec
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	frags := fragmentsOf(c)
	if len(frags) == 0 {
		return views.Render(c.Response().BodyWriter(), "layouts/main", pg)
	}
	// The page holds markers for its cached fragments: draw the layout
	// around it (a few KB), then put the fragments in while sending.
	out := bytebufferpool.Get()
	defer bytebufferpool.Put(out)
	if err := views.Render(out, "layouts/main", pg); err != nil {
		return err
	}
	return writeSpliced(c, out.B, frags)
}

const flashCookie = "pakt_flash"

// redirectWithFlash sends the browser on after a successful form post (PRG),
// carrying a message key to show once.
func (h *Kernel) RedirectWithFlash(c *fiber.Ctx, to, key string) error {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: key, Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: h.SecureCookies})
	return c.Redirect(to, fiber.StatusSeeOther)
}

// docL is the language of a document: ?lang= when given, else the
// municipality's own language.
func (h *Kernel) DocL(c *fiber.Ctx, m *models.Municipality) *i18n.Localizer {
	if lang := c.Query("lang"); h.I18n.Supported(lang) {
		return h.I18n.For(lang)
	}
	return h.I18n.For(m.Language)
}
