package accounts

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// acceptPage is the data of views/pages/invitation_accept.html.
type acceptPage struct {
	web.FormState
	Token string
	Info  *models.InvitationInfo
}

// linkGonePage is the data of views/pages/link_gone.html: an invitation or
// reset link that was used, has expired or never existed.
type linkGonePage struct {
	Kind string // "invitation" or "reset"
	Gone bool   // used or expired (410), not unknown (404)
}

// linkGone draws the clear page for a dead link, or returns other errors.
func (h *Handler) linkGone(c *fiber.Ctx, kind string, err error) error {
	switch {
	case errors.Is(err, models.ErrTokenGone):
		return h.Render(c, fiber.StatusGone, "link_gone", "account.link.gone.title", linkGonePage{Kind: kind, Gone: true})
	case errors.Is(err, models.ErrNotFound):
		return h.Render(c, fiber.StatusNotFound, "link_gone", "account.link.unknown.title", linkGonePage{Kind: kind})
	}
	return err
}

// AcceptPage is GET /invitations/{token}: who invited the person where, and
// the form to choose their own password.
func (h *Handler) AcceptPage(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	info, err := models.LookupInvitation(ctx, h.DB, c.Params("token"))
	if err != nil {
		return h.linkGone(c, "invitation", err)
	}
	h.PreSessionCSRF(c)
	return h.Render(c, fiber.StatusOK, "invitation_accept", "account.invite.title", acceptPage{
		FormState: web.FormState{Form: map[string]string{"name": info.Name}}, Token: c.Params("token"), Info: info})
}

type acceptForm struct {
	Name     string `form:"name" json:"name"`
	Password string `form:"password" json:"password"`
	Confirm  string `form:"password_confirm" json:"-"`
}

// Accept is POST /invitations/{token}: the password is set and the person
// signs in with it.
func (h *Handler) Accept(c *fiber.Ctx) error {
	var f acceptForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	token := c.Params("token")
	ctx, cancel := h.Ctx(c)
	defer cancel()
	info, err := models.LookupInvitation(ctx, h.DB, token)
	if err != nil {
		return h.linkGone(c, "invitation", err)
	}
	if f.Password != f.Confirm {
		err = models.Invalid("password_confirm", "account.password.mismatch")
	} else {
		_, err = models.AcceptInvitation(ctx, h.DB, c.IP(), token, f.Password, f.Name)
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.Render(c, fiber.StatusUnprocessableEntity, "invitation_accept", "account.invite.title", acceptPage{
			FormState: web.FormState{Form: map[string]string{"name": f.Name}, Errors: fe}, Token: token, Info: info})
	}
	if err != nil {
		return h.linkGone(c, "invitation", err)
	}
	return h.RedirectWithFlash(c, "/login", "flash.invite_accepted")
}

// APIInvitationGet is GET /api/v1/invitations/{token}: what the link is for
// (404 unknown, 410 used or expired).
func (h *Handler) APIInvitationGet(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	info, err := models.LookupInvitation(ctx, h.DB, c.Params("token"))
	if err != nil {
		return err
	}
	return c.JSON(info)
}

// APIAccept is POST /api/v1/invitations/{token}/accept: 201 the user, 410
// when used or expired, 422 for a weak password.
func (h *Handler) APIAccept(c *fiber.Ctx) error {
	var f acceptForm
	if err := web.ParseJSON(c, &f); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	u, err := models.AcceptInvitation(ctx, h.DB, c.IP(), c.Params("token"), f.Password, strings.TrimSpace(f.Name))
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, u.Version, fiber.Map{"id": u.ID, "email": u.Email,
		"name": u.Name, "organisation_id": u.OrganisationID, "status": u.Status})
}
