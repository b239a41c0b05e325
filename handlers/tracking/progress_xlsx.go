package tracking

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/xlsx"
	"pakt/web"
)

// Progress reports by workbook (issue #18): a partner downloads the
// period's workbook, fills it in offline (Excel, LibreOffice) and uploads
// it in the browser or through the API; every bad cell is named, and
// nothing is saved unless every row can be.

// progressUploadPage is the data of views/pages/progress_upload.html: the
// upload form again, with every refused cell next to it.
type progressUploadPage struct {
	web.FormState
	Period   *models.Period
	Plan     *models.Plan
	Problems []xlsx.Problem
	Status   int
}

// ProgressWorkbook sends the period's workbook: a row per measure the
// caller may report on, pre-filled with what is saved.
func (h *Handler) ProgressWorkbook(c *fiber.Ctx) error {
	per, err := h.scopedPeriod(c)
	if err != nil {
		return err
	}
	book, muni, err := h.progressBook(c, per)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsx.WriteProgress(&buf, h.Localizer(c), h.I18n.For(muni.Language), book); err != nil {
		return err
	}
	return sendXLSX(c, buf.Bytes(), "progress-"+web.Itoa(per.PlanID)+"-"+web.Itoa(per.ID)+".xlsx")
}

// progressBook gathers the measures the caller may report on and their reports.
func (h *Handler) progressBook(c *fiber.Ctx, per *models.Period) (xlsx.ProgressBook, *models.Municipality, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s := web.ScopeOf(c)
	b := xlsx.ProgressBook{Period: per}
	muni, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return b, nil, err
	}
	if b.Plan, err = models.GetPlan(ctx, h.DB, s.MunicipalityID, per.PlanID); err != nil {
		return b, nil, err
	}
	if b.Reports, err = models.PeriodProgress(ctx, h.DB, s.MunicipalityID, per.ID); err != nil {
		return b, nil, err
	}
	org, coord := web.PrincipalOf(c).User.OrganisationID, s.Role == models.RoleCoordinator
	for _, m := range b.Plan.Measures {
		if models.ReporterRights(&m, org, coord) {
			b.Measures = append(b.Measures, m)
		}
	}
	b.Currency = muni.Currency
	b.OrgNames, err = h.OrgNames(c, s.MunicipalityID)
	return b, muni, err
}

