// Package search finds agreements, plans, measures, findings, organisations
// and consultation comments across the caller's municipalities: the header's
// search box, the /search page and GET /api/v1/search.
package search

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Handler serves the search routes on the kernel.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[searchPage]("search"),
}

// group is the results of one kind, for the page.
type group struct {
	Kind string
	Hits []models.SearchHit
}

// searchPage is the data of views/pages/search.html.
type searchPage struct {
	web.FormState
	Q      string
	Done   bool // a valid query ran
	Count  int
	Groups []group
}

// find runs a checked query over the caller's municipalities (a platform
// admin: all of them).
func (h *Handler) find(c *fiber.Ctx, raw string) ([]models.SearchHit, error) {
	q, err := models.SearchQuery(raw)
	if err != nil {
		return nil, err
	}
	p := web.PrincipalOf(c)
	munis := make([]int64, 0, len(p.Memberships))
	for _, m := range p.Memberships {
		munis = append(munis, m.MunicipalityID)
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.Search(ctx, h.DB, q, munis, p.IsAdmin())
}

// Page is GET /search?q=: the results grouped by kind; without a query a
// hint, a too short or too long one the error next to the field.
func (h *Handler) Page(c *fiber.Ctx) error {
	raw := c.Query("q")
	pg := searchPage{Q: raw, FormState: web.FormState{Form: map[string]string{"q": raw}}}
	if raw == "" {
		return h.Render(c, 200, "search", "search.title", pg)
	}
	hits, err := h.find(c, raw)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		pg.Errors = fe
		return h.Render(c, 422, "search", "search.title", pg)
	} else if err != nil {
		return err
	}
	pg.Done, pg.Count = true, len(hits)
	for _, kind := range models.SearchKinds {
		g := group{Kind: kind}
		for _, hit := range hits {
			if hit.Kind == kind {
				g.Hits = append(g.Hits, hit)
			}
		}
		if len(g.Hits) > 0 {
			pg.Groups = append(pg.Groups, g)
		}
	}
	return h.Render(c, 200, "search", "search.title", pg)
}

// API is GET /api/v1/search?q=: 200 items[] {kind, id, title, url,
// snippet, municipality{id, name}}, at most 50, best first; 422 with
// fields.q for a query under 2 or over 200 characters.
func (h *Handler) API(c *fiber.Ctx) error {
	hits, err := h.find(c, c.Query("q"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": hits, "next_cursor": nil})
}
