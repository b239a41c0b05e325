package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// transition moves a plan between statuses inside one locked transaction.
func transition(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, from []string, action string,
	check func(tx *gorm.DB, p *Plan) (map[string]any, error)) (*Plan, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := lockPlan(tx, muniID, id, 0)
		if err != nil {
			return err
		}
		if !contains(from, p.Status) {
			return &StateError{"error.plan_state_" + action}
		}
		changes, err := check(tx, p)
		if err != nil {
			return err
		}
		if err := bumpPlan(tx, id, changes); err != nil {
			return err
		}
		delete(changes, "version")
		delete(changes, "updated_at")
		return Audit(ctx, tx, a, muniID, action, "action_plan", id, changes)
	})
	if err != nil {
		return nil, err
	}
	return GetPlan(ctx, db, muniID, id)
}

// OpenConsultation publishes a draft for public comment until closesOn (not in the past).
func OpenConsultation(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, closesOn Date) (*Plan, error) {
	return transition(ctx, db, a, muniID, id, []string{PlanDraft}, "consultation", func(tx *gorm.DB, p *Plan) (map[string]any, error) {
		switch {
		case closesOn.IsZero():
			return nil, Invalid("closes_on", "validation.date")
		case closesOn.Before(Today().Time):
			return nil, Invalid("closes_on", "validation.not_past")
		}
		var n int64
		tx.Model(&Measure{}).Where("plan_id = ?", id).Count(&n)
		if n == 0 {
			return nil, Invalid("measures", "validation.plan_without_measures")
		}
		// What the public first reads is kept, to compare the plan with later.
		if err := takeSnapshot(ctx, tx, muniID, id, p.Version+1, SnapshotConsultation); err != nil {
			return nil, err
		}
		err := notifyEveryone(ctx, tx, a, Notice{Kind: KindConsultationOpened, MunicipalityID: muniID, Title: p.Title,
			Due: closesOn, Path: "/plans/" + itoa(id)})
		return map[string]any{"status": PlanConsultation, "consultation_closes_on": closesOn, "consultation_opened_at": time.Now()}, err
	})
}

// SubmitPlan sends a plan to the assembly (from draft or after consultation).
// While a consultation is open, before its announced closing date, the plan
// goes only when the caller confirms that this ends the consultation early
// (endConsultation); the closing date then becomes today.
func SubmitPlan(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, endConsultation bool) (*Plan, error) {
	return transition(ctx, db, a, muniID, id, []string{PlanDraft, PlanConsultation}, "submit", func(tx *gorm.DB, p *Plan) (map[string]any, error) {
		var n int64
		tx.Model(&Measure{}).Where("plan_id = ?", id).Count(&n)
		if n == 0 {
			return nil, Invalid("measures", "validation.plan_without_measures")
		}
		changes := map[string]any{"status": PlanSubmitted, "submitted_at": time.Now(), "returned_reason": nil}
		if p.ConsultationOpen() {
			if !endConsultation {
				return nil, &StateError{"error.consultation_still_open"}
			}
			changes["consultation_closes_on"] = Today()
		}
		return changes, nil
	})
}

// AdoptionInput is the assembly's decision.
type AdoptionInput struct {
	DecidedOn      Date
	DecisionNumber string
	VotesFor       *int
	VotesAgainst   *int
	VotesAbstained *int
}

