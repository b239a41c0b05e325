package web

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
)

// ErrTOTPRequired: a platform admin without two-step sign-in asked for
// anything but their own account (403 "totp_required"; pages redirect to
// the enrolment page).
var ErrTOTPRequired = errors.New("two-step sign-in required")

// APIError is the error body of API.md.
type APIError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Status maps an error to its HTTP status and API code.
func Status(err error) (int, string) {
	var fe *fiber.Error
	var ve *models.ValidationError
	var se *models.StateError
	var tl *models.TooLargeError
	switch {
	case errors.As(err, &tl):
		return fiber.StatusRequestEntityTooLarge, "too_large"
	case errors.As(err, &ve):
		return fiber.StatusUnprocessableEntity, "invalid"
	case errors.As(err, &se):
		return fiber.StatusConflict, "conflict"
	case errors.Is(err, models.ErrNotFound):
		return fiber.StatusNotFound, "not_found"
	case errors.Is(err, models.ErrStale):
		return fiber.StatusPreconditionFailed, "stale"
	case errors.Is(err, models.ErrRateLimited), errors.Is(err, models.ErrThrottled):
		return fiber.StatusTooManyRequests, "too_many_requests"
	case errors.Is(err, ErrTOTPRequired):
		return fiber.StatusForbidden, "totp_required"
	case errors.Is(err, models.ErrTokenGone):
		return fiber.StatusGone, "gone"
	case models.IsForbidden(err):
		return fiber.StatusForbidden, "forbidden"
	case errors.As(err, &fe):
		return fe.Code, codeFor(fe.Code)
	}
	return fiber.StatusInternalServerError, "internal"
}

// SetRetryAfter sets the Retry-After header (whole seconds, at least 1)
// when err is a sign-in throttle that says how long to wait.
func SetRetryAfter(c *fiber.Ctx, err error) {
	var te *models.ThrottleError
	if errors.As(err, &te) {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(1, int(math.Ceil(te.RetryAfter.Seconds())))))
	}
}

// StatusOf is the HTTP status of an error (see Status).
func StatusOf(err error) int {
	status, _ := Status(err)
	return status
}

func codeFor(status int) string {
	switch status {
	case 400:
		return "bad_request"
	case 401:
		return "unauthenticated"
	case 403:
		return "forbidden"
	case 404:
		return "not_found"
	case 405:
		return "method_not_allowed"
	case 409:
		return "conflict"
	case 412:
		return "stale"
	case 410:
		return "gone"
	case 413:
		return "too_large"
	case 422:
		return "invalid"
	case 429:
		return "too_many_requests"
	case 503:
		return "unavailable"
	}
	return "error"
}

// messageKeys are the catalog keys of the API message for each code.
func messageKey(code string) string { return "error." + code }

// WriteAPIError answers err as the JSON error body; fields are translated.
func WriteAPIError(c *fiber.Ctx, l *i18n.Localizer, err error, ref string) error {
	status, code := Status(err)
	body := APIError{Code: code, Message: l.T(messageKey(code))}
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		body.Fields = TranslateFields(l, ve.Fields)
	}
	var se *models.StateError
	if errors.As(err, &se) {
		body.Message = l.T(se.Key)
	}
	if ref != "" {
		body.Message += " (ref " + ref + ")"
	}
	return c.Status(status).JSON(fiber.Map{"error": body})
}

func TranslateFields(l *i18n.Localizer, f map[string]string) map[string]string {
	out := make(map[string]string, len(f))
	for k, v := range f {
		out[k] = l.T(v)
	}
	return out
}

// NewValidator returns a validator that names fields by their json tag and
// knows our own tags.
func NewValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			name, _, _ = strings.Cut(f.Tag.Get("form"), ",")
		}
		return name
	})
	_ = v.RegisterValidation("country", func(fl validator.FieldLevel) bool {
		return countryCodes[fl.Field().String()]
	})
	_ = v.RegisterValidation("orgtype", func(fl validator.FieldLevel) bool {
		return Contains(models.OrganisationTypes, fl.Field().String())
	})
	_ = v.RegisterValidation("role", func(fl validator.FieldLevel) bool {
		return Contains(models.Roles, fl.Field().String())
	})
	return v
}

// countryCodes are the countries Pakt serves (Kosovo uses the user-assigned XK)
// plus neighbours that run similar pacts.
var countryCodes = map[string]bool{"BA": true, "RS": true, "AL": true, "XK": true, "ME": true, "MK": true,
	"HR": true, "SI": true, "BG": true, "RO": true, "GR": true}

// Currencies are the ISO 4217 codes a municipality may keep its books in.
var Currencies = []string{"BAM", "RSD", "EUR", "ALL", "MKD"}

// Countries lists the country codes in display order.
var Countries = []string{"BA", "RS", "AL", "XK", "ME", "MK", "HR", "SI", "BG", "RO", "GR"}

func Contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validate checks a request struct; failures become a ValidationError whose
// values are catalog keys like "validation.required".
func (h *Kernel) Check(req any) error {
	err := h.Validate.Struct(req)
	if err == nil {
		return nil
	}
	var errs validator.ValidationErrors
	if !errors.As(err, &errs) {
		return err
	}
	fields := map[string]string{}
	for _, e := range errs {
		fields[e.Field()] = "validation." + e.Tag()
	}
	return &models.ValidationError{Fields: fields}
}

// fieldErrors returns the per-field messages of a validation error, translated,
// for showing next to form inputs; other errors give nil.
func FieldErrors(l *i18n.Localizer, err error) map[string]string {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return TranslateFields(l, ve.Fields)
	}
	return nil
}

// StateErrors returns, for an action refused in the object's current state
// (models.StateError), its message as the form's own error, so the form can
// be drawn again with what was typed; other errors give nil.
func StateErrors(l *i18n.Localizer, err error) map[string]string {
	var se *models.StateError
	if errors.As(err, &se) {
		return map[string]string{"form": l.T(se.Key)}
	}
	return nil
}