// scopedPeriod loads the :id reporting period inside the policy's municipality.
func (h *Handler) scopedPeriod(c *fiber.Ctx) (*models.Period, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetPeriod(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// APIProgressUpload is PUT /api/v1/reporting-periods/{id}/progress.xlsx:
// 200 {updated, unchanged}; 422 with a field per bad cell; 403 for a row
// the caller may not report on; 409 for a closed period.
func (h *Handler) APIProgressUpload(c *fiber.Ctx) error {
	res, err := h.uploadProgress(c, c.Body())
	var refused *xlsx.Refused
	if errors.As(err, &refused) {
		return h.SendFields(c, refused.Status, refused.Fields)
	}
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// ProgressUpload handles the upload form of the tracking page.
func (h *Handler) ProgressUpload(c *fiber.Ctx) error {
	body, err := formWorkbook(c)
	var res models.BatchResult
	if err == nil {
		res, err = h.uploadProgress(c, body)
	}
	var refused *xlsx.Refused
	if errors.As(err, &refused) {
		return h.progressUploadPage(c, refused)
	}
	if err != nil {
		return err
	}
	per, err := h.scopedPeriod(c)
	if err != nil {
		return err
	}
	flash := "xlsx.flash.saved"
	if res.Updated == 0 {
		flash = "xlsx.flash.unchanged"
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(per.PlanID)+"/tracking", flash)
}

// formWorkbook reads the "workbook" file of an upload form.
func formWorkbook(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("workbook")
	if err != nil || fh.Size == 0 {
		return nil, &xlsx.Refused{Status: http.StatusUnprocessableEntity, Fields: map[string]string{xlsx.WorkbookField: "xlsx.error.no_file"}}
	}
	if fh.Size > xlsx.MaxUploadBytes {
		return nil, xlsx.AsRefused(models.TooLarge(xlsx.WorkbookField, "xlsx.error.too_large"))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, xlsx.MaxUploadBytes+1))
}

func (h *Handler) progressUploadPage(c *fiber.Ctx, refused *xlsx.Refused) error {
	per, err := h.scopedPeriod(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	p, err := models.GetPlan(ctx, h.DB, per.MunicipalityID, per.PlanID)
	if err != nil {
		return err
	}
	problems := xlsx.Describe(h.Localizer(c), refused.Fields, xlsx.ReportsSheet, xlsx.SpendingSheet, xlsx.IndicatorsSheet)
	return h.Render(c, refused.Status, "progress_upload", "xlsx.upload.title", progressUploadPage{Period: per, Plan: p,
		Problems: problems, Status: refused.Status})
}

// uploadProgress reads a workbook and saves it through the model, all or
// nothing. Refusals about the workbook come back as *xlsx.Refused.
func (h *Handler) uploadProgress(c *fiber.Ctx, body []byte) (models.BatchResult, error) {
	per, err := h.scopedPeriod(c)
	if err != nil {
		return models.BatchResult{}, err
	}
	if per.Status == "closed" { // whatever the body holds
		return models.BatchResult{}, xlsx.AsRefused(&models.StateError{Key: "error.period_closed"})
	}
	up, err := xlsx.ReadProgress(h.I18n, body, per.ID)
	if err != nil {
		return models.BatchResult{}, xlsx.AsRefused(err)
	}
	rows := make([]models.ProgressRow, len(up.Rows))
	for i, r := range up.Rows {
		it := up.Stamp.Item(r.MeasureID)
		rows[i] = models.ProgressRow{MeasureID: r.MeasureID, Version: it.Version, Print: it.Print, In: r.In}
	}
	s := web.ScopeOf(c)
	// Every changed row is saved by SaveProgress (about ten statements):
	// a 200-row workbook takes longer than one statement's PAKT_DB_TIMEOUT,
	// so the batch is bounded by the request's own time limit.
	ctx, cancel := h.Ctx(c)
	if h.RequestTimeout > h.DBTimeout {
		cancel()
		ctx, cancel = context.WithTimeout(c.UserContext(), h.RequestTimeout)
	}
	defer cancel()
	res, err := models.SaveProgressRows(ctx, h.DB, web.Actor(c), s.MunicipalityID, per.ID, rows,
		web.PrincipalOf(c).User.OrganisationID, s.Role == models.RoleCoordinator)
	return res, progressRefusal(up, err)
}

// progressRefusal names the cells of the rows the model refused.
func progressRefusal(up *xlsx.ProgressUpload, err error) error {
	var batch *models.BatchError
	if !errors.As(err, &batch) {
		return xlsx.AsRefused(err)
	}
	out := &xlsx.Refused{Fields: map[string]string{}}
	for _, re := range batch.Rows {
		row := up.Rows[re.Row]
		var ve *models.ValidationError
		if errors.As(re.Err, &ve) {
			for field, key := range ve.Fields {
				out.Fields[row.Cell(field)] = key
			}
			out.Status = xlsx.Graver(out.Status, http.StatusUnprocessableEntity)
			continue
		}
		key, status := xlsx.RowRefusal(re.Err)
		if status == 0 {
			return re.Err
		}
		out.Fields[row.Ref], out.Status = key, xlsx.Graver(out.Status, status)
	}
	return out
}

// sendXLSX sends a workbook as a download.
func sendXLSX(c *fiber.Ctx, body []byte, name string) error {
	c.Set(fiber.HeaderContentType, xlsx.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(body)
}

// ProgressTableXLSX is the progress table (every period and measure) as a
// workbook with real numbers and dates, like progress.csv.
func (h *Handler) ProgressTableXLSX(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return err
	}
	periods, reports, err := models.PlanProgress(ctx, h.DB, p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	in := xlsx.ProgressTable{Plan: p, Periods: periods, Reports: reports, Currency: muni.Currency}
	if err := xlsx.WriteProgressTable(&buf, h.Localizer(c), h.I18n.For(muni.Language), in); err != nil {
		return err
	}
	return sendXLSX(c, buf.Bytes(), "plan-"+web.Itoa(p.ID)+"-progress.xlsx")
}
