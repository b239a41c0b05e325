package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Editing and deleting what the analysis and the focus groups recorded
// (issue #17). Findings and vulnerable groups change while their analysis
// is collecting (published, the database freezes them). Focus groups and
// their needs change while no adopted plan cites them. What a plan cites is
// never deleted: the citation would point at nothing.

// FindingOf loads a finding of the municipality.
func FindingOf(ctx context.Context, db *gorm.DB, muniID, id int64) (*Finding, error) {
	var f Finding
	err := db.WithContext(ctx).Omit("SourceName").Where("id = ? AND municipality_id = ?", id, muniID).First(&f).Error
	return &f, notFound(err)
}

// InputOf returns a finding as input (for PATCH).
func (f *Finding) InputOf() FindingInput {
	return FindingInput{Statement: f.Statement, Group: f.Group, Barrier: f.Barrier, SourceOrganisationID: f.SourceOrganisationID}
}

// UpdateFinding replaces a finding of a collecting analysis.
func UpdateFinding(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, in FindingInput) (*Finding, error) {
	old, err := FindingOf(ctx, db, muniID, id)
	if err != nil {
		return nil, err
	}
	in.Statement = strings.TrimSpace(in.Statement)
	err = sitanChild(ctx, db, muniID, old.SituationAnalysisID, func(tx *gorm.DB) error {
		if err := checkFindingInput(ctx, tx, muniID, in); err != nil {
			return err
		}
		err := tx.Model(&Finding{}).Where("id = ? AND municipality_id = ?", id, muniID).Updates(map[string]any{
			"statement": in.Statement, "group_code": in.Group, "barrier": in.Barrier, "source_organisation_id": in.SourceOrganisationID}).Error
		if err != nil {
			return sitanFrozen(err)
		}
		return Audit(ctx, tx, a, muniID, "update", "finding", id, map[string]any{"before": old.InputOf(), "after": in})
	})
	if err != nil {
		return nil, err
	}
	return FindingOf(ctx, db, muniID, id)
}

// DeleteFinding removes a finding of a collecting analysis no measure cites.
func DeleteFinding(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) error {
	old, err := FindingOf(ctx, db, muniID, id)
	if err != nil {
		return err
	}
	return sitanChild(ctx, db, muniID, old.SituationAnalysisID, func(tx *gorm.DB) error {
		if err := refuseCited(tx, "finding", []int64{id}, false); err != nil {
			return err
		}
		if err := tx.Where("id = ? AND municipality_id = ?", id, muniID).Delete(&Finding{}).Error; err != nil {
			return sitanFrozen(err)
		}
		return Audit(ctx, tx, a, muniID, "delete", "finding", id, old.InputOf())
	})
}

// VulnerableGroupOf loads a vulnerable group of the municipality.
func VulnerableGroupOf(ctx context.Context, db *gorm.DB, muniID, id int64) (*VulnerableGroup, error) {
	var g VulnerableGroup
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&g).Error
	return &g, notFound(err)
}

// InputOf returns a vulnerable group as input (for PATCH).
func (g *VulnerableGroup) InputOf() VulnerableGroupInput {
	return VulnerableGroupInput{Group: g.Group, Label: g.Label, EstimatedSize: g.EstimatedSize, Women: g.Women, Men: g.Men,
		Barriers: append([]string{}, g.Barriers...), SpecificBarriers: append([]string{}, g.SpecificBarriers...), Priority: g.Priority}
}

// UpdateVulnerableGroup replaces a group of a collecting analysis.
func UpdateVulnerableGroup(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, in VulnerableGroupInput) (*VulnerableGroup, error) {
	old, err := VulnerableGroupOf(ctx, db, muniID, id)
	if err != nil {
		return nil, err
	}
	err = sitanChild(ctx, db, muniID, old.SituationAnalysisID, func(tx *gorm.DB) error {
		if err := checkGroupInput(&in); err != nil {
			return err
		}
		err := tx.Model(&VulnerableGroup{}).Where("id = ? AND municipality_id = ?", id, muniID).Updates(map[string]any{
			"group_code": in.Group, "label": in.Label, "estimated_size": in.EstimatedSize, "women": in.Women, "men": in.Men,
			"barriers": CodeList(in.Barriers), "specific_barriers": CodeList(orEmpty(in.SpecificBarriers)), "priority": in.Priority}).Error
		if err != nil {
			return sitanFrozen(err)
		}
		return Audit(ctx, tx, a, muniID, "update", "vulnerable_group", id, map[string]any{"before": old.InputOf(), "after": in})
	})
	if err != nil {
		return nil, err
	}
	return VulnerableGroupOf(ctx, db, muniID, id)
}

