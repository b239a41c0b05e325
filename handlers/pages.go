package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// Home lists the municipalities' public pages; signed-in users go to their dashboard.
func (h *Handler) Home(c *fiber.Ctx) error {
	if PrincipalOf(c).SignedIn() {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	ms, err := models.ListMunicipalities(ctx, h.DB, nil)
	if err != nil {
		return err
	}
	return h.render(c, 200, "home", "home.title", fiber.Map{"municipalities": ms})
}

// Dashboard shows a user's municipalities and roles.
func (h *Handler) Dashboard(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	var org *models.Organisation
	if p.User.OrganisationID != nil {
		ctx, cancel := h.ctx(c)
		defer cancel()
		var o models.Organisation
		if err := h.DB.WithContext(ctx).First(&o, *p.User.OrganisationID).Error; err == nil {
			org = &o
		}
	}
	tasks, err := h.tasks(c)
	if err != nil {
		return err
	}
	return h.render(c, 200, "dashboard", "dashboard.title", fiber.Map{"memberships": p.Memberships, "org": org, "tasks": tasks})
}

// PublicMunicipality is the page anyone can read: partners and, later, published documents.
func (h *Handler) PublicMunicipality(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return err
	}
	orgs, err := models.ListOrganisations(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	sections, err := h.publicSections(c, m.ID)
	if err != nil {
		return err
	}
	standing, err := models.StandingOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.render(c, 200, "public_municipality", "public.title", fiber.Map{"m": m, "orgs": orgs,
		"sections": sections, "standing": standing})
}

// Healthz answers 200 when the database answers, 503 otherwise.
func (h *Handler) Healthz(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	db, err := h.DB.DB()
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "version": h.Version})
}

// ErrorPage draws the friendly error page; ref is shown for 500s so staff can
// find the logged error.
func (h *Handler) ErrorPage(c *fiber.Ctx, status int, ref string) error {
	key := "error.page.generic"
	switch status {
	case 401, 403, 404, 409, 412, 413, 429, 500, 503:
		key = "error.page." + itoa(int64(status))
	}
	return h.render(c, status, "error", key, fiber.Map{"status": status, "ref": ref, "key": key})
}
