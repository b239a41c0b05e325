package sitan

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// APIQuestionnaireSend is POST /api/v1/questionnaires/{id}/send.
func (h *Handler) APIQuestionnaireSend(c *fiber.Ctx) error {
	return h.apiQuestionnaireStep(c, false, func(q *models.Questionnaire, version int) (*models.Questionnaire, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		return models.SendQuestionnaire(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version)
	})
}

// APIAnswersPut is PUT /api/v1/questionnaires/{id}/answers: saves the given
// answers (null clears one); If-Match guards against overwriting a newer save.
func (h *Handler) APIAnswersPut(c *fiber.Ctx) error {
	var r answersReq
	return h.apiQuestionnaireStep(c, true, func(q *models.Questionnaire, version int) (*models.Questionnaire, error) {
		if err := web.ParseJSON(c, &r); err != nil {
			return nil, err
		}
		if err := h.Check(&r); err != nil {
			return nil, err
		}
		ctx, cancel := h.Ctx(c)
		defer cancel()
		return models.SaveAnswers(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version, r.input())
	})
}

// APIQuestionnaireSubmit is POST /api/v1/questionnaires/{id}/submit.
func (h *Handler) APIQuestionnaireSubmit(c *fiber.Ctx) error {
	return h.apiQuestionnaireStep(c, true, func(q *models.Questionnaire, version int) (*models.Questionnaire, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		return models.SubmitQuestionnaire(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version)
	})
}

// APIQuestionnaireReopen is POST /api/v1/questionnaires/{id}/reopen with an
// optional {"reason"}; the reopening is audited.
func (h *Handler) APIQuestionnaireReopen(c *fiber.Ctx) error {
	return h.apiQuestionnaireStep(c, false, func(q *models.Questionnaire, version int) (*models.Questionnaire, error) {
		var r reopenReq
		if len(c.Body()) > 0 {
			if err := web.ParseJSON(c, &r); err != nil {
				return nil, err
			}
		}
		if err := h.Check(&r); err != nil {
			return nil, err
		}
		ctx, cancel := h.Ctx(c)
		defer cancel()
		return models.ReopenQuestionnaire(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version, r.Reason)
	})
}

// apiQuestionnaireStep loads the questionnaire, checks who may answer it
// (when answering is true), reads If-Match and answers the result.
func (h *Handler) apiQuestionnaireStep(c *fiber.Ctx, answering bool,
	step func(*models.Questionnaire, int) (*models.Questionnaire, error)) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	if answering && !mayAnswer(c, q) {
		return fiber.NewError(fiber.StatusForbidden, "not your organisation's questionnaire")
	}
	q, err = step(q, version)
	if err != nil {
		return err
	}
	return h.sendQuestionnaire(c, 200, q)
}

// APIIndicators is GET /api/v1/situation-analyses/{id}/indicators.
func (h *Handler) APIIndicators(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	vals, err := models.SitanIndicators(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	return c.JSON(web.List(indicatorsJSON(vals, h.Localizer(c).Lang)))
}

// APIGroupCreate is POST /api/v1/situation-analyses/{id}/vulnerable-groups.
func (h *Handler) APIGroupCreate(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	if err := sitanCollecting(s); err != nil {
		return err
	}
	var r groupReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	errs := map[string]string{}
	if err := sitanMergeErrors(errs, h.Check(&r)); err != nil {
		return err
	}
	if err := sitanMergeErrors(errs, models.CheckVulnerableGroup(r.input())); err != nil || len(errs) > 0 {
		return sitanWithErrors(errs, err)
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	g, err := models.AddVulnerableGroup(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, r.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

// APIGroupList is GET /api/v1/situation-analyses/{id}/vulnerable-groups.
func (h *Handler) APIGroupList(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	gs, err := models.ListVulnerableGroups(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	return web.SendList(c, gs)
}

// APIFindingCreate is POST /api/v1/situation-analyses/{id}/findings.
func (h *Handler) APIFindingCreate(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	if err := sitanCollecting(s); err != nil {
		return err
	}
	var r findingReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	f, err := models.AddFinding(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, r.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(f)
}

// APIFindingList is GET /api/v1/situation-analyses/{id}/findings.
func (h *Handler) APIFindingList(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fs, err := models.ListFindings(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	return web.SendList(c, fs)
}

// publishReq is the optional body of publishing: while questionnaires are
// unanswered the analysis is published only with confirm_unanswered (409
// otherwise, naming how many).
type publishReq struct {
	ConfirmUnanswered bool `json:"confirm_unanswered"`
}

// APISitanPublish is POST /api/v1/situation-analyses/{id}/publish.
func (h *Handler) APISitanPublish(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var r publishReq
	if len(c.Body()) > 0 {
		if err := web.ParseJSON(c, &r); err != nil {
			return err
		}
	}
	s, err = models.PublishSitanConfirmed(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, version, r.ConfirmUnanswered)
	if err != nil {
		return err
	}
	h.RegisterPublished(c, s.MunicipalityID, s.ID)
	return web.SendVersioned(c, 200, s.Version, sitanJSON(s))
}
