package sitan

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/docs"
	"pakt/views/pdf"
	"pakt/web"
)

// sitanPDF renders the report: baseline indicator table, groups ranked,
// findings, who contributed. The public PDF carries the disclosed counts;
// the registered one (reg set) also the seal: content hash, link, QR code.
func (h *Handler) sitanPDF(c *fiber.Ctx, r *sitanReport, footer string, reg *docs.Registration) ([]byte, error) {
	l := h.Localizer(c)
	date := r.S.UpdatedAt
	if r.S.PublishedAt != nil {
		date = *r.S.PublishedAt
	}
	if reg != nil {
		footer = reg.URL()
	}
	d := pdf.New(docs.Meta(l, "sitan", pdf.Options{Title: r.S.Title, Author: r.M.Name, Date: date, PageFormat: l.T("sitan.pdf.page"),
		FooterLeft: footer, HeaderRight: r.M.Name}))
	d.Title(r.S.Title)
	d.Subtitle(r.M.Name + " · " + l.T("sitan.report.subtitle", "Year", r.S.Year))
	status := l.T("sitan.status." + r.S.Status)
	if r.S.PublishedAt != nil {
		status += " · " + l.Date(*r.S.PublishedAt)
	}
	d.KeyValues([][2]string{{l.T("field.municipality"), r.M.Name}, {l.T("sitan.field.year"), fmt.Sprint(r.S.Year)},
		{l.T("sitan.field.status"), status},
		{l.T("sitan.report.answered"), l.T("sitan.report.answered_of", "Answered", r.Answered, "Asked", r.Asked)}})
	if reg != nil {
		d.Seal(docs.SealOf(l, "sitan", reg.ContentSHA256, reg.URL()))
	}
	sitanPDFIndicators(d, l, r)
	sitanPDFGroups(d, l, r)
	sitanPDFFindings(d, l, r)
	d.Heading(l.T("sitan.report.contributors"))
	if len(r.Contributors) == 0 {
		d.Paragraph(l.T("sitan.report.no_contributors"))
	} else {
		d.Paragraph(strings.Join(r.Contributors, "\n"))
	}
	return d.Bytes()
}

func sitanPDFIndicators(d *pdf.Doc, l *i18n.Localizer, r *sitanReport) {
	d.Heading(l.T("sitan.report.baseline"))
	if len(r.Indicators) == 0 {
		d.Paragraph(l.T("sitan.indicators.none"))
		return
	}
	t := pdf.Table{Columns: []pdf.Column{{Title: l.T("sitan.indicator"), Width: 3.8}, {Title: l.T("sitan.value"), Width: 1.6, Align: "R"},
		{Title: l.T("sitan.women"), Width: 1.3, Align: "R"}, {Title: l.T("sitan.men"), Width: 1.5, Align: "R"},
		{Title: l.T("sitan.sources"), Width: 3.6}}}
	for _, iv := range r.Indicators {
		var src []string
		for _, s := range iv.Sources {
			line := s.Name + ": " + s.Value
			if !s.Counted {
				line += " (" + l.T("sitan.not_added") + ")"
			}
			src = append(src, line)
		}
		name := iv.Name
		if iv.Conflict {
			name += " — " + l.T("sitan.conflict")
		}
		t.Rows = append(t.Rows, []string{name, iv.Value, iv.Women, iv.Men, strings.Join(src, "\n")})
	}
	d.Table(t)
	d.Note(l.T("sitan.indicators.rule"))
	if r.Public {
		d.Note(l.T("sitan.public.legend"))
	}
}

