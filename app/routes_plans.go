package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/handlers"
	"pakt/models"
)

// PlanParam scopes by the municipality owning the action plan in the path.
func PlanParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfPlan(c.UserContext(), db, id)
	}
}

// MeasureParam scopes by the municipality owning the measure in the path.
func MeasureParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfMeasure(c.UserContext(), db, id)
	}
}

// CommentParam scopes by the municipality owning the comment in the path.
func CommentParam(name string) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return models.MunicipalityOfComment(c.UserContext(), db, id)
	}
}

// planRoutes are the Municipal Action Plan routes (API.md "Municipal action plans").
func planRoutes(r *router, h *handlers.Handler) {
	coord, viewer := models.RoleCoordinator, models.RoleViewer
	muni, plan, measure, comment := MuniParam("id"), PlanParam("id"), MeasureParam("id"), CommentParam("id")

	r.get("/municipalities/:id/plans", InMunicipality(muni, viewer), h.PlanList)
	r.post("/municipalities/:id/plans", InMunicipality(muni, coord), h.PlanCreate)
	r.get("/plans/:id", InMunicipality(plan, viewer), h.PlanShow)
	r.get("/plans/:id/timeline.svg", InMunicipality(plan, viewer), h.PlanTimeline)
	r.post("/plans/:id", InMunicipality(plan, coord), h.PlanUpdate)
	r.post("/plans/:id/objectives", InMunicipality(plan, coord), h.ObjectiveCreate)
	r.get("/plans/:id/measures/new", InMunicipality(plan, coord), h.MeasureNew)
	r.post("/plans/:id/measures", InMunicipality(plan, coord), h.MeasureCreate)
	r.get("/measures/:id/edit", InMunicipality(measure, coord), h.MeasureEdit)
	r.post("/measures/:id", InMunicipality(measure, coord), h.MeasureUpdate)
	r.post("/measures/:id/delete", InMunicipality(measure, coord), h.MeasureDelete)
	r.post("/plans/:id/consultation", InMunicipality(plan, coord), h.PlanConsultation)
	r.post("/plans/:id/submit", InMunicipality(plan, coord), h.PlanSubmit)
	r.post("/plans/:id/adoption", InMunicipality(plan, coord), h.PlanAdoption)
	r.post("/plans/:id/return", InMunicipality(plan, coord), h.PlanReturn)
	r.post("/plans/:id/revise", InMunicipality(plan, coord), h.PlanRevise)
	r.get("/plans/:id/pdf", InMunicipality(plan, viewer), h.PlanPDF)
	r.get("/plans/:id/export.csv", InMunicipality(plan, viewer), h.PlanExportCSV)
	r.get("/plans/:id/consultation-report", InMunicipality(plan, viewer), h.ConsultationReport)
	r.get("/plans/:id/consultation-report.pdf", InMunicipality(plan, viewer), h.ConsultationReportPDF)
	r.post("/comments/:id/moderate", InMunicipality(comment, coord), h.CommentModerate)
	r.post("/comments/:id/response", InMunicipality(comment, coord), h.CommentRespond)
	r.get("/m/:slug/plans/:id", Public, h.PublicPlan)
	r.get("/m/:slug/plans/:id/timeline.svg", Public, h.PublicPlanTimeline)
	r.get("/m/:slug/plans/:id/pdf", Public, h.PublicPlanPDF)
	r.post("/m/:slug/plans/:id/comments", Public, h.PublicComment)

	api := "/api/v1"
	r.get(api+"/municipalities/:id/action-plans", InMunicipality(muni, viewer), h.APIPlanList)
	r.post(api+"/municipalities/:id/action-plans", InMunicipality(muni, coord), h.APIPlanCreate)
	r.get(api+"/action-plans/:id", InMunicipality(plan, viewer), h.APIPlanGet)
	r.patch(api+"/action-plans/:id", InMunicipality(plan, coord), h.APIPlanUpdate)
	r.post(api+"/action-plans/:id/objectives", InMunicipality(plan, coord), h.APIObjectiveCreate)
	r.post(api+"/action-plans/:id/measures", InMunicipality(plan, coord), h.APIMeasureCreate)
	r.get(api+"/measures/:id", InMunicipality(measure, viewer), h.APIMeasureGet)
	r.patch(api+"/measures/:id", InMunicipality(measure, coord), h.APIMeasureUpdate)
	r.delete(api+"/measures/:id", InMunicipality(measure, coord), h.APIMeasureDelete)
	r.post(api+"/action-plans/:id/consultation", InMunicipality(plan, coord), h.APIPlanConsultation)
	r.post(api+"/public/action-plans/:id/comments", Public, h.APIPublicComment)
	r.get(api+"/action-plans/:id/comments", InMunicipality(plan, viewer), h.APIPlanComments)
	r.post(api+"/comments/:id/response", InMunicipality(comment, coord), h.APICommentResponse)
	r.post(api+"/comments/:id/moderation", InMunicipality(comment, coord), h.APICommentModerate)
	r.post(api+"/action-plans/:id/submit", InMunicipality(plan, coord), h.APIPlanSubmit)
	r.post(api+"/action-plans/:id/adoption", InMunicipality(plan, coord), h.APIPlanAdoption)
	r.post(api+"/action-plans/:id/return", InMunicipality(plan, coord), h.APIPlanReturn)
	r.post(api+"/action-plans/:id/revise", InMunicipality(plan, coord), h.APIPlanRevise)
	r.get(api+"/action-plans/:id/pdf", InMunicipality(plan, viewer), h.PlanPDF)
	r.get(api+"/action-plans/:id/export.csv", InMunicipality(plan, viewer), h.PlanExportCSV)
}
