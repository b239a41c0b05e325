package sitan

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// scopedSitan loads the :id analysis inside the policy's municipality.
func (h *Handler) scopedSitan(c *fiber.Ctx) (*models.SituationAnalysis, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetSitan(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// scopedQuestionnaire loads the :id questionnaire inside the policy's municipality.
func (h *Handler) scopedQuestionnaire(c *fiber.Ctx) (*models.Questionnaire, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetQuestionnaire(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// collecting refuses changes to a published analysis before any input is
// read, so the answer is 409 whatever the body holds.
func sitanCollecting(s *models.SituationAnalysis) error {
	if s.Published() {
		return &models.StateError{Key: "sitan.error.published"}
	}
	return nil
}

// mayAnswer: coordinators answer for anyone; a member only for the
// organisation it belongs to (users.organisation_id).
func mayAnswer(c *fiber.Ctx, q *models.Questionnaire) bool {
	if web.ScopeOf(c).Role == models.RoleCoordinator {
		return true
	}
	u := web.PrincipalOf(c).User
	return web.ScopeOf(c).Role == models.RoleMember && u != nil && u.OrganisationID != nil && *u.OrganisationID == q.OrganisationID
}

// APISitanList is GET /api/v1/municipalities/{id}/situation-analyses.
func (h *Handler) APISitanList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ss, err := models.ListSitans(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	items := []fiber.Map{}
	for i := range ss {
		items = append(items, sitanJSON(&ss[i]))
	}
	return web.SendList(c, items)
}

// APISitanCreate is POST /api/v1/municipalities/{id}/situation-analyses.
func (h *Handler) APISitanCreate(c *fiber.Ctx) error {
	var r sitanReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s, err := models.CreateSitan(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, r.input())
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, s.Version, sitanJSON(s))
}

// APISitanGet is GET /api/v1/situation-analyses/{id}: the analysis with its
// questionnaires, vulnerable groups and findings.
func (h *Handler) APISitanGet(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	qs, err := models.ListQuestionnaires(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	groups, err := models.ListVulnerableGroups(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	findings, err := models.ListFindings(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	body := sitanJSON(s)
	items := []fiber.Map{}
	for i := range qs {
		items = append(items, questionnaireJSON(&qs[i]))
	}
	body["questionnaires"], body["vulnerable_groups"], body["findings"] = items, sitanNonNil(groups), sitanNonNil(findings)
	return web.SendVersioned(c, 200, s.Version, body)
}

func sitanNonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// APIQuestionnaireCreate is POST /api/v1/situation-analyses/{id}/questionnaires.
// It is sent at once unless "draft": true (to add own questions first).
func (h *Handler) APIQuestionnaireCreate(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	if err := sitanCollecting(s); err != nil {
		return err
	}
	var r questionnaireReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	in, err := r.input()
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	q, err := models.CreateQuestionnaire(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, in)
	if err != nil {
		return err
	}
	return h.sendQuestionnaire(c, fiber.StatusCreated, q)
}

// sendQuestionnaire answers a questionnaire with its questions and answers.
func (h *Handler) sendQuestionnaire(c *fiber.Ctx, status int, q *models.Questionnaire) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	qs, err := models.QuestionnaireQuestions(ctx, h.DB, q.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	answers, err := models.QuestionnaireAnswers(ctx, h.DB, q.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	body := questionnaireJSON(q)
	body["questions"] = questionsJSON(qs, h.Localizer(c).Lang)
	body["answers"] = answersJSON(qs, answers)
	return web.SendVersioned(c, status, q.Version, body)
}

// APIQuestionnaireGet is GET /api/v1/questionnaires/{id}.
func (h *Handler) APIQuestionnaireGet(c *fiber.Ctx) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	return h.sendQuestionnaire(c, 200, q)
}

// APIQuestionAdd is POST /api/v1/questionnaires/{id}/questions (drafts only).
func (h *Handler) APIQuestionAdd(c *fiber.Ctx) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	var r questionReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	qu, err := models.AddQuestion(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, r.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(questionsJSON([]models.Question{*qu}, h.Localizer(c).Lang)[0])
}
