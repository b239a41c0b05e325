package accounts

import (
	"errors"
	"math"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// forgotPage is the data of views/pages/password_forgot.html.
type forgotPage struct {
	web.FormState
	Sent bool // the request was taken: the same answer for any address
}

// resetPage is the data of views/pages/password_reset.html.
type resetPage struct {
	web.FormState
	Token string
}

// ForgotPage is GET /password-resets: the "forgot password" form.
func (h *Handler) ForgotPage(c *fiber.Ctx) error {
	h.PreSessionCSRF(c)
	return h.Render(c, fiber.StatusOK, "password_forgot", "account.reset.request.title", forgotPage{})
}

type forgotForm struct {
	Email string `form:"email" json:"email" validate:"required,max=254"`
}

// Forgot is POST /password-resets: the same page whether the address has an
// account or not; a known one gets the link by e-mail. Over the limit: 429.
func (h *Handler) Forgot(c *fiber.Ctx) error {
	var f forgotForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	form := map[string]string{"email": f.Email}
	if err := h.Check(&f); err != nil {
		return h.Render(c, fiber.StatusUnprocessableEntity, "password_forgot", "account.reset.request.title",
			forgotPage{FormState: web.FormState{Form: form, Errors: web.FieldErrors(h.Localizer(c), err)}})
	}
	err := h.requestReset(c, f.Email)
	var te *models.ThrottleError
	if errors.As(err, &te) {
		web.SetRetryAfter(c, err)
		mins := max(1, int(math.Ceil(te.RetryAfter.Minutes())))
		return h.Render(c, fiber.StatusTooManyRequests, "password_forgot", "account.reset.request.title", forgotPage{
			FormState: web.FormState{Form: form, Errors: map[string]string{"email": h.Localizer(c).T("login.throttled", "Minutes", mins)}}})
	}
	if err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "password_forgot", "account.reset.request.title", forgotPage{Sent: true})
}

func (h *Handler) requestReset(c *fiber.Ctx, email string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.RequestPasswordReset(ctx, h.DB, h.BaseURL, c.IP(), strings.TrimSpace(email))
}

// ResetPage is GET /password-resets/{token}: the form for a new password,
// or the clear page of a used, expired or unknown link.
func (h *Handler) ResetPage(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.CheckPasswordReset(ctx, h.DB, c.Params("token")); err != nil {
		return h.linkGone(c, "reset", err)
	}
	h.PreSessionCSRF(c)
	return h.Render(c, fiber.StatusOK, "password_reset", "account.reset.title", resetPage{Token: c.Params("token")})
}

type resetForm struct {
	Password string `form:"password" json:"password"`
	Confirm  string `form:"password_confirm" json:"-"`
}

// Reset is POST /password-resets/{token}: the new password is set and
// every session and API token of the account ends.
func (h *Handler) Reset(c *fiber.Ctx) error {
	var f resetForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	token := c.Params("token")
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var err error
	if f.Password != f.Confirm {
		if err = models.CheckPasswordReset(ctx, h.DB, token); err == nil {
			err = models.Invalid("password_confirm", "account.password.mismatch")
		}
	} else {
		_, err = models.ResetPassword(ctx, h.DB, c.IP(), token, f.Password)
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.Render(c, fiber.StatusUnprocessableEntity, "password_reset", "account.reset.title",
			resetPage{FormState: web.FormState{Errors: fe}, Token: token})
	}
	if err != nil {
		return h.linkGone(c, "reset", err)
	}
	// This browser's session, if any, ended with all the others.
	h.ClearSessionCookie(c)
	return h.RedirectWithFlash(c, "/login", "flash.password_reset")
}

// APIResetRequest is POST /api/v1/password-resets: 202 whatever the e-mail.
func (h *Handler) APIResetRequest(c *fiber.Ctx) error {
	var f forgotForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	if err := h.Check(&f); err != nil {
		return err
	}
	if err := h.requestReset(c, f.Email); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

// APIResetConfirm is POST /api/v1/password-resets/{token}: 204; 410 when
// used or expired; 422 for a weak password.
func (h *Handler) APIResetConfirm(c *fiber.Ctx) error {
	var f resetForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.ResetPassword(ctx, h.DB, c.IP(), c.Params("token"), f.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
