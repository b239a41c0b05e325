package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/template/html/v2"
	"gorm.io/gorm"

	"pakt/handlers/accounts"
	"pakt/handlers/agreements"
	"pakt/handlers/apidocs"
	"pakt/handlers/dashboards"
	"pakt/handlers/inbox"
	"pakt/handlers/opendata"
	"pakt/handlers/plans"
	"pakt/handlers/search"
	"pakt/handlers/sitan"
	"pakt/handlers/tracking"
	"pakt/handlers/webhooks"
	"pakt/i18n"
	"pakt/views"
	"pakt/web"
	"pakt/web/cache"
)

// Version is set at build time with -ldflags "-X pakt/app.Version=…".
var Version = "dev"

// Server is the assembled web application.
type Server struct {
	App     *fiber.App
	Routes  []Route
	Handler *Handlers
}

// Handlers are the feature handlers the route table points at, each on
// the same kernel.
type Handlers struct {
	Kernel     *web.Kernel
	Accounts   *accounts.Handler
	Agreements *agreements.Handler
	Sitan      *sitan.Handler
	Plans      *plans.Handler
	Tracking   *tracking.Handler
	Dashboards *dashboards.Handler
	Opendata   *opendata.Handler
	Inbox      *inbox.Handler
	APIDocs    *apidocs.Handler
	Webhooks   *webhooks.Handler
	Search     *search.Handler
}

// pageSpecs are every feature's templates with their data types.
func pageSpecs() [][]web.PageSpec {
	return [][]web.PageSpec{web.Pages, accounts.Pages, agreements.Pages, sitan.Pages,
		plans.Pages, tracking.Pages, dashboards.Pages, opendata.Pages, inbox.Pages, apidocs.Pages, webhooks.Pages,
		search.Pages}
}

func newHandlers(k *web.Kernel) *Handlers {
	hs := &Handlers{Kernel: k, Accounts: &accounts.Handler{Kernel: k}, Agreements: &agreements.Handler{Kernel: k},
		Sitan: &sitan.Handler{Kernel: k}, Plans: &plans.Handler{Kernel: k}, Tracking: &tracking.Handler{Kernel: k},
		Dashboards: &dashboards.Handler{Kernel: k}, Opendata: &opendata.Handler{Kernel: k},
		Inbox: &inbox.Handler{Kernel: k}, APIDocs: &apidocs.Handler{Kernel: k}, Webhooks: &webhooks.Handler{Kernel: k},
		Search: &search.Handler{Kernel: k}}
	k.Tasks = []web.TaskSource{hs.Agreements.AgreementTasks, hs.Sitan.SitanTasks, hs.Tracking.ReportTasks,
		hs.Agreements.CommitmentTasks}
	k.Public = []web.PublicSource{hs.Agreements.AgreementPublic, hs.Sitan.SitanPublic, hs.Tracking.PlanPublic}
	return hs
}

// csp allows nothing inline and nothing from elsewhere: all assets are vendored.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// NewServer builds the Fiber app with its middleware and route table.
func NewServer(cfg Config, db *gorm.DB, log *slog.Logger) (*Server, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	assets, err := web.NewAssets(mustSub(views.FS, "static"), time.Now())
	if err != nil {
		return nil, err
	}
	engine, err := newEngine(assets)
	if err != nil {
		return nil, err
	}
	k := &web.Kernel{DB: db, I18n: bundle, Validate: web.NewValidator(), Log: log,
		BaseURL: cfg.BaseURL, SessionIdle: cfg.SessionIdle, DBTimeout: cfg.DBTimeout, RequestTimeout: cfg.RequestTimeout,
		SecureCookies: cfg.SecureCookies(), Version: Version,
		Cache: cache.New(cfg.CacheBytes), Started: time.Now(), FaviconURL: assets.URL("favicon.svg"),
		SecurityContact: securityContact(cfg)}
	h := newHandlers(k)
	h.Webhooks.AllowPrivate = cfg.WebhookAllowPrivate
	// Every page template is checked against its data type now, so a
	// misspelt field stops the start rather than a user's page view.
	if err := k.RegisterPages(engine.Templates, pageSpecs()...); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		Immutable:               true,
		Views:                   engine,
		ErrorHandler:            errorHandler(k, log),
		ReadTimeout:             cfg.RequestTimeout,
		WriteTimeout:            cfg.RequestTimeout,
		IdleTimeout:             2 * time.Minute,
		BodyLimit:               16 << 20,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
	})
	app.Use(recoverPanics(log))
	app.Use(requestLog(log), timeoutContext(cfg.RequestTimeout), admission(activeLimit(cfg.MaxActive)))
	app.Use(helmet.New(helmet.Config{ContentSecurityPolicy: csp, ReferrerPolicy: "same-origin",
		XFrameOptions: "DENY", HSTSMaxAge: 31536000, CrossOriginEmbedderPolicy: "unsafe-none"}))
	r := &router{app: app, db: db}
	// Static files need no session, language or CSRF: served before them.
	r.get("/static/*", Public, assets.Handlers()...)
	app.Use(k.CleanInput, k.Authenticate, k.Locale, k.CSRF, k.Once, web.NoStore, k.PRG)
	routeTable(r, h)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return &Server{App: app, Routes: r.routes, Handler: h}, nil
}

