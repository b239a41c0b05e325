package models

import (
	"context"
	"reflect"
	"time"

	"gorm.io/gorm"
)

// PlanChangeRow is one change the commission made to a plan while it was
// in public consultation: the public page lists them, dated, so a reader
// sees what changed since the consultation opened (and since their comment).
type PlanChangeRow struct {
	ID             int64     `json:"id" gorm:"primaryKey"`
	PlanID         int64     `json:"plan_id"`
	MunicipalityID int64     `json:"-"`
	PlanVersion    int       `json:"plan_version"`
	Object         string    `json:"object"`
	ObjectID       int64     `json:"object_id"`
	Code           string    `json:"code"`
	Title          string    `json:"title"`
	Action         string    `json:"action"`
	Fields         CodeList  `json:"fields" gorm:"type:text[]"`
	ChangedAt      time.Time `json:"changed_at"`
}

// TableName maps PlanChangeRow to plan_changes.
func (PlanChangeRow) TableName() string { return "plan_changes" }

// editablePlanStatuses are the statuses in which the commission may change
// a plan's objectives and measures: a draft, and a draft in consultation
// (an accepted comment must be able to go into the text).
var editablePlanStatuses = []string{PlanDraft, PlanConsultation}

// PlanEditable says whether the plan's objectives and measures may change.
func (p *Plan) PlanEditable() bool { return contains(editablePlanStatuses, p.Status) }

// ConsultationOpenedOn is when the last consultation opened (zero if never).
func (p *Plan) ConsultationOpenedOn() time.Time {
	if p.ConsultationOpenedAt == nil {
		return time.Time{}
	}
	return *p.ConsultationOpenedAt
}

// ChangedSince says whether the plan changed after version v (a comment's).
func (p *Plan) ChangedSince(v *int) bool { return v != nil && p.Version > *v }

// lockEditablePlan locks a plan whose content may change (draft or in
// consultation); otherwise the answer is a state error.
func lockEditablePlan(tx *gorm.DB, muniID, planID int64) (*Plan, error) {
	p, err := lockPlan(tx, muniID, planID, 0)
	if err == nil && !p.PlanEditable() {
		err = &StateError{"error.plan_not_editable"}
	}
	return p, err
}

// recordChange notes a change of a plan in consultation; p is the locked
// plan before its version was raised, so the change carries the new version.
func recordChange(tx *gorm.DB, p *Plan, object string, id int64, code, title, action string, fields []string) error {
	if p.Status != PlanConsultation {
		return nil
	}
	row := PlanChangeRow{PlanID: p.ID, MunicipalityID: p.MunicipalityID, PlanVersion: p.Version + 1, Object: object,
		ObjectID: id, Code: code, Title: title, Action: action, Fields: CodeList(orEmpty(fields)), ChangedAt: time.Now()}
	return tx.Create(&row).Error
}

// measureFieldsChanged names the parts of a measure an edit changed; both
// sides are stored measures (InputOf), so equal values compare equal.
func measureFieldsChanged(before, after MeasureInput) []string {
	var out []string
	add := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			out = append(out, name)
		}
	}
	add("code", before.Code, after.Code)
	add("title", before.Title, after.Title)
	add("description", before.Description, after.Description)
	add("objective", before.ObjectiveID, after.ObjectiveID)
	add("groups", before.Groups, after.Groups)
	add("organisations", [2]any{before.LeadOrganisationID, before.PartnerOrganisationIDs},
		[2]any{after.LeadOrganisationID, after.PartnerOrganisationIDs})
	add("dates", before.StartDate+before.EndDate, after.StartDate+after.EndDate)
	add("indicators", before.Indicators, after.Indicators)
	add("budget", before.Budget, after.Budget)
	add("evidence", before.Evidence, after.Evidence)
	return out
}

// PlanChanges lists the changes made since the plan's consultation opened,
// oldest first.
func PlanChanges(ctx context.Context, db *gorm.DB, muniID int64, p *Plan) ([]PlanChangeRow, error) {
	out := []PlanChangeRow{}
	if p.ConsultationOpenedAt == nil {
		return out, nil
	}
	err := db.WithContext(ctx).Where("plan_id = ? AND municipality_id = ? AND changed_at >= ?", p.ID, muniID, *p.ConsultationOpenedAt).
		Order("id").Find(&out).Error
	return out, err
}
