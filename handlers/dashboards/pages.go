package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// dashboardPage is the data of views/pages/dashboard.html.
type dashboardPage struct {
	Memberships  []models.Membership
	Organisation *models.Organisation // the user's, if any
	Tasks        []web.Task
}

// Dashboard shows a user's municipalities and roles.
func (h *Handler) Dashboard(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	// A user whose organisation fails to load still gets the page, without its name.
	org, _ := models.OrganisationOfUser(ctx, h.DB, p.User)
	tasks, err := h.tasks(c)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "dashboard", "dashboard.title", dashboardPage{Memberships: p.Memberships, Organisation: org, Tasks: tasks})
}

// publicMunicipalityPage is the data of views/pages/public_municipality.html.
type publicMunicipalityPage struct {
	Municipality  *models.Municipality
	Organisations []models.Organisation
	Sections      []web.PublicSection
	Pact          *models.Pact // shown without private links (issue #17)
}

// PublicMunicipality is the page anyone can read: partners and, later, published documents.
func (h *Handler) PublicMunicipality(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
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
	pact, err := models.PactOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "public_municipality", "public.title", publicMunicipalityPage{Municipality: m,
		Organisations: orgs, Sections: sections, Pact: pact})
}

// Healthz answers 200 when the database answers, 503 otherwise.

// ErrorPage draws the friendly error page; ref is shown for 500s so staff can
// find the logged error.
