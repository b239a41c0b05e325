package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// CommitmentsPage is "our commitments": what the user's organisation owes
// (responsible) and supports across agreements in force.
func (h *Handler) CommitmentsPage(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	var list []models.OurCommitment
	if p.User.OrganisationID != nil {
		ctx, cancel := h.ctx(c)
		defer cancel()
		var err error
		if list, err = models.CommitmentsOf(ctx, h.DB, *p.User.OrganisationID); err != nil {
			return err
		}
	}
	return h.render(c, 200, "commitments", "commitments.title", fiber.Map{"list": list, "statuses": models.CommitmentStatuses})
}

// CommitmentProgress records a dated progress entry from the browser.
func (h *Handler) CommitmentProgress(c *fiber.Ctx) error {
	err := h.recordProgress(c, c.FormValue("status"), c.FormValue("note"))
	if fe := fieldErrors(h.Localizer(c), err); fe != nil {
		return h.redirectWithFlash(c, safeBack(c), "flash.progress_invalid")
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, safeBack(c), "flash.progress_saved")
}

func (h *Handler) recordProgress(c *fiber.Ctx, status, note string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, s := PrincipalOf(c), ScopeOf(c)
	ctx, cancel := h.ctx(c)
	defer cancel()
	return forbidOrState(models.RecordProgress(ctx, h.DB, actor(c), s.MunicipalityID, id, p.User.OrganisationID,
		s.Role == models.RoleCoordinator, status, note))
}

// safeBack returns to the page the form came from (same site only).
func safeBack(c *fiber.Ctx) string {
	next := c.FormValue("back")
	if next == "" {
		return "/commitments"
	}
	return safeNext(next)
}

type progressReq struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// APICommitmentProgress is POST /api/v1/commitments/{id}/progress.
func (h *Handler) APICommitmentProgress(c *fiber.Ctx) error {
	var r progressReq
	if err := parseJSON(c, &r); err != nil {
		return err
	}
	if err := h.recordProgress(c, r.Status, r.Note); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"commitment_id": c.Params("id"), "status": r.Status, "note": r.Note})
}

// APIMyCommitments is GET /api/v1/commitments: the caller's organisation's commitments.
func (h *Handler) APIMyCommitments(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	var items []models.OurCommitment
	if p.User.OrganisationID != nil {
		ctx, cancel := h.ctx(c)
		defer cancel()
		var err error
		if items, err = models.CommitmentsOf(ctx, h.DB, *p.User.OrganisationID); err != nil {
			return err
		}
	}
	return sendList(c, items)
}
