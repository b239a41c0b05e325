package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

// sitanRoutes are the situation-analysis and focus-group routes
// (API.md "Situation analysis and focus groups"). Answering a questionnaire
// needs the member role here; the handler further limits members to their
// own organisation's questionnaires.
func sitanRoutes(r *router, h *Handlers) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	muni := MuniParam("id")
	sitan, qn, fg := SitanParam("id"), QuestionnaireParam("id"), FocusGroupParam("id")

	r.get("/municipalities/:id/situation-analyses", InMunicipality(muni, viewer), h.Sitan.SitanList)
	r.post("/municipalities/:id/situation-analyses", InMunicipality(muni, coord), h.Sitan.SitanCreate)
	r.get("/situation-analyses/:id", InMunicipality(sitan, viewer), h.Sitan.SitanShow)
	r.post("/situation-analyses/:id/questionnaires", InMunicipality(sitan, coord), h.Sitan.QuestionnaireCreate)
	r.post("/situation-analyses/:id/vulnerable-groups", InMunicipality(sitan, coord), h.Sitan.VulnerableGroupCreate)
	r.post("/situation-analyses/:id/findings", InMunicipality(sitan, coord), h.Sitan.FindingCreate)
	r.post("/situation-analyses/:id/publish", InMunicipality(sitan, coord), h.Sitan.SitanPublish)
	r.get("/situation-analyses/:id/report", InMunicipality(sitan, viewer), h.Sitan.SitanReport)
	r.get("/situation-analyses/:id/report.pdf", InMunicipality(sitan, viewer), h.Sitan.SitanPDF)
	r.get("/situation-analyses/:id/answers.csv", InMunicipality(sitan, coord), h.Sitan.SitanCSV)
	r.get("/questionnaires/:id", InMunicipality(qn, viewer), h.Sitan.QuestionnaireShow)
	r.post("/questionnaires/:id/questions", InMunicipality(qn, coord), h.Sitan.QuestionAdd)
	r.post("/questionnaires/:id/send", InMunicipality(qn, coord), h.Sitan.QuestionnaireSend)
	r.post("/questionnaires/:id/answers", InMunicipality(qn, member), h.Sitan.AnswersSave)
	r.post("/questionnaires/:id/submit", InMunicipality(qn, member), h.Sitan.QuestionnaireSubmit)
	r.post("/questionnaires/:id/reopen", InMunicipality(qn, coord), h.Sitan.QuestionnaireReopen)
	r.get("/questionnaires/:id/answers.xlsx", InMunicipality(qn, viewer), h.Sitan.AnswersWorkbook)
	r.post("/questionnaires/:id/answers.xlsx", InMunicipality(qn, member), h.Sitan.AnswersUpload)
	r.get("/municipalities/:id/focus-groups", InMunicipality(muni, viewer), h.Sitan.FocusGroupList)
	r.get("/municipalities/:id/focus-groups/new", InMunicipality(muni, coord), h.Sitan.FocusGroupNew)
	r.post("/municipalities/:id/focus-groups", InMunicipality(muni, coord), h.Sitan.FocusGroupCreate)
	r.get("/focus-groups/:id", InMunicipality(fg, viewer), h.Sitan.FocusGroupShow)
	r.get("/focus-groups/:id/consent-form", InMunicipality(fg, viewer), h.Sitan.ConsentFormDownload)
	r.post("/focus-groups/:id/consent-form", InMunicipality(fg, coord), h.Sitan.ConsentFormUpload)

	r.get("/m/:slug/heard", Public, h.Sitan.PublicHeard)
	r.get("/m/:slug/situation-analyses/:sid", Public, h.Sitan.PublicSitan)
	r.get("/m/:slug/situation-analyses/:sid/report.pdf", Public, h.Sitan.PublicSitanPDF)
	r.get("/region/heard", Public, h.Sitan.RegionHeard)

	sitanAPIRoutes(r, h)
}

func sitanAPIRoutes(r *router, h *Handlers) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	muni := MuniParam("id")
	sitan, qn, fg := SitanParam("id"), QuestionnaireParam("id"), FocusGroupParam("id")
	api := "/api/v1"

	r.get(api+"/municipalities/:id/situation-analyses", InMunicipality(muni, viewer), h.Sitan.APISitanList)
	r.post(api+"/municipalities/:id/situation-analyses", InMunicipality(muni, coord), h.Sitan.APISitanCreate)
	r.get(api+"/situation-analyses/:id", InMunicipality(sitan, viewer), h.Sitan.APISitanGet)
	r.post(api+"/situation-analyses/:id/questionnaires", InMunicipality(sitan, coord), h.Sitan.APIQuestionnaireCreate)
	r.get(api+"/situation-analyses/:id/indicators", InMunicipality(sitan, viewer), h.Sitan.APIIndicators)
	r.get(api+"/situation-analyses/:id/vulnerable-groups", InMunicipality(sitan, viewer), h.Sitan.APIGroupList)
	r.post(api+"/situation-analyses/:id/vulnerable-groups", InMunicipality(sitan, coord), h.Sitan.APIGroupCreate)
	r.get(api+"/situation-analyses/:id/findings", InMunicipality(sitan, viewer), h.Sitan.APIFindingList)
	r.post(api+"/situation-analyses/:id/findings", InMunicipality(sitan, coord), h.Sitan.APIFindingCreate)
	r.post(api+"/situation-analyses/:id/publish", InMunicipality(sitan, coord), h.Sitan.APISitanPublish)
	r.get(api+"/situation-analyses/:id/answers.csv", InMunicipality(sitan, coord), h.Sitan.SitanCSV)
	r.get(api+"/questionnaires/:id", InMunicipality(qn, viewer), h.Sitan.APIQuestionnaireGet)
	r.post(api+"/questionnaires/:id/questions", InMunicipality(qn, coord), h.Sitan.APIQuestionAdd)
	r.post(api+"/questionnaires/:id/send", InMunicipality(qn, coord), h.Sitan.APIQuestionnaireSend)
	r.put(api+"/questionnaires/:id/answers", InMunicipality(qn, member), h.Sitan.APIAnswersPut)
	r.get(api+"/questionnaires/:id/answers.xlsx", InMunicipality(qn, viewer), h.Sitan.AnswersWorkbook)
	r.put(api+"/questionnaires/:id/answers.xlsx", InMunicipality(qn, member), h.Sitan.APIAnswersUpload)
	r.post(api+"/questionnaires/:id/submit", InMunicipality(qn, member), h.Sitan.APIQuestionnaireSubmit)
	r.post(api+"/questionnaires/:id/reopen", InMunicipality(qn, coord), h.Sitan.APIQuestionnaireReopen)
	r.get(api+"/municipalities/:id/focus-groups", InMunicipality(muni, viewer), h.Sitan.APIFocusGroupList)
	r.post(api+"/municipalities/:id/focus-groups", InMunicipality(muni, coord), h.Sitan.APIFocusGroupCreate)
	r.get(api+"/focus-groups/:id", InMunicipality(fg, viewer), h.Sitan.APIFocusGroupGet)
	r.put(api+"/focus-groups/:id/consent-form", InMunicipality(fg, coord), h.Sitan.APIConsentFormPut)
}

// sitanObjectScope resolves the municipality from the row of an object whose id
// is in the path; a missing object is 404 before any role check.
func sitanObjectScope(name string, owner func(*fiber.Ctx, *gorm.DB, int64) (int64, error)) ScopeFunc {
	return func(c *fiber.Ctx, db *gorm.DB) (int64, error) {
		id, err := web.ParamID(c, name)
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
