package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/handlers"
	"pakt/models"
)

// sitanRoutes are the situation-analysis and focus-group routes
// (API.md "Situation analysis and focus groups"). Answering a questionnaire
// needs the member role here; the handler further limits members to their
// own organisation's questionnaires.
func sitanRoutes(r *router, h *handlers.Handler) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	muni := MuniParam("id")
	sitan, qn, fg := SitanParam("id"), QuestionnaireParam("id"), FocusGroupParam("id")

	r.get("/municipalities/:id/situation-analyses", InMunicipality(muni, viewer), h.SitanList)
	r.post("/municipalities/:id/situation-analyses", InMunicipality(muni, coord), h.SitanCreate)
	r.get("/situation-analyses/:id", InMunicipality(sitan, viewer), h.SitanShow)
	r.post("/situation-analyses/:id/questionnaires", InMunicipality(sitan, coord), h.QuestionnaireCreate)
	r.post("/situation-analyses/:id/vulnerable-groups", InMunicipality(sitan, coord), h.VulnerableGroupCreate)
	r.post("/situation-analyses/:id/findings", InMunicipality(sitan, coord), h.FindingCreate)
	r.post("/situation-analyses/:id/publish", InMunicipality(sitan, coord), h.SitanPublish)
	r.get("/situation-analyses/:id/report", InMunicipality(sitan, viewer), h.SitanReport)
	r.get("/situation-analyses/:id/report.pdf", InMunicipality(sitan, viewer), h.SitanPDF)
	r.get("/situation-analyses/:id/answers.csv", InMunicipality(sitan, coord), h.SitanCSV)
	r.get("/questionnaires/:id", InMunicipality(qn, viewer), h.QuestionnaireShow)
	r.post("/questionnaires/:id/questions", InMunicipality(qn, coord), h.QuestionAdd)
	r.post("/questionnaires/:id/send", InMunicipality(qn, coord), h.QuestionnaireSend)
	r.post("/questionnaires/:id/answers", InMunicipality(qn, member), h.AnswersSave)
	r.post("/questionnaires/:id/submit", InMunicipality(qn, member), h.QuestionnaireSubmit)
	r.post("/questionnaires/:id/reopen", InMunicipality(qn, coord), h.QuestionnaireReopen)
	r.get("/municipalities/:id/focus-groups", InMunicipality(muni, viewer), h.FocusGroupList)
	r.get("/municipalities/:id/focus-groups/new", InMunicipality(muni, coord), h.FocusGroupNew)
	r.post("/municipalities/:id/focus-groups", InMunicipality(muni, coord), h.FocusGroupCreate)
	r.get("/focus-groups/:id", InMunicipality(fg, viewer), h.FocusGroupShow)
	r.get("/focus-groups/:id/consent-form", InMunicipality(fg, viewer), h.ConsentFormDownload)
	r.post("/focus-groups/:id/consent-form", InMunicipality(fg, coord), h.ConsentFormUpload)

	r.get("/m/:slug/heard", Public, h.PublicHeard)
	r.get("/m/:slug/situation-analyses/:sid", Public, h.PublicSitan)
	r.get("/m/:slug/situation-analyses/:sid/report.pdf", Public, h.PublicSitanPDF)
	r.get("/region/heard", Public, h.RegionHeard)

	sitanAPIRoutes(r, h)
}

func sitanAPIRoutes(r *router, h *handlers.Handler) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	muni := MuniParam("id")
	sitan, qn, fg := SitanParam("id"), QuestionnaireParam("id"), FocusGroupParam("id")
	api := "/api/v1"

	r.get(api+"/municipalities/:id/situation-analyses", InMunicipality(muni, viewer), h.APISitanList)
	r.post(api+"/municipalities/:id/situation-analyses", InMunicipality(muni, coord), h.APISitanCreate)
	r.get(api+"/situation-analyses/:id", InMunicipality(sitan, viewer), h.APISitanGet)
	r.post(api+"/situation-analyses/:id/questionnaires", InMunicipality(sitan, coord), h.APIQuestionnaireCreate)
	r.get(api+"/situation-analyses/:id/indicators", InMunicipality(sitan, viewer), h.APIIndicators)
	r.get(api+"/situation-analyses/:id/vulnerable-groups", InMunicipality(sitan, viewer), h.APIGroupList)
	r.post(api+"/situation-analyses/:id/vulnerable-groups", InMunicipality(sitan, coord), h.APIGroupCreate)
	r.get(api+"/situation-analyses/:id/findings", InMunicipality(sitan, viewer), h.APIFindingList)
	r.post(api+"/situation-analyses/:id/findings", InMunicipality(sitan, coord), h.APIFindingCreate)
	r.post(api+"/situation-analyses/:id/publish", InMunicipality(sitan, coord), h.APISitanPublish)
	r.get(api+"/situation-analyses/:id/answers.csv", InMunicipality(sitan, coord), h.SitanCSV)
	r.get(api+"/questionnaires/:id", InMunicipality(qn, viewer), h.APIQuestionnaireGet)
	r.post(api+"/questionnaires/:id/questions", InMunicipality(qn, coord), h.APIQuestionAdd)
	r.post(api+"/questionnaires/:id/send", InMunicipality(qn, coord), h.APIQuestionnaireSend)
	r.put(api+"/questionnaires/:id/answers", InMunicipality(qn, member), h.APIAnswersPut)
	r.post(api+"/questionnaires/:id/submit", InMunicipality(qn, member), h.APIQuestionnaireSubmit)
	r.post(api+"/questionnaires/:id/reopen", InMunicipality(qn, coord), h.APIQuestionnaireReopen)
	r.get(api+"/municipalities/:id/focus-groups", InMunicipality(muni, viewer), h.APIFocusGroupList)
	r.post(api+"/municipalities/:id/focus-groups", InMunicipality(muni, coord), h.APIFocusGroupCreate)
	r.get(api+"/focus-groups/:id", InMunicipality(fg, viewer), h.APIFocusGroupGet)
	r.put(api+"/focus-groups/:id/consent-form", InMunicipality(fg, coord), h.APIConsentFormPut)
}

// sitanObjectScope resolves the municipality from the row of an object whose id
// is in the path; a missing object is 404 before any role check.
func sitanObjectScope(name string, owner func(*fiber.Ctx, *gorm.DB, int64) (int64, error)) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := handlers.ParamID(c, name)
		if err != nil {
			return 0, err
		}
		return owner(c, db.WithContext(c.UserContext()), id)
	}
}

// SitanParam scopes by the municipality owning the situation analysis in the path.
func SitanParam(name string) ScopeFunc {
	return sitanObjectScope(name, func(c *fiber.Ctx, db *gorm.DB, id int64) (int64, error) {
		return models.MunicipalityOfSitan(c.UserContext(), db, id)
	})
}

// QuestionnaireParam scopes by the municipality owning the questionnaire in the path.
func QuestionnaireParam(name string) ScopeFunc {
	return sitanObjectScope(name, func(c *fiber.Ctx, db *gorm.DB, id int64) (int64, error) {
		return models.MunicipalityOfQuestionnaire(c.UserContext(), db, id)
	})
}

// FocusGroupParam scopes by the municipality owning the focus group in the path.
func FocusGroupParam(name string) ScopeFunc {
	return sitanObjectScope(name, func(c *fiber.Ctx, db *gorm.DB, id int64) (int64, error) {
		return models.MunicipalityOfFocusGroup(c.UserContext(), db, id)
	})
}
