// Package handlers holds the HTML and JSON handlers. Both kinds call the same
// model functions; handlers only parse, authorise-by-scope and render.
package web

import (
	"context"
	"log/slog"
	"reflect"
	"strconv"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/i18n"
	"pakt/models"
	"pakt/web/cache"
)

// Handler holds what every handler needs; it is built once at start.
type Kernel struct {
	DB          *gorm.DB
	I18n        *i18n.Bundle
	Validate    *validator.Validate
	Log         *slog.Logger
	BaseURL     string
	SessionIdle time.Duration
	DBTimeout   time.Duration
	// RequestTimeout is how long a request may run (PAKT_REQUEST_TIMEOUT).
	RequestTimeout time.Duration
	SecureCookies  bool
	Version        string
	// Cache keeps rendered fragments, summaries and PDFs under keys that
	// carry the municipality's content revision (see cached.go).
	Cache *cache.Cache
	// Tasks and Public are the features' contributions to the dashboard
	// and to a municipality's public page, wired by the app.
	Tasks  []TaskSource
	Public []PublicSource
	// Started is when the server started; SecurityContact the Contact of
	// security.txt; FaviconURL the versioned icon.
	Started         time.Time
	SecurityContact string
	FaviconURL      string
	// pages is the declared data type of each template (RegisterPages).
	pages map[string]reflect.Type
}

// Locals keys shared with the app's middleware.
const (
	localPrincipal = "pakt.principal"
	localLang      = "pakt.lang"
	localScope     = "pakt.scope"
)

// Principal is who is calling: a signed-in user, or nobody.
type Principal struct {
	User        *models.User
	Memberships []models.Membership
	Session     *models.Session
	SessionID   string
	Token       *models.APIToken
	// TOTPOn: the user has a confirmed second factor. A platform admin
	// without one holds no admin powers (IsAdmin is false) until it is on.
	TOTPOn bool
	// Unread is the number on the notification bell (browser sessions; it
	// comes with the session's query, so the bell costs no statement).
	Unread int64
}

// SignedIn says whether a user is behind the request.
func (p *Principal) SignedIn() bool { return p != nil && p.User != nil }

// IsAdmin says whether the caller is a platform admin with two-step
// sign-in on: an admin account without it has no admin powers anywhere.
func (p *Principal) IsAdmin() bool { return p.SignedIn() && p.User.IsAdmin && p.TOTPOn }

// AdminNeedsTOTP says whether the caller is a platform admin who has not
// turned on two-step sign-in yet: sent to the enrolment page for everything
// but their own account.
func (p *Principal) AdminNeedsTOTP() bool { return p.SignedIn() && p.User.IsAdmin && !p.TOTPOn }

// RoleIn returns the caller's role in a municipality ("" when none).
// Platform admins act as coordinators everywhere.
func (p *Principal) RoleIn(muniID int64) string {
	if !p.SignedIn() {
		return ""
	}
	for _, m := range p.Memberships {
		if m.MunicipalityID == muniID {
			return m.Role
		}
	}
	if p.IsAdmin() {
		return models.RoleCoordinator
	}
	return ""
}

// MunicipalityIDs lists where the caller holds a role; nil means all (admin).
func (p *Principal) MunicipalityIDs() []int64 {
	if p.IsAdmin() {
		return nil
	}
	ids := []int64{}
	if p.SignedIn() {
		for _, m := range p.Memberships {
			ids = append(ids, m.MunicipalityID)
		}
	}
	return ids
}

// CoordinatesAny says whether the caller coordinates at least one municipality.
func (p *Principal) CoordinatesAny() bool {
	if p.IsAdmin() {
		return true
	}
	if p.SignedIn() {
		for _, m := range p.Memberships {
			if m.Role == models.RoleCoordinator {
				return true
			}
		}
	}
	return false
}

// PrincipalOf returns the caller of a request (never nil).
func PrincipalOf(c *fiber.Ctx) *Principal {
	if p, ok := c.Locals(localPrincipal).(*Principal); ok {
		return p
	}
	return &Principal{}
}

// Scope is the municipality a request acts in, resolved by the policy.
type Scope struct {
	MunicipalityID int64
	Role           string
}

// SetScope is called by the authorization policy once it has allowed a request.
func SetScope(c *fiber.Ctx, s Scope) { c.Locals(localScope, s) }

// ScopeOf returns the municipality the policy resolved for this request.
func ScopeOf(c *fiber.Ctx) Scope {
	s, _ := c.Locals(localScope).(Scope)
	return s
}

// ctx bounds a request's database work by the configured timeout.
func (h *Kernel) Ctx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	// The base URL rides along so the events a model records notify
	// people with absolute links (models.WithBaseURL).
	return context.WithTimeout(models.WithBaseURL(c.UserContext(), h.BaseURL), h.DBTimeout)
}

// actor is who performs the writes of a request.
func Actor(c *fiber.Ctx) models.Actor {
	a := models.Actor{IP: c.IP()}
	if p := PrincipalOf(c); p.SignedIn() {
		a.UserID = p.User.ID
	}
	return a
}

// ParamID reads a positive integer route parameter; anything else is 404.
func ParamID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// OrgNames maps a municipality's organisation ids to names.
func (h *Kernel) OrgNames(c *fiber.Ctx, muniID int64) (map[int64]string, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	orgs, err := models.ListOrganisations(ctx, h.DB, muniID)
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return names, err
}
