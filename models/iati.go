package models

import (
	"context"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// IATI publishing (docs/iati.md). A municipality publishes its adopted
// plans under an IATI organisation identifier: the one it registered (set
// by its coordinator), or DefaultIATIPrefix + its slug until it has one.

// DefaultIATIPrefix starts the organisation identifier of a municipality
// that has not set its own. "XM" is the IATI prefix for identifiers that no
// national registry issues; "PAKT" says which system made it up.
const DefaultIATIPrefix = "XM-PAKT-"

// iatiOrgRefRe is the shape migration 00013 allows: a registration agency
// prefix of two letters, a hyphen and an identifier without spaces or the
// characters IATI forbids in identifiers (/ & | ?).
var iatiOrgRefRe = regexp.MustCompile(`^[A-Za-z]{2}-[A-Za-z0-9][A-Za-z0-9._-]{0,97}$`)

// IATISetting is a municipality's IATI organisation identifier.
type IATISetting struct {
	OrgRef  string `json:"org_ref"`         // the identifier in use
	Default string `json:"default_org_ref"` // what OrgRef is when none is set
	Custom  bool   `json:"custom"`          // whether the municipality set its own
	Version int    `json:"version"`         // the municipality's version
}

// IATISettingOf reads a municipality's identifier.
func IATISettingOf(ctx context.Context, db *gorm.DB, muniID int64) (*IATISetting, error) {
	var row struct {
		Slug       string
		IATIOrgRef *string `gorm:"column:iati_org_ref"`
		Version    int
	}
	err := db.WithContext(ctx).Raw(`SELECT slug, iati_org_ref, version FROM municipalities WHERE id = ?`, muniID).Scan(&row).Error
	if err != nil {
		return nil, err
	}
	if row.Slug == "" {
		return nil, ErrNotFound
	}
	s := &IATISetting{Default: DefaultIATIPrefix + row.Slug, Version: row.Version}
	s.OrgRef, s.Custom = s.Default, row.IATIOrgRef != nil
	if s.Custom {
		s.OrgRef = *row.IATIOrgRef
	}
	return s, nil
}

// SetIATIOrgRef sets (or, with "", clears) a municipality's identifier. A
// version other than 0 must be the municipality's current one (ErrStale).
func SetIATIOrgRef(ctx context.Context, db *gorm.DB, a Actor, muniID int64, version int, ref string) (*IATISetting, error) {
	ref = strings.TrimSpace(ref)
	if ref != "" && !iatiOrgRefRe.MatchString(ref) {
		return nil, Invalid("org_ref", "validation.iati_org_ref")
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before *string
		if err := tx.Raw("SELECT iati_org_ref FROM municipalities WHERE id = ?", muniID).Scan(&before).Error; err != nil {
			return err
		}
		q := tx.Table("municipalities").Where("id = ?", muniID)
		if version != 0 {
			q = q.Where("version = ?", version)
		}
		var value any
		if ref != "" {
			value = ref
		}
		res := q.Updates(map[string]any{"iati_org_ref": value, "version": gorm.Expr("version + 1"), "updated_at": time.Now()})
		switch {
		case isUniqueViolation(res.Error):
			return Invalid("org_ref", "validation.iati_org_ref_taken")
		case res.Error != nil:
			return res.Error
		case res.RowsAffected == 0 && version != 0:
			return ErrStale
		case res.RowsAffected == 0:
			return ErrNotFound
		}
		return Audit(ctx, tx, a, muniID, "update", "iati_setting", muniID, map[string]any{"org_ref": map[string]any{"from": before, "to": ref}})
	})
	if err != nil {
		return nil, err
	}
	return IATISettingOf(ctx, db, muniID)
}

// IATIData is everything the IATI file of a plan is made of. Only what is
// already public goes in: the adopted plan, and progress from reporting
// periods whose report is published.
type IATIData struct {
	Plan     *Plan                         // with objectives, measures, indicators, budget (GetPlan)
	Orgs     map[int64]Organisation        // the municipality's organisations by id
	Periods  []Period                      // the plan's published periods, oldest first
	Progress map[int64]map[int64]*Progress // period id → measure id → report
	Updated  time.Time                     // the latest change among the above
}

// LoadIATIData reads a plan for its IATI file. A plan that was never adopted
// is a StateError: IATI describes commitments, and a draft is none.
func LoadIATIData(ctx context.Context, db *gorm.DB, muniID, planID int64) (*IATIData, error) {
	p, err := GetPlan(ctx, db, muniID, planID)
	if err != nil {
		return nil, err
	}
	if p.Status != PlanAdopted && p.Status != PlanSuperseded {
		return nil, &StateError{"opendata.iati.not_adopted"}
	}
	d := &IATIData{Plan: p, Orgs: map[int64]Organisation{}, Progress: map[int64]map[int64]*Progress{}, Updated: p.UpdatedAt}
	orgs, err := ListOrganisations(ctx, db, muniID)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		d.Orgs[o.ID] = o
	}
	if err := d.loadPublishedProgress(ctx, db, muniID); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *IATIData) loadPublishedProgress(ctx context.Context, db *gorm.DB, muniID int64) error {
	periods, err := ListPeriods(ctx, db, muniID, d.Plan.ID)
	if err != nil {
		return err
	}
	for _, per := range periods {
		if per.PublishedAt == nil {
			continue
		}
		d.Periods = append(d.Periods, per)
		if d.Progress[per.ID], err = PeriodProgress(ctx, db, muniID, per.ID); err != nil {
			return err
		}
		d.Updated = latest(d.Updated, *per.PublishedAt)
		for _, r := range d.Progress[per.ID] {
			d.Updated = latest(d.Updated, r.UpdatedAt)
			if r.ReviewedAt != nil {
				d.Updated = latest(d.Updated, *r.ReviewedAt)
			}
		}
	}
	return nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// PlanStatusOf is a plan's status inside its municipality (ErrNotFound
// when it is not there): enough to decide, before anything is built,
// whether the plan may be published.
func PlanStatusOf(ctx context.Context, db *gorm.DB, muniID, planID int64) (string, error) {
	var st []string
	err := db.WithContext(ctx).Model(&Plan{}).Where("id = ? AND municipality_id = ?", planID, muniID).Pluck("status", &st).Error
	if err != nil {
		return "", err
	}
	if len(st) == 0 {
		return "", ErrNotFound
	}
	return st[0], nil
}
