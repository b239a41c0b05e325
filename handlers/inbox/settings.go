package inbox

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// kindSetting is one row of the settings page.
type kindSetting struct {
	Kind string
	Mode string
}

// settingsPage is the data of views/pages/notification_settings.html.
type settingsPage struct {
	web.FormState
	Kinds []kindSetting
	Modes []string
}

var modes = []string{models.ModeImmediate, models.ModeDigest, models.ModeOff}

// settingsForm draws the page from the stored modes, with what the person
// typed (form) over them.
func settingsForm(stored, form, errs map[string]string) settingsPage {
	pg := settingsPage{FormState: web.FormState{Form: form, Errors: errs}, Modes: modes}
	for _, k := range models.NotificationKinds {
		mode := stored[k.Kind]
		if v, ok := form[k.Kind]; ok {
			mode = v
		}
		pg.Kinds = append(pg.Kinds, kindSetting{Kind: k.Kind, Mode: mode})
	}
	return pg
}

func (h *Handler) settings(c *fiber.Ctx) (map[string]string, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.NotificationSettings(ctx, h.DB, web.PrincipalOf(c).User.ID)
}

// Settings shows per kind: immediately, in the daily summary, or off.
func (h *Handler) Settings(c *fiber.Ctx) error {
	stored, err := h.settings(c)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "notification_settings", "inbox.settings.title", settingsForm(stored, map[string]string{}, nil))
}

// SettingsSave stores the modes posted; a bad one is shown next to its kind
// and nothing is saved.
func (h *Handler) SettingsSave(c *fiber.Ctx) error {
	form := map[string]string{}
	for _, k := range models.NotificationKinds {
		if v := c.FormValue(k.Kind); v != "" {
			form[k.Kind] = v
		}
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err := models.SetNotificationSettings(ctx, h.DB, web.PrincipalOf(c).User.ID, form)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		stored, serr := h.settings(c)
		if serr != nil {
			return serr
		}
		return h.Render(c, 422, "notification_settings", "inbox.settings.title", settingsForm(stored, form, fe))
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/me/notification-settings", "flash.saved")
}

// APISettings is GET /api/v1/me/notification-settings: {kind: mode}.
func (h *Handler) APISettings(c *fiber.Ctx) error {
	stored, err := h.settings(c)
	if err != nil {
		return err
	}
	return c.JSON(stored)
}

// APISettingsPut is PUT /api/v1/me/notification-settings with {kind: mode}
// (kinds not named keep theirs): 200 with every kind's mode; 422 naming
// each unknown kind or mode, and then nothing changes.
func (h *Handler) APISettingsPut(c *fiber.Ctx) error {
	var in map[string]string
	if err := web.ParseJSON(c, &in); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.SetNotificationSettings(ctx, h.DB, web.PrincipalOf(c).User.ID, in); err != nil {
		return err
	}
	return h.APISettings(c)
}
