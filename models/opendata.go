package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// What a municipality shows the public, read for the open-data API
// (docs/opendata.md). Drafts and other private objects are left out in
// SQL; nothing here names a user.

// PublicPlanStatuses are the plans the public page lists: open for comment,
// adopted, and adopted then revised.
var PublicPlanStatuses = []string{PlanConsultation, PlanAdopted, PlanSuperseded}

// PublicAgreement is an agreement in force with its parties.
type PublicAgreement struct {
	ID        int64
	Title     string
	Level     string
	VersionNo int
	ValidFrom Date
	ValidTo   Date
	InForceAt *time.Time
	SHA256    string        `gorm:"column:sha256"`
	Parties   []PublicParty `gorm:"-"`
}

// PublicParty is an organisation that signed an agreement: never who signed.
type PublicParty struct {
	AgreementID      int64
	OrganisationName string
	OrganisationType string
	SignedAt         *time.Time
}

// PublicAgreements lists the municipality's agreements in force, newest
// first, with their parties in signing order.
func PublicAgreements(ctx context.Context, db *gorm.DB, muniID int64) ([]PublicAgreement, error) {
	db = db.WithContext(ctx)
	var out []PublicAgreement
	err := db.Raw(`SELECT id, title, level, version_no, valid_from, valid_to, in_force_at, sha256 FROM agreements
		WHERE municipality_id = ? AND status = ? ORDER BY in_force_at DESC, id DESC`, muniID, AgreementInForce).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return out, err
	}
	var parties []PublicParty
	err = db.Raw(`SELECT p.agreement_id, o.name AS organisation_name, o.type AS organisation_type,
			(SELECT min(s.signed_at) FROM agreement_signatures s WHERE s.party_id = p.id) AS signed_at
		FROM agreement_parties p JOIN organisations o ON o.id = p.organisation_id
		JOIN agreements a ON a.id = p.agreement_id
		WHERE a.municipality_id = ? AND a.status = ? ORDER BY p.agreement_id, p.position`, muniID, AgreementInForce).
		Scan(&parties).Error
	byID := map[int64]*PublicAgreement{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, p := range parties {
		if a := byID[p.AgreementID]; a != nil {
			a.Parties = append(a.Parties, p)
		}
	}
	return out, err
}

// PublicPlans loads the plans the public sees, newest first, each with its
// objectives, measures, indicators and budget.
func PublicPlans(ctx context.Context, db *gorm.DB, muniID int64) ([]*Plan, error) {
	var ids []int64
	err := db.WithContext(ctx).Model(&Plan{}).Where("municipality_id = ? AND status IN ?", muniID, PublicPlanStatuses).
		Order("period_start DESC, id DESC").Pluck("id", &ids).Error
	if err != nil {
		return nil, err
	}
	out := make([]*Plan, 0, len(ids))
	for _, id := range ids {
		p, err := GetPlan(ctx, db, muniID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// PublicReport is a published assembly report (its PDF is public).
type PublicReport struct {
	PlanID      int64
	PeriodID    int64
	PlanTitle   string
	PeriodLabel string
	StartDate   Date
	EndDate     Date
	PublishedAt time.Time
	SHA256      string `gorm:"column:sha256"`
}

// PublishedReportsOf lists the municipality's published reports, latest
// period first (the order of its public page).
func PublishedReportsOf(ctx context.Context, db *gorm.DB, muniID int64) ([]PublicReport, error) {
	var out []PublicReport
	err := db.WithContext(ctx).Raw(`SELECT p.id AS plan_id, rp.id AS period_id, p.title AS plan_title, rp.label AS period_label,
		rp.start_date, rp.end_date, rp.published_at, coalesce(rp.report_sha256, '') AS sha256
		FROM reporting_periods rp JOIN action_plans p ON p.id = rp.plan_id
		WHERE rp.municipality_id = ? AND rp.published_at IS NOT NULL ORDER BY rp.end_date DESC, rp.id DESC`, muniID).
		Scan(&out).Error
	return out, err
}
