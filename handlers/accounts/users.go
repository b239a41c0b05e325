package accounts

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

type userReq struct {
	Email string `json:"email" form:"email" validate:"required,email,max=254"`
	Name  string `json:"name" form:"name" validate:"required,max=200"`
	// Password is refused when present: nobody sets another person's
	// password (API.md, POST /users); people choose theirs when they accept.
	Password       string `json:"password" form:"-"`
	OrganisationID *int64 `json:"organisation_id" form:"organisation_id"`
	Role           string `json:"role" form:"role" validate:"omitempty,role"`
}

type roleReq struct {
	Role           string          `json:"role" form:"role" validate:"required,role"`
	OrganisationID json.RawMessage `json:"organisation_id" form:"-" validate:"-"`
}

// formOrg reads an organisation select: empty is none.
func formOrg(v string) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, models.Invalid("organisation_id", "error.unknown_organisation")
	}
	return &id, nil
}

// checkUserReq trims and validates a new user's fields; a password in the
// request is one more invalid field.
func (h *Handler) checkUserReq(muni int64, r *userReq) error {
	r.Email, r.Name = strings.TrimSpace(r.Email), strings.TrimSpace(r.Name)
	fields := map[string]string{}
	var ve *models.ValidationError
	if err := h.Check(r); errors.As(err, &ve) {
		fields = ve.Fields
	} else if err != nil {
		return err
	}
	if r.Password != "" {
		fields["password"] = "account.password_is_personal"
	}
	// An invitation belongs to a municipality: an account is reached through one.
	if muni == 0 || r.OrganisationID == nil {
		fields["organisation_id"] = "validation.required"
	}
	if len(fields) > 0 {
		return &models.ValidationError{Fields: fields}
	}
	return nil
}

// createUser invites a new person into the municipality with a role (member
// unless the request says otherwise): the account exists without a password
// and the invitation mail is queued. An e-mail that has an account already
// is refused here; POST /municipalities/{id}/invitations adds such people.
func (h *Handler) createUser(c *fiber.Ctx, muni int64, r *userReq) (*models.User, error) {
	if err := h.checkUserReq(muni, r); err != nil {
		return nil, err
	}
	if r.Role == "" {
		r.Role = models.RoleMember
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var u *models.User
	err := h.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		taken, err := models.EmailTaken(ctx, tx, r.Email)
		if err != nil || taken {
			return errors.Join(err, takenErr(taken))
		}
		res, err := models.InviteUser(ctx, tx, web.Actor(c), h.BaseURL, muni, models.InviteInput{
			Email: r.Email, Name: r.Name, OrganisationID: r.OrganisationID, Role: r.Role})
		if err == nil {
			u = res.User
		}
		return err
	})
	return u, err
}

func takenErr(taken bool) error {
	if taken {
		return models.Invalid("email", "error.email_taken")
	}
	return nil
}

// membersPage is the data of views/pages/members.html.
type membersPage struct {
	web.FormState
	Municipality  *models.Municipality
	Members       []models.Member
	Organisations []models.Organisation
	Roles         []string
	Pending       []models.Invitation // not accepted yet, expired ones too
	Now           time.Time
}

// MembersPage lists a municipality's users and roles, with the add-user form.
func (h *Handler) MembersPage(c *fiber.Ctx) error {
	return h.membersPage(c, 200, map[string]string{"role": models.RoleMember}, nil)
}

func (h *Handler) membersPage(c *fiber.Ctx, status int, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	id := web.ScopeOf(c).MunicipalityID
	m, err := models.GetMunicipality(ctx, h.DB, id)
	if err != nil {
		return err
	}
	members, err := models.ListMembers(ctx, h.DB, id)
	if err != nil {
		return err
	}
	orgs, err := models.ListOrganisations(ctx, h.DB, id)
	if err != nil {
		return err
	}
	pending, err := models.ListPendingInvitations(ctx, h.DB, id)
	if err != nil {
		return err
	}
	return h.Render(c, status, "members", "members.title", membersPage{FormState: web.FormState{Form: form, Errors: errs},
		Municipality: m, Members: members, Organisations: orgs, Roles: models.Roles, Pending: pending, Now: time.Now()})
}

// UserCreate handles the add-user form of the members page.
func (h *Handler) UserCreate(c *fiber.Ctx) error {
	var r userReq
	if err := c.BodyParser(&r); err != nil {
		return fiber.ErrBadRequest
	}
	if c.FormValue("organisation_id") == "" {
		r.OrganisationID = nil
	}
	muni := web.ScopeOf(c).MunicipalityID
	res, err := h.inviteFromForm(c, muni, &r)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.membersPage(c, 422, map[string]string{"email": r.Email, "name": r.Name,
			"organisation_id": c.FormValue("organisation_id"), "role": r.Role}, fe)
	}
	if err != nil {
		return err
	}
	flash := "flash.user_invited"
	if res.Status == models.InviteAdded {
		flash = "flash.member_added"
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(muni)+"/members", flash)
}

