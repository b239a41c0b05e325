package agreements

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// AgreementTasks lists agreements waiting for the user's signature.
func (h *Handler) AgreementTasks(c *fiber.Ctx) ([]web.Task, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	pending, err := models.PendingSignatures(ctx, h.DB, web.PrincipalOf(c).User.ID)
	if err != nil {
		return nil, err
	}
	var out []web.Task
	for _, p := range pending {
		out = append(out, web.Task{Kind: "task.sign", Title: p.Title, Link: "/agreements/" + web.Itoa(p.AgreementID)})
	}
	return out, nil
}

// AgreementPublic lists a municipality's agreements in force for its public
// page, each linking to its public verification page.
func (h *Handler) AgreementPublic(c *fiber.Ctx, muniID int64) (*web.PublicSection, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	rows, err := models.InForceAgreements(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	s := &web.PublicSection{Title: l.T("public.agreements")}
	for _, r := range rows {
		s.Items = append(s.Items, web.PublicLink{Text: r.Title, Own: true, Link: "/verify/" + r.SHA256,
			Note: l.T("level."+r.Level) + " · " + l.T("agreement.version_no", "N", r.VersionNo)})
	}
	return s, nil
}

// CommitmentTasks lists, on the dashboard, the overdue commitments the
// user's organisation is responsible for.
func (h *Handler) CommitmentTasks(c *fiber.Ctx) ([]web.Task, error) {
	p := web.PrincipalOf(c)
	if p.User.OrganisationID == nil {
		return nil, nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	late, err := models.OverdueCommitmentsFor(ctx, h.DB, p.User.ID, *p.User.OrganisationID, models.Today())
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	out := make([]web.Task, 0, len(late))
	for _, cm := range late {
		out = append(out, web.Task{Kind: "task.commitment_overdue", Title: cm.Action,
			Link: "/agreements/" + web.Itoa(cm.AgreementID), Due: l.Date(cm.DueDate.Time), Late: true})
	}
	return out, nil
}
