package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The request-facing side of the cache: the only API handlers and the
// kernel use. A handler names what its output depends on in the key (see
// Key); everything else — keeping, compressing, splicing, ETags — happens
// here.
//
// Cached bytes must hold nothing of the viewer: no CSRF token, no form
// nonce, no name of the signed-in user. Those stay in the page around them.

// Key builds a cache key: the kind of output, its validity scope (a
// municipality's content revision, "m12@345", which PostgreSQL raises on
// every write) and whatever else the bytes vary by (ids, language, role).
func Key(kind, scope string, parts ...any) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte('|')
	b.WriteString(scope)
	for _, p := range parts {
		fmt.Fprintf(&b, "|%v", p)
	}
	return b.String()
}

const localFragments = "pakt.fragments"

// pageFragment is one cached fragment of the page being drawn, packed
// (packed.go).
type pageFragment struct {
	packed []byte
}

// Fragment returns the marker a page prints where the fragment of key goes,
// rendering the fragment with render when it is not cached. WritePage puts
// the fragment there: its cached deflate form when the client takes gzip
// (splice.go), else inflated.
func (c *Cache) Fragment(fc *fiber.Ctx, key string, render func(w *bytes.Buffer) error) (template.HTML, error) {
	packed, err := c.doPacked(key, render)
	if err != nil {
		return "", err
	}
	list, _ := fc.Locals(localFragments).([]pageFragment)
	fc.Locals(localFragments, append(list, pageFragment{packed: packed}))
	return template.HTML(fragmentMarker + strconv.Itoa(len(list)) + "\x00"), nil //nolint:gosec // a marker, see splice.go
}

// doPacked is Do for bytes kept packed (packed.go): render writes them
// plain into a reused buffer, which is packed and given back.
func (c *Cache) doPacked(key string, render func(w *bytes.Buffer) error) ([]byte, error) {
	return c.Do(key, func() ([]byte, error) {
		buf := getBuffer()
		defer putBuffer(buf)
		if err := render(buf); err != nil {
			return nil, err
		}
		return pack(buf.Bytes())
	})
}

// HasFragments says whether the page being drawn printed fragment markers,
// so it must be sent with WritePage.
func HasFragments(fc *fiber.Ctx) bool {
	list, _ := fc.Locals(localFragments).([]pageFragment)
	return len(list) > 0
}

// WritePage sends a drawn page with its fragments put in.
func WritePage(fc *fiber.Ctx, page []byte) error {
	list, _ := fc.Locals(localFragments).([]pageFragment)
	return writeSpliced(fc, page, list)
}

// SendTagged sends the bytes of key (built by build when missing) with an
// ETag derived from version and key, so a browser that has them gets 304
// while the data is unchanged: the key carries the revision.
func (c *Cache) SendTagged(fc *fiber.Ctx, key, version, contentType string, build func() ([]byte, error)) error {
	sum := sha256.Sum256([]byte(version + "\x00" + key))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	fc.Set(fiber.HeaderETag, etag)
	fc.Set(fiber.HeaderCacheControl, "private, no-cache")
	if etagMatch(fc.Get(fiber.HeaderIfNoneMatch), etag) {
		return fc.SendStatus(fiber.StatusNotModified)
	}
	b, err := c.Do(key, build)
	if err != nil {
		return err
	}
	fc.Set(fiber.HeaderContentType, contentType)
	return fc.Send(b)
}

// SendPacked sends the bytes of key (built by build when missing), kept
// packed (packed.go): as gzip to a client that takes it, else inflated. For
// large answers read often, such as a plan's summary.
func (c *Cache) SendPacked(fc *fiber.Ctx, key, contentType string, build func() ([]byte, error)) error {
	p, err := c.doPacked(key, func(w *bytes.Buffer) error {
		b, err := build()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	fc.Vary(fiber.HeaderAcceptEncoding)
	fc.Set(fiber.HeaderContentType, contentType)
	if acceptsGzip(fc.Get(fiber.HeaderAcceptEncoding)) {
		fc.Set(fiber.HeaderContentEncoding, "gzip")
		fc.Response().SetBodyRaw(gzipOf(p)) // a fresh slice: no copy needed
		return nil
	}
	raw, err := inflate(p)
	if err != nil {
		return err
	}
	fc.Response().SetBodyRaw(raw)
	return nil
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
