package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

// Policy says who may use a route. Every route in the table declares one;
// there is no default, so a route without a policy cannot be registered.
type Policy struct {
	Name    string
	public  bool
	admin   bool
	minRole string // required role in the scoped municipality ("" = any signed-in user)
	// ownAccount routes stay open to a platform admin without two-step
	// sign-in (enrolling it, signing out); every other route refuses them.
	ownAccount bool
	scope      ScopeFunc
	openIf     func(*fiber.Ctx, *gorm.DB) bool
}

// PublicIf lets anyone through when open says the object is public (e.g. a
// published report), and applies p otherwise.
func PublicIf(open func(*fiber.Ctx, *gorm.DB) bool, p Policy) Policy {
	p.Name, p.openIf = "public-if:"+p.Name, open
	return p
}

// ScopeFunc finds the municipality a request acts on (from a path parameter,
// an object id or the body). 0 means "none": only admins pass then.
type ScopeFunc func(c *fiber.Ctx, db *gorm.DB) (int64, error)

// Public routes need no sign-in.
var Public = Policy{Name: "public", public: true}

// SignedIn routes need any signed-in user.
var SignedIn = Policy{Name: "signed-in"}

// OwnAccount routes need any signed-in user and act on that user's own
// account only ("My account", two-step sign-in).
var OwnAccount = Policy{Name: "own-account", ownAccount: true}

// AdminOnly routes need a platform admin.
var AdminOnly = Policy{Name: "admin", admin: true}

// InMunicipality needs at least role in the municipality that scope resolves.
func InMunicipality(scope ScopeFunc, role string) Policy {
	return Policy{Name: "municipality:" + role, minRole: role, scope: scope}
}

// check applies the policy; on success it stores the resolved scope for the handler.
// Not signed in: 401. Not allowed: 403. No role at all in the object's
// municipality: 404, so other municipalities' objects are not even confirmed to exist.
func (p Policy) check(c *fiber.Ctx, db *gorm.DB) error {
	if p.public || (p.openIf != nil && p.openIf(c, db)) {
		return nil
	}
	who := web.PrincipalOf(c)
	if !who.SignedIn() {
		return fiber.ErrUnauthorized
	}
	if who.AdminNeedsTOTP() && !p.ownAccount {
		return web.ErrTOTPRequired
	}
	if p.admin && !who.IsAdmin() {
		return fiber.ErrForbidden
	}
	if p.scope == nil {
		return nil
	}
	muni, err := p.scope(c, db)
	if err != nil {
		return err
	}
	if muni == 0 {
		if who.IsAdmin() {
			return nil
		}
		return fiber.ErrForbidden
	}
	role := who.RoleIn(muni)
	if role == "" {
		return models.ErrNotFound
	}
	if models.RoleRank(role) < models.RoleRank(p.minRole) {
		return fiber.ErrForbidden
	}
	web.SetScope(c, web.Scope{MunicipalityID: muni, Role: role})
	return nil
}

// middleware turns the policy into a Fiber handler; HTML callers who are not
// signed in are sent to the login page instead of a bare 401.
func (p Policy) middleware(db *gorm.DB) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := p.check(c, db)
		if errors.Is(err, fiber.ErrUnauthorized) && !web.IsAPI(c) && c.Method() == fiber.MethodGet {
			return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		if errors.Is(err, web.ErrTOTPRequired) && !web.IsAPI(c) {
			return c.Redirect("/me/totp", fiber.StatusSeeOther)
		}
		if err != nil {
			return err
		}
		return c.Next()
	}
}

// MuniParam scopes by a municipality id in the path.
func MuniParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, _ *gorm.DB) (int64, error) { return web.ParamID(c, name) }
}

// OrgParam scopes by the municipality owning the organisation in the path.
func OrgParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfOrganisation(context.Background(), db.WithContext(c.UserContext()), id)
	}
}

// BodyMuni scopes by "municipality_id" in a JSON body (POST /organisations).
func BodyMuni(c *fiber.Ctx, _ *gorm.DB) (int64, error) {
	var b struct {
		MunicipalityID *int64 `json:"municipality_id"`
	}
	if json.Unmarshal(c.Body(), &b) != nil {
		return 0, fiber.NewError(fiber.StatusBadRequest, "malformed JSON")
	}
	if b.MunicipalityID == nil || *b.MunicipalityID <= 0 {
		return 0, models.Invalid("municipality_id", "validation.required")
	}
	return *b.MunicipalityID, nil
}

// BodyOrg scopes by the municipality of "organisation_id" in a JSON body
// (POST /users); without one only admins pass (platform-level users).
func BodyOrg(c *fiber.Ctx, db *gorm.DB) (int64, error) {
	var b struct {
		OrganisationID *int64 `json:"organisation_id"`
	}
	if json.Unmarshal(c.Body(), &b) != nil {
		return 0, fiber.NewError(fiber.StatusBadRequest, "malformed JSON")
	}
	if b.OrganisationID == nil {
		if web.PrincipalOf(c).IsAdmin() {
			return 0, nil
		}
		return 0, models.Invalid("organisation_id", "validation.required")
	}
	muni, err := models.MunicipalityOfOrganisation(c.UserContext(), db, *b.OrganisationID)
	if errors.Is(err, models.ErrNotFound) {
		return 0, models.Invalid("organisation_id", "error.unknown_organisation")
	}
	return muni, err
}
