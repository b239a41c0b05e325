package handlers

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/docs"
	"pakt/views/pdf"
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
	out, err := h.Cache.Do(r.key("plan.pdf", h.docLang(c), h.BaseURL), func() ([]byte, error) {
		p, err := r.plan()
		if err != nil {
			return nil, err
		}
		m, l := r.m, h.docL(c, r.m)
		return h.renderPDF(c, func() ([]byte, error) {
			return docs.Plan(l, docs.PlanInput{Plan: p, Municipality: m, OrgNames: r.names,
				VerifyURL: h.BaseURL + "/m/" + m.Slug + "/plans/" + itoa(p.ID)})
		})
	})
	if err != nil {
		return err
	}
	return sendPDF(c, out, "plan-"+itoa(r.id)+".pdf")
}

// docLang is the ?lang= of a document when supported; "" stands for the
// municipality's own language (part of its content revision).
func (h *Handler) docLang(c *fiber.Ctx) string {
	if lang := c.Query("lang"); h.I18n.Supported(lang) {
		return lang
	}
	return ""
}

// renderPDF runs a PDF rendering through the gate that bounds how many
// documents are drawn at once (pdf.Renders, one per CPU). A request whose
// deadline passes while it waits for a slot is answered 503.
func (h *Handler) renderPDF(c *fiber.Ctx, render func() ([]byte, error)) ([]byte, error) {
	out, err := pdf.Renders.Do(c.UserContext(), render)
	if errors.Is(err, pdf.ErrBusy) {
		return nil, fmt.Errorf("%w: %w", fiber.ErrServiceUnavailable, err)
	}
	return out, err
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
	names, err := h.OrgNames(c, p.MunicipalityID)
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
	out, err := h.renderPDF(c, func() ([]byte, error) {
		return docs.ConsultationReport(h.docL(c, m), docs.ConsultationInput{Plan: p, Municipality: m, Comments: comments})
	})
	if err != nil {
		return err
	}
	return sendPDF(c, out, "plan-"+itoa(p.ID)+"-consultation.pdf")
}

// PublicPlanPDF is the PDF of a plan that is public (in consultation or adopted).
func (h *Handler) PublicPlanPDF(c *fiber.Ctx) error {
	_, r, _, err := h.publicPlanRef(c)
	if err != nil {
		return err
	}
	return h.sendPlanPDF(c, r)
}
