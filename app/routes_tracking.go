package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/handlers"
	"pakt/models"
)

// PeriodParam scopes by the municipality owning the reporting period in the path.
func PeriodParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
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
func trackingRoutes(r *router, h *handlers.Handler) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	plan, measure, period := PlanParam("id"), MeasureParam("id"), PeriodParam("id")

	r.get("/plans/:id/tracking", InMunicipality(plan, viewer), h.TrackingPage)
	r.post("/plans/:id/periods", InMunicipality(plan, coord), h.PeriodCreate)
	r.post("/periods/:id/close", InMunicipality(period, coord), h.PeriodClose)
	r.post("/periods/:id/publish", InMunicipality(period, coord), h.ReportPublish)
	r.get("/measures/:id/progress/:period_id", InMunicipality(measure, viewer), h.ProgressForm)
	r.post("/measures/:id/progress/:period_id", InMunicipality(measure, member), h.ProgressSave)
	r.post("/measures/:id/progress/:period_id/submit", InMunicipality(measure, member), h.ProgressReview("submit"))
	r.post("/measures/:id/progress/:period_id/accept", InMunicipality(measure, coord), h.ProgressReview("accept"))
	r.post("/measures/:id/progress/:period_id/return", InMunicipality(measure, coord), h.ProgressReview("return"))
	r.get("/plans/:id/progress.csv", InMunicipality(plan, viewer), h.ProgressExportCSV)
	r.get("/plans/:id/budget-lines.csv", InMunicipality(plan, viewer), h.PlanCSV)
	r.get("/plans/:id/report.pdf", PublicIf(reportPublished, InMunicipality(plan, viewer)), h.ReportPDF)

	api := "/api/v1"
	r.post(api+"/action-plans/:id/reporting-periods", InMunicipality(plan, coord), h.APIPeriodCreate)
	r.get(api+"/action-plans/:id/reporting-periods", InMunicipality(plan, viewer), h.APIPeriodList)
	r.post(api+"/reporting-periods/:id/close", InMunicipality(period, coord), h.APIPeriodClose)
	r.get(api+"/measures/:id/progress/:period_id", InMunicipality(measure, viewer), h.APIProgressGet)
	r.put(api+"/measures/:id/progress/:period_id", InMunicipality(measure, member), h.APIProgressPut)
	r.post(api+"/measures/:id/progress/:period_id/submit", InMunicipality(measure, member), h.APIProgressReview("submit"))
	r.post(api+"/measures/:id/progress/:period_id/accept", InMunicipality(measure, coord), h.APIProgressReview("accept"))
	r.post(api+"/measures/:id/progress/:period_id/return", InMunicipality(measure, coord), h.APIProgressReview("return"))
	r.get(api+"/action-plans/:id/summary", InMunicipality(plan, viewer), h.APIPlanSummary)
	r.get(api+"/action-plans/:id/report.pdf", PublicIf(reportPublished, InMunicipality(plan, viewer)), h.ReportPDF)
	r.post(api+"/reports/:id/publish", InMunicipality(period, coord), h.APIReportPublish)
	r.get(api+"/action-plans/:id/progress.csv", InMunicipality(plan, viewer), h.ProgressExportCSV)
}
