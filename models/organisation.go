package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// OrganisationTypes are the partner kinds of API.md, in display order.
var OrganisationTypes = []string{"municipality", "pes", "csw", "ngo", "employer", "education",
	"health", "police", "judiciary", "media", "international", "other"}

// Organisation is a partner institution inside one municipality.
type Organisation struct {
	ID             int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID int64     `json:"municipality_id"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// OrganisationInput carries the editable fields of an organisation.
type OrganisationInput struct {
	Name string
	Type string
}

// CreateOrganisation adds a partner to a municipality.
func CreateOrganisation(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in OrganisationInput) (*Organisation, error) {
	o := &Organisation{MunicipalityID: muniID, Name: in.Name, Type: in.Type, Version: 1}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := orgNameFree(ctx, tx, muniID, 0, in.Name); err != nil {
			return err
		}
		if err := tx.Create(o).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "organisation", o.ID, map[string]any{"name": in.Name, "type": in.Type})
	})
	return o, err
}

// UpdateOrganisation edits a partner of the given municipality; version 0 skips the staleness check.
func UpdateOrganisation(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, in OrganisationInput) (*Organisation, error) {
	var out *Organisation
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetOrganisation(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		if err := orgNameFree(ctx, tx, muniID, id, in.Name); err != nil {
			return err
		}
		q := tx.Model(&Organisation{}).Where("id = ? AND municipality_id = ?", id, muniID)
		if version != 0 {
			q = q.Where("version = ?", version)
		}
		res := q.Updates(map[string]any{"name": in.Name, "type": in.Type,
			"version": gorm.Expr("version + 1"), "updated_at": time.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		changes := Diff(map[string]any{"name": before.Name, "type": before.Type}, map[string]any{"name": in.Name, "type": in.Type})
		if err := Audit(ctx, tx, a, muniID, "update", "organisation", id, changes); err != nil {
			return err
		}
		out, err = GetOrganisation(ctx, tx, muniID, id)
		return err
	})
	return out, err
}

func orgNameFree(ctx context.Context, db *gorm.DB, muniID, id int64, name string) error {
	var n int64
	err := db.WithContext(ctx).Model(&Organisation{}).
		Where("municipality_id = ? AND lower(name) = lower(?) AND id <> ?", muniID, name, id).Count(&n).Error
	if err == nil && n > 0 {
		return Invalid("name", "error.name_taken")
	}
	return err
}

// GetOrganisation loads a partner, only if it belongs to the municipality.
func GetOrganisation(ctx context.Context, db *gorm.DB, muniID, id int64) (*Organisation, error) {
	var o Organisation
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&o).Error
	return &o, notFound(err)
}

// ListOrganisations returns the partners of one municipality by name.
func ListOrganisations(ctx context.Context, db *gorm.DB, muniID int64) ([]Organisation, error) {
	var os []Organisation
	err := db.WithContext(ctx).Where("municipality_id = ?", muniID).Order("lower(name)").Find(&os).Error
	return os, err
}

// MunicipalityOfOrganisation answers which municipality owns an organisation (for the policy).
func MunicipalityOfOrganisation(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	var muni int64
	err := db.WithContext(ctx).Model(&Organisation{}).Select("municipality_id").Where("id = ?", id).Scan(&muni).Error
	if err == nil && muni == 0 {
		return 0, ErrNotFound
	}
	return muni, err
}
