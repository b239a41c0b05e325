package agreements

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// commitmentsPage is the data of views/pages/commitments.html.
type commitmentsPage struct {
	Commitments []models.OurCommitment
	Statuses    []string // the progress choices
}

// CommitmentsPage is "our commitments": what the user's organisation owes
// (responsible) and supports across agreements in force.
func (h *Handler) CommitmentsPage(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	var list []models.OurCommitment
	if p.User.OrganisationID != nil {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		var err error
		if list, err = models.CommitmentsOf(ctx, h.DB, *p.User.OrganisationID); err != nil {
			return err
		}
	}
	return h.Render(c, 200, "commitments", "commitments.title", commitmentsPage{Commitments: list, Statuses: models.CommitmentStatuses})
}

// CommitmentProgress records a dated progress entry from the browser.
func (h *Handler) CommitmentProgress(c *fiber.Ctx) error {
	err := h.recordProgress(c, c.FormValue("status"), c.FormValue("note"))
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.RedirectWithFlash(c, web.SafeBack(c, "/commitments"), "flash.progress_invalid")
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, web.SafeBack(c, "/commitments"), "flash.progress_saved")
}

func (h *Handler) recordProgress(c *fiber.Ctx, status, note string) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	p, s := web.PrincipalOf(c), web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return forbidOrState(models.RecordProgress(ctx, h.DB, web.Actor(c), s.MunicipalityID, id, p.User.OrganisationID,
		s.Role == models.RoleCoordinator, status, note))
}

type progressReq struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// APICommitmentProgress is POST /api/v1/commitments/{id}/progress.
func (h *Handler) APICommitmentProgress(c *fiber.Ctx) error {
	var r progressReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.recordProgress(c, r.Status, r.Note); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"commitment_id": c.Params("id"), "status": r.Status, "note": r.Note})
}

// APIMyCommitments is GET /api/v1/commitments: the caller's organisation's commitments.
func (h *Handler) APIMyCommitments(c *fiber.Ctx) error {
	p := web.PrincipalOf(c)
	var items []models.OurCommitment
	if p.User.OrganisationID != nil {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		var err error
		if items, err = models.CommitmentsOf(ctx, h.DB, *p.User.OrganisationID); err != nil {
			return err
		}
	}
	return web.SendList(c, items)
}
