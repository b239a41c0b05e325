package plans

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/docs"
	"pakt/web"
)

// PlanPDF sends the plan as a PDF: an adopted (or since superseded) plan's
// registered document, else a working copy in ?lang= or the municipality's
// language.
func (h *Handler) PlanPDF(c *fiber.Ctx) error {
	r, err := h.scopedPlanRef(c)
	if err != nil {
		return err
	}
	st, err := r.state()
	if err != nil {
		return err
	}
	return h.sendPlanPDF(c, r, st.Status)
}

// sendPlanPDF sends the plan's PDF. The registered document of an adopted
// plan is drawn once and kept (models.AdoptedPlanPDF); a working copy is
// rendered once per revision, language and base URL (printed in the footer).
func (h *Handler) sendPlanPDF(c *fiber.Ctx, r *planRef, status string) error {
	name := "plan-" + web.Itoa(r.id) + ".pdf"
	if status == models.PlanAdopted || status == models.PlanSuperseded {
		out, err := h.Cache.Do(r.key("plan.registered"), func() ([]byte, error) { return h.registeredPlanPDF(c, r.muniID, r.id) })
		if err != nil {
			return err
		}
		return web.SendPDF(c, out, name)
	}
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
	return web.SendPDF(c, out, name)
}

// registeredPlanPDF returns the adopted plan's registered document, drawing
// it the first time: in the municipality's language, with the content hash,
// link and QR code of its verification page.
func (h *Handler) registeredPlanPDF(c *fiber.Ctx, muniID, id int64) ([]byte, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	names, err := h.OrgNames(c, muniID)
	if err != nil {
		return nil, err
	}
	l := h.I18n.For(m.Language)
	return models.AdoptedPlanPDF(ctx, h.DB, muniID, id, func(p *models.Plan, sum string) ([]byte, error) {
		return h.RenderPDF(c, func() ([]byte, error) {
			return docs.Plan(l, docs.PlanInput{Plan: p, Municipality: m, OrgNames: names,
				Registered: &docs.Registration{ContentSHA256: sum, BaseURL: h.BaseURL}})
		})
	})
}

// RegisterAdopted registers the plan's PDF right after its adoption, so the
// document shows the plan as adopted (organisation names included). The
// adoption is committed; a failure here is retried by the next download.
func (h *Handler) RegisterAdopted(c *fiber.Ctx, muniID, id int64) {
	if _, err := h.registeredPlanPDF(c, muniID, id); err != nil {
		h.Log.Error("registering the adopted plan's PDF failed", "plan", id, "err", err.Error())
	}
}

// PlanCSV exports measures with their budget lines.
func (h *Handler) PlanCSV(c *fiber.Ctx) error {
	sep, err := web.CSVSeparator(c)
	if err != nil {
		return err
	}
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	names, err := h.OrgNames(c, p.MunicipalityID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docs.PlanCSV(&buf, p, names, docs.Separator(sep)); err != nil {
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
	_, r, p, err := h.publicPlanRef(c)
	if err != nil {
		return err
	}
	return h.sendPlanPDF(c, r, p.Status)
}
