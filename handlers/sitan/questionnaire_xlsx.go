package sitan

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/xlsx"
	"pakt/web"
)

// Questionnaires by workbook (issue #18): an institution downloads its
// questionnaire, answers it offline and uploads it; every bad cell is named
// and nothing is saved unless every answer can be.

// answersUploadPage is the data of views/pages/answers_upload.html.
type answersUploadPage struct {
	web.FormState
	Questionnaire *models.Questionnaire
	Problems      []xlsx.Problem
}

// AnswersWorkbook sends the questionnaire as a workbook, answers filled in.
func (h *Handler) AnswersWorkbook(c *fiber.Ctx) error {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s, err := models.GetSitan(ctx, h.DB, q.MunicipalityID, q.SituationAnalysisID)
	if err != nil {
		return err
	}
	in := xlsx.QuestionnaireBook{Questionnaire: q, Title: s.Title,
		CanAnswer: q.Status == models.QuestionnaireSent && !s.Published() && mayAnswer(c, q)}
	if in.Questions, err = models.QuestionnaireQuestions(ctx, h.DB, q.MunicipalityID, q.ID); err != nil {
		return err
	}
	if in.Answers, err = models.QuestionnaireAnswers(ctx, h.DB, q.MunicipalityID, q.ID); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsx.WriteQuestionnaire(&buf, h.Localizer(c), in); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="questionnaire-`+web.Itoa(q.ID)+`.xlsx"`)
	return c.Send(buf.Bytes())
}

// APIAnswersUpload is PUT /api/v1/questionnaires/{id}/answers.xlsx:
// 200 {updated, unchanged}; 422 with a field per bad cell.
func (h *Handler) APIAnswersUpload(c *fiber.Ctx) error {
	res, err := h.uploadAnswers(c, c.Body())
	var refused *xlsx.Refused
	if errors.As(err, &refused) {
		return h.SendFields(c, refused.Status, refused.Fields)
	}
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// AnswersUpload handles the upload form of the questionnaire page.
func (h *Handler) AnswersUpload(c *fiber.Ctx) error {
	body, err := answersFormFile(c)
	if err == nil {
		_, err = h.uploadAnswers(c, body)
	}
	var refused *xlsx.Refused
	if errors.As(err, &refused) {
		q, qerr := h.scopedQuestionnaire(c)
		if qerr != nil {
			return qerr
		}
		problems := xlsx.Describe(h.Localizer(c), refused.Fields, xlsx.AnswersSheet)
		return h.Render(c, refused.Status, "answers_upload", "xlsx.upload.title",
			answersUploadPage{Questionnaire: q, Problems: problems})
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/questionnaires/"+c.Params("id"), "xlsx.flash.saved")
}

// answersFormFile reads the "workbook" file of the upload form.
func answersFormFile(c *fiber.Ctx) ([]byte, error) {
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

// uploadAnswers reads a workbook and saves its changed answers, all or nothing.
func (h *Handler) uploadAnswers(c *fiber.Ctx, body []byte) (models.BatchResult, error) {
	q, err := h.scopedQuestionnaire(c)
	if err != nil {
		return models.BatchResult{}, err
	}
	if !mayAnswer(c, q) {
		return models.BatchResult{}, fiber.NewError(fiber.StatusForbidden, "not your organisation's questionnaire")
	}
	if q.Status != models.QuestionnaireSent { // whatever the body holds
		return models.BatchResult{}, xlsx.AsRefused(&models.StateError{Key: answersStateKey(q.Status)})
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	qs, err := models.QuestionnaireQuestions(ctx, h.DB, q.MunicipalityID, q.ID)
	if err != nil {
		return models.BatchResult{}, err
	}
	up, err := xlsx.ReadQuestionnaire(h.I18n, body, q.ID, qs)
	if err != nil {
		return models.BatchResult{}, xlsx.AsRefused(err)
	}
	res, err := models.SaveAnswerRows(ctx, h.DB, web.Actor(c), q.MunicipalityID, q.ID, up.Rows)
	return res, answersRefusal(up, err)
}

func answersStateKey(status string) string {
	if status == models.QuestionnaireSubmitted {
		return "sitan.error.answers_read_only"
	}
	return "sitan.error.not_sent"
}

// answersRefusal names the cells of refused answers.
func answersRefusal(up *xlsx.QuestionnaireUpload, err error) error {
	var batch *models.BatchError
	var ve *models.ValidationError
	switch {
	case errors.As(err, &batch):
		out := &xlsx.Refused{Fields: map[string]string{}}
		for _, re := range batch.Rows {
			key, status := xlsx.RowRefusal(re.Err)
			if errors.Is(re.Err, models.ErrNotFound) {
				key = "xlsx.error.unknown_question"
			}
			cell := up.Cells[models.AnswerField(up.Rows[re.Row].In.QuestionID, "question_id")]
			out.Fields[cell], out.Status = key, xlsx.Graver(out.Status, status)
		}
		return out
	case errors.As(err, &ve):
		out := &xlsx.Refused{Status: http.StatusUnprocessableEntity, Fields: map[string]string{}}
		for field, key := range ve.Fields {
			cell, ok := up.Cells[field]
			if !ok {
				cell = xlsx.WorkbookField
			}
			out.Fields[cell] = key
		}
		return out
	}
	return xlsx.AsRefused(err)
}
