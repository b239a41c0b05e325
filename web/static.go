package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// Assets serves the vendored static files under /static: compressed when the
// client takes it (Fiber's compress), with an ETag of the content (304 when
// unchanged; Fiber's etag) and a Last-Modified of the server's start.
// Files whose URL names their version — the vendor files carry it in their
// name, our own are linked with ?v=<content hash> (Asset) — are cached for
// a year as immutable; anything else is revalidated.
type Assets struct {
	fsys    fs.FS
	hashes  map[string]string // file (relative to /static) -> content hash
	started string
}

// NewAssets hashes every file of fsys once.
func NewAssets(fsys fs.FS, started time.Time) (*Assets, error) {
	a := &Assets{fsys: fsys, hashes: map[string]string{}, started: started.UTC().Format(http.TimeFormat)}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hashes[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// URL is the address of a static file with its version, for templates
// ({{asset "app.css"}}).
func (a *Assets) URL(name string) string {
	return "/static/" + name + "?v=" + a.hashes[name]
}

// Handlers are the middleware and the file server of the /static route.
func (a *Assets) Handlers() []fiber.Handler {
	files := filesystem.New(filesystem.Config{Root: http.FS(a.fsys)})
	return []fiber.Handler{
		a.cacheHeaders,
		compress.New(compress.Config{Level: compress.LevelBestSpeed}),
		etag.New(),
		func(c *fiber.Ctx) error {
			c.Path(strings.TrimPrefix(c.Path(), "/static"))
			return files(c)
		},
	}
}

func (a *Assets) cacheHeaders(c *fiber.Ctx) error {
	name := strings.TrimPrefix(c.Path(), "/static/")
	if err := c.Next(); err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(name, "vendor/"), c.Query("v") != "" && c.Query("v") == a.hashes[name]:
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	default:
		c.Set(fiber.HeaderCacheControl, "public, no-cache")
	}
	c.Set(fiber.HeaderLastModified, a.started)
	return nil
}

// NoStore keeps what a signed-in person sees, and every API answer, out of
// shared and browser caches (a shared computer in a municipal office), unless
// the handler chose its own caching (ETagged charts, public documents).
func NoStore(c *fiber.Ctx) error {
	if IsAPI(c) || PrincipalOf(c).SignedIn() {
		c.Set(fiber.HeaderCacheControl, "no-store") // a handler may set its own
	}
	return c.Next()
}
