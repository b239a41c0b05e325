package accounts

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// apiTokenTTL is how long a bearer token lives.
const apiTokenTTL = 30 * 24 * time.Hour

type loginForm struct {
	Email    string `form:"email" json:"email" validate:"required,max=254"`
	Password string `form:"password" json:"password" validate:"required,max=1024"`
	Code     string `form:"code" json:"code" validate:"max=64"`
}

// loginPage is the data of views/pages/login.html.
type loginPage struct {
	web.FormState
	Next     string // where to go after signing in, on this site
	WithCode bool   // the account has a second factor: ask for the code
}

// LoginPage shows the sign-in form.
func (h *Handler) LoginPage(c *fiber.Ctx) error {
	if web.PrincipalOf(c).SignedIn() {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	h.PreSessionCSRF(c) // no session row for an anonymous visit
	return h.Render(c, fiber.StatusOK, "login", "login.title", loginPage{Next: web.SafeNext(c.Query("next"))})
}

// Login checks the credentials, then replaces the session with a new one so
// a session id known before login is worthless after it.
func (h *Handler) Login(c *fiber.Ctx) error {
	var f loginForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	next := web.SafeNext(c.FormValue("next"))
	if err := h.Check(&f); err != nil {
		return h.loginAgain(c, fiber.StatusUnprocessableEntity, f, next, web.FieldErrors(h.Localizer(c), err), f.Code != "")
	}
	u, err := h.checkLogin(c, f)
	if err != nil {
		return h.loginFailed(c, f, next, err)
	}
	if err := h.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// loginFailed shows the form again for a wrong password or code, a second
// factor to enter, or the throttle (429 with Retry-After).
func (h *Handler) loginFailed(c *fiber.Ctx, f loginForm, next string, err error) error {
	l := h.Localizer(c)
	var te *models.ThrottleError
	switch {
	case errors.As(err, &te):
		web.SetRetryAfter(c, err)
		mins := int(math.Ceil(te.RetryAfter.Minutes()))
		errs := map[string]string{"password": l.T("login.throttled", "Minutes", max(1, mins))}
		return h.loginAgain(c, fiber.StatusTooManyRequests, f, next, errs, f.Code != "")
	case errors.Is(err, models.ErrSecondFactorRequired):
		return h.loginAgain(c, fiber.StatusUnauthorized, f, next, map[string]string{"code": l.T("login.code_needed")}, true)
	case errors.Is(err, models.ErrBadSecondFactor):
		return h.loginAgain(c, fiber.StatusUnauthorized, f, next, map[string]string{"code": l.T("account.totp.bad_code")}, true)
	case errors.Is(err, models.ErrNotFound):
		return h.loginAgain(c, fiber.StatusUnauthorized, f, next, map[string]string{"password": l.T("login.failed")}, f.Code != "")
	}
	return err
}

// loginAgain shows the sign-in form again with the e-mail typed (never the
// password) and what was wrong.
func (h *Handler) loginAgain(c *fiber.Ctx, status int, f loginForm, next string, errs map[string]string, withCode bool) error {
	return h.Render(c, status, "login", "login.title", loginPage{FormState: web.FormState{
		Form: map[string]string{"email": f.Email}, Errors: errs}, Next: next, WithCode: withCode})
}

// startSession replaces the request's session, if any, with a new one of
// the user and records the login.
func (h *Handler) startSession(c *fiber.Ctx, u *models.User) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if p := web.PrincipalOf(c); p.SessionID != "" {
		if err := models.DeleteSession(ctx, h.DB, p.SessionID); err != nil {
			return err
		}
	}
	id, _, err := models.NewSession(ctx, h.DB, &u.ID)
	if err != nil {
		return err
	}
	h.SetSessionCookie(c, id)
	return models.Audit(ctx, h.DB, models.Actor{UserID: u.ID, IP: c.IP()}, 0, "login", "user", u.ID, map[string]any{})
}

// checkLogin signs in under the throttle (models.SignIn counts failures).
func (h *Handler) checkLogin(c *fiber.Ctx, f loginForm) (*models.User, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.SignIn(ctx, h.DB, models.Credentials{Email: strings.TrimSpace(f.Email), Password: f.Password,
		Code: strings.TrimSpace(f.Code), IP: c.IP()})
}

// Logout ends the session.
func (h *Handler) Logout(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if p.SessionID != "" {
		if err := models.DeleteSession(ctx, h.DB, p.SessionID); err != nil {
			return err
		}
	}
	h.ClearSessionCookie(c)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// APICreateToken is POST /api/v1/tokens: e-mail and password for a bearer token.
func (h *Handler) APICreateToken(c *fiber.Ctx) error {
	var f loginForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	if err := h.Check(&f); err != nil {
		return err
	}
	u, err := h.checkLogin(c, f)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return fiber.NewError(fiber.StatusUnauthorized, "bad credentials")
	case errors.Is(err, models.ErrBadSecondFactor):
		return fiber.NewError(fiber.StatusUnauthorized, "bad second-factor code")
	case errors.Is(err, models.ErrSecondFactorRequired):
		return models.Invalid("code", "account.totp.code_required")
	case err != nil:
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	clear, t, err := models.CreateAPIToken(ctx, h.DB, u.ID, apiTokenTTL)
	if err != nil {
		return err
	}
	if err := models.Audit(ctx, h.DB, models.Actor{UserID: u.ID, IP: c.IP()}, 0, "create", "api_token", t.ID, map[string]any{}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": clear, "expires_at": t.ExpiresAt.Format(time.RFC3339)})
}

// APIRevokeToken is DELETE /api/v1/tokens/current.
func (h *Handler) APIRevokeToken(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	if p.Token == nil {
		return fiber.ErrUnauthorized
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.RevokeAPIToken(ctx, h.DB, p.Token.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
