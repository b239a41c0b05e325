package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SendQuestionnaire sends a draft to its partner organisation.
func SendQuestionnaire(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int) (*Questionnaire, error) {
	return questionnaireStep(ctx, db, muniID, id, func(tx *gorm.DB, q *Questionnaire) error {
		if q.Status != QuestionnaireDraft {
			return &StateError{Key: "sitan.error.not_draft"}
		}
		err := questionnaireWrite(ctx, tx, a, q, version, "send", map[string]any{"status": QuestionnaireSent,
			"sent_at": time.Now().UTC()}, map[string]any{"status": QuestionnaireSent})
		if err != nil {
			return err
		}
		return notifyQuestionnaireSent(ctx, tx, a, q)
	})
}

// SubmitQuestionnaire hands the answers in; they are read-only from then on.
// At least one question must be answered.
func SubmitQuestionnaire(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int) (*Questionnaire, error) {
	return questionnaireStep(ctx, db, muniID, id, func(tx *gorm.DB, q *Questionnaire) error {
		if q.Status != QuestionnaireSent {
			return &StateError{Key: "sitan.error.not_open"}
		}
		var n int64
		if err := tx.Table("questionnaire_answers").Where("questionnaire_id = ?", q.ID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return Invalid("answers", "sitan.error.no_answers")
		}
		now := time.Now().UTC()
		return questionnaireWrite(ctx, tx, a, q, version, "submit", map[string]any{"status": QuestionnaireSubmitted,
			"submitted_at": now, "submitted_by": sitanUser(a)}, map[string]any{"status": QuestionnaireSubmitted, "answers": n})
	})
}

// ReopenQuestionnaire lets the partner change submitted answers again; the
// reason is kept in the audit log.
func ReopenQuestionnaire(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, reason string) (*Questionnaire, error) {
	reason = strings.TrimSpace(reason)
	return questionnaireStep(ctx, db, muniID, id, func(tx *gorm.DB, q *Questionnaire) error {
		if q.Status != QuestionnaireSubmitted {
			return &StateError{Key: "sitan.error.not_submitted"}
		}
		if len(reason) > 1000 {
			return Invalid("reason", "validation.max")
		}
		return questionnaireWrite(ctx, tx, a, q, version, "reopen", map[string]any{"status": QuestionnaireSent,
			"submitted_at": nil, "submitted_by": nil}, map[string]any{"status": QuestionnaireSent, "reason": reason,
			"submitted_at": q.SubmittedAt})
	})
}

// questionnaireStep runs one state change on a locked questionnaire of a
// collecting analysis and returns the result.
func questionnaireStep(ctx context.Context, db *gorm.DB, muniID, id int64, step func(*gorm.DB, *Questionnaire) error) (*Questionnaire, error) {
	var out *Questionnaire
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := lockQuestionnaire(tx, muniID, id)
		if err != nil {
			return err
		}
		if err := step(tx, q); err != nil {
			return err
		}
		out, err = GetQuestionnaire(ctx, tx, muniID, id)
		return err
	})
	return out, err
}

// questionnaireSelect adds the organisation and the question/answer counts.
func questionnaireSelect(db *gorm.DB) *gorm.DB {
	return db.Table("questionnaires q").
		Select(`q.*, o.name AS organisation_name, o.type AS organisation_type,
			(SELECT count(*) FROM questionnaire_questions x WHERE x.questionnaire_id = q.id) AS questions,
			(SELECT count(*) FROM questionnaire_answers x WHERE x.questionnaire_id = q.id) AS answered`).
		Joins("JOIN organisations o ON o.id = q.organisation_id")
}

// GetQuestionnaire loads a questionnaire of the municipality.
func GetQuestionnaire(ctx context.Context, db *gorm.DB, muniID, id int64) (*Questionnaire, error) {
	var q Questionnaire
	err := questionnaireSelect(db.WithContext(ctx)).Where("q.id = ? AND q.municipality_id = ?", id, muniID).Take(&q).Error
	return &q, notFound(err)
}

// ListQuestionnaires returns the questionnaires of an analysis.
func ListQuestionnaires(ctx context.Context, db *gorm.DB, muniID, sitanID int64) ([]Questionnaire, error) {
	var out []Questionnaire
	err := questionnaireSelect(db.WithContext(ctx)).
		Where("q.municipality_id = ? AND q.situation_analysis_id = ?", muniID, sitanID).
		Order("lower(o.name), q.template").Find(&out).Error
	return out, err
}

// QuestionnaireQuestions returns a questionnaire's questions in order.
func QuestionnaireQuestions(ctx context.Context, db *gorm.DB, muniID, questionnaireID int64) ([]Question, error) {
	var out []Question
	err := db.WithContext(ctx).Where("municipality_id = ? AND questionnaire_id = ?", muniID, questionnaireID).
		Order("position, id").Find(&out).Error
	return out, err
}

// MunicipalityOfQuestionnaire answers which municipality owns a questionnaire (for the policy).
func MunicipalityOfQuestionnaire(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return sitanOwner(ctx, db, "questionnaires", id)
}

// OpenQuestionnaire is a questionnaire waiting for an organisation's answers.
type OpenQuestionnaire struct {
	ID               int64
	MunicipalityID   int64
	MunicipalityName string
	SitanTitle       string
	Year             int
	DueDate          time.Time
}

// Late says whether it is past due.
func (o OpenQuestionnaire) Late() bool { return o.DueDate.Before(sitanDay(time.Now())) }

// OpenQuestionnairesFor lists the sent, unanswered questionnaires of an
// organisation in analyses still collecting, where userID holds at least a
// member role (viewers cannot answer).
func OpenQuestionnairesFor(ctx context.Context, db *gorm.DB, userID, orgID int64) ([]OpenQuestionnaire, error) {
	var out []OpenQuestionnaire
	err := db.WithContext(ctx).Raw(`SELECT q.id, q.municipality_id, mu.name AS municipality_name,
			s.title AS sitan_title, s.year, q.due_date
		FROM questionnaires q
		JOIN situation_analyses s ON s.id = q.situation_analysis_id AND s.status = 'collecting'
		JOIN municipalities mu ON mu.id = q.municipality_id
		JOIN memberships m ON m.municipality_id = q.municipality_id AND m.user_id = ? AND m.role IN ('member', 'coordinator')
		WHERE q.organisation_id = ? AND q.status = 'sent'
		ORDER BY q.due_date, q.id`, userID, orgID).Scan(&out).Error
	return out, err
}
