package web

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web/cache"
)

// Caching rendered output. Pages of adopted plans, dashboards, summaries and
// report PDFs are expensive to build at national scale (hundreds of
// measures, years of progress) and are read far more often than written.
// A cache key names everything the bytes depend on; the municipality's part
// is its content revision, read from PostgreSQL *before* the data (see
// models.RevisionOf), so a write anywhere in the municipality makes new keys
// and nothing stale is ever served, by this instance or another.
//
// Cached bytes must hold nothing of the viewer: no CSRF token, no form
// nonce, no name of the signed-in user. Those stay in the page around them.

// muniKey builds a cache key for content of one municipality: the kind of
// output, the municipality's current revision and the given parts (ids,
// language, date, viewer's role — whatever the output varies by).
func (h *Kernel) MuniKey(c *fiber.Ctx, kind string, muniID int64, parts ...any) (string, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	rev, err := models.RevisionOf(ctx, h.DB, muniID)
	if err != nil {
		return "", err
	}
	return CacheKey(kind, fmt.Sprintf("m%d@%d", muniID, rev), parts...), nil
}

// regionKey is muniKey for output drawn from every municipality.
func (h *Kernel) RegionKey(c *fiber.Ctx, kind string, parts ...any) (string, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	rev, err := models.RegionRevision(ctx, h.DB)
	if err != nil {
		return "", err
	}
	return CacheKey(kind, "all@"+rev, parts...), nil
}

// CacheKey builds a key under a validity scope (see cache.Key).
func CacheKey(kind, scope string, parts ...any) string { return cache.Key(kind, scope, parts...) }

// fragment renders a template without the layout into w, to be cached and
// put into a page with template.HTML.
func fragment(c *fiber.Ctx, name string, data any, w *bytes.Buffer) error {
	return c.App().Config().Views.Render(w, name, data)
}

// CachedFragment returns the marker a page prints in place of the template
// name drawn with build's data, cached under key (see pakt/web/cache).
func (h *Kernel) CachedFragment(c *fiber.Ctx, key, name string, build func() (any, error)) (template.HTML, error) {
	return h.Cache.Fragment(c, key, func(w *bytes.Buffer) error {
		data, err := build()
		if err != nil {
			return err
		}
		if err := h.checkData(name, data); err != nil {
			return err
		}
		return fragment(c, name, data, w)
	})
}

// SendCachedSVG sends a chart drawn apart from its page (so the page stays
// light) from the cache, with an ETag: a browser that has it gets 304 while
// the data is unchanged.
func (h *Kernel) SendCachedSVG(c *fiber.Ctx, key string, draw func() ([]byte, error)) error {
	return h.Cache.SendTagged(c, key, h.Version, "image/svg+xml; charset=utf-8", draw)
}
