package web

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// SessionCookie names the browser session cookie.
const SessionCookie = "pakt_session"

const langCookie = "pakt_lang"

// IsAPI says whether a request is for the JSON API.
func IsAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// Authenticate finds the caller: a bearer token on the API, the session
// cookie elsewhere. The API never reads cookies, so it needs no CSRF check.
func (h *Kernel) Authenticate(c *fiber.Ctx) error {
	p := &Principal{}
	c.Locals(localPrincipal, p)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if IsAPI(c) {
		bearer, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if !ok || bearer == "" {
			return c.Next()
		}
		t, u, ms, err := models.LookupAPITokenUser(ctx, h.DB, strings.TrimSpace(bearer))
		if errors.Is(err, models.ErrNotFound) {
			return fiber.ErrUnauthorized
		}
		if err != nil {
			return err // a database outage is a 503, not a reason to drop the token
		}
		p.Token, p.User, p.Memberships = t, u, ms
		if u.IsAdmin { // only admins need to know: no extra query for everyone else
			if p.TOTPOn, err = models.TOTPEnabled(ctx, h.DB, u.ID); err != nil {
				return err
			}
		}
	} else if id := c.Cookies(SessionCookie); id != "" {
		v, err := models.LoadVisit(ctx, h.DB, id, h.SessionIdle)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if v != nil {
			p.Session, p.SessionID = v.Session, id
			p.User, p.Memberships, p.TOTPOn, p.Unread = v.User, v.Memberships, v.TOTPOn, v.Unread
		}
	}
	return c.Next()
}

// CSRF checks the synchronizer token of the session on every unsafe browser
// request: a form field _csrf or the X-CSRF-Token header (htmx).
func (h *Kernel) CSRF(c *fiber.Ctx) error {
	if IsAPI(c) {
		return c.Next()
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	// A mail's one-click unsubscribe (RFC 8058) is posted by the mail
	// client without cookies or form token; the secret token in the path
	// is what proves the link came from the mail.
	if strings.HasPrefix(c.Path(), "/unsubscribe/") {
		return c.Next()
	}
	p := PrincipalOf(c)
	sent := c.FormValue("_csrf")
	if sent == "" {
		sent = c.Get("X-CSRF-Token")
	}
	switch {
	case sent == "":
		return fiber.NewError(fiber.StatusForbidden, "csrf")
	case p.Session == nil:
		if !h.preSessionCSRFOK(c, sent) {
			return fiber.NewError(fiber.StatusForbidden, "csrf")
		}
	case subtle.ConstantTimeCompare([]byte(sent), []byte(p.Session.CSRFToken)) != 1:
		return fiber.NewError(fiber.StatusForbidden, "csrf")
	}
	return c.Next()
}

// CleanInput refuses text PostgreSQL cannot store — invalid UTF-8 or a NUL
// character — as a 422 naming the field, before any handler sees it. Uploaded
// files (multipart parts, or a raw PDF body) are exempt: they are bytes.
func (h *Kernel) CleanInput(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch:
	default:
		return c.Next()
	}
	fields := map[string]string{}
	check := func(name string, v []byte) {
		if !utf8.Valid(v) || bytes.IndexByte(v, 0) >= 0 {
			fields[name] = "validation.text_invalid"
		}
	}
	ct := string(c.Request().Header.ContentType())
	switch {
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		if form, err := c.MultipartForm(); err == nil {
			for k, vs := range form.Value {
				for _, v := range vs {
					check(k, []byte(v))
				}
			}
		}
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(func(k, v []byte) { check(string(k), v) })
	case strings.HasPrefix(ct, fiber.MIMEApplicationJSON):
		checkJSONText(c.Body(), fields)
	}
	if len(fields) > 0 {
		return &models.ValidationError{Fields: fields}
	}
	return c.Next()
}

// checkJSONText names the top-level fields of a JSON body holding a NUL or
// invalid UTF-8 ("body" when it cannot tell which).
func checkJSONText(body []byte, fields map[string]string) {
	// Not JSON at all (a raw upload, or malformed): the handler answers it.
	if !json.Valid(body) || (utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) && !hasLoneSurrogate(body)) {
		return
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) == nil {
		for k, raw := range top {
			var s string
			bad := hasLoneSurrogate(raw)
			if !bad && json.Unmarshal(raw, &s) == nil {
				bad = strings.ContainsRune(s, 0) || strings.ContainsRune(s, utf8.RuneError)
			}
			if bad {
				fields[k] = "validation.text_invalid"
			}
		}
	}
	if len(fields) == 0 {
		fields["body"] = "validation.text_invalid"
	}
}

