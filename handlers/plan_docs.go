package handlers

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/docs"
)

// PlanPDF sends the plan as a PDF in ?lang= or the municipality's language.
func (h *Handler) PlanPDF(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	return h.sendPlanPDF(c, p)
}

func (h *Handler) sendPlanPDF(c *fiber.Ctx, p *models.Plan) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return err
	}
	names, err := h.orgNames(c, m.ID)
	if err != nil {
		return err
	}
	out, err := docs.Plan(h.docL(c, m), docs.PlanInput{Plan: p, Municipality: m, OrgNames: names,
		VerifyURL: h.BaseURL + "/m/" + m.Slug + "/plans/" + itoa(p.ID)})
	if err != nil {
		return err
	}
	return sendPDF(c, out, "plan-"+itoa(p.ID)+".pdf")
}

func sendPDF(c *fiber.Ctx, out []byte, name string) error {
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+`"`)
	return c.Send(out)
}

// PlanCSV exports measures with their budget lines.
func (h *Handler) PlanCSV(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	names, err := h.orgNames(c, p.MunicipalityID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docs.PlanCSV(&buf, p, names); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="plan-`+itoa(p.ID)+`-measures.csv"`)
	return c.Send(buf.Bytes())
}

// ConsultationReportPDF is the consultation annex for the assembly.
func (h *Handler) ConsultationReportPDF(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return err
	}
	comments, err := models.ListComments(ctx, h.DB, m.ID, p.ID, false)
	if err != nil {
		return err
	}
	out, err := docs.ConsultationReport(h.docL(c, m), docs.ConsultationInput{Plan: p, Municipality: m, Comments: comments})
	if err != nil {
		return err
	}
	return sendPDF(c, out, "plan-"+itoa(p.ID)+"-consultation.pdf")
}

// PublicPlanPDF is the PDF of a plan that is public (in consultation or adopted).
func (h *Handler) PublicPlanPDF(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := models.GetPlan(ctx, h.DB, m.ID, id)
	if err != nil {
		return err
	}
	if p.Status == models.PlanDraft {
		return models.ErrNotFound
	}
	return h.sendPlanPDF(c, p)
}