func (in *AdoptionInput) validate() error {
	f := map[string]string{}
	in.DecisionNumber = strings.TrimSpace(in.DecisionNumber)
	if in.DecidedOn.IsZero() {
		f["decided_on"] = "validation.date"
	} else if in.DecidedOn.After(Today().Time) {
		f["decided_on"] = "validation.not_future"
	}
	checkText(f, "decision_number", in.DecisionNumber, 100, true)
	for k, v := range map[string]*int{"votes_for": in.VotesFor, "votes_against": in.VotesAgainst, "votes_abstained": in.VotesAbstained} {
		if v == nil || *v < 0 || *v > 1000 {
			f[k] = "validation.votes"
		}
	}
	if len(f) == 0 && *in.VotesFor <= *in.VotesAgainst {
		f["votes_for"] = "validation.not_adopted"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// AdoptPlan records the assembly's adoption; from then on the database freezes
// the plan. A revision's adoption supersedes the plan it revises.
func AdoptPlan(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, in AdoptionInput) (*Plan, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	return transition(ctx, db, a, muniID, id, []string{PlanSubmitted}, "adopt", func(tx *gorm.DB, p *Plan) (map[string]any, error) {
		if p.RevisesID != nil {
			err := tx.Model(&Plan{}).Where("id = ? AND status = ?", *p.RevisesID, PlanAdopted).
				Updates(map[string]any{"status": PlanSuperseded, "version": gorm.Expr("version + 1"), "updated_at": time.Now()}).Error
			if err != nil {
				return nil, err
			}
		}
		if err := notifyEveryone(ctx, tx, a, Notice{Kind: KindPlanAdopted, MunicipalityID: muniID, Title: p.Title,
			Path: "/plans/" + itoa(id)}); err != nil {
			return nil, err
		}
		err := EnqueueWebhookEvent(ctx, tx, muniID, EventPlanAdopted, map[string]any{"plan_id": p.ID, "title": p.Title,
			"adopted_on": in.DecidedOn, "decision_number": in.DecisionNumber, "revises_id": p.RevisesID,
			"plan_path": fmt.Sprintf("/api/v1/action-plans/%d", p.ID), "iati_path": fmt.Sprintf("/api/v1/action-plans/%d/iati.xml", p.ID)})
		if err != nil {
			return nil, err
		}
		if err := takeSnapshot(ctx, tx, muniID, id, p.Version+1, SnapshotAdopted); err != nil {
			return nil, err
		}
		return map[string]any{"status": PlanAdopted, "adopted_on": in.DecidedOn, "decision_number": in.DecisionNumber,
			"votes_for": *in.VotesFor, "votes_against": *in.VotesAgainst, "votes_abstained": *in.VotesAbstained}, nil
	})
}

// ReturnPlan records that the assembly sent the plan back; it is a draft again.
func ReturnPlan(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, reason string) (*Plan, error) {
	reason = strings.TrimSpace(reason)
	return transition(ctx, db, a, muniID, id, []string{PlanSubmitted}, "return", func(tx *gorm.DB, p *Plan) (map[string]any, error) {
		if err := checkReason("reason", reason, true); err != nil {
			return nil, err
		}
		return map[string]any{"status": PlanDraft, "returned_reason": reason, "consultation_closes_on": nil}, nil
	})
}

// RevisePlan copies an adopted plan into a new draft revision linked to it.
func RevisePlan(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) (*Plan, error) {
	var newID int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := lockPlan(tx, muniID, id, 0)
		if err != nil {
			return err
		}
		if old.Status != PlanAdopted {
			return &StateError{"error.plan_state_revise"}
		}
		var n int64
		if tx.Model(&Plan{}).Where("revises_id = ?", id).Count(&n); n > 0 {
			return &StateError{"error.plan_already_revised"}
		}
		if err := ensureAdoptedSnapshot(ctx, tx, old); err != nil {
			return err
		}
		full, err := GetPlan(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		np := &Plan{MunicipalityID: muniID, Title: old.Title, PeriodStart: old.PeriodStart, PeriodEnd: old.PeriodEnd,
			Status: PlanDraft, RevisesID: &old.ID, Version: 1, CreatedBy: userRef(a)}
		if err := tx.Omit("Objectives", "Measures").Create(np).Error; err != nil {
			return err
		}
		newID = np.ID
		if err := copyPlanContent(ctx, tx, full, np); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "revise", "action_plan", np.ID, map[string]any{"revises_id": id})
	})
	if err != nil {
		return nil, err
	}
	return GetPlan(ctx, db, muniID, newID)
}

func copyPlanContent(ctx context.Context, tx *gorm.DB, from *Plan, to *Plan) error {
	objIDs := map[int64]int64{}
	for _, o := range from.Objectives {
		no := Objective{PlanID: to.ID, MunicipalityID: to.MunicipalityID, Code: o.Code, Title: o.Title}
		if err := tx.Create(&no).Error; err != nil {
			return err
		}
		objIDs[o.ID] = no.ID
	}
	for _, m := range from.Measures {
		in := m.InputOf()
		in.ObjectiveID = objIDs[m.ObjectiveID]
		cm, err := validateMeasure(ctx, tx, to, 0, in)
		if err != nil {
			return err
		}
		if err := saveMeasure(tx, &Measure{PlanID: to.ID, MunicipalityID: to.MunicipalityID, Version: 1}, cm); err != nil {
			return err
		}
	}
	return nil
}
