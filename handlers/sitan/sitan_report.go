package sitan

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// sitanReport is the readable report of an analysis: the baseline table,
// the groups ranked, the findings and who contributed. Public reports show
// counts below 5 as "<5" and hide cells that would give them away.
type sitanReport struct {
	M            *models.Municipality
	S            *models.SituationAnalysis
	Public       bool
	Indicators   []indicatorView
	Groups       []reportGroup
	Findings     []reportFinding
	Contributors []string
	Asked        int
	Answered     int
}

type reportGroup struct {
	ID                         int64
	Rank                       int
	Name, Label                string
	Size, Women, Men           string
	Barriers, SpecificBarriers []string
}

type reportFinding struct {
	ID                              int64
	Statement, Group, Barrier, From string
}

// sitanReportPage is the data of views/pages/sitan_report.html: the report
// and the address of its PDF.
type sitanReportPage struct {
	Report *sitanReport
	PDFURL string
}

// buildReport gathers and formats the report; public applies the disclosure rules.
func (h *Handler) buildReport(c *fiber.Ctx, m *models.Municipality, s *models.SituationAnalysis, public bool) (*sitanReport, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	vals, err := models.SitanIndicators(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return nil, err
	}
	groups, err := models.ListVulnerableGroups(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return nil, err
	}
	findings, err := models.ListFindings(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return nil, err
	}
	orgs, err := models.SitanContributors(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return nil, err
	}
	qs, err := models.ListQuestionnaires(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	r := &sitanReport{M: m, S: s, Public: public, Indicators: indicatorViews(l, vals), Groups: reportGroups(l, groups, public)}
	if public {
		r.Indicators = publicIndicators(l, vals)
	}
	for _, f := range findings {
		r.Findings = append(r.Findings, reportFinding{f.ID, f.Statement, l.T("sitan.group." + f.Group),
			l.T("sitan.barrier." + f.Barrier), f.SourceName})
	}
	for _, o := range orgs {
		r.Contributors = append(r.Contributors, o.Name)
	}
	p := sitanProgress(qs)
	r.Asked, r.Answered = p.Asked, p.Answered
	return r, nil
}

// sitanCell writes a cell: its band on public pages ("<5", "10–14"; package
// disclosure), the value on internal ones, "—" when not recorded.
func sitanCell(l *i18n.Localizer, c models.PublicCell) string { return c.Text(l.Int) }

// publicIndicators discloses each indicator as one row: value, women, men
// and the counted sources (which add up to the value); the open-data API
// uses the same models.DiscloseIndicator.
func publicIndicators(l *i18n.Localizer, vals []models.IndicatorValue) []indicatorView {
	out := indicatorViews(l, vals)
	for i, v := range vals {
		head, sources := models.DiscloseIndicator(v)
		out[i].Value, out[i].Women, out[i].Men = sitanCell(l, head[0]), sitanCell(l, head[1]), sitanCell(l, head[2])
		for j := range v.Values {
			out[i].Sources[j].Value = sitanCell(l, sources[j])
		}
	}
	return out
}

func reportGroups(l *i18n.Localizer, groups []models.VulnerableGroup, public bool) []reportGroup {
	out := make([]reportGroup, 0, len(groups))
	for i, g := range groups {
		rg := reportGroup{ID: g.ID, Rank: i + 1, Name: l.T("sitan.group." + g.Group), Label: g.Label}
		d := models.DiscloseGroupSize(g)
		cells := d[:]
		if !public {
			cells = []models.PublicCell{models.ExactCell(int64(g.EstimatedSize)), models.ExactCell(sitanIntMissing(g.Women)),
				models.ExactCell(sitanIntMissing(g.Men))}
		}
		rg.Size, rg.Women, rg.Men = sitanCell(l, cells[0]), sitanCell(l, cells[1]), sitanCell(l, cells[2])
		for _, b := range g.Barriers {
			rg.Barriers = append(rg.Barriers, l.T("sitan.barrier."+b))
		}
		for _, b := range g.SpecificBarriers {
			rg.SpecificBarriers = append(rg.SpecificBarriers, l.T("sitan.sbarrier."+b))
		}
		out = append(out, rg)
	}
	return out
}

func sitanIntMissing(p *int) int64 {
	if p == nil {
		return -1
	}
	return int64(*p)
}

// SitanReport is the readable report for the municipality's people, with
// exact numbers (a preview until published).
func (h *Handler) SitanReport(c *fiber.Ctx) error {
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
	return h.Render(c, 200, "sitan_report", "sitan.report", sitanReportPage{Report: r,
		PDFURL: fmt.Sprintf("/situation-analyses/%d/report.pdf", s.ID)})
}

// publishedSitan finds a published analysis by municipality slug and :sid;
// anything else is 404 to the public.
func (h *Handler) publishedSitan(c *fiber.Ctx) (*models.Municipality, *models.SituationAnalysis, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return nil, nil, err
	}
	id, err := web.ParamID(c, "sid")
	if err != nil {
		return nil, nil, err
	}
	s, err := models.GetSitan(ctx, h.DB, m.ID, id)
	if err == nil && !s.Published() {
		err = models.ErrNotFound
	}
	return m, s, err
}

// PublicSitan is a published report on the municipality's public page.
func (h *Handler) PublicSitan(c *fiber.Ctx) error {
	m, s, err := h.publishedSitan(c)
	if err != nil {
		return err
	}
	r, err := h.buildReport(c, m, s, true)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "sitan_report", "sitan.report", sitanReportPage{Report: r,
		PDFURL: fmt.Sprintf("/m/%s/situation-analyses/%d/report.pdf", m.Slug, s.ID)})
}
