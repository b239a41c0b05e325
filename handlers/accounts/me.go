package accounts

import (
	"errors"
	"math"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// mePage is the data of views/pages/me.html ("My account").
type mePage struct {
	web.FormState
	User     *models.User
	TOTPOn   bool
	Sessions []models.SessionInfo
	Tokens   []models.TokenInfo
	Langs    []string
}

// MePage is GET /me.
func (h *Handler) MePage(c *fiber.Ctx) error {
	return h.mePage(c, fiber.StatusOK, nil)
}

func (h *Handler) mePage(c *fiber.Ctx, status int, errs map[string]string) error {
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	on, err := models.TOTPEnabled(ctx, h.DB, p.User.ID)
	if err != nil {
		return err
	}
	sessions, err := models.ListSessions(ctx, h.DB, p.User.ID, p.SessionID)
	if err != nil {
		return err
	}
	tokens, err := models.ListAPITokens(ctx, h.DB, p.User.ID, 0)
	if err != nil {
		return err
	}
	return h.Render(c, status, "me", "account.me.title", mePage{FormState: web.FormState{Errors: errs},
		User: p.User, TOTPOn: on, Sessions: sessions, Tokens: tokens, Langs: h.I18n.Languages()})
}

type passwordForm struct {
	Current string `form:"current_password" json:"current_password"`
	New     string `form:"new_password" json:"new_password"`
	Confirm string `form:"new_password_confirm" json:"-"`
}

// MePassword is POST /me/password: the current password is required; every
// other session and API token ends, this one stays.
func (h *Handler) MePassword(c *fiber.Ctx) error {
	var f passwordForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var err error
	if f.New != f.Confirm {
		err = models.Invalid("new_password_confirm", "account.password.mismatch")
	} else {
		err = models.ChangePassword(ctx, h.DB, web.Actor(c), p.SessionID, f.Current, f.New)
	}
	var te *models.ThrottleError
	if errors.As(err, &te) {
		web.SetRetryAfter(c, err)
		mins := max(1, int(math.Ceil(te.RetryAfter.Minutes())))
		return h.mePage(c, fiber.StatusTooManyRequests, map[string]string{
			"current_password": h.Localizer(c).T("login.throttled", "Minutes", mins)})
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.mePage(c, fiber.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/me", "flash.password_changed")
}

// MeLanguage is POST /me/language: the language of pages and mail.
func (h *Handler) MeLanguage(c *fiber.Ctx) error {
	lang := c.FormValue("locale")
	if !h.I18n.Supported(lang) {
		return h.mePage(c, fiber.StatusUnprocessableEntity, map[string]string{"locale": h.Localizer(c).T("account.me.language.unknown")})
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.SetUserLocale(ctx, h.DB, web.PrincipalOf(c).User.ID, lang); err != nil {
		return err
	}
	// ?lang= also sets the browser's language cookie, which wins over the profile.
	return h.RedirectWithFlash(c, "/me?lang="+lang, "flash.saved")
}

// MeSessionRevoke is POST /me/sessions/{id}/revoke: one of the user's own
// sessions ends (404 for any other).
func (h *Handler) MeSessionRevoke(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	handle := c.Params("id")
	if err := models.RevokeSession(ctx, h.DB, web.Actor(c), handle); err != nil {
		return err
	}
	if handle == models.SessionHandleOf(p.SessionID) {
		h.ClearSessionCookie(c)
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.RedirectWithFlash(c, "/me", "flash.session_revoked")
}

// MeTokenRevoke is POST /me/tokens/{id}/revoke.
func (h *Handler) MeTokenRevoke(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.RevokeOwnAPIToken(ctx, h.DB, web.Actor(c), id); err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/me", "flash.token_revoked")
}

// APIMePassword is PUT /api/v1/me/password: 204; every session and every
// other API token of the user ends, the calling one stays.
func (h *Handler) APIMePassword(c *fiber.Ctx) error {
	var f passwordForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var tokenID int64
	if p.Token != nil {
		tokenID = p.Token.ID
	}
	if err := models.ChangePasswordByToken(ctx, h.DB, web.Actor(c), tokenID, f.Current, f.New); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// APIMeUpdate is PATCH /api/v1/me: the language ("locale").
func (h *Handler) APIMeUpdate(c *fiber.Ctx) error {
	var r struct {
		Locale string `json:"locale"`
	}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if !h.I18n.Supported(r.Locale) {
		return models.Invalid("locale", "account.me.language.unknown")
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	p := web.PrincipalOf(c)
	if err := models.SetUserLocale(ctx, h.DB, p.User.ID, r.Locale); err != nil {
		return err
	}
	p.User.Locale = r.Locale
	return h.APIMe(c)
}

// APIMeSessions is GET /api/v1/me/sessions.
func (h *Handler) APIMeSessions(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ss, err := models.ListSessions(ctx, h.DB, web.PrincipalOf(c).User.ID, "")
	if err != nil {
		return err
	}
	return web.SendList(c, ss)
}

// APIMeSessionDelete is DELETE /api/v1/me/sessions/{id}: 204, 404 for a
// session that is not the caller's.
func (h *Handler) APIMeSessionDelete(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.RevokeSession(ctx, h.DB, web.Actor(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// APIMeTokens is GET /api/v1/me/tokens.
func (h *Handler) APIMeTokens(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	var cur int64
	if p.Token != nil {
		cur = p.Token.ID
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ts, err := models.ListAPITokens(ctx, h.DB, p.User.ID, cur)
	if err != nil {
		return err
	}
	return web.SendList(c, ts)
}

// APIMeTokenDelete is DELETE /api/v1/me/tokens/{id}: 204, 404 for a token
// that is not the caller's.
func (h *Handler) APIMeTokenDelete(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.RevokeOwnAPIToken(ctx, h.DB, web.Actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
