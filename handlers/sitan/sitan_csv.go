package sitan

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// SitanCSV exports every stored answer of an analysis for the coordinator.
// Column names stay English (they are read by scripts); question texts are
// in the caller's language.
func (h *Handler) SitanCSV(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	rows, err := models.SitanAnswerRows(ctx, h.DB, s.MunicipalityID, s.ID)
	if err != nil {
		return err
	}
	lang := h.Localizer(c).Lang
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so spreadsheet programs read UTF-8 (č, ć, đ, š, ž)
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"questionnaire_id", "organisation", "organisation_type", "template", "status", "submitted_at",
		"question_id", "position", "code", "kind", "indicator", "question", "value", "women", "men"})
	for _, r := range rows {
		submitted := ""
		if r.SubmittedAt != nil {
			submitted = r.SubmittedAt.UTC().Format(time.RFC3339)
		}
		a := r.Answer()
		ind := ""
		if r.Indicator != nil {
			ind = *r.Indicator
		}
		q := r.Question().In(lang)
		_ = w.Write(sitanCSVSafe([]string{web.Itoa(r.QuestionnaireID), r.OrganisationName, r.OrganisationType, r.Template, r.Status,
			submitted, web.Itoa(r.QuestionID), fmt.Sprint(r.Position), r.Code, r.Kind, ind, q, a.Value(),
			sitanInt64Text(a.Women), sitanInt64Text(a.Men)}))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="situation-analysis-%d-answers.csv"`, s.ID))
	return c.Send(buf.Bytes())
}

// sitanCSVSafe defuses cells a spreadsheet would run as a formula (text answers
// come from partners): such cells get a leading apostrophe.
func sitanCSVSafe(cells []string) []string {
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			cells[i] = "'" + v
		}
	}
	return cells
}
