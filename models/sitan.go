package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Situation-analysis states: partners answer while "collecting"; once
// "published" the analysis and everything in it is frozen by the database.
const (
	SitanCollecting = "collecting"
	SitanPublished  = "published"
)

// SituationAnalysis is a municipality's evidence base for one year.
type SituationAnalysis struct {
	ID             int64      `json:"id" gorm:"primaryKey"`
	MunicipalityID int64      `json:"municipality_id"`
	Title          string     `json:"title"`
	Year           int        `json:"year"`
	Status         string     `json:"status"`
	PublishedAt    *time.Time `json:"published_at"`
	PublishedBy    *int64     `json:"published_by"`
	CreatedBy      *int64     `json:"created_by"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// TableName maps SituationAnalysis to situation_analyses.
func (SituationAnalysis) TableName() string { return "situation_analyses" }

// Published says whether the analysis is published (and frozen).
func (s *SituationAnalysis) Published() bool { return s.Status == SitanPublished }

// SitanInput carries the fields of a new analysis.
type SitanInput struct {
	Title string
	Year  int
}

// CreateSitan opens a situation analysis in "collecting".
func CreateSitan(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in SitanInput) (*SituationAnalysis, error) {
	s := &SituationAnalysis{MunicipalityID: muniID, Title: strings.TrimSpace(in.Title), Year: in.Year,
		Status: SitanCollecting, Version: 1, CreatedBy: sitanUser(a)}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(s).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "situation_analysis", s.ID, map[string]any{"title": s.Title, "year": s.Year})
	})
	return s, err
}

// GetSitan loads an analysis of the municipality.
func GetSitan(ctx context.Context, db *gorm.DB, muniID, id int64) (*SituationAnalysis, error) {
	var s SituationAnalysis
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&s).Error
	return &s, notFound(err)
}

// lockSitan loads an analysis for update inside a transaction.
func lockSitan(tx *gorm.DB, muniID, id int64) (*SituationAnalysis, error) {
	var s SituationAnalysis
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id = ? AND municipality_id = ?", id, muniID).First(&s).Error
	return &s, notFound(err)
}

// collecting refuses work on a published analysis.
func (s *SituationAnalysis) collecting() error {
	if s.Status != SitanCollecting {
		return &StateError{Key: "sitan.error.published"}
	}
	return nil
}

// ListSitans returns a municipality's analyses, newest year first.
func ListSitans(ctx context.Context, db *gorm.DB, muniID int64) ([]SituationAnalysis, error) {
	var out []SituationAnalysis
	err := db.WithContext(ctx).Where("municipality_id = ?", muniID).Order("year DESC, id DESC").Find(&out).Error
	return out, err
}

// ListPublishedSitans returns the analyses the public may read.
func ListPublishedSitans(ctx context.Context, db *gorm.DB, muniID int64) ([]SituationAnalysis, error) {
	var out []SituationAnalysis
	err := db.WithContext(ctx).Where("municipality_id = ? AND status = ?", muniID, SitanPublished).
		Order("year DESC, id DESC").Find(&out).Error
	return out, err
}

// PublishSitan publishes the analysis with whatever was answered; from then
// on the database refuses any change to it. version 0 skips the staleness
// check.
func PublishSitan(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int) (*SituationAnalysis, error) {
	return PublishSitanConfirmed(ctx, db, a, muniID, id, version, true)
}

// PublishSitanConfirmed publishes the analysis; while questionnaires are
// unanswered (not submitted) it does so only when the caller confirms
// (confirmUnanswered), having been shown which ones: publishing freezes the
// analysis, and answers that come later are lost to it.
func PublishSitanConfirmed(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, confirmUnanswered bool) (*SituationAnalysis, error) {
	var out *SituationAnalysis
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		s, err := lockSitan(tx, muniID, id)
		if err != nil {
			return err
		}
		if err := s.collecting(); err != nil {
			return err
		}
		if version != 0 && version != s.Version {
			return ErrStale
		}
		var open int64
		if err := tx.Table("questionnaires").Where("situation_analysis_id = ? AND status <> ?", id, QuestionnaireSubmitted).
			Count(&open).Error; err != nil {
			return err
		}
		if open > 0 && !confirmUnanswered {
			return &StateError{Key: "sitan.error.unanswered"}
		}
		now := time.Now().UTC()
		err = tx.Model(&SituationAnalysis{}).Where("id = ? AND municipality_id = ?", id, muniID).
			Updates(map[string]any{"status": SitanPublished, "published_at": now, "published_by": sitanUser(a),
				"version": gorm.Expr("version + 1"), "updated_at": now}).Error
		if err != nil {
			return sitanFrozen(err)
		}
		if err := Audit(ctx, tx, a, muniID, "publish", "situation_analysis", id, map[string]any{"title": s.Title}); err != nil {
			return err
		}
		out, err = GetSitan(ctx, tx, muniID, id)
		return err
	})
	return out, err
}

// MunicipalityOfSitan answers which municipality owns an analysis (for the policy).
func MunicipalityOfSitan(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return sitanOwner(ctx, db, "situation_analyses", id)
}

// sitanOwner reads municipality_id of one row of a tenant table.
func sitanOwner(ctx context.Context, db *gorm.DB, table string, id int64) (int64, error) {
	var muni int64
	err := db.WithContext(ctx).Table(table).Select("municipality_id").Where("id = ?", id).Scan(&muni).Error
	if err == nil && muni == 0 {
		return 0, ErrNotFound
	}
	return muni, err
}

// sitanUser is the actor's user id, or nil for system writes (seed).
func sitanUser(a Actor) *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}
