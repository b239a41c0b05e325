package sitan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// QuestionnaireShow is the questionnaire page: the answer form for the
// partner (and coordinators) while it is open, read-only answers otherwise,
// and the coordinator's own-question form while it is a draft.
func (h *Handler) QuestionnaireShow(c *fiber.Ctx) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	return h.questionnairePage(c, 200, q, nil, nil, nil)
}

// questionnairePage is the data of views/pages/sitan_questionnaire.html.
type questionnairePage struct {
	web.FormState
	Questionnaire *models.Questionnaire
	Sitan         *models.SituationAnalysis
	Questions     []questionView
	CanAnswer     bool
	Coordinator   bool
	Collecting    bool
	Kinds         []string
	Indicators    []models.BaselineIndicator
}

func (h *Handler) questionnairePage(c *fiber.Ctx, status int, q *models.Questionnaire,
	typed map[int64]models.AnswerInput, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s, err := models.GetSitan(ctx, h.DB, q.MunicipalityID, q.SituationAnalysisID)
	if err != nil {
		return err
	}
	qs, err := models.QuestionnaireQuestions(ctx, h.DB, q.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	stored, err := models.QuestionnaireAnswers(ctx, h.DB, q.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	l := h.Localizer(c)
	if form == nil {
		form = map[string]string{"kind": models.QuestionNumber}
	}
	form["version"] = web.Itoa(int64(q.Version))
	open := q.Status == models.QuestionnaireSent && !s.Published()
	return h.Render(c, status, "sitan_questionnaire", "sitan.questionnaire", questionnairePage{
		FormState: web.FormState{Form: form, Errors: errs}, Questionnaire: q, Sitan: s,
		Questions: questionViews(l, qs, stored, typed, errs), CanAnswer: open && mayAnswer(c, q),
		Coordinator: web.ScopeOf(c).Role == models.RoleCoordinator, Collecting: !s.Published(),
		Kinds: models.QuestionKinds, Indicators: models.BaselineIndicators})
}

// typedAnswers reads the answer fields present in the form: q<ID>, and
// q<ID>_women / q<ID>_men for questions asked by sex.
func typedAnswers(c *fiber.Ctx, qs []models.Question) (map[int64]models.AnswerInput, []models.AnswerInput) {
	args := c.Request().PostArgs()
	typed := map[int64]models.AnswerInput{}
	var list []models.AnswerInput
	for _, q := range qs {
		name := fmt.Sprintf("q%d", q.ID)
		if !args.Has(name) {
			continue
		}
		in := models.AnswerInput{QuestionID: q.ID, Value: c.FormValue(name),
			Women: c.FormValue(name + "_women"), Men: c.FormValue(name + "_men")}
		typed[q.ID] = in
		list = append(list, in)
	}
	return typed, list
}

// AnswersSave saves the answer form; the partner can come back later.
func (h *Handler) AnswersSave(c *fiber.Ctx) error {
	return h.answerForm(c, false)
}

// QuestionnaireSubmit saves the answer form and hands the questionnaire in,
// in one transaction.
func (h *Handler) QuestionnaireSubmit(c *fiber.Ctx) error {
	return h.answerForm(c, true)
}

func (h *Handler) answerForm(c *fiber.Ctx, submit bool) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	if !mayAnswer(c, q) {
		return fiber.NewError(fiber.StatusForbidden, "not your organisation's questionnaire")
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	qs, err := models.QuestionnaireQuestions(ctx, h.DB, q.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	typed, answers := typedAnswers(c, qs)
	version := web.Atoi(c.FormValue("version"))
	err = models.AnswerQuestionnaire(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version, answers, submit)
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		if msg, ok := fe["answers"]; ok {
			fe["form"] = msg
		}
		return h.questionnairePage(c, 422, q, typed, nil, fe)
	}
	if err != nil {
		return err
	}
	flash := "sitan.flash.answers_saved"
	if submit {
		flash = "sitan.flash.submitted"
	}
	return h.RedirectWithFlash(c, "/questionnaires/"+web.Itoa(q.ID), flash)
}

// QuestionAdd handles the coordinator's own-question form of a draft.
// Options of a choice are typed one per line.
func (h *Handler) QuestionAdd(c *fiber.Ctx) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	r := questionReq{TextEn: c.FormValue("text_en"), TextBs: c.FormValue("text_bs"), Kind: c.FormValue("kind"),
		Indicator: c.FormValue("indicator"), Split: c.FormValue("split") != ""}
	for _, line := range strings.Split(c.FormValue("options"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			r.Options = append(r.Options, models.QuestionChoice{Value: optionValue(line), En: line, Bs: line})
		}
	}
	err = h.Check(&r)
	if err == nil {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err = models.AddQuestion(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, r.input())
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		form := map[string]string{"text_en": r.TextEn, "text_bs": r.TextBs, "kind": r.Kind,
			"indicator": r.Indicator, "options": c.FormValue("options"), "split": c.FormValue("split")}
		return h.questionnairePage(c, 422, q, nil, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/questionnaires/"+web.Itoa(q.ID), "sitan.flash.question_added")
}

// optionValue makes a stable option value from its label.
func optionValue(label string) string {
	v := strings.ReplaceAll(models.Slugify(label), "-", "_")
	if v == "" {
		v = "option"
	}
	if len(v) > 40 {
		v = v[:40]
	}
	return v
}

// QuestionnaireSend sends a draft to its partner.
func (h *Handler) QuestionnaireSend(c *fiber.Ctx) error {
	return h.questionnaireAction(c, "sitan.flash.sent", func(q *models.Questionnaire, version int) error {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err := models.SendQuestionnaire(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version)
		return err
	})
}

// QuestionnaireReopen lets the partner change submitted answers; audited with the reason.
func (h *Handler) QuestionnaireReopen(c *fiber.Ctx) error {
	return h.questionnaireAction(c, "sitan.flash.reopened", func(q *models.Questionnaire, version int) error {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err := models.ReopenQuestionnaire(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, version, c.FormValue("reason"))
		return err
	})
}

// questionnaireAction runs a state change from a button form (PRG).
func (h *Handler) questionnaireAction(c *fiber.Ctx, flash string, act func(*models.Questionnaire, int) error) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	err = act(q, web.Atoi(c.FormValue("version")))
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.questionnairePage(c, 422, q, nil, nil, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/questionnaires/"+web.Itoa(q.ID), flash)
}
