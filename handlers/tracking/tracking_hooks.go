package tracking

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// ReportTasks lists progress reports the user's organisation owes.
func (h *Handler) ReportTasks(c *fiber.Ctx) ([]web.Task, error) {
	p := web.PrincipalOf(c)
	if p.User.OrganisationID == nil {
		return nil, nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	due, err := models.ReportsDueFor(ctx, h.DB, p.User.ID, *p.User.OrganisationID)
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	var out []web.Task
	for _, d := range due {
		kind := "task.report"
		if d.Review == "returned" {
			kind = "task.report_returned"
		}
		out = append(out, web.Task{Kind: kind, Title: d.MeasureCode + " " + d.Title + " · " + d.PeriodLabel,
			Link: "/measures/" + web.Itoa(d.MeasureID) + "/progress/" + web.Itoa(d.PeriodID), Due: l.Date(d.DueDate.Time),
			Late: d.DueDate.Before(models.Today().Time)})
	}
	return out, nil
}

// PlanPublic lists public plans (in consultation or adopted) and published reports.
func (h *Handler) PlanPublic(c *fiber.Ctx, muniID int64) (*web.PublicSection, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	plans, err := models.ListPlans(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	reports, err := models.PublishedReports(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	s := &web.PublicSection{Title: l.T("public.plans_reports")}
	for _, p := range plans {
		if p.Status != models.PlanDraft && p.Status != models.PlanSubmitted {
			s.Items = append(s.Items, web.PublicLink{Text: p.Title, Own: true, Link: "/m/" + m.Slug + "/plans/" + web.Itoa(p.ID), Note: l.T("plandoc.status." + p.Status)})
		}
	}
	for _, r := range reports {
		s.Items = append(s.Items, web.PublicLink{Prefix: l.T("public.progress_report"), Text: r.PlanTitle + " — " + r.PeriodLabel, Own: true,
			Link: "/api/v1/action-plans/" + web.Itoa(r.PlanID) + "/report.pdf?period_id=" + web.Itoa(r.PeriodID),
			Note: "PDF · SHA-256 " + r.SHA256})
	}
	return s, nil
}