// DeleteVulnerableGroup removes a group of a collecting analysis.
func DeleteVulnerableGroup(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) error {
	old, err := VulnerableGroupOf(ctx, db, muniID, id)
	if err != nil {
		return err
	}
	return sitanChild(ctx, db, muniID, old.SituationAnalysisID, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND municipality_id = ?", id, muniID).Delete(&VulnerableGroup{}).Error; err != nil {
			return sitanFrozen(err)
		}
		return Audit(ctx, tx, a, muniID, "delete", "vulnerable_group", id, old.InputOf())
	})
}

// refuseCited answers 409 when a measure (of an adopted plan only, with
// adoptedOnly) cites one of the findings or needs.
func refuseCited(tx *gorm.DB, kind string, ids []int64, adoptedOnly bool) error {
	if len(ids) == 0 {
		return nil
	}
	q := tx.Table("measure_evidence e").Joins("JOIN action_plans p ON p.id = e.plan_id").
		Where("e.kind = ? AND e.evidence_id IN ?", kind, ids)
	key := "sitan.error.cited"
	if adoptedOnly {
		q = q.Where("p.status IN ?", []string{PlanAdopted, PlanSuperseded})
		key = "sitan.error.cited_adopted"
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return &StateError{Key: key}
	}
	return nil
}

// lockFocusGroup locks a focus group of the municipality.
func lockFocusGroup(tx *gorm.DB, muniID, id int64) (*FocusGroup, []int64, error) {
	var fg FocusGroup
	err := tx.Raw(`SELECT * FROM focus_groups WHERE id = ? AND municipality_id = ? FOR UPDATE`, id, muniID).Scan(&fg).Error
	if err == nil && fg.ID == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	var needs []int64
	err = tx.Table("focus_group_needs").Where("focus_group_id = ?", id).Pluck("id", &needs).Error
	return &fg, needs, err
}

// InputOf returns a focus group's head as input (for PATCH; needs change one by one).
func (f *FocusGroup) InputOf() FocusGroupInput {
	in := FocusGroupInput{HeldOn: f.HeldOn, Place: f.Place, Groups: append([]string{}, f.Groups...), Total: f.ParticipantsTotal,
		Women: f.ParticipantsWomen, Men: f.ParticipantsMen, ConsentObtained: f.ConsentObtained, Summary: f.Summary}
	if f.HasAges() {
		in.Ages = []int{*f.Age1529, *f.Age3049, *f.Age50Plus}
	}
	return in
}

// UpdateFocusGroup changes a focus group's date, place, groups, counts,
// consent and summary while no adopted plan cites its needs.
func UpdateFocusGroup(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, in FocusGroupInput) (*FocusGroup, error) {
	in.Needs, in.FacilitatorUserIDs = nil, nil
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, needs, err := lockFocusGroup(tx, muniID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != old.Version {
			return ErrStale
		}
		if err := refuseCited(tx, "need", needs, true); err != nil {
			return err
		}
		if err := checkFocusInput(ctx, tx, muniID, &in); err != nil {
			return err
		}
		row := focusRow(muniID, a, in)
		err = tx.Model(&FocusGroup{}).Where("id = ?", id).Updates(map[string]any{"held_on": row.HeldOn, "place": row.Place,
			"groups": row.Groups, "participants_total": row.ParticipantsTotal, "participants_women": row.ParticipantsWomen,
			"participants_men": row.ParticipantsMen, "age_15_29": row.Age1529, "age_30_49": row.Age3049, "age_50_plus": row.Age50Plus,
			"consent_obtained": row.ConsentObtained, "summary": row.Summary, "version": gorm.Expr("version + 1"), "updated_at": time.Now()}).Error
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "update", "focus_group", id, map[string]any{"before": focusAudit(old.InputOf()), "after": focusAudit(in)})
	})
	if err != nil {
		return nil, err
	}
	return GetFocusGroup(ctx, db, muniID, id)
}

