package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Comment limits: a public comment is short, and one address may send only a
// few per hour.
const (
	maxCommentText     = 3000
	maxCommentName     = 100
	commentsPerIPLimit = 5
	commentsPerIPEvery = time.Hour
)

// Comment is a public comment on a draft plan or one of its measures.
type Comment struct {
	ID             int64      `json:"id" gorm:"primaryKey"`
	PlanID         int64      `json:"plan_id"`
	MunicipalityID int64      `json:"-"`
	MeasureID      *int64     `json:"measure_id"`
	PlanVersion    *int       `json:"plan_version"`
	Name           string     `json:"name"`
	Text           string     `json:"text"`
	IPHash         string     `json:"-"`
	Moderation     string     `json:"moderation"`
	ModeratedBy    *int64     `json:"-"`
	Decision       *string    `json:"decision"`
	Response       *string    `json:"response"`
	RespondedBy    *int64     `json:"-"`
	RespondedAt    *time.Time `json:"responded_at"`
	CreatedAt      time.Time  `json:"created_at"`
	MeasureCode    string     `json:"measure_code,omitempty" gorm:"->;-:migration"`
}

// TableName maps Comment to plan_comments.
func (Comment) TableName() string { return "plan_comments" }

// ErrRateLimited means too many comments from one address.
var ErrRateLimited = &rateError{}

type rateError struct{}

func (*rateError) Error() string { return "too many comments" }

// CommentInput is what the public sends.
type CommentInput struct {
	Text      string
	Name      string
	MeasureID *int64
	IPHash    string
}

// AddComment stores a public comment while the consultation is open; it is
// shown only after a coordinator approves it.
func AddComment(ctx context.Context, db *gorm.DB, planID int64, in CommentInput) (*Comment, error) {
	in.Text, in.Name = strings.TrimSpace(in.Text), strings.TrimSpace(in.Name)
	f := map[string]string{}
	checkText(f, "text", in.Text, maxCommentText, true)
	checkText(f, "name", in.Name, maxCommentName, false)
	var c *Comment
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Plan
		if err := tx.Raw(`SELECT * FROM action_plans WHERE id = ? FOR SHARE`, planID).Scan(&p).Error; err != nil || p.ID == 0 {
			if err == nil {
				err = ErrNotFound
			}
			return err
		}
		switch {
		case p.Status == PlanDraft:
			return ErrNotFound // a draft not yet published is not public
		case !p.ConsultationOpen():
			return &StateError{"error.consultation_closed"}
		}
		if in.MeasureID != nil {
			var n int64
			if err := tx.Model(&Measure{}).Where("id = ? AND plan_id = ?", *in.MeasureID, planID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				f["measure_id"] = "validation.measure"
			}
		}
		if len(f) > 0 {
			return &ValidationError{Fields: f}
		}
		var recent int64
		if err := tx.Model(&Comment{}).Where("ip_hash = ? AND created_at > ?", in.IPHash, time.Now().Add(-commentsPerIPEvery)).Count(&recent).Error; err != nil {
			return err
		}
		if recent >= commentsPerIPLimit {
			return ErrRateLimited
		}
		// The comment is tied to the text it was written on: the plan may
		// change during the consultation.
		version := p.Version
		c = &Comment{PlanID: planID, MunicipalityID: p.MunicipalityID, MeasureID: in.MeasureID, PlanVersion: &version, Name: in.Name,
			Text: in.Text, IPHash: in.IPHash, Moderation: "pending"}
		return tx.Create(c).Error
	})
	return c, err
}

// ListComments lists a plan's comments; onlyApproved for the public.
func ListComments(ctx context.Context, db *gorm.DB, muniID, planID int64, onlyApproved bool) ([]Comment, error) {
	var out []Comment
	q := db.WithContext(ctx).Table("plan_comments c").Select("c.*, coalesce(m.code, '') AS measure_code").
		Joins("LEFT JOIN plan_measures m ON m.id = c.measure_id").
		Where("c.plan_id = ? AND c.municipality_id = ?", planID, muniID)
	if onlyApproved {
		q = q.Where("c.moderation = 'approved'")
	}
	return out, q.Order("c.id").Scan(&out).Error
}

// ModerateComment approves a comment for publication or hides it (spam, abuse).
func ModerateComment(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, approve bool) error {
	state := "hidden"
	if approve {
		state = "approved"
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before string
		if err := tx.Model(&Comment{}).Where("id = ? AND municipality_id = ?", id, muniID).Pluck("moderation", &before).Error; err != nil {
			return err
		}
		res := tx.Model(&Comment{}).Where("id = ? AND municipality_id = ?", id, muniID).
			Updates(map[string]any{"moderation": state, "moderated_by": a.UserID})
		if res.Error != nil || res.RowsAffected == 0 {
			if res.Error == nil {
				return ErrNotFound
			}
			return res.Error
		}
		return Audit(ctx, tx, a, muniID, "moderate", "comment", id, map[string]any{"moderation": map[string]any{"from": before, "to": state}})
	})
}

// CommentDecisions are the commission's answers to a comment.
var CommentDecisions = []string{"accepted", "rejected", "noted"}

// RespondToComment records the commission's answer with its reason.
func RespondToComment(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, decision, text string) (*Comment, error) {
	text = strings.TrimSpace(text)
	f := map[string]string{}
	if !contains(CommentDecisions, decision) {
		f["decision"] = "validation.decision"
	}
	checkText(f, "text", text, maxCommentText, true)
	if len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	var c Comment
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND municipality_id = ?", id, muniID).First(&c).Error; err != nil {
			return notFound(err)
		}
		var st string
		if err := tx.Model(&Plan{}).Where("id = ?", c.PlanID).Pluck("status", &st).Error; err != nil {
			return err
		}
		if st == PlanAdopted || st == PlanSuperseded {
			return &StateError{"error.plan_state_respond"}
		}
		before := map[string]any{"decision": c.Decision, "text": c.Response}
		now := time.Now()
		err := tx.Model(&c).Updates(map[string]any{"decision": decision, "response": text, "responded_by": a.UserID, "responded_at": now}).Error
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "respond", "comment", id, Diff(before, map[string]any{"decision": decision, "text": text}))
	})
	if err != nil {
		return nil, err
	}
	return &c, db.WithContext(ctx).First(&c, id).Error
}
