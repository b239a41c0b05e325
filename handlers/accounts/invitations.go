package accounts

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

type inviteReq struct {
	Email          string `json:"email"`
	Name           string `json:"name"`
	OrganisationID *int64 `json:"organisation_id"`
	Role           string `json:"role"`
}

// APIInvite is POST /api/v1/municipalities/{id}/invitations: 201 with the
// pending invitation for a new person, 200 "added" for an existing account.
func (h *Handler) APIInvite(c *fiber.Ctx) error {
	var r inviteReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if r.Role == "" {
		r.Role = models.RoleMember
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	res, err := models.InviteUser(ctx, h.DB, web.Actor(c), h.BaseURL, web.ScopeOf(c).MunicipalityID,
		models.InviteInput{Email: strings.TrimSpace(r.Email), Name: r.Name, OrganisationID: r.OrganisationID, Role: r.Role})
	if err != nil {
		return err
	}
	if res.Status == models.InviteAdded {
		return c.JSON(fiber.Map{"id": res.User.ID, "email": res.User.Email, "status": models.InviteAdded})
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": res.Invitation.ID, "email": res.Invitation.Email,
		"status": models.InvitePending, "expires_at": res.Invitation.ExpiresAt.Format(time.RFC3339)})
}
