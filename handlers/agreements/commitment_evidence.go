package agreements

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Evidence of delivery on a commitment (issue #17): the commitment's own
// page lists the files its organisations attached, with an upload field.

// commitmentPage is the data of views/pages/commitment_show.html.
type commitmentPage struct {
	web.FormState
	Municipality *models.Municipality
	Commitment   *models.Commitment
	Agreement    *models.Agreement
	OrgNames     map[int64]string
	Evidence     []commitmentFile
	CanAttach    bool
}

// commitmentFile is a file in the commitment page's list.
type commitmentFile struct {
	models.EvidenceFile
	Size      string
	CanDelete bool
}

// commitmentTarget is the :id commitment in the policy's municipality, and who asks.
func commitmentTarget(c *fiber.Ctx) (models.EvidenceTarget, models.EvidenceRights, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return models.EvidenceTarget{}, models.EvidenceRights{}, err
	}
	s := web.ScopeOf(c)
	return models.CommitmentEvidenceTarget(s.MunicipalityID, id),
		models.EvidenceRights{OrganisationID: web.PrincipalOf(c).User.OrganisationID, Coordinator: s.Role == models.RoleCoordinator}, nil
}

// CommitmentShow is a commitment's page: what is owed, by whom, its latest
// progress and the evidence attached to it.
func (h *Handler) CommitmentShow(c *fiber.Ctx) error {
	return h.commitmentPage(c, 200, nil)
}

func (h *Handler) commitmentPage(c *fiber.Ctx, status int, errs map[string]string) error {
	t, r, err := commitmentTarget(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	d := commitmentPage{FormState: web.FormState{Errors: errs}}
	if d.Commitment, d.Agreement, err = models.CommitmentOf(ctx, h.DB, t.MunicipalityID, t.ObjectID); err != nil {
		return err
	}
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, t.MunicipalityID); err != nil {
		return err
	}
	if d.OrgNames, err = h.OrgNames(c, t.MunicipalityID); err != nil {
		return err
	}
	files, err := models.ListEvidence(ctx, h.DB, t)
	if err != nil {
		return err
	}
	d.CanAttach = web.ScopeOf(c).Role != models.RoleViewer && models.EvidenceState(ctx, h.DB, t, r, false) == nil
	me := web.PrincipalOf(c).User.ID
	for _, f := range files {
		mine := f.UploadedBy != nil && *f.UploadedBy == me
		d.Evidence = append(d.Evidence, commitmentFile{f, web.FileSize(h.Localizer(c), f.SizeBytes), d.CanAttach && (r.Coordinator || mine)})
	}
	return h.Render(c, status, "commitment_show", "commitment.page_title", d)
}

// CommitmentAttach attaches a file from the commitment page; a refused
// file is said next to the field.
func (h *Handler) CommitmentAttach(c *fiber.Ctx) error {
	_, err := h.AttachEvidence(c, commitmentTarget)
	return h.afterCommitmentEvidence(c, err, "flash.evidence_attached")
}

// CommitmentAttachmentDelete removes a file from the commitment page.
func (h *Handler) CommitmentAttachmentDelete(c *fiber.Ctx) error {
	return h.afterCommitmentEvidence(c, h.DeleteEvidence(c, commitmentTarget), "flash.evidence_removed")
}

func (h *Handler) afterCommitmentEvidence(c *fiber.Ctx, err error, done string) error {
	fe, other := h.EvidenceErrors(c, err)
	if other != nil {
		return other
	}
	if fe != nil {
		return h.commitmentPage(c, web.StatusOf(err), fe)
	}
	return h.RedirectWithFlash(c, "/commitments/"+c.Params("id")+"#evidence", done)
}

// CommitmentAttachment downloads a file attached to a commitment (browser and API).
func (h *Handler) CommitmentAttachment(c *fiber.Ctx) error {
	t, _, err := commitmentTarget(c)
	if err != nil {
		return err
	}
	return h.SendEvidenceFile(c, t)
}

// APICommitmentAttach is POST /api/v1/commitments/{id}/attachments.
func (h *Handler) APICommitmentAttach(c *fiber.Ctx) error {
	att, err := h.AttachEvidence(c, commitmentTarget)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(web.EvidenceJSON(att, web.PrincipalOf(c).User.Name))
}

// APICommitmentAttachments is GET /api/v1/commitments/{id}/attachments.
func (h *Handler) APICommitmentAttachments(c *fiber.Ctx) error {
	t, _, err := commitmentTarget(c)
	if err != nil {
		return err
	}
	return h.SendEvidenceList(c, t)
}

// APICommitmentAttachmentDelete is DELETE /api/v1/commitments/{id}/attachments/{aid}.
func (h *Handler) APICommitmentAttachmentDelete(c *fiber.Ctx) error {
	if err := h.DeleteEvidence(c, commitmentTarget); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
