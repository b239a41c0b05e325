package opendata

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

const (
	jsonType = "application/json; charset=utf-8"
	csvType  = "text/csv; charset=utf-8"
)

// APIMunicipalities is GET /api/v1/public/municipalities: every
// municipality, for anyone (the API.md list envelope, complete).
func (h *Handler) APIMunicipalities(c *fiber.Ctx) error {
	key, err := h.RegionKey(c, "opendata.municipalities")
	if err != nil {
		return err
	}
	return h.sendTagged(c, key, jsonType, true, func() ([]byte, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		ms, err := models.ListMunicipalities(ctx, h.DB, nil)
		if err != nil {
			return nil, err
		}
		items := make([]MunicipalityItem, 0, len(ms))
		for _, m := range ms {
			items = append(items, MunicipalityItem{Slug: m.Slug, Name: m.Name, Country: m.Country, Currency: m.Currency,
				URL: h.abs("/api/v1/public/municipalities/" + m.Slug)})
		}
		return json.Marshal(web.List(items))
	})
}

// APIMunicipality is GET /api/v1/public/municipalities/{slug}: what the
// municipality's public page shows, as JSON (?format=csv: the measures CSV).
func (h *Handler) APIMunicipality(c *fiber.Ctx) error {
	if c.Query("format") == "csv" {
		return h.APIMeasuresCSV(c)
	}
	return h.sendPublic(c, "opendata.json", jsonType, func(d *PublicMunicipality) ([]byte, error) { return json.Marshal(d) })
}

// APIMeasuresCSV is GET /api/v1/public/municipalities/{slug}.csv: one row
// per budget line of every public plan's measures.
func (h *Handler) APIMeasuresCSV(c *fiber.Ctx) error {
	return h.sendPublic(c, "opendata.measures.csv", csvType, func(d *PublicMunicipality) ([]byte, error) {
		var buf bytes.Buffer
		err := measuresCSV(&buf, d)
		return buf.Bytes(), err
	})
}

// APIFiguresCSV is GET /api/v1/public/municipalities/{slug}/figures.csv:
// one row per published count or amount, protected as in the JSON.
func (h *Handler) APIFiguresCSV(c *fiber.Ctx) error {
	return h.sendPublic(c, "opendata.figures.csv", csvType, func(d *PublicMunicipality) ([]byte, error) {
		var buf bytes.Buffer
		err := figuresCSV(&buf, d)
		return buf.Bytes(), err
	})
}

// sendPublic answers one rendering of a municipality's public data, cached
// and tagged under its content revision (read before the data).
func (h *Handler) sendPublic(c *fiber.Ctx, kind, contentType string, render func(*PublicMunicipality) ([]byte, error)) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return err
	}
	key, err := h.MuniKey(c, kind, m.ID, h.BaseURL)
	if err != nil {
		return err
	}
	if contentType == csvType {
		c.Set(fiber.HeaderContentDisposition, `inline; filename="`+m.Slug+"-"+kind[len("opendata."):]+`"`)
	}
	return h.sendTagged(c, key, contentType, true, func() ([]byte, error) {
		d, err := h.publicData(ctx, m)
		if err != nil {
			return nil, err
		}
		return render(d)
	})
}