// hasLoneSurrogate finds a \u escape of half a UTF-16 surrogate pair without
// its other half ("\ud800"): valid JSON that encoding/json would silently
// turn into U+FFFD, so it is refused like invalid UTF-8.
func hasLoneSurrogate(b []byte) bool {
	pendingHigh := false
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			if pendingHigh {
				return true
			}
			continue
		}
		i++
		if b[i] != 'u' || i+4 >= len(b) {
			if pendingHigh {
				return true
			}
			continue
		}
		r, err := strconv.ParseUint(string(b[i+1:i+5]), 16, 16)
		i += 4
		switch {
		case err != nil:
			return false // malformed: json.Valid said otherwise, so not reached
		case r >= 0xD800 && r <= 0xDBFF:
			if pendingHigh {
				return true
			}
			pendingHigh = true
		case r >= 0xDC00 && r <= 0xDFFF:
			if !pendingHigh {
				return true
			}
			pendingHigh = false
		default:
			if pendingHigh {
				return true
			}
		}
	}
	return pendingHigh
}

// Locale picks the language: ?lang= (remembered in a cookie and the profile),
// then the cookie, then the profile, then Accept-Language, then the default.
func (h *Kernel) Locale(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	lang := c.Query("lang")
	if h.I18n.Supported(lang) {
		if err := h.keepLang(c, p, lang); err != nil {
			return err
		}
	} else {
		// Without ?lang= the answer depends on the cookie and Accept-Language.
		c.Vary(fiber.HeaderCookie, fiber.HeaderAcceptLanguage)
		lang = h.requestLang(c, p)
	}
	SetLang(c, lang)
	c.Set(fiber.HeaderContentLanguage, lang)
	return c.Next()
}

// keepLang remembers a language chosen with ?lang= in a cookie and, for a
// signed-in user, in the account.
func (h *Kernel) keepLang(c *fiber.Ctx, p *Principal, lang string) error {
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: "Lax", Secure: h.SecureCookies})
	if !p.SignedIn() || p.User.Locale == lang {
		return nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.SetUserLocale(ctx, h.DB, p.User.ID, lang); err != nil {
		return err
	}
	p.User.Locale = lang
	return nil
}

// requestLang is the language of the cookie, the account or the browser.
// BareLang gives a request no middleware has seen (refused by the server
// before routing, such as a body over the limit) the language of its cookie
// or Accept-Language, for the error page; a no-op after Locale.
func (h *Kernel) BareLang(c *fiber.Ctx) {
	if _, ok := c.Locals(localLang).(string); !ok {
		SetLang(c, h.requestLang(c, PrincipalOf(c)))
	}
}

func (h *Kernel) requestLang(c *fiber.Ctx, p *Principal) string {
	if l := c.Cookies(langCookie); h.I18n.Supported(l) {
		return l
	}
	if p.SignedIn() && h.I18n.Supported(p.User.Locale) {
		return p.User.Locale
	}
	if l := h.I18n.Match(c.Get(fiber.HeaderAcceptLanguage)); h.I18n.Supported(l) {
		return l
	}
	return "en"
}

// ensureSession gives an anonymous visitor a session so a form can carry a
// CSRF token (the login form, public comment forms).
func (h *Kernel) EnsureSession(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	if p.Session != nil {
		return nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	id, s, err := models.NewSession(ctx, h.DB, nil)
	if err != nil {
		return err
	}
	p.Session, p.SessionID = s, id
	h.SetSessionCookie(c, id)
	return nil
}

func (h *Kernel) SetSessionCookie(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: id, Path: "/", HTTPOnly: true,
		SameSite: "Lax", Secure: h.SecureCookies, SessionOnly: true})
	if c.Cookies(h.preCSRFCookie()) != "" { // the session's token takes over
		c.Cookie(&fiber.Cookie{Name: h.preCSRFCookie(), Value: "", Path: "/", HTTPOnly: true,
			SameSite: "Lax", Secure: h.SecureCookies, Expires: time.Unix(0, 0)})
	}
}

// clearSessionCookie makes the browser forget its session.
func (h *Kernel) ClearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true,
		Expires: time.Unix(0, 0), SameSite: "Lax", Secure: h.SecureCookies})
}