// inviteFromForm invites a new person, or adds a person who has an account
// already at once (they are told by e-mail), like the invitations API.
func (h *Handler) inviteFromForm(c *fiber.Ctx, muni int64, r *userReq) (*models.InviteResult, error) {
	if err := h.checkUserReq(muni, r); err != nil {
		return nil, err
	}
	if r.Role == "" {
		r.Role = models.RoleMember
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.InviteUser(ctx, h.DB, web.Actor(c), h.BaseURL, muni, models.InviteInput{
		Email: r.Email, Name: r.Name, OrganisationID: r.OrganisationID, Role: r.Role})
}

// MemberRoleUpdate changes or removes ("none") a user's role from the members page.
func (h *Handler) MemberRoleUpdate(c *fiber.Ctx) error {
	muni := web.ScopeOf(c).MunicipalityID
	uid, err := h.linkedUser(c, muni)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	role := c.FormValue("role")
	switch {
	case role == "none":
		err = models.RemoveRole(ctx, h.DB, web.Actor(c), muni, uid)
	case web.Contains(models.Roles, role):
		err = models.SetRole(ctx, h.DB, web.Actor(c), muni, uid, role)
		// The row's organisation is in the form only when it is one of this
		// municipality's (else the page just names it).
		if err == nil && c.Request().PostArgs().Has("organisation_id") {
			var org *int64
			if org, err = formOrg(c.FormValue("organisation_id")); err == nil {
				err = models.SetMemberOrganisation(ctx, h.DB, web.Actor(c), muni, uid, org)
			}
		}
	default:
		return h.membersPage(c, 422, nil, map[string]string{"role": h.Localizer(c).T("validation.role")})
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.membersPage(c, 422, nil, map[string]string{"role": fe["organisation_id"]})
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/municipalities/"+web.Itoa(muni)+"/members", "flash.saved")
}

// linkedUser reads :user_id and answers 404 unless that user belongs to the
// municipality, so coordinators cannot probe or grab other municipalities' users.
func (h *Handler) linkedUser(c *fiber.Ctx, muni int64) (int64, error) {
	uid, err := web.ParamID(c, "user_id")
	if err != nil {
		return 0, err
	}
	if web.PrincipalOf(c).IsAdmin() {
		return uid, nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ok, err := models.UserLinkedTo(ctx, h.DB, muni, uid)
	if err == nil && !ok {
		err = models.ErrNotFound
	}
	return uid, err
}

// APIUserCreate is POST /api/v1/users.
func (h *Handler) APIUserCreate(c *fiber.Ctx) error {
	var r userReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	u, err := h.createUser(c, web.ScopeOf(c).MunicipalityID, &r)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, u.Version, fiber.Map{"id": u.ID, "email": u.Email,
		"name": u.Name, "organisation_id": u.OrganisationID, "status": u.Status})
}

// APIMemberPut is PUT /api/v1/municipalities/{id}/members/{user_id}.
func (h *Handler) APIMemberPut(c *fiber.Ctx) error {
	muni := web.ScopeOf(c).MunicipalityID
	uid, err := h.linkedUser(c, muni)
	if err != nil {
		return err
	}
	var r roleReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.GetUser(ctx, h.DB, uid); err != nil {
		return err
	}
	if err := models.SetRole(ctx, h.DB, web.Actor(c), muni, uid, r.Role); err != nil {
		return err
	}
	// organisation_id is changed only when the body names it (null: none).
	if len(r.OrganisationID) > 0 {
		var org *int64
		if err := json.Unmarshal(r.OrganisationID, &org); err != nil {
			return models.Invalid("organisation_id", "error.unknown_organisation")
		}
		if err := models.SetMemberOrganisation(ctx, h.DB, web.Actor(c), muni, uid, org); err != nil {
			return err
		}
	}
	u, err := models.GetUser(ctx, h.DB, uid)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user_id": uid, "municipality_id": muni, "role": r.Role, "organisation_id": u.OrganisationID})
}

// APIMemberDelete is DELETE /api/v1/municipalities/{id}/members/{user_id}.
func (h *Handler) APIMemberDelete(c *fiber.Ctx) error {
	muni := web.ScopeOf(c).MunicipalityID
	uid, err := h.linkedUser(c, muni)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.RemoveRole(ctx, h.DB, web.Actor(c), muni, uid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// APIMemberList is GET /api/v1/municipalities/{id}/members.
func (h *Handler) APIMemberList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ms, err := models.ListMembers(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendList(c, ms)
}

// APIMe is GET /api/v1/me.
func (h *Handler) APIMe(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	ms := p.Memberships
	if ms == nil {
		ms = []models.Membership{}
	}
	return web.SendVersioned(c, 200, p.User.Version, fiber.Map{"id": p.User.ID, "email": p.User.Email,
		"name": p.User.Name, "locale": p.User.Locale, "is_admin": p.User.IsAdmin,
		"organisation_id": p.User.OrganisationID, "version": p.User.Version, "memberships": ms})
}