// DeleteFocusGroup removes a focus group none of whose needs a plan cites.
func DeleteFocusGroup(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, needs, err := lockFocusGroup(tx, muniID, id)
		if err != nil {
			return err
		}
		if err := refuseCited(tx, "need", needs, false); err != nil {
			return err
		}
		for _, table := range []string{"focus_group_needs", "focus_group_facilitators", "focus_group_files"} {
			if err := tx.Exec("DELETE FROM "+table+" WHERE focus_group_id = ?", id).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec("DELETE FROM focus_groups WHERE id = ?", id).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "delete", "focus_group", id, focusAudit(old.InputOf()))
	})
}

// NeedOf loads a need of the municipality.
func NeedOf(ctx context.Context, db *gorm.DB, muniID, id int64) (*Need, error) {
	var n Need
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&n).Error
	return &n, notFound(err)
}

// InputOf returns a need as input (for PATCH).
func (n *Need) InputOf() NeedInput {
	in := NeedInput{Statement: n.Statement, Barrier: n.Barrier, Priority: n.Priority, Quote: n.Quote}
	if n.Group != nil {
		in.Group = *n.Group
	}
	return in
}

// UpdateNeed changes a need while no adopted plan cites it.
func UpdateNeed(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, in NeedInput) (*Need, error) {
	old, err := NeedOf(ctx, db, muniID, id)
	if err != nil {
		return nil, err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		fg, _, err := lockFocusGroup(tx, muniID, old.FocusGroupID)
		if err != nil {
			return err
		}
		if err := refuseCited(tx, "need", []int64{id}, true); err != nil {
			return err
		}
		// The need is checked as the only need of its focus group.
		check := FocusGroupInput{Groups: fg.Groups, Needs: []NeedInput{in}}
		f := map[string]string{}
		checkNeeds(f, &check)
		if len(f) > 0 {
			return &ValidationError{Fields: needFields(f)}
		}
		n := check.Needs[0]
		var group *string
		if n.Group != "" {
			group = &n.Group
		}
		err = tx.Model(&Need{}).Where("id = ?", id).Updates(map[string]any{"statement": n.Statement, "barrier": n.Barrier,
			"priority": n.Priority, "group_code": group, "quote": n.Quote}).Error
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "update", "need", id, map[string]any{"before": old.InputOf(), "after": n})
	})
	if err != nil {
		return nil, err
	}
	return NeedOf(ctx, db, muniID, id)
}

// needFields names the fields of a need's errors without the needs[0]. prefix.
func needFields(f map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range f {
		if len(k) > len("needs[0].") && k[:len("needs[0].")] == "needs[0]." {
			k = k[len("needs[0]."):]
		}
		out[k] = v
	}
	return out
}

// DeleteNeed removes a need no plan cites.
func DeleteNeed(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) error {
	old, err := NeedOf(ctx, db, muniID, id)
	if err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, _, err := lockFocusGroup(tx, muniID, old.FocusGroupID); err != nil {
			return err
		}
		if err := refuseCited(tx, "need", []int64{id}, false); err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM focus_group_needs WHERE id = ?", id).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "delete", "need", id, old.InputOf())
	})
}

// MunicipalityOfFinding answers which municipality owns a finding (for the policy).
func MunicipalityOfFinding(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return sitanOwner(ctx, db, "sitan_findings", id)
}

// MunicipalityOfVulnerableGroup answers which municipality owns a vulnerable group (for the policy).
func MunicipalityOfVulnerableGroup(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return sitanOwner(ctx, db, "vulnerable_groups", id)
}

// MunicipalityOfNeed answers which municipality owns a focus-group need (for the policy).
func MunicipalityOfNeed(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return sitanOwner(ctx, db, "focus_group_needs", id)
}
