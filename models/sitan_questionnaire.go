package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Questionnaire states: a coordinator prepares a "draft" (and may add own
// questions), "sent" ones are answered by the partner, "submitted" ones are
// read-only until the coordinator reopens them (back to "sent").
const (
	QuestionnaireDraft     = "draft"
	QuestionnaireSent      = "sent"
	QuestionnaireSubmitted = "submitted"
)

// Questionnaire is one partner organisation's part of an analysis.
type Questionnaire struct {
	ID                  int64      `json:"id" gorm:"primaryKey"`
	MunicipalityID      int64      `json:"municipality_id"`
	SituationAnalysisID int64      `json:"situation_analysis_id"`
	OrganisationID      int64      `json:"organisation_id"`
	Template            string     `json:"template"`
	DueDate             time.Time  `json:"-" gorm:"type:date"`
	Status              string     `json:"status"`
	SentAt              *time.Time `json:"sent_at"`
	SubmittedAt         *time.Time `json:"submitted_at"`
	SubmittedBy         *int64     `json:"submitted_by"`
	Version             int        `json:"version"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
	OrganisationName    string     `json:"organisation_name" gorm:"->;-:migration"`
	OrganisationType    string     `json:"organisation_type" gorm:"->;-:migration"`
	Questions           int        `json:"questions" gorm:"->;-:migration"`
	Answered            int        `json:"answered" gorm:"->;-:migration"`
}

// LateOn says whether the questionnaire is past its due date unanswered on day.
func (q *Questionnaire) LateOn(day time.Time) bool {
	return q.Status != QuestionnaireSubmitted && q.DueDate.Before(sitanDay(day))
}

// Late is LateOn today.
func (q *Questionnaire) Late() bool { return q.LateOn(time.Now()) }

// Question is one question of a questionnaire, copied from its template or
// added by the coordinator (Custom).
type Question struct {
	ID                  int64      `json:"id" gorm:"primaryKey"`
	MunicipalityID      int64      `json:"-"`
	SituationAnalysisID int64      `json:"-"`
	QuestionnaireID     int64      `json:"-"`
	Position            int        `json:"position"`
	Code                string     `json:"code"`
	Kind                string     `json:"kind"`
	Indicator           *string    `json:"indicator"`
	Split               bool       `json:"split"`
	TextEn              string     `json:"text_en"`
	TextBs              string     `json:"text_bs"`
	TextSr              string     `json:"text_sr"`
	TextSq              string     `json:"text_sq"`
	TextMk              string     `json:"text_mk"`
	Options             ChoiceList `json:"options" gorm:"type:jsonb"`
	Custom              bool       `json:"custom"`
}

// TableName maps Question to questionnaire_questions.
func (Question) TableName() string { return "questionnaire_questions" }

// Texts is the question in every language it was stored in. Questions
// copied before Serbian, Albanian and Macedonian were added (and
// coordinators' own questions) have only English and Bosnian.
func (q *Question) Texts() Phrase { return Phrase{q.TextEn, q.TextBs, q.TextSr, q.TextSq, q.TextMk} }

// Text is the question in lang, falling back as Phrase.In does.
func (q *Question) Text(lang string) string { return q.Texts().In(lang) }

// QuestionnaireInput carries a new questionnaire; Send skips the draft step.
type QuestionnaireInput struct {
	OrganisationID int64
	Template       string
	DueDate        time.Time
	Send           bool
}

// templateOfOrganisation fills in an empty template with the one made for
// the organisation's type (the employment service gets "pes"); a type
// without a template of its own must name one.
func templateOfOrganisation(ctx context.Context, tx *gorm.DB, muniID int64, in *QuestionnaireInput) error {
	if in.Template != "" || in.OrganisationID == 0 {
		return nil
	}
	org, err := GetOrganisation(ctx, tx, muniID, in.OrganisationID)
	if err != nil {
		return nil // checkQuestionnaireInput names the unknown organisation
	}
	if !slices.Contains(TemplateNames, org.Type) {
		return Invalid("template", "sitan.error.template_for_type")
	}
	in.Template = org.Type
	return nil
}

// CreateQuestionnaire copies a template into a questionnaire for one partner;
// without a template, the one of the organisation's type.
func CreateQuestionnaire(ctx context.Context, db *gorm.DB, a Actor, muniID, sitanID int64, in QuestionnaireInput) (*Questionnaire, error) {
	var out *Questionnaire
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		s, err := lockSitan(tx, muniID, sitanID)
		if err != nil {
			return err
		}
		if err := s.collecting(); err != nil {
			return err
		}
		if err := templateOfOrganisation(ctx, tx, muniID, &in); err != nil {
			return err
		}
		if err := checkQuestionnaireInput(ctx, tx, muniID, in); err != nil {
			return err
		}
		q := &Questionnaire{MunicipalityID: muniID, SituationAnalysisID: sitanID, OrganisationID: in.OrganisationID,
			Template: in.Template, DueDate: sitanDay(in.DueDate), Status: QuestionnaireDraft, Version: 1}
		if in.Send {
			now := time.Now().UTC()
			q.Status, q.SentAt = QuestionnaireSent, &now
		}
		if err := tx.Omit("OrganisationName", "OrganisationType", "Questions", "Answered").Create(q).Error; err != nil {
			if sitanUniqueViolation(err) {
				return Invalid("organisation_id", "sitan.error.duplicate_questionnaire")
			}
			return sitanFrozen(err)
		}
		if err := tx.Create(templateQuestions(q)).Error; err != nil {
			return sitanFrozen(err)
		}
		if err := Audit(ctx, tx, a, muniID, "create", "questionnaire", q.ID, map[string]any{"situation_analysis_id": sitanID,
			"organisation_id": in.OrganisationID, "template": in.Template, "due_date": q.DueDate.Format(time.DateOnly), "status": q.Status}); err != nil {
			return err
		}
		if q.Status == QuestionnaireSent {
			if err := notifyQuestionnaireSent(ctx, tx, a, q); err != nil {
				return err
			}
		}
		out, err = GetQuestionnaire(ctx, tx, muniID, q.ID)
		return err
	})
	return out, err
}

func checkQuestionnaireInput(ctx context.Context, tx *gorm.DB, muniID int64, in QuestionnaireInput) error {
	f := map[string]string{}
	if !slices.Contains(TemplateNames, in.Template) {
		f["template"] = "sitan.error.template"
	}
	if in.DueDate.IsZero() {
		f["due_date"] = "validation.required"
	}
	if _, err := GetOrganisation(ctx, tx, muniID, in.OrganisationID); errors.Is(err, ErrNotFound) {
		f["organisation_id"] = "error.unknown_organisation"
	} else if err != nil {
		return err
	}
	return sitanInvalid(f)
}

// templateQuestions copies the template's questions for q.
func templateQuestions(q *Questionnaire) []Question {
	var out []Question
	for i, t := range QuestionnaireTemplates[q.Template] {
		qu := Question{MunicipalityID: q.MunicipalityID, SituationAnalysisID: q.SituationAnalysisID, QuestionnaireID: q.ID,
			Position: i + 1, Code: t.Code, Kind: t.Kind, TextEn: t.Text.En, TextBs: t.Text.Bs, TextSr: t.Text.Sr, TextSq: t.Text.Sq,
			TextMk: t.Text.Mk, Options: ChoiceList(slices.Clone(t.Options))}
		if t.Indicator != "" {
			ind := t.Indicator
			qu.Indicator = &ind
			def, _ := BaselineIndicatorByCode(ind)
			qu.Split = def.Split
		}
		out = append(out, qu)
	}
	return out
}

// lockQuestionnaire loads a questionnaire for update inside a transaction,
// together with its analysis (which must still be collecting).
func lockQuestionnaire(tx *gorm.DB, muniID, id int64) (*Questionnaire, error) {
	var q Questionnaire
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id = ? AND municipality_id = ?", id, muniID).First(&q).Error
	if err != nil {
		return nil, notFound(err)
	}
	s, err := GetSitan(tx.Statement.Context, tx, muniID, q.SituationAnalysisID)
	if err != nil {
		return nil, err
	}
	return &q, s.collecting()
}

// questionnaireWrite bumps the version of q after a change and audits it;
// version 0 skips the staleness check.
func questionnaireWrite(ctx context.Context, tx *gorm.DB, a Actor, q *Questionnaire, version int, action string,
	set map[string]any, changes any) error {
	if version != 0 && version != q.Version {
		return ErrStale
	}
	if set == nil {
		set = map[string]any{}
	}
	set["version"] = gorm.Expr("version + 1")
	set["updated_at"] = time.Now().UTC()
	err := tx.Model(&Questionnaire{}).Where("id = ? AND municipality_id = ?", q.ID, q.MunicipalityID).Updates(set).Error
	if err != nil {
		return sitanFrozen(err)
	}
	return Audit(ctx, tx, a, q.MunicipalityID, action, "questionnaire", q.ID, changes)
}

// QuestionInput is a coordinator's own question.
type QuestionInput struct {
	TextEn, TextBs string
	Kind           string
	Indicator      string
	Split          bool
	Options        []QuestionChoice
}

// AddQuestion appends a coordinator's question to a draft questionnaire.
func AddQuestion(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, in QuestionInput) (*Question, error) {
	var out *Question
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := lockQuestionnaire(tx, muniID, id)
		if err != nil {
			return err
		}
		if q.Status != QuestionnaireDraft {
			return &StateError{Key: "sitan.error.not_draft"}
		}
		if err := checkQuestionInput(&in); err != nil {
			return err
		}
		var pos int
		if err := tx.Model(&Question{}).Where("questionnaire_id = ?", q.ID).Select("coalesce(max(position), 0)").Scan(&pos).Error; err != nil {
			return err
		}
		qu := &Question{MunicipalityID: muniID, SituationAnalysisID: q.SituationAnalysisID, QuestionnaireID: q.ID,
			Position: pos + 1, Code: fmt.Sprintf("custom_%d", pos+1), Kind: in.Kind, Split: in.Split,
			TextEn: in.TextEn, TextBs: in.TextBs, Options: ChoiceList(in.Options), Custom: true}
		if in.Indicator != "" {
			qu.Indicator = &in.Indicator
		}
		if err := tx.Create(qu).Error; err != nil {
			return sitanFrozen(err)
		}
		out = qu
		return questionnaireWrite(ctx, tx, a, q, 0, "add_question", nil, map[string]any{"code": qu.Code,
			"kind": qu.Kind, "indicator": in.Indicator, "text_en": in.TextEn, "text_bs": in.TextBs})
	})
	return out, err
}

func checkQuestionInput(in *QuestionInput) error {
	in.TextEn, in.TextBs = strings.TrimSpace(in.TextEn), strings.TrimSpace(in.TextBs)
	f := map[string]string{}
	if in.TextEn == "" && in.TextBs == "" {
		f["text_en"] = "sitan.error.question_text"
	}
	if len(in.TextEn) > 1000 || len(in.TextBs) > 1000 {
		f["text_en"] = "validation.max"
	}
	if !slices.Contains(QuestionKinds, in.Kind) {
		f["kind"] = "sitan.error.kind"
	}
	if in.Indicator != "" {
		def, ok := BaselineIndicatorByCode(in.Indicator)
		if !ok || in.Kind != QuestionNumber {
			f["indicator"] = "sitan.error.indicator"
		}
		in.Split = in.Split || def.Split
	}
	if in.Kind != QuestionNumber {
		in.Split = false
	}
	if in.Kind == QuestionChoiceKind {
		sitanCheckOptions(f, in.Options)
	} else {
		in.Options = nil
	}
	return sitanInvalid(f)
}

func sitanCheckOptions(f map[string]string, opts []QuestionChoice) {
	seen := map[string]bool{}
	for _, o := range opts {
		if o.Value == "" || seen[o.Value] || o.Texts().Empty() {
			f["options"] = "sitan.error.options"
		}
		seen[o.Value] = true
	}
	if len(opts) < 2 || len(opts) > 20 {
		f["options"] = "sitan.error.options"
	}
}
