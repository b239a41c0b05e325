package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

// PlanParam scopes by the municipality owning the action plan in the path.
func PlanParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfPlan(c.UserContext(), db, id)
	}
}

// MeasureParam scopes by the municipality owning the measure in the path.
func MeasureParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfMeasure(c.UserContext(), db, id)
	}
}

// CommentParam scopes by the municipality owning the comment in the path.
func CommentParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfComment(c.UserContext(), db, id)
	}
}

// planRoutes are the Municipal Action Plan routes (API.md "Municipal action plans").
func planRoutes(r *router, h *Handlers) {
	coord, viewer := models.RoleCoordinator, models.RoleViewer
	muni, plan, measure, comment := MuniParam("id"), PlanParam("id"), MeasureParam("id"), CommentParam("id")

	r.get("/municipalities/:id/plans", InMunicipality(muni, viewer), h.Plans.PlanList)
	r.post("/municipalities/:id/plans", InMunicipality(muni, coord), h.Plans.PlanCreate)
	r.get("/plans/:id", InMunicipality(plan, viewer), h.Plans.PlanShow)
	r.get("/plans/:id/timeline.svg", InMunicipality(plan, viewer), h.Plans.PlanTimeline)
	r.post("/plans/:id", InMunicipality(plan, coord), h.Plans.PlanUpdate)
	r.post("/plans/:id/objectives", InMunicipality(plan, coord), h.Plans.ObjectiveCreate)
	r.get("/plans/:id/measures/new", InMunicipality(plan, coord), h.Plans.MeasureNew)
	r.post("/plans/:id/measures", InMunicipality(plan, coord), h.Plans.MeasureCreate)
	r.get("/measures/:id/edit", InMunicipality(measure, coord), h.Plans.MeasureEdit)
	r.post("/measures/:id", InMunicipality(measure, coord), h.Plans.MeasureUpdate)
	r.post("/measures/:id/delete", InMunicipality(measure, coord), h.Plans.MeasureDelete)
	r.post("/plans/:id/consultation", InMunicipality(plan, coord), h.Plans.PlanConsultation)
	r.post("/plans/:id/submit", InMunicipality(plan, coord), h.Plans.PlanSubmit)
	r.post("/plans/:id/adoption", InMunicipality(plan, coord), h.Plans.PlanAdoption)
	r.post("/plans/:id/return", InMunicipality(plan, coord), h.Plans.PlanReturn)
	r.post("/plans/:id/revise", InMunicipality(plan, coord), h.Plans.PlanRevise)
	r.get("/plans/:id/pdf", InMunicipality(plan, viewer), h.Plans.PlanPDF)
	r.get("/plans/:id/export.csv", InMunicipality(plan, viewer), h.Tracking.PlanExportCSV)
	r.get("/plans/:id/export.xlsx", InMunicipality(plan, viewer), h.Plans.PlanXLSX)
	r.get("/plans/:id/consultation-report", InMunicipality(plan, viewer), h.Plans.ConsultationReport)
	r.get("/plans/:id/consultation-report.pdf", InMunicipality(plan, viewer), h.Plans.ConsultationReportPDF)
	r.post("/comments/:id/moderate", InMunicipality(comment, coord), h.Plans.CommentModerate)
	r.post("/comments/:id/response", InMunicipality(comment, coord), h.Plans.CommentRespond)
	r.get("/m/:slug/plans/:id", Public, h.Plans.PublicPlan)
	r.get("/m/:slug/plans/:id/timeline.svg", Public, h.Plans.PublicPlanTimeline)
	r.get("/m/:slug/plans/:id/pdf", Public, h.Plans.PublicPlanPDF)
	r.post("/m/:slug/plans/:id/comments", Public, h.Plans.PublicComment)

	api := "/api/v1"
	r.get(api+"/municipalities/:id/action-plans", InMunicipality(muni, viewer), h.Plans.APIPlanList)
	r.post(api+"/municipalities/:id/action-plans", InMunicipality(muni, coord), h.Plans.APIPlanCreate)
	r.get(api+"/action-plans/:id", InMunicipality(plan, viewer), h.Plans.APIPlanGet)
	r.patch(api+"/action-plans/:id", InMunicipality(plan, coord), h.Plans.APIPlanUpdate)
	r.post(api+"/action-plans/:id/objectives", InMunicipality(plan, coord), h.Plans.APIObjectiveCreate)
	r.post(api+"/action-plans/:id/measures", InMunicipality(plan, coord), h.Plans.APIMeasureCreate)
	r.get(api+"/measures/:id", InMunicipality(measure, viewer), h.Plans.APIMeasureGet)
	r.patch(api+"/measures/:id", InMunicipality(measure, coord), h.Plans.APIMeasureUpdate)
	r.delete(api+"/measures/:id", InMunicipality(measure, coord), h.Plans.APIMeasureDelete)
	r.post(api+"/action-plans/:id/consultation", InMunicipality(plan, coord), h.Plans.APIPlanConsultation)
	r.post(api+"/public/action-plans/:id/comments", Public, h.Plans.APIPublicComment)
	r.get(api+"/action-plans/:id/comments", InMunicipality(plan, viewer), h.Plans.APIPlanComments)
	r.post(api+"/comments/:id/response", InMunicipality(comment, coord), h.Plans.APICommentResponse)
	r.post(api+"/comments/:id/moderation", InMunicipality(comment, coord), h.Plans.APICommentModerate)
	r.post(api+"/action-plans/:id/submit", InMunicipality(plan, coord), h.Plans.APIPlanSubmit)
	r.post(api+"/action-plans/:id/adoption", InMunicipality(plan, coord), h.Plans.APIPlanAdoption)
	r.post(api+"/action-plans/:id/return", InMunicipality(plan, coord), h.Plans.APIPlanReturn)
	r.post(api+"/action-plans/:id/revise", InMunicipality(plan, coord), h.Plans.APIPlanRevise)
	r.get(api+"/action-plans/:id/pdf", InMunicipality(plan, viewer), h.Plans.PlanPDF)
	r.get(api+"/action-plans/:id/export.csv", InMunicipality(plan, viewer), h.Tracking.PlanExportCSV)
	r.get(api+"/action-plans/:id/export.xlsx", InMunicipality(plan, viewer), h.Plans.PlanXLSX)
}
