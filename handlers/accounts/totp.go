package accounts

import (
	"encoding/base64"
	"errors"
	"html/template"
	"math"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"pakt/models"
	"pakt/web"
)

// totpIssuer names Pakt in the person's authenticator app.
const totpIssuer = "Pakt"

// totpPage is the data of views/pages/totp.html: two-step sign-in, off,
// being set up (QR code and secret) or on.
type totpPage struct {
	web.FormState
	On       bool
	Pending  *models.TOTPEnrolment
	QR       template.URL // PNG data URL of the otpauth link (CSP: img-src data:)
	Required bool         // a platform admin without it: it must be turned on
}

// recoveryPage is the data of views/pages/totp_codes.html: the recovery
// codes, shown this once.
type recoveryPage struct {
	Codes []string
}

// TOTPPage is GET /me/totp.
func (h *Handler) TOTPPage(c *fiber.Ctx) error {
	return h.totpPage(c, fiber.StatusOK, nil)
}

func (h *Handler) totpPage(c *fiber.Ctx, status int, errs map[string]string) error {
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	on, err := models.TOTPEnabled(ctx, h.DB, p.User.ID)
	if err != nil {
		return err
	}
	data := totpPage{FormState: web.FormState{Errors: errs}, On: on, Required: p.User.IsAdmin && !on}
	if !on {
		pending, err := models.PendingTOTP(ctx, h.DB, p.User.ID, totpIssuer)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if pending != nil {
			if data.QR, err = qrDataURL(pending.OTPAuthURL); err != nil {
				return err
			}
			data.Pending = pending
		}
	}
	return h.Render(c, status, "totp", "account.totp.title", data)
}

// qrDataURL draws text as a QR code in a PNG data URL.
func qrDataURL(text string) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	// A data URL of our own PNG bytes, not user input.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil //nolint:gosec
}

// TOTPStart is POST /me/totp: a new secret to scan, not used until confirmed.
func (h *Handler) TOTPStart(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.EnableTOTP(ctx, h.DB, web.PrincipalOf(c).User.ID, totpIssuer); err != nil {
		return err
	}
	return c.Redirect("/me/totp", fiber.StatusSeeOther)
}

type codeForm struct {
	Password string `form:"password" json:"password"`
	Code     string `form:"code" json:"code"`
}

// TOTPConfirm is POST /me/totp/confirm: with the right code the second
// factor is on and the recovery codes are shown, once.
func (h *Handler) TOTPConfirm(c *fiber.Ctx) error {
	var f codeForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	codes, err := models.ConfirmTOTP(ctx, h.DB, web.Actor(c), f.Code)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.totpPage(c, fiber.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "totp_codes", "account.totp.codes.title", recoveryPage{Codes: codes})
}

// TOTPDisable is POST /me/totp/disable: password and a code turn it off.
func (h *Handler) TOTPDisable(c *fiber.Ctx) error {
	var f codeForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err := models.DisableTOTP(ctx, h.DB, web.Actor(c), f.Password, f.Code)
	if err != nil {
		return h.codeFailed(c, err)
	}
	return h.RedirectWithFlash(c, "/me", "flash.totp_off")
}

// TOTPNewCodes is POST /me/totp/recovery-codes: fresh recovery codes (the
// old ones stop working) after the password and a code.
func (h *Handler) TOTPNewCodes(c *fiber.Ctx) error {
	var f codeForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	codes, err := models.RegenerateRecoveryCodes(ctx, h.DB, web.Actor(c), f.Password, f.Code)
	if err != nil {
		return h.codeFailed(c, err)
	}
	return h.Render(c, fiber.StatusOK, "totp_codes", "account.totp.codes.title", recoveryPage{Codes: codes})
}

// codeFailed draws the page again for a wrong password or code (422) or
// the throttle (429, Retry-After); other errors go to the error handler.
func (h *Handler) codeFailed(c *fiber.Ctx, err error) error {
	var te *models.ThrottleError
	if errors.As(err, &te) {
		web.SetRetryAfter(c, err)
		mins := max(1, int(math.Ceil(te.RetryAfter.Minutes())))
		return h.totpPage(c, fiber.StatusTooManyRequests, map[string]string{
			"password": h.Localizer(c).T("login.throttled", "Minutes", mins)})
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.totpPage(c, fiber.StatusUnprocessableEntity, fe)
	}
	return err
}

// APITOTPStart is POST /api/v1/me/totp: 201 {secret, otpauth_url}.
func (h *Handler) APITOTPStart(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	en, err := models.EnableTOTP(ctx, h.DB, web.PrincipalOf(c).User.ID, totpIssuer)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(en)
}

// APITOTPConfirm is POST /api/v1/me/totp/confirm {code}: 200 with the
// recovery codes, shown this once.
func (h *Handler) APITOTPConfirm(c *fiber.Ctx) error {
	var f struct {
		Code string `json:"code"`
	}
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	codes, err := models.ConfirmTOTP(ctx, h.DB, web.Actor(c), f.Code)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"enabled": true, "recovery_codes": codes})
}

// APITOTPDelete is DELETE /api/v1/me/totp {password, code}: 204.
func (h *Handler) APITOTPDelete(c *fiber.Ctx) error {
	var f codeForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.DisableTOTP(ctx, h.DB, web.Actor(c), f.Password, f.Code); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// APITOTPNewCodes is POST /api/v1/me/totp/recovery-codes {password, code}.
func (h *Handler) APITOTPNewCodes(c *fiber.Ctx) error {
	var f codeForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	codes, err := models.RegenerateRecoveryCodes(ctx, h.DB, web.Actor(c), f.Password, f.Code)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"recovery_codes": codes})
}
