// Package opendata serves what a municipality publishes to other systems
// (issue #19, docs/opendata.md, docs/iati.md): the public open-data API in
// JSON and CSV, and adopted plans as IATI 2.03 activity files.
package opendata

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/web"
)

// Handler serves the open-data routes; the kernel gives it the database,
// the cache, rendering and errors.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type.
var Pages = []web.PageSpec{
	web.PageOf[openDataPage]("opendata"),
}

// PublicMaxAge is how long a registry or a proxy may keep a public answer
// without asking again; after that, If-None-Match makes asking cheap.
const PublicMaxAge = 5 * time.Minute

// sendTagged answers bytes cached under key (which names the content
// revision they were read at) with a strong ETag derived from the key: a
// client that sends it back gets 304 without the bytes being built or
// sent. public lets shared caches keep the answer for PublicMaxAge.
func (h *Handler) sendTagged(c *fiber.Ctx, key, contentType string, public bool, build func() ([]byte, error)) error {
	sum := sha256.Sum256([]byte(h.Version + "\x00" + key))
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Set(fiber.HeaderETag, etag)
	if public {
		c.Set(fiber.HeaderCacheControl, "public, max-age="+web.Itoa(int64(PublicMaxAge/time.Second)))
		// Open data is for other sites' pages too.
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	}
	if noneMatch(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	b, err := h.Cache.Do(key, build)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(b)
}

// noneMatch reads If-None-Match: "*" or a list of entity tags (a weak
// comparison, as RFC 9110 asks for this header).
func noneMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// abs makes a path an absolute URL under PAKT_BASE_URL.
func (h *Handler) abs(path string) string { return strings.TrimRight(h.BaseURL, "/") + path }
