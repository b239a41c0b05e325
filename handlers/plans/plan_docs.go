package plans

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/docs"
	"pakt/web"
)

// PlanPDF sends the plan as a PDF in ?lang= or the municipality's language.
func (h *Handler) PlanPDF(c *fiber.Ctx) error {
	r, err := h.scopedPlanRef(c)
	if err != nil {
		return err
	}
	return h.sendPlanPDF(c, r)
}

// sendPlanPDF sends the plan's PDF, rendered once per revision, language
// and base URL (printed in the footer).
func (h *Handler) sendPlanPDF(c *fiber.Ctx, r *planRef) error {
	out, err := h.Cache.Do(r.key("plan.pdf", h.DocLang(c), h.BaseURL), func() ([]byte, error) {
		p, err := r.plan()
		if err != nil {
			return nil, err
		}
		m, l := r.m, h.DocL(c, r.m)
		return h.RenderPDF(c, func() ([]byte, error) {
			return docs.Plan(l, docs.PlanInput{Plan: p, Municipality: m, OrgNames: r.names,
				VerifyURL: h.BaseURL + "/m/" + m.Slug + "/plans/" + web.Itoa(p.ID)})
		})
	})
	if err != nil {
		return err
	}
	return web.SendPDF(c, out, "plan-"+web.Itoa(r.id)+".pdf")
}

// PlanCSV exports measures with their budget lines.
func (h *Handler) PlanCSV(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	names, err := h.OrgNames(c, p.MunicipalityID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docs.PlanCSV(&buf, p, names); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="plan-`+web.Itoa(p.ID)+`-measures.csv"`)
	return c.Send(buf.Bytes())
}

// ConsultationReportPDF is the consultation annex for the assembly.
func (h *Handler) ConsultationReportPDF(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return err
	}
	comments, err := models.ListComments(ctx, h.DB, m.ID, p.ID, false)
	if err != nil {
		return err
	}
	out, err := h.RenderPDF(c, func() ([]byte, error) {
		return docs.ConsultationReport(h.DocL(c, m), docs.ConsultationInput{Plan: p, Municipality: m, Comments: comments})
	})
	if err != nil {
		return err
	}
	return web.SendPDF(c, out, "plan-"+web.Itoa(p.ID)+"-consultation.pdf")
}

// PublicPlanPDF is the PDF of a plan that is public (in consultation or adopted).
func (h *Handler) PublicPlanPDF(c *fiber.Ctx) error {
	_, r, _, err := h.publicPlanRef(c)
	if err != nil {
		return err
	}
	return h.sendPlanPDF(c, r)
}
