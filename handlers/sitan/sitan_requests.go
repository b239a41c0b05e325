package sitan

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Request structs of the situation analysis. JSON bodies decode into them
// directly; HTML forms are read field by field (sitanForm*), so text typed
// into a number box is a message next to the field, not a 400.

type sitanReq struct {
	Title string `json:"title" validate:"required,max=200"`
	Year  *int   `json:"year" validate:"required,gte=2000,lte=2100"`
}

func (r *sitanReq) input() models.SitanInput {
	return models.SitanInput{Title: strings.TrimSpace(r.Title), Year: *r.Year}
}

type questionnaireReq struct {
	OrganisationID *int64 `json:"organisation_id" validate:"required"`
	Template       string `json:"template"` // empty: the template of the organisation's type
	DueDate        string `json:"due_date" validate:"required"`
	Draft          bool   `json:"draft"` // keep it a draft to add own questions before sending
}

// input checks the date; the model checks organisation and template.
func (r *questionnaireReq) input() (models.QuestionnaireInput, error) {
	due, err := time.Parse(time.DateOnly, strings.TrimSpace(r.DueDate))
	if err != nil {
		return models.QuestionnaireInput{}, models.Invalid("due_date", "sitan.error.date")
	}
	return models.QuestionnaireInput{OrganisationID: *r.OrganisationID, Template: r.Template, DueDate: due, Send: !r.Draft}, nil
}

type questionReq struct {
	TextEn    string                  `json:"text_en" validate:"max=1000"`
	TextBs    string                  `json:"text_bs" validate:"max=1000"`
	Kind      string                  `json:"kind" validate:"required"`
	Indicator string                  `json:"indicator"`
	Split     bool                    `json:"split"`
	Options   []models.QuestionChoice `json:"options" validate:"max=20"`
}

func (r *questionReq) input() models.QuestionInput {
	return models.QuestionInput{TextEn: r.TextEn, TextBs: r.TextBs, Kind: r.Kind, Indicator: r.Indicator,
		Split: r.Split, Options: r.Options}
}

// answerReq is one answer of PUT /questionnaires/{id}/answers; value is a
// number or a string, null clears it.
type answerReq struct {
	QuestionID *int64          `json:"question_id" validate:"required"`
	Value      json.RawMessage `json:"value"`
	Women      json.RawMessage `json:"women"`
	Men        json.RawMessage `json:"men"`
}

type answersReq struct {
	Answers []answerReq `json:"answers" validate:"required,max=500,dive"`
}

func (r *answersReq) input() []models.AnswerInput {
	out := make([]models.AnswerInput, 0, len(r.Answers))
	for _, a := range r.Answers {
		out = append(out, models.AnswerInput{QuestionID: *a.QuestionID, Value: sitanRawText(a.Value),
			Women: sitanRawText(a.Women), Men: sitanRawText(a.Men)})
	}
	return out
}

// sitanRawText turns a JSON value into the text a form would send: strings as
// they are, null as "", numbers and anything else as written (so 12.5 or
// true are refused by the number check with a clear message).
func sitanRawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

type reopenReq struct {
	Reason string `json:"reason" validate:"max=1000"`
}

type groupReq struct {
	Group            string   `json:"group" validate:"required,oneof=roma disability long_term_unemployed social_assistance youth_neet women returnees dropouts older_workers other"`
	Label            string   `json:"label" validate:"max=200"`
	EstimatedSize    *int     `json:"estimated_size" validate:"required"`
	Women            *int     `json:"women"`
	Men              *int     `json:"men"`
	Barriers         []string `json:"barriers" validate:"max=20"`
	SpecificBarriers []string `json:"specific_barriers" validate:"max=20"`
	Priority         *int     `json:"priority" validate:"required"`
}

// input accepts specific barriers in barriers[] too: each brings its family.
// Absent numbers are 0 here; the validator has reported them.
func (r *groupReq) input() models.VulnerableGroupInput {
	in := models.VulnerableGroupInput{Group: r.Group, Label: r.Label, EstimatedSize: focusInt(r.EstimatedSize),
		Women: r.Women, Men: r.Men, SpecificBarriers: r.SpecificBarriers, Priority: focusInt(r.Priority)}
	for _, b := range r.Barriers {
		if web.Contains(models.BarrierFamilies, b) {
			in.Barriers = append(in.Barriers, b)
		} else {
			in.SpecificBarriers = append(in.SpecificBarriers, b)
		}
	}
	return in
}

type findingReq struct {
	Statement            string `json:"statement" validate:"required,max=2000"`
	Group                string `json:"group" validate:"required,oneof=roma disability long_term_unemployed social_assistance youth_neet women returnees dropouts older_workers other"`
	Barrier              string `json:"barrier" validate:"required,oneof=employment participation information"`
	SourceOrganisationID *int64 `json:"source_organisation_id" validate:"required"`
}

func (r *findingReq) input() models.FindingInput {
	return models.FindingInput{Statement: r.Statement, Group: r.Group, Barrier: r.Barrier,
		SourceOrganisationID: *r.SourceOrganisationID}
}

// sitanFormInt reads an optional whole number from a form; junk is recorded
// in errs under field and gives nil.
func sitanFormInt(c *fiber.Ctx, field string, errs map[string]string) *int {
	s := strings.TrimSpace(c.FormValue(field))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs[field] = "sitan.error.number"
		return nil
	}
	return &n
}

// sitanFormValues reads a repeated form field (checkboxes).
func sitanFormValues(c *fiber.Ctx, field string) []string {
	var out []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == field && len(v) > 0 {
			out = append(out, string(v))
		}
	})
	return out
}

// sitanFormID reads an id from a form (0 when absent or junk).
func sitanFormID(c *fiber.Ctx, field string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(c.FormValue(field)), 10, 64)
	return n
}

// sitanMergeErrors adds the fields of a validation error to errs; other errors
// are returned.
func sitanMergeErrors(errs map[string]string, err error) error {
	if ve, ok := err.(*models.ValidationError); ok {
		for k, v := range ve.Fields {
			if _, set := errs[k]; !set {
				errs[k] = v
			}
		}
		return nil
	}
	return err
}

// sitanWithErrors returns err, or a ValidationError of errs when err is nil and
// errs is not empty.
func sitanWithErrors(errs map[string]string, err error) error {
	if err == nil && len(errs) > 0 {
		return &models.ValidationError{Fields: errs}
	}
	return err
}
