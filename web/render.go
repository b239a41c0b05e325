package web

import (
	"html/template"
	"time"

	"github.com/valyala/bytebufferpool"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/web/cache"
)

// Localizer returns the language chosen for this request.
func (h *Kernel) Localizer(c *fiber.Ctx) *i18n.Localizer {
	lang, _ := c.Locals(localLang).(string)
	return h.I18n.For(lang)
}

// SetLang records the request's language (set by the locale middleware).
func SetLang(c *fiber.Ctx, lang string) { c.Locals(localLang, lang) }

// Page is what every template receives: the parts every page has and the
// page's own Data, one struct type per page declared with PageOf.
type Page[T any] struct {
	L         *i18n.Localizer
	P         *Principal
	CSRF      string
	Path      string
	Base      string // PAKT_BASE_URL, for absolute links (hreflang)
	Title     string
	Langs     []string
	Data      T
	Errors    map[string]string
	Form      map[string]string
	Flash     string
	Version   string
	IsPublic  bool
	CanManage bool
	Content   template.HTML // the page inside the layout
}

// FormState is embedded in the data of a page with a form: what the user
// typed (shown again) and the message next to each field.
type FormState struct {
	Form   map[string]string
	Errors map[string]string
}

func (f FormState) formState() FormState { return f }

type formHolder interface{ formState() FormState }

// Render draws a page inside the main layout. data must be of the type the
// page declared (PageOf).
func (h *Kernel) Render(c *fiber.Ctx, status int, tmpl, titleKey string, data any) error {
	name := "pages/" + tmpl
	if err := h.checkData(name, data); err != nil {
		return err
	}
	p := PrincipalOf(c)
	l := h.Localizer(c)
	pg := Page[any]{L: l, P: p, Path: c.Path(), Base: h.BaseURL, Title: l.T(titleKey), Langs: h.I18n.Languages(), Data: data,
		Version: h.Version, CanManage: p.CoordinatesAny()}
	pg.CSRF = csrfToken(c, p)
	if f := c.Cookies(flashCookie); f != "" {
		pg.Flash = l.T(f)
		// Expire with the same path it was set with, or the browser keeps it.
		c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", Expires: time.Unix(0, 0),
			HTTPOnly: true, SameSite: "Lax", Secure: h.SecureCookies})
	}
	if fh, ok := data.(formHolder); ok {
		fs := fh.formState()
		pg.Errors, pg.Form = fs.Errors, fs.Form
	}
	c.Status(status)
	return renderInLayout(c, name, &pg)
}

// renderInLayout draws the page template, then the layout around it.
//
// Not c.Render(name, data, layoutName): the template engine's layout
// support changes the layout's functions on every call and so holds one
// global lock while it renders, which made every page view of every user
// wait for the others (measured on the 200-measure plan page).
func renderInLayout(c *fiber.Ctx, name string, pg *Page[any]) error {
	views := c.App().Config().Views
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := views.Render(buf, name, pg); err != nil {
		return err
	}
	// The page template escaped what it printed.
	pg.Content = template.HTML(buf.String()) //nolint:gosec
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	if !cache.HasFragments(c) {
		return views.Render(c.Response().BodyWriter(), layoutName, pg)
	}
	// The page holds markers for its cached fragments: draw the layout
	// around it (a few KB), then put the fragments in while sending.
	out := bytebufferpool.Get()
	defer bytebufferpool.Put(out)
	if err := views.Render(out, layoutName, pg); err != nil {
		return err
	}
	return cache.WritePage(c, out.B)
}

const flashCookie = "pakt_flash"

const layoutName = "layouts/main"

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
