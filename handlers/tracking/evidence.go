package tracking

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Evidence of delivery on a progress report (issue #17): files attached
// to a measure's report for a period.

// evidenceTarget is the URL's report (:id measure, :period_id period) in
// the policy's municipality, and who asks.
func evidenceTarget(c *fiber.Ctx) (models.EvidenceTarget, models.EvidenceRights, error) {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return models.EvidenceTarget{}, models.EvidenceRights{}, err
	}
	s := web.ScopeOf(c)
	return models.ProgressEvidenceTarget(s.MunicipalityID, mID, pID),
		models.EvidenceRights{OrganisationID: web.PrincipalOf(c).User.OrganisationID, Coordinator: s.Role == models.RoleCoordinator}, nil
}

// APIProgressAttach is POST /api/v1/measures/{id}/progress/{period_id}/attachments.
func (h *Handler) APIProgressAttach(c *fiber.Ctx) error {
	att, err := h.AttachEvidence(c, evidenceTarget)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(web.EvidenceJSON(att, web.PrincipalOf(c).User.Name))
}

// APIProgressAttachments is GET /api/v1/measures/{id}/progress/{period_id}/attachments.
func (h *Handler) APIProgressAttachments(c *fiber.Ctx) error {
	t, _, err := evidenceTarget(c)
	if err != nil {
		return err
	}
	return h.SendEvidenceList(c, t)
}

// ProgressAttachment downloads an attached file (browser and API) to the
// municipality's users.
func (h *Handler) ProgressAttachment(c *fiber.Ctx) error {
	t, _, err := evidenceTarget(c)
	if err != nil {
		return err
	}
	return h.SendEvidenceFile(c, t)
}

// APIProgressAttachmentDelete is DELETE .../attachments/{aid}.
func (h *Handler) APIProgressAttachmentDelete(c *fiber.Ctx) error {
	if err := h.DeleteEvidence(c, evidenceTarget); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ProgressAttach attaches a file from the report page. Posted with the
// report form (its Attach button), the page comes back with everything as
// typed, not yet saved; a refused file is said next to the file field.
func (h *Handler) ProgressAttach(c *fiber.Ctx) error {
	_, err := h.AttachEvidence(c, evidenceTarget)
	return h.afterEvidence(c, err, "flash.evidence_attached")
}

// ProgressAttachmentDelete removes a file from the report page.
func (h *Handler) ProgressAttachmentDelete(c *fiber.Ctx) error {
	return h.afterEvidence(c, h.DeleteEvidence(c, evidenceTarget), "flash.evidence_removed")
}

func (h *Handler) afterEvidence(c *fiber.Ctx, err error, done string) error {
	mID, pID, perr := measurePeriod(c)
	if perr != nil {
		return perr
	}
	fe, other := h.EvidenceErrors(c, err)
	if other != nil {
		return other
	}
	var in *models.ProgressInput
	if carriesReport(c) {
		in = parseProgressForm(c)
	} else if fe == nil {
		return h.RedirectWithFlash(c, fmt.Sprintf("/measures/%d/progress/%d#evidence", mID, pID), done)
	}
	status := 200
	if fe != nil {
		status = web.StatusOf(err)
	}
	notice := ""
	if fe == nil {
		l := h.Localizer(c)
		notice = l.T(done) + " " + l.T("evidence.unsaved") // the report came back as typed, not saved
	}
	return h.progressFormNotice(c, status, in, fe, notice)
}

// carriesReport says whether an evidence post came from the report form
// itself (its fields ride along, to be shown again as typed).
func carriesReport(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && strings.Contains(c.Path(), "/attachments") && c.FormValue("status") != ""
}

// evidenceRow is a file in the report page's list.
type evidenceRow struct {
	models.EvidenceFile
	Size      string // in B, KB or MB, in the page's language
	CanDelete bool
}

// loadEvidence lists the report's files on its page and says what the
// caller may do with them.
func (h *Handler) loadEvidence(c *fiber.Ctx, d *progressFormPage) error {
	t, r, err := evidenceTarget(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	files, err := models.ListEvidence(ctx, h.DB, t)
	if err != nil {
		return err
	}
	d.CanAttach = web.ScopeOf(c).Role != models.RoleViewer && models.EvidenceState(ctx, h.DB, t, r, false) == nil
	me := web.PrincipalOf(c).User.ID
	for _, f := range files {
		mine := f.UploadedBy != nil && *f.UploadedBy == me
		d.Evidence = append(d.Evidence, evidenceRow{f, web.FileSize(h.Localizer(c), f.SizeBytes), d.CanAttach && (d.Coordinator || mine)})
	}
	return nil
}
