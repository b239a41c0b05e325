package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

// PeriodParam scopes by the municipality owning the reporting period in the path.
func PeriodParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfPeriod(c.UserContext(), db, id)
	}
}

// reportPublished says whether ?period_id= names a published period of the
// plan in the path: then its report is public.
func reportPublished(c *fiber.Ctx, db *gorm.DB) bool {
	var n int64
	db.WithContext(c.UserContext()).Table("reporting_periods").
		Where("id = ? AND plan_id = ? AND published_at IS NOT NULL", c.Query("period_id"), c.Params("id")).Count(&n)
	return n > 0
}

// trackingRoutes are the implementation-tracking routes (API.md "Implementation tracking and reports").
// Writing a report needs membership; the model checks the caller's
// organisation leads or partners the measure (403 otherwise).
func trackingRoutes(r *router, h *Handlers) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	plan, measure, period := PlanParam("id"), MeasureParam("id"), PeriodParam("id")

	r.get("/plans/:id/tracking", InMunicipality(plan, viewer), h.Tracking.TrackingPage)
	r.post("/plans/:id/periods", InMunicipality(plan, coord), h.Tracking.PeriodCreate)
	r.post("/periods/:id/close", InMunicipality(period, coord), h.Tracking.PeriodClose)
	r.post("/periods/:id/publish", InMunicipality(period, coord), h.Tracking.ReportPublish)
	r.get("/measures/:id/progress/:period_id", InMunicipality(measure, viewer), h.Tracking.ProgressForm)
	r.post("/measures/:id/progress/:period_id", InMunicipality(measure, member), h.Tracking.ProgressSave)
	r.post("/measures/:id/progress/:period_id/submit", InMunicipality(measure, member), h.Tracking.ProgressReview("submit"))
	r.post("/measures/:id/progress/:period_id/accept", InMunicipality(measure, coord), h.Tracking.ProgressReview("accept"))
	r.post("/measures/:id/progress/:period_id/return", InMunicipality(measure, coord), h.Tracking.ProgressReview("return"))
	r.get("/plans/:id/progress.csv", InMunicipality(plan, viewer), h.Tracking.ProgressExportCSV)
	r.get("/plans/:id/budget-lines.csv", InMunicipality(plan, viewer), h.Plans.PlanCSV)
	r.get("/plans/:id/report.pdf", PublicIf(reportPublished, InMunicipality(plan, viewer)), h.Tracking.ReportPDF)
	// Progress by workbook (issue #18): members download and upload the
	// rows they may report on; the model refuses any other row.
	r.get("/periods/:id/progress.xlsx", InMunicipality(period, member), h.Tracking.ProgressWorkbook)
	r.post("/periods/:id/progress.xlsx", InMunicipality(period, member), h.Tracking.ProgressUpload)
	r.get("/plans/:id/progress.xlsx", InMunicipality(plan, viewer), h.Tracking.ProgressTableXLSX)

	api := "/api/v1"
	r.post(api+"/action-plans/:id/reporting-periods", InMunicipality(plan, coord), h.Tracking.APIPeriodCreate)
	r.get(api+"/action-plans/:id/reporting-periods", InMunicipality(plan, viewer), h.Tracking.APIPeriodList)
	r.post(api+"/reporting-periods/:id/close", InMunicipality(period, coord), h.Tracking.APIPeriodClose)
	r.get(api+"/measures/:id/progress/:period_id", InMunicipality(measure, viewer), h.Tracking.APIProgressGet)
	r.put(api+"/measures/:id/progress/:period_id", InMunicipality(measure, member), h.Tracking.APIProgressPut)
	r.post(api+"/measures/:id/progress/:period_id/submit", InMunicipality(measure, member), h.Tracking.APIProgressReview("submit"))
	r.post(api+"/measures/:id/progress/:period_id/accept", InMunicipality(measure, coord), h.Tracking.APIProgressReview("accept"))
	r.post(api+"/measures/:id/progress/:period_id/return", InMunicipality(measure, coord), h.Tracking.APIProgressReview("return"))
	r.get(api+"/action-plans/:id/summary", InMunicipality(plan, viewer), h.Tracking.APIPlanSummary)
	r.get(api+"/action-plans/:id/report.pdf", PublicIf(reportPublished, InMunicipality(plan, viewer)), h.Tracking.ReportPDF)
	r.post(api+"/reports/:id/publish", InMunicipality(period, coord), h.Tracking.APIReportPublish)
	r.get(api+"/action-plans/:id/progress.csv", InMunicipality(plan, viewer), h.Tracking.ProgressExportCSV)
	r.get(api+"/reporting-periods/:id/progress.xlsx", InMunicipality(period, member), h.Tracking.ProgressWorkbook)
	r.put(api+"/reporting-periods/:id/progress.xlsx", InMunicipality(period, member), h.Tracking.APIProgressUpload)
	r.get(api+"/action-plans/:id/progress.xlsx", InMunicipality(plan, viewer), h.Tracking.ProgressTableXLSX)
}
