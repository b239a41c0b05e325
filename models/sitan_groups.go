package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// VulnerableGroup is a group the analysis identified, ranked by priority.
type VulnerableGroup struct {
	ID                  int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID      int64     `json:"municipality_id"`
	SituationAnalysisID int64     `json:"situation_analysis_id"`
	Group               string    `json:"group" gorm:"column:group_code"`
	Label               string    `json:"label"`
	EstimatedSize       int       `json:"estimated_size"`
	Women               *int      `json:"women"`
	Men                 *int      `json:"men"`
	Barriers            CodeList  `json:"barriers" gorm:"type:text[]"`
	SpecificBarriers    CodeList  `json:"specific_barriers" gorm:"type:text[]"`
	Priority            int       `json:"priority"`
	CreatedBy           *int64    `json:"-"`
	CreatedAt           time.Time `json:"created_at"`
}

// VulnerableGroupInput carries a new group. Barrier families implied by the
// specific barriers are added to Barriers.
type VulnerableGroupInput struct {
	Group            string
	Label            string
	EstimatedSize    int
	Women, Men       *int
	Barriers         []string
	SpecificBarriers []string
	Priority         int
}

// AddVulnerableGroup records a group of a collecting analysis.
func AddVulnerableGroup(ctx context.Context, db *gorm.DB, a Actor, muniID, sitanID int64, in VulnerableGroupInput) (*VulnerableGroup, error) {
	var g *VulnerableGroup
	err := sitanChild(ctx, db, muniID, sitanID, func(tx *gorm.DB) error {
		if err := checkGroupInput(&in); err != nil {
			return err
		}
		g = &VulnerableGroup{MunicipalityID: muniID, SituationAnalysisID: sitanID, Group: in.Group, Label: in.Label,
			EstimatedSize: in.EstimatedSize, Women: in.Women, Men: in.Men, Barriers: CodeList(in.Barriers),
			SpecificBarriers: CodeList(in.SpecificBarriers), Priority: in.Priority, CreatedBy: sitanUser(a)}
		if err := tx.Create(g).Error; err != nil {
			return sitanFrozen(err)
		}
		return Audit(ctx, tx, a, muniID, "create", "vulnerable_group", g.ID, map[string]any{"situation_analysis_id": sitanID,
			"group": g.Group, "label": g.Label, "estimated_size": g.EstimatedSize, "women": g.Women, "men": g.Men,
			"barriers": in.Barriers, "specific_barriers": in.SpecificBarriers, "priority": g.Priority})
	})
	return g, err
}

// CheckVulnerableGroup reports every invalid field of a new group (handlers
// call it to list them together with their own checks).
func CheckVulnerableGroup(in VulnerableGroupInput) error { return checkGroupInput(&in) }

func checkGroupInput(in *VulnerableGroupInput) error {
	in.Label = strings.TrimSpace(in.Label)
	f := map[string]string{}
	if !slices.Contains(VulnerableGroupCodes, in.Group) {
		f["group"] = "sitan.error.group"
	}
	if len([]rune(in.Label)) > 200 {
		f["label"] = "validation.max"
	}
	if in.EstimatedSize < 0 || in.EstimatedSize > sitanMaxCount {
		f["estimated_size"] = "sitan.error.negative"
	}
	for field, n := range map[string]*int{"women": in.Women, "men": in.Men} {
		if n != nil && *n < 0 {
			f[field] = "sitan.error.negative"
		}
	}
	if in.Women != nil && in.Men != nil && *in.Women+*in.Men > in.EstimatedSize {
		f["women"], f["men"] = "sitan.error.split_sum", "sitan.error.split_sum"
	}
	for _, b := range in.SpecificBarriers {
		fam := barrierFamilyOf(b)
		if fam == "" {
			f["specific_barriers"] = "sitan.error.barrier"
		} else if !slices.Contains(in.Barriers, fam) {
			in.Barriers = append(in.Barriers, fam)
		}
	}
	in.Barriers = sitanOrdered(BarrierFamilies, in.Barriers, f, "barriers")
	if len(in.Barriers) == 0 {
		f["barriers"] = "sitan.error.barriers_required"
	}
	if in.Priority < 1 || in.Priority > 99 {
		f["priority"] = "sitan.error.priority"
	}
	return sitanInvalid(f)
}

// sitanOrdered returns the codes of got in the order of all, without
// duplicates; an unknown code marks field invalid.
func sitanOrdered(all, got []string, f map[string]string, field string) []string {
	var out []string
	for _, c := range got {
		if !slices.Contains(all, c) {
			f[field] = "sitan.error.barrier"
		}
	}
	for _, c := range all {
		if slices.Contains(got, c) {
			out = append(out, c)
		}
	}
	return out
}

