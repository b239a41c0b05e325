package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// FocusGroup is a meeting with representatives of vulnerable groups. It keeps
// counts of participants, never names.
type FocusGroup struct {
	ID                int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID    int64     `json:"municipality_id"`
	HeldOn            time.Time `json:"-" gorm:"type:date"`
	Place             string    `json:"place"`
	Groups            CodeList  `json:"groups" gorm:"type:text[]"`
	ParticipantsTotal int       `json:"participants_total"`
	ParticipantsWomen int       `json:"participants_women"`
	ParticipantsMen   int       `json:"participants_men"`
	Age1529           *int      `json:"-" gorm:"column:age_15_29"`
	Age3049           *int      `json:"-" gorm:"column:age_30_49"`
	Age50Plus         *int      `json:"-" gorm:"column:age_50_plus"`
	ConsentObtained   bool      `json:"consent_obtained"`
	Summary           string    `json:"summary"`
	CreatedBy         *int64    `json:"-"`
	Version           int       `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	ConsentFile       string    `json:"-" gorm:"->;-:migration"`
}

// HasAges says whether participants were counted by age band.
func (f *FocusGroup) HasAges() bool { return f.Age1529 != nil }

// Ages returns the age-band counts (15–29, 30–49, 50+), or -1 each when not recorded.
func (f *FocusGroup) Ages() [3]int64 {
	if !f.HasAges() {
		return [3]int64{-1, -1, -1}
	}
	return [3]int64{int64(*f.Age1529), int64(*f.Age3049), int64(*f.Age50Plus)}
}

// Need is a need heard in a focus group; its id is stable so plans can cite it.
type Need struct {
	ID             int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID int64     `json:"-"`
	FocusGroupID   int64     `json:"focus_group_id"`
	Position       int       `json:"-"`
	Statement      string    `json:"statement"`
	Barrier        string    `json:"barrier"`
	Priority       int       `json:"priority"`
	Group          *string   `json:"group" gorm:"column:group_code"`
	Quote          string    `json:"quote"`
	CreatedAt      time.Time `json:"created_at"`
}

// TableName maps Need to focus_group_needs.
func (Need) TableName() string { return "focus_group_needs" }

// NeedPriorities are 1 (high), 2 (medium) and 3 (low).
var NeedPriorities = []int{1, 2, 3}

// FocusGroupInput carries a new focus group. Ages is nil or the counts of the
// bands 15–29, 30–49 and 50+.
type FocusGroupInput struct {
	HeldOn             time.Time
	Place              string
	Groups             []string
	Total, Women, Men  int
	Ages               []int
	ConsentObtained    bool
	Summary            string
	FacilitatorUserIDs []int64
	Needs              []NeedInput
}

// NeedInput is one need heard; an empty Group takes the focus group's only group.
type NeedInput struct {
	Statement, Barrier string
	Priority           int
	Group, Quote       string
}

// CreateFocusGroup records a focus group with its facilitators and needs.
func CreateFocusGroup(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in FocusGroupInput) (*FocusGroup, error) {
	var out *FocusGroup
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkFocusInput(ctx, tx, muniID, &in); err != nil {
			return err
		}
		fg := focusRow(muniID, a, in)
		if err := tx.Omit("ConsentFile").Create(fg).Error; err != nil {
			return err
		}
		for _, uid := range in.FacilitatorUserIDs {
			if err := tx.Exec(`INSERT INTO focus_group_facilitators (focus_group_id, municipality_id, user_id)
				VALUES (?, ?, ?)`, fg.ID, muniID, uid).Error; err != nil {
				return err
			}
		}
		if err := insertNeeds(tx, fg, in.Needs); err != nil {
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "create", "focus_group", fg.ID, focusAudit(in)); err != nil {
			return err
		}
		out = fg
		return nil
	})
	return out, err
}

func focusRow(muniID int64, a Actor, in FocusGroupInput) *FocusGroup {
	fg := &FocusGroup{MunicipalityID: muniID, HeldOn: sitanDay(in.HeldOn), Place: in.Place, Groups: CodeList(in.Groups),
		ParticipantsTotal: in.Total, ParticipantsWomen: in.Women, ParticipantsMen: in.Men,
		ConsentObtained: in.ConsentObtained, Summary: in.Summary, CreatedBy: sitanUser(a), Version: 1}
	if len(in.Ages) == 3 {
		fg.Age1529, fg.Age3049, fg.Age50Plus = &in.Ages[0], &in.Ages[1], &in.Ages[2]
	}
	return fg
}

func insertNeeds(tx *gorm.DB, fg *FocusGroup, needs []NeedInput) error {
	for i, n := range needs {
		row := Need{MunicipalityID: fg.MunicipalityID, FocusGroupID: fg.ID, Position: i + 1, Statement: n.Statement,
			Barrier: n.Barrier, Priority: n.Priority, Quote: n.Quote}
		if n.Group != "" {
			g := n.Group
			row.Group = &g
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// focusAudit is what the audit log keeps of a new focus group: counts, not quotes.
func focusAudit(in FocusGroupInput) map[string]any {
	return map[string]any{"held_on": in.HeldOn.Format(time.DateOnly), "place": in.Place, "groups": in.Groups,
		"participants_total": in.Total, "participants_women": in.Women, "participants_men": in.Men,
		"ages": in.Ages, "consent_obtained": in.ConsentObtained, "facilitators": in.FacilitatorUserIDs,
		"needs": len(in.Needs)}
}

// CheckFocusGroupInput reports every invalid field of a new focus group
// (handlers call it to list them together with their own checks).
func CheckFocusGroupInput(ctx context.Context, db *gorm.DB, muniID int64, in *FocusGroupInput) error {
	return checkFocusInput(ctx, db, muniID, in)
}

// checkFocusInput applies the rules: consent is mandatory and the counts add up.
func checkFocusInput(ctx context.Context, tx *gorm.DB, muniID int64, in *FocusGroupInput) error {
	in.Place, in.Summary = strings.TrimSpace(in.Place), strings.TrimSpace(in.Summary)
	f := map[string]string{}
	if in.HeldOn.IsZero() {
		f["held_on"] = "validation.required"
	} else if in.HeldOn.After(time.Now()) || in.HeldOn.Year() < 2000 {
		f["held_on"] = "focus.error.held_on"
	}
	if in.Place == "" || len([]rune(in.Place)) > 200 {
		f["place"] = "validation.required"
	}
	if len(in.Groups) == 0 {
		f["groups"] = "focus.error.groups"
	}
	for _, g := range in.Groups {
		if !slices.Contains(VulnerableGroupCodes, g) {
			f["groups"] = "sitan.error.group"
		}
	}
	in.Groups = sitanOrdered(VulnerableGroupCodes, in.Groups, f, "groups")
	if len([]rune(in.Summary)) > 4000 {
		f["summary"] = "validation.max"
	}
	if !in.ConsentObtained {
		f["consent_obtained"] = "focus.error.consent"
	}
	in.FacilitatorUserIDs = sitanUnique(in.FacilitatorUserIDs)
	checkFocusCounts(f, in)
	checkNeeds(f, in)
	if err := checkFacilitators(ctx, tx, muniID, f, in.FacilitatorUserIDs); err != nil {
		return err
	}
	return sitanInvalid(f)
}

func checkFocusCounts(f map[string]string, in *FocusGroupInput) {
	if in.Total < 1 || in.Total > 1000 {
		f["participants_total"] = "focus.error.total"
	}
	if in.Women < 0 {
		f["participants_women"] = "sitan.error.negative"
	}
	if in.Men < 0 {
		f["participants_men"] = "sitan.error.negative"
	}
	if in.Women >= 0 && in.Men >= 0 && in.Women+in.Men != in.Total {
		f["participants_women"], f["participants_men"] = "focus.error.sex_sum", "focus.error.sex_sum"
	}
	if in.Ages == nil {
		return
	}
	sum := 0
	for _, n := range in.Ages {
		if n < 0 {
			f["participants_by_age"] = "sitan.error.negative"
			return
		}
		sum += n
	}
	if len(in.Ages) != 3 || sum != in.Total {
		f["participants_by_age"] = "focus.error.age_sum"
	}
}

func checkNeeds(f map[string]string, in *FocusGroupInput) {
	if len(in.Needs) > 50 {
		f["needs"] = "validation.max"
		return
	}
	for i := range in.Needs {
		n := &in.Needs[i]
		n.Statement, n.Quote, n.Group = strings.TrimSpace(n.Statement), strings.TrimSpace(n.Quote), strings.TrimSpace(n.Group)
		key := func(field string) string { return fmt.Sprintf("needs[%d].%s", i, field) }
		checkText(f, key("statement"), n.Statement, 2000, true)
		if !slices.Contains(BarrierFamilies, n.Barrier) {
			f[key("barrier")] = "sitan.error.barrier"
		}
		if !slices.Contains(NeedPriorities, n.Priority) {
			f[key("priority")] = "focus.error.priority"
		}
		if n.Group == "" && len(in.Groups) == 1 {
			n.Group = in.Groups[0]
		}
		if n.Group != "" && !slices.Contains(in.Groups, n.Group) {
			f[key("group")] = "focus.error.need_group"
		}
		if len([]rune(n.Quote)) > 1000 {
			f[key("quote")] = "validation.max"
		}
	}
}

// checkFacilitators: facilitators are members of the municipality's commission.
func checkFacilitators(ctx context.Context, tx *gorm.DB, muniID int64, f map[string]string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var n int64
	err := tx.WithContext(ctx).Table("memberships").Where("municipality_id = ? AND user_id IN ?", muniID, ids).Count(&n).Error
	if err == nil && int(n) != len(ids) {
		f["facilitator_user_ids"] = "focus.error.facilitator"
	}
	return err
}

func sitanUnique(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
