package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
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

func CacheKey(kind, scope string, parts ...any) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte('|')
	b.WriteString(scope)
	for _, p := range parts {
		fmt.Fprintf(&b, "|%v", p)
	}
	return b.String()
}

// fragment renders a template without the layout to bytes, to be cached and
// put into a page with template.HTML.
func fragment(c *fiber.Ctx, name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.App().Config().Views.Render(&buf, name, data); err != nil {
		return nil, err
	}
	// An exact-size copy: the buffer's spare capacity would be held by the
	// cache without being counted against its size.
	return bytes.Clone(buf.Bytes()), nil
}

// cachedFragment returns the fragment of key, rendering it with build (which
// fills the template's data) when it is not cached. The page prints a marker
// in its place, and renderInLayout puts the cached bytes there: plain, or
// their cached deflate form when the client takes gzip (splice.go).
func (h *Kernel) CachedFragment(c *fiber.Ctx, key, name string, build func() (any, error)) (template.HTML, error) {
	raw, err := h.Cache.Do(key, func() ([]byte, error) {
		data, err := build()
		if err != nil {
			return nil, err
		}
		return fragment(c, name, data)
	})
	if err != nil {
		return "", err
	}
	f := pageFragment{raw: raw}
	if acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		// Cached apart from the plain bytes (each counts against the
		// cache's size); the key holds the same revision.
		if f.deflate, err = h.Cache.Do(key+"|deflate", func() ([]byte, error) { return deflateFragment(raw) }); err != nil {
			return "", err
		}
	}
	return addFragment(c, f), nil
}

// sendCachedSVG sends a chart drawn apart from its page (so the page stays
// light) from the cache, with an ETag from its cache key: a browser that
// has it gets 304 while the data is unchanged. The key carries the
// municipality's revision, so the tag changes with every write.
func (h *Kernel) SendCachedSVG(c *fiber.Ctx, key string, draw func() ([]byte, error)) error {
	sum := sha256.Sum256([]byte(h.Version + "\x00" + key))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if etagMatch(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	b, err := h.Cache.Do(key, draw)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	return c.Send(b)
}

// etagMatch reads If-None-Match: a list of entity tags, or "*".
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