func proxyHeader(cfg Config) string {
	if len(cfg.TrustedProxies) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// newEngine parses every template once at start so a broken one stops the
// start instead of a page view.
func newEngine(assets *web.Assets) (*html.Engine, error) {
	engine := html.NewFileSystem(http.FS(views.FS), ".html")
	engine.AddFuncMap(templateFuncs())
	engine.AddFunc("asset", assets.URL)
	return engine, engine.Load()
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"t": func(l *i18n.Localizer, key string, args ...any) string { return l.T(key, args...) },
		"hasPrefix": func(s, prefix string) bool {
			return len(s) >= len(prefix) && s[:len(prefix)] == prefix
		},
		"deref": func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"eqid":  func(p *int64, id int64) bool { return p != nil && *p == id },
		"str":   func(v any) string { return toString(v) },
		"dict":  dict,
		"list3": func(a, b, c string) []string { return []string{a, b, c} },
		"has":   func(list []string, s string) bool { return slices.Contains(list, s) },
		"hasID": func(list []int64, id int64) bool { return slices.Contains(list, id) },
		"inc":   func(n int) int { return n + 1 },
		"once":  web.OnceField,
		// authored: the lang attribute of a municipality's own words (web.Authored).
		"authored": web.Authored,
		"derefInt": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
		"groupCount": func(m map[string]int, g string) string {
			if n, ok := m[g]; ok {
				return strconv.Itoa(n)
			}
			return ""
		},
		"trimPrefix": strings.TrimPrefix,
		"sval": func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		},
	}
}

// requestLog writes one structured line per request; never the query string,
// bodies or headers, which may carry passwords or tokens.
func requestLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status, _ = web.Status(err)
		}
		log.Info("request", "method", c.Method(), "path", logPath(c.Path()), "status", status,
			"ms", time.Since(start).Milliseconds(), "ip", c.IP())
		return err
	}
}

// securityContact is where security reports go: the mail address of the
// site's host unless PAKT_SECURITY_CONTACT says otherwise.
func securityContact(cfg Config) string {
	if cfg.SecurityContact != "" {
		return cfg.SecurityContact
	}
	host := strings.TrimPrefix(strings.TrimPrefix(cfg.BaseURL, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, ":")
	return "mailto:security@" + host
}

const localRef = "pakt.ref"

// recoverPanics turns a panic into a 500 whose reference id is logged with
// the panic and its stack, so the page a user reports leads to the cause.
func recoverPanics(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if e := recover(); e != nil {
				ref := newRef()
				c.Locals(localRef, ref)
				log.Error("panic", "ref", ref, "method", c.Method(), "path", logPath(c.Path()),
					"panic", fmt.Sprint(e), "stack", string(debug.Stack()))
				err = fiber.ErrInternalServerError
			}
		}()
		return c.Next()
	}
}

// timeoutContext bounds all work of a request, database calls included.
func timeoutContext(d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// errorHandler answers errors as API.md JSON under /api and as friendly
// pages elsewhere. Unexpected errors get a reference id that is logged.
func errorHandler(h *web.Kernel, log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, _ := web.Status(err)
		web.SetRetryAfter(c, err)
		cause := err
		if errors.Is(err, context.DeadlineExceeded) || isDBDown(err) {
			status = fiber.StatusServiceUnavailable
			err = fiber.ErrServiceUnavailable
		}
		if errors.Is(err, fiber.ErrRequestEntityTooLarge) && c.GetRespHeader(fiber.HeaderContentSecurityPolicy) == "" {
			// Refused before any middleware ran (body over BodyLimit): the
			// answer still gets the page's language and security headers.
			h.BareLang(c)
			c.Set(fiber.HeaderContentSecurityPolicy, csp)
			c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
			c.Set(fiber.HeaderXFrameOptions, "DENY")
			c.Set(fiber.HeaderReferrerPolicy, "same-origin")
			c.Set(fiber.HeaderCacheControl, "no-store")
		}
		ref, _ := c.Locals(localRef).(string) // a panic was logged with its stack
		if status >= 500 && ref == "" {
			ref = newRef()
			log.Error("request failed", "ref", ref, "method", c.Method(), "path", logPath(c.Path()), "err", cause.Error())
		}
		if web.IsAPI(c) {
			return web.WriteAPIError(c, h.Localizer(c), err, ref)
		}
		if rerr := h.ErrorPage(c, status, ref); rerr != nil {
			return c.Status(status).SendString(http.StatusText(status))
		}
		return nil
	}
}

func newRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
