package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

// WebhookParam scopes by the municipality owning the webhook in the path.
func WebhookParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfWebhook(c.UserContext(), db, id)
	}
}

// webhookRoutes are the webhook routes (issue #19, docs/webhooks.md): only a
// coordinator of the municipality registers, removes or reads hooks and
// their delivery log.
func webhookRoutes(r *router, h *Handlers) {
	coord := models.RoleCoordinator
	muni, hook := MuniParam("id"), WebhookParam("id")
	wh := h.Webhooks

	r.get("/municipalities/:id/webhooks", InMunicipality(muni, coord), wh.WebhooksPage)
	r.post("/municipalities/:id/webhooks", InMunicipality(muni, coord), wh.WebhookCreate)
	r.post("/webhooks/:id/delete", InMunicipality(hook, coord), wh.WebhookDelete)

	r.get("/api/v1/municipalities/:id/webhooks", InMunicipality(muni, coord), wh.APIWebhookList)
	r.post("/api/v1/municipalities/:id/webhooks", InMunicipality(muni, coord), wh.APIWebhookCreate)
	r.delete("/api/v1/webhooks/:id", InMunicipality(hook, coord), wh.APIWebhookDelete)
	r.get("/api/v1/webhooks/:id/deliveries", InMunicipality(hook, coord), wh.APIDeliveryList)
}
