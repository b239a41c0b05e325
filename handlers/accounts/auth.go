package accounts

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Login throttling: this many failures per IP or e-mail within the window
// answer 429 until the window passes.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
	apiTokenTTL      = 30 * 24 * time.Hour
)

type loginForm struct {
	Email    string `form:"email" json:"email" validate:"required,max=254"`
	Password string `form:"password" json:"password" validate:"required,max=1024"`
}

// loginPage is the data of views/pages/login.html.
type loginPage struct {
	web.FormState
	Next string // where to go after signing in, on this site
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
		return h.loginAgain(c, fiber.StatusUnprocessableEntity, f, next, web.FieldErrors(h.Localizer(c), err))
	}
	u, err := h.checkLogin(c, f.Email, f.Password)
	if errors.Is(err, models.ErrNotFound) {
		errs := map[string]string{"password": h.Localizer(c).T("login.failed")}
		return h.loginAgain(c, fiber.StatusUnauthorized, f, next, errs)
	}
	if err != nil {
		return err
	}
	if err := h.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// loginAgain shows the sign-in form again with the e-mail typed (never the
// password) and what was wrong.
func (h *Handler) loginAgain(c *fiber.Ctx, status int, f loginForm, next string, errs map[string]string) error {
	return h.Render(c, status, "login", "login.title",
		loginPage{FormState: web.FormState{Form: map[string]string{"email": f.Email}, Errors: errs}, Next: next})
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

// checkLogin applies the throttle, then the password check; failures are counted.
func (h *Handler) checkLogin(c *fiber.Ctx, email, password string) (*models.User, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	limited, err := models.LoginThrottled(ctx, h.DB, c.IP(), email, loginMaxFailures, loginWindow)
	if err != nil {
		return nil, err
	}
	if limited {
		return nil, fiber.NewError(fiber.StatusTooManyRequests, "login throttled")
	}
	u, err := models.Authenticate(ctx, h.DB, email, password)
	if errors.Is(err, models.ErrNotFound) {
		if err := models.RecordLoginFailure(ctx, h.DB, c.IP(), email); err != nil {
			return nil, err
		}
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return u, models.ClearLoginFailures(ctx, h.DB, email)
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

// safeNext keeps redirects after login on this site.

// APICreateToken is POST /api/v1/tokens: e-mail and password for a bearer token.
func (h *Handler) APICreateToken(c *fiber.Ctx) error {
	var f loginForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	if err := h.Check(&f); err != nil {
		return err
	}
	u, err := h.checkLogin(c, f.Email, f.Password)
	if errors.Is(err, models.ErrNotFound) {
		return fiber.NewError(fiber.StatusUnauthorized, "bad credentials")
	}
	if err != nil {
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
