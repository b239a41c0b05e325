// Package webhooks lets a municipality's coordinator register receivers of
// its events (an agreement in force, a plan adopted, a report published)
// and read their delivery log, in the browser and through the API (issue
// #19, docs/webhooks.md). Deliveries themselves are River jobs (package jobs).
package webhooks

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Handler serves the webhook routes; the kernel gives it the database,
// rendering and errors.
type Handler struct {
	*web.Kernel
	// AllowPrivate accepts hooks on loopback and private addresses
	// (PAKT_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
}

// Pages are the templates this package draws, each with its data type.
var Pages = []web.PageSpec{
	web.PageOf[webhooksPage]("webhooks"),
}

// webhooksPage is the data of views/pages/webhooks.html: the hooks with
// their latest deliveries, the form for a new one and, right after making
// one, its secret (shown this once).
type webhooksPage struct {
	web.FormState
	Municipality *models.Municipality
	Hooks        []hookView
	Events       []string
	NewSecret    string
	NewHookID    int64
}

type hookView struct {
	models.Webhook
	Deliveries []models.WebhookDelivery
}

// createdHook is the API answer to a new hook: the only answer carrying the secret.
type createdHook struct {
	*models.Webhook
	Secret string `json:"secret"`
}

// WebhooksPage lists the municipality's hooks with their delivery log.
func (h *Handler) WebhooksPage(c *fiber.Ctx) error {
	return h.page(c, fiber.StatusOK, webhooksPage{FormState: web.FormState{Form: map[string]string{}}})
}

func (h *Handler) page(c *fiber.Ctx, status int, pg webhooksPage) error {
	muni := web.ScopeOf(c).MunicipalityID
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, muni)
	if err != nil {
		return err
	}
	hooks, err := models.ListWebhooks(ctx, h.DB, muni)
	if err != nil {
		return err
	}
	pg.Municipality, pg.Events = m, models.WebhookEvents
	for _, hk := range hooks {
		ds, err := models.ListDeliveries(ctx, h.DB, muni, hk.ID)
		if err != nil {
			return err
		}
		pg.Hooks = append(pg.Hooks, hookView{Webhook: hk, Deliveries: ds[:min(len(ds), 20)]})
	}
	return h.Render(c, status, "webhooks", "webhook.title", pg)
}

// WebhookCreate registers a hook from the form and shows its secret once.
func (h *Handler) WebhookCreate(c *fiber.Ctx) error {
	in := models.WebhookInput{URL: c.FormValue("url"), AllowPrivate: h.AllowPrivate}
	for _, e := range c.Request().PostArgs().PeekMulti("events") {
		in.Events = append(in.Events, string(e))
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	hook, secret, err := models.CreateWebhook(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, in)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		form := map[string]string{"url": in.URL}
		for _, e := range in.Events {
			form["event."+e] = "on"
		}
		return h.page(c, fiber.StatusUnprocessableEntity, webhooksPage{FormState: web.FormState{Form: form, Errors: fe}})
	}
	if err != nil {
		return err
	}
	return h.page(c, fiber.StatusOK, webhooksPage{FormState: web.FormState{Form: map[string]string{}},
		NewSecret: secret, NewHookID: hook.ID})
}

// WebhookDelete removes a hook from the form.
func (h *Handler) WebhookDelete(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	muni := web.ScopeOf(c).MunicipalityID
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.DeleteWebhook(ctx, h.DB, web.Actor(c), muni, id); err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(muni)+"/webhooks", "flash.saved")
}

// APIWebhookList answers the municipality's hooks (never their secrets).
func (h *Handler) APIWebhookList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	hooks, err := models.ListWebhooks(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendList(c, hooks)
}

// APIWebhookCreate registers a hook: 201 with its secret, this once.
func (h *Handler) APIWebhookCreate(c *fiber.Ctx) error {
	var in models.WebhookInput
	if err := web.ParseJSON(c, &in); err != nil {
		return err
	}
	in.AllowPrivate = h.AllowPrivate
	ctx, cancel := h.Ctx(c)
	defer cancel()
	hook, secret, err := models.CreateWebhook(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, in)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, hook.Version, createdHook{Webhook: hook, Secret: secret})
}

// APIWebhookDelete removes a hook and its delivery log.
func (h *Handler) APIWebhookDelete(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.DeleteWebhook(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// APIDeliveryList answers a hook's delivery log, newest first.
func (h *Handler) APIDeliveryList(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ds, err := models.ListDeliveries(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
	if err != nil {
		return err
	}
	return web.SendList(c, ds)
}