// sitanChild runs fn in a transaction after checking that the analysis of
// the municipality exists and is still collecting.
func sitanChild(ctx context.Context, db *gorm.DB, muniID, sitanID int64, fn func(tx *gorm.DB) error) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		s, err := lockSitan(tx, muniID, sitanID)
		if err != nil {
			return err
		}
		if err := s.collecting(); err != nil {
			return err
		}
		return fn(tx)
	})
}

// ListVulnerableGroups returns the groups of an analysis by priority.
func ListVulnerableGroups(ctx context.Context, db *gorm.DB, muniID, sitanID int64) ([]VulnerableGroup, error) {
	var out []VulnerableGroup
	err := db.WithContext(ctx).Where("municipality_id = ? AND situation_analysis_id = ?", muniID, sitanID).
		Order("priority, id").Find(&out).Error
	return out, err
}

// Finding is a statement of the analysis tied to a group, a barrier and the
// organisation it comes from. Its id is stable: plans cite it as evidence.
type Finding struct {
	ID                   int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID       int64     `json:"municipality_id"`
	SituationAnalysisID  int64     `json:"situation_analysis_id"`
	Statement            string    `json:"statement"`
	Group                string    `json:"group" gorm:"column:group_code"`
	Barrier              string    `json:"barrier"`
	SourceOrganisationID int64     `json:"source_organisation_id"`
	CreatedBy            *int64    `json:"-"`
	CreatedAt            time.Time `json:"created_at"`
	SourceName           string    `json:"source_organisation_name" gorm:"->;-:migration"`
}

// TableName maps Finding to sitan_findings.
func (Finding) TableName() string { return "sitan_findings" }

// FindingInput carries a new finding.
type FindingInput struct {
	Statement            string
	Group                string
	Barrier              string
	SourceOrganisationID int64
}

// AddFinding records a finding of a collecting analysis.
func AddFinding(ctx context.Context, db *gorm.DB, a Actor, muniID, sitanID int64, in FindingInput) (*Finding, error) {
	in.Statement = strings.TrimSpace(in.Statement)
	var out *Finding
	err := sitanChild(ctx, db, muniID, sitanID, func(tx *gorm.DB) error {
		if err := checkFindingInput(ctx, tx, muniID, in); err != nil {
			return err
		}
		fd := &Finding{MunicipalityID: muniID, SituationAnalysisID: sitanID, Statement: in.Statement, Group: in.Group,
			Barrier: in.Barrier, SourceOrganisationID: in.SourceOrganisationID, CreatedBy: sitanUser(a)}
		if err := tx.Omit("SourceName").Create(fd).Error; err != nil {
			return sitanFrozen(err)
		}
		out = fd
		return Audit(ctx, tx, a, muniID, "create", "finding", fd.ID, map[string]any{"situation_analysis_id": sitanID,
			"statement": fd.Statement, "group": fd.Group, "barrier": fd.Barrier, "source_organisation_id": fd.SourceOrganisationID})
	})
	return out, err
}

func checkFindingInput(ctx context.Context, tx *gorm.DB, muniID int64, in FindingInput) error {
	f := map[string]string{}
	if in.Statement == "" {
		f["statement"] = "validation.required"
	} else if len([]rune(in.Statement)) > 2000 {
		f["statement"] = "validation.max"
	}
	if !slices.Contains(VulnerableGroupCodes, in.Group) {
		f["group"] = "sitan.error.group"
	}
	if !slices.Contains(BarrierFamilies, in.Barrier) {
		f["barrier"] = "sitan.error.barrier"
	}
	if _, err := GetOrganisation(ctx, tx, muniID, in.SourceOrganisationID); errors.Is(err, ErrNotFound) {
		f["source_organisation_id"] = "error.unknown_organisation"
	} else if err != nil {
		return err
	}
	return sitanInvalid(f)
}

// ListFindings returns the findings of an analysis with their source names.
func ListFindings(ctx context.Context, db *gorm.DB, muniID, sitanID int64) ([]Finding, error) {
	var out []Finding
	err := db.WithContext(ctx).Table("sitan_findings f").Select("f.*, o.name AS source_name").
		Joins("JOIN organisations o ON o.id = f.source_organisation_id").
		Where("f.municipality_id = ? AND f.situation_analysis_id = ?", muniID, sitanID).
		Order("f.id").Find(&out).Error
	return out, err
}
