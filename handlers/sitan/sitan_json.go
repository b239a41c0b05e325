package sitan

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// The JSON shapes of the situation-analysis API (API.md). Built here rather
// than by tagging the GORM structs, so the contract stays stable when tables change.

func sitanJSON(s *models.SituationAnalysis) fiber.Map {
	return fiber.Map{"id": s.ID, "municipality_id": s.MunicipalityID, "title": s.Title, "year": s.Year,
		"status": s.Status, "published_at": s.PublishedAt, "version": s.Version, "created_at": s.CreatedAt,
		"updated_at": s.UpdatedAt}
}

func questionnaireJSON(q *models.Questionnaire) fiber.Map {
	return fiber.Map{"id": q.ID, "municipality_id": q.MunicipalityID, "situation_analysis_id": q.SituationAnalysisID,
		"organisation_id": q.OrganisationID, "organisation_name": q.OrganisationName, "template": q.Template,
		"due_date": q.DueDate.Format(time.DateOnly), "status": q.Status, "late": q.Late(), "sent_at": q.SentAt,
		"submitted_at": q.SubmittedAt, "questions_total": q.Questions, "answered": q.Answered, "version": q.Version}
}

type questionJSON struct {
	ID        int64        `json:"id"`
	Code      string       `json:"code"`
	Text      string       `json:"text"`
	TextEn    string       `json:"text_en"`
	TextBs    string       `json:"text_bs"`
	TextSr    string       `json:"text_sr"`
	TextSq    string       `json:"text_sq"`
	TextMk    string       `json:"text_mk"`
	Kind      string       `json:"kind"`
	Indicator *string      `json:"indicator"`
	Split     bool         `json:"split"`
	Options   []optionJSON `json:"options"`
	Custom    bool         `json:"custom"`
}

type optionJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

func questionsJSON(qs []models.Question, lang string) []questionJSON {
	out := make([]questionJSON, 0, len(qs))
	for _, q := range qs {
		opts := []optionJSON{}
		for _, o := range q.Options {
			opts = append(opts, optionJSON{o.Value, o.Label(lang)})
		}
		out = append(out, questionJSON{ID: q.ID, Code: q.Code, Text: q.Text(lang), TextEn: q.TextEn, TextBs: q.TextBs,
			TextSr: q.TextSr, TextSq: q.TextSq, TextMk: q.TextMk, Kind: q.Kind, Indicator: q.Indicator, Split: q.Split, Options: opts, Custom: q.Custom})
	}
	return out
}

// answersJSON lists the answers in question order; numbers as numbers.
func answersJSON(qs []models.Question, answers map[int64]models.Answer) []fiber.Map {
	out := []fiber.Map{}
	for _, q := range qs {
		a, ok := answers[q.ID]
		if !ok {
			continue
		}
		var v any = a.TextValue
		if a.NumberValue != nil {
			v = *a.NumberValue
		}
		out = append(out, fiber.Map{"question_id": q.ID, "value": v, "women": a.Women, "men": a.Men, "updated_at": a.UpdatedAt})
	}
	return out
}

// indicatorsJSON is the API.md indicator list: value and sources (the
// organisations the value was summed from), plus every answer in values[]
// and the conflict flag (see models.AggregateIndicators for the rule).
func indicatorsJSON(vals []models.IndicatorValue, lang string) []fiber.Map {
	out := make([]fiber.Map, 0, len(vals))
	for _, v := range vals {
		sources := []fiber.Map{}
		for _, s := range v.Counted() {
			sources = append(sources, fiber.Map{"organisation_id": s.OrganisationID, "organisation_name": s.OrganisationName,
				"organisation_type": s.OrganisationType, "value": s.Value})
		}
		def, _ := models.BaselineIndicatorByCode(v.Indicator)
		out = append(out, fiber.Map{"indicator": v.Indicator, "name": def.Name.In(lang), "value": v.Value,
			"women": v.Women, "men": v.Men, "sources": sources, "conflict": v.Conflict, "values": v.Values,
			"owner_types": def.Owners})
	}
	return out
}

func focusGroupJSON(fg *models.FocusGroup, needs []models.Need, facilitators []models.Facilitator) fiber.Map {
	var ages any
	if fg.HasAges() {
		ages = fiber.Map{"15_29": *fg.Age1529, "30_49": *fg.Age3049, "50_plus": *fg.Age50Plus}
	}
	fac := []fiber.Map{}
	for _, f := range facilitators {
		fac = append(fac, fiber.Map{"user_id": f.UserID, "name": f.Name})
	}
	if needs == nil {
		needs = []models.Need{}
	}
	return fiber.Map{"id": fg.ID, "municipality_id": fg.MunicipalityID, "held_on": fg.HeldOn.Format(time.DateOnly),
		"place": fg.Place, "groups": fg.Groups, "participants_total": fg.ParticipantsTotal,
		"participants_women": fg.ParticipantsWomen, "participants_men": fg.ParticipantsMen, "participants_by_age": ages,
		"consent_obtained": fg.ConsentObtained, "consent_form": fg.ConsentFile != "", "summary": fg.Summary,
		"facilitators": fac, "needs": needs, "version": fg.Version, "created_at": fg.CreatedAt}
}
