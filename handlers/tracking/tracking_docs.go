package tracking

import (
	"bytes"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/docs"
	"pakt/web"
)

// PlanExportCSV is measures with planned and spent per source (API.md export.csv).
func (h *Handler) PlanExportCSV(c *fiber.Ctx) error {
	return h.planCSV(c, "execution", func(w io.Writer, p *models.Plan, _ []models.Period, r map[int64]map[int64]*models.Progress,
		opts ...docs.CSVOption) error {
		return docs.ExecutionCSV(w, p, r, opts...)
	})
}

// ProgressExportCSV is progress per measure and period.
func (h *Handler) ProgressExportCSV(c *fiber.Ctx) error {
	return h.planCSV(c, "progress", docs.ProgressCSV)
}

func (h *Handler) planCSV(c *fiber.Ctx, name string, write func(io.Writer, *models.Plan, []models.Period,
	map[int64]map[int64]*models.Progress, ...docs.CSVOption) error) error {
	sep, err := web.CSVSeparator(c)
	if err != nil {
		return err
	}
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	periods, reports, err := models.PlanProgress(ctx, h.DB, p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(&buf, p, periods, reports, docs.Separator(sep)); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="plan-`+web.Itoa(p.ID)+`-`+name+`.csv"`)
	return c.Send(buf.Bytes())
}

// ReportPDF is the assembly progress report of a period: the registered
// document once published (public), a fresh one before (members only —
// the route's policy lets the public through only for published periods).
// Both are cached per municipality revision: the fresh one also per
// language, report date (today) and base URL, which it prints.
func (h *Handler) ReportPDF(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	periodID, err := periodQuery(c)
	if err != nil || periodID == nil {
		return models.Invalid("period_id", "validation.period")
	}
	muni, err := models.MunicipalityOfPlan(ctx, h.DB, id)
	if err != nil {
		return err
	}
	// The revision first, then the period and everything the report shows.
	now := time.Now()
	scope, err := h.MuniKey(c, "report", muni, id, *periodID)
	if err != nil {
		return err
	}
	per, err := models.GetPeriod(ctx, h.DB, muni, *periodID)
	if err != nil || per.PlanID != id {
		return models.ErrNotFound
	}
	if per.PublishedAt != nil {
		out, err := h.Cache.Do(web.CacheKey("report.published", scope), func() ([]byte, error) {
			return models.PublishedReport(ctx, h.DB, per.ID)
		})
		if err != nil {
			return err
		}
		return web.SendPDF(c, out, "report-"+web.Itoa(id)+"-"+web.Itoa(per.ID)+".pdf")
	}
	draftKey := web.CacheKey("report.draft", scope, h.DocLang(c), now.UTC().Format(time.DateOnly), h.BaseURL)
	out, err := h.Cache.Do(draftKey, func() ([]byte, error) {
		return h.renderReport(c, muni, per, false, now)
	})
	if err != nil {
		return err
	}
	return web.SendPDF(c, out, "report-"+web.Itoa(id)+"-"+web.Itoa(per.ID)+"-draft.pdf")
}

// renderReport draws the assembly report of a period.
func (h *Handler) renderReport(c *fiber.Ctx, muniID int64, per *models.Period, public bool, date time.Time) ([]byte, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	p, err := models.GetPlan(ctx, h.DB, muniID, per.PlanID)
	if err != nil {
		return nil, err
	}
	summary, err := models.PlanSummaryOf(ctx, h.DB, muniID, p.ID, &per.ID)
	if err != nil {
		return nil, err
	}
	progress, err := models.PeriodProgress(ctx, h.DB, muniID, per.ID)
	if err != nil {
		return nil, err
	}
	agreements, err := models.ListAgreements(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	names, err := h.OrgNames(c, muniID)
	if err != nil {
		return nil, err
	}
	in := docs.ReportInput{Plan: p, Municipality: m, Period: per, Summary: summary, Progress: progress,
		OrgNames: names, Agreements: agreements, VerifyURL: h.BaseURL + "/m/" + m.Slug, Date: date.UTC().Truncate(time.Second), Suppress: public}
	if per.ContentSHA256 != "" {
		// Publishing: the registered report prints its content hash.
		in.Registered = &docs.Registration{ContentSHA256: per.ContentSHA256, BaseURL: h.BaseURL}
	}
	l := h.DocL(c, m)
	return h.RenderPDF(c, func() ([]byte, error) { return docs.Report(l, in) })
}

// publish freezes the period's report: rendered once for the public (small
// counts suppressed) with the seal of its content hash, registered by hash.
func (h *Handler) publish(c *fiber.Ctx) (*models.Period, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	return models.PublishReport(ctx, h.DB, web.Actor(c), muni, id, func(per *models.Period) ([]byte, error) {
		return h.renderReport(c, muni, per, true, time.Now())
	})
}

// ReportPublish handles the publish button of the tracking page.
func (h *Handler) ReportPublish(c *fiber.Ctx) error {
	per, err := h.publish(c)
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(per.PlanID)+"/tracking", "flash.report_published")
}

// APIReportPublish is POST /api/v1/reports/{period_id}/publish.
func (h *Handler) APIReportPublish(c *fiber.Ctx) error {
	per, err := h.publish(c)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, per.Version, per)
}