func sitanPDFGroups(d *pdf.Doc, l *i18n.Localizer, r *sitanReport) {
	d.Heading(l.T("sitan.groups.title"))
	if len(r.Groups) == 0 {
		d.Paragraph(l.T("sitan.groups.none"))
		return
	}
	t := pdf.Table{Columns: []pdf.Column{{Title: l.T("sitan.rank"), Width: 0.9, Align: "R"}, {Title: l.T("sitan.group"), Width: 2.6},
		{Title: l.T("sitan.estimated_size"), Width: 1.8, Align: "R"}, {Title: l.T("sitan.women"), Width: 1.3, Align: "R"},
		{Title: l.T("sitan.men"), Width: 1.5, Align: "R"}, {Title: l.T("sitan.barriers"), Width: 3.6}}}
	for _, g := range r.Groups {
		name := g.Name
		if g.Label != "" {
			name += ": " + g.Label
		}
		barriers := strings.Join(g.Barriers, ", ")
		if len(g.SpecificBarriers) > 0 {
			barriers += "\n" + strings.Join(g.SpecificBarriers, ", ")
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(g.Rank), name, g.Size, g.Women, g.Men, barriers})
	}
	d.Table(t)
}

func sitanPDFFindings(d *pdf.Doc, l *i18n.Localizer, r *sitanReport) {
	d.Heading(l.T("sitan.findings.title"))
	if len(r.Findings) == 0 {
		d.Paragraph(l.T("sitan.findings.none"))
		return
	}
	t := pdf.Table{Columns: []pdf.Column{{Title: l.T("sitan.ref"), Width: 0.8}, {Title: l.T("sitan.statement"), Width: 4.4},
		{Title: l.T("sitan.group"), Width: 2.3}, {Title: l.T("sitan.barrier"), Width: 1.9}, {Title: l.T("sitan.source"), Width: 2.2}}}
	for _, f := range r.Findings {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("F-%d", f.ID), f.Statement, f.Group, f.Barrier, f.From})
	}
	d.Table(t)
}

// sitanSendPDF answers a rendered PDF inline.
func sitanSendPDF(c *fiber.Ctx, name string, b []byte) error {
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+`"`)
	return c.Send(b)
}

// SitanPDF is the report as PDF for the municipality's people (exact counts).
func (h *Handler) SitanPDF(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	r, err := h.buildReport(c, m, s, false)
	if err != nil {
		return err
	}
	b, err := h.RenderPDF(c, func() ([]byte, error) {
		return h.sitanPDF(c, r, h.BaseURL+fmt.Sprintf("/situation-analyses/%d/report", s.ID), nil)
	})
	if err != nil {
		return err
	}
	return sitanSendPDF(c, fmt.Sprintf("situation-analysis-%d.pdf", s.ID), b)
}

// PublicSitanPDF is a published report as PDF, for anyone (disclosed
// counts): the registered document, drawn once.
func (h *Handler) PublicSitanPDF(c *fiber.Ctx) error {
	m, s, err := h.publishedSitan(c)
	if err != nil {
		return err
	}
	b, err := h.registeredSitanPDF(c, m, s.ID)
	if err != nil {
		return err
	}
	return sitanSendPDF(c, fmt.Sprintf("%s-situation-analysis-%d.pdf", m.Slug, s.ID), b)
}

// registeredSitanPDF returns the registered PDF of a published analysis,
// drawing it the first time: its public version in the municipality's
// language, with the seal.
func (h *Handler) registeredSitanPDF(c *fiber.Ctx, m *models.Municipality, id int64) ([]byte, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.PublishedSitanPDF(ctx, h.DB, m.ID, id, func(s *models.SituationAnalysis, sum string) ([]byte, error) {
		// The report is built in the request's language (buildReport,
		// sitanPDF): draw this one in the municipality's, then restore.
		lang := h.Localizer(c).Lang
		web.SetLang(c, m.Language)
		defer web.SetLang(c, lang)
		r, err := h.buildReport(c, m, s, true)
		if err != nil {
			return nil, err
		}
		return h.RenderPDF(c, func() ([]byte, error) {
			return h.sitanPDF(c, r, "", &docs.Registration{ContentSHA256: sum, BaseURL: h.BaseURL})
		})
	})
}

// RegisterPublished registers the analysis's PDF right after publication.
// The publication is committed; a failure here is retried by the next
// download.
func (h *Handler) RegisterPublished(c *fiber.Ctx, muniID, id int64) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err == nil {
		_, err = h.registeredSitanPDF(c, m, id)
	}
	if err != nil {
		h.Log.Error("registering the published analysis's PDF failed", "situation_analysis", id, "err", err.Error())
	}
}
