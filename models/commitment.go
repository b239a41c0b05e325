package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// CommitmentStatuses are the follow-up states of a commitment.
var CommitmentStatuses = []string{"pending", "in_progress", "done", "blocked"}

// RecordProgress adds a dated progress entry to a commitment of an agreement
// in force. Only the responsible organisation's people (or a coordinator) may.
func RecordProgress(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, callerOrg *int64, coordinator bool, status, note string) error {
	note = strings.TrimSpace(note)
	f := map[string]string{}
	if !contains(CommitmentStatuses, status) {
		f["status"] = "validation.oneof"
	}
	if len([]rune(note)) > 2000 {
		f["note"] = "validation.max"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row struct {
			ResponsibleOrganisationID int64
			Status                    string
		}
		err := tx.Raw(`SELECT c.responsible_organisation_id, a.status FROM agreement_commitments c
			JOIN agreements a ON a.id = c.agreement_id WHERE c.id = ? AND c.municipality_id = ?`, id, muniID).Scan(&row).Error
		if err != nil {
			return err
		}
		if row.Status == "" {
			return ErrNotFound
		}
		if !coordinator && (callerOrg == nil || *callerOrg != row.ResponsibleOrganisationID) {
			return ErrNotResponsible
		}
		if row.Status != AgreementInForce {
			return &StateError{"error.agreement_not_in_force"}
		}
		var prev struct{ Status, Note string }
		if err := tx.Raw(`SELECT status, coalesce(note, '') AS note FROM commitment_progress WHERE commitment_id = ? AND municipality_id = ?
			ORDER BY id DESC LIMIT 1`, id, muniID).Scan(&prev).Error; err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO commitment_progress (commitment_id, municipality_id, status, note, recorded_by)
			VALUES (?, ?, ?, ?, ?)`, id, muniID, status, note, a.UserID).Error
		if err != nil {
			return err
		}
		before := map[string]any{"status": nilIfEmpty(prev.Status), "note": nilIfEmpty(prev.Note)}
		return Audit(ctx, tx, a, muniID, "progress", "commitment", id, Diff(before, map[string]any{"status": status, "note": nilIfEmpty(note)}))
	})
}

// ErrNotResponsible means the caller's organisation is not responsible for the commitment.
var ErrNotResponsible = &forbiddenError{"not the responsible organisation"}

type forbiddenError struct{ msg string }

func (e *forbiddenError) Error() string { return e.msg }

// IsForbidden says whether err means "signed in but not allowed" (403).
func IsForbidden(err error) bool {
	var fe *forbiddenError
	return errors.As(err, &fe) || errors.Is(err, ErrNotSignatory)
}

// OurCommitment is a commitment seen by one organisation.
type OurCommitment struct {
	Commitment
	AgreementTitle string `json:"agreement_title"`
	Role           string `json:"role"` // "responsible" or "supporting"
}

// CommitmentsOf lists the commitments of agreements in force where the
// organisation is responsible or supporting.
func CommitmentsOf(ctx context.Context, db *gorm.DB, orgID int64) ([]OurCommitment, error) {
	cs, err := commitmentsWhere(db.WithContext(ctx), `(c.responsible_organisation_id = ? OR ? = ANY(c.supporting_organisation_ids))
		AND EXISTS (SELECT 1 FROM agreements a WHERE a.id = c.agreement_id AND a.status = 'in_force')`, orgID, orgID)
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	var rows []struct {
		ID    int64
		Title string
	}
	db.WithContext(ctx).Raw(`SELECT id, title FROM agreements WHERE id IN (SELECT agreement_id FROM agreement_commitments
		WHERE responsible_organisation_id = ? OR ? = ANY(supporting_organisation_ids))`, orgID, orgID).Scan(&rows)
	for _, r := range rows {
		titles[r.ID] = r.Title
	}
	out := make([]OurCommitment, len(cs))
	for i, c := range cs {
		role := "supporting"
		if c.ResponsibleOrganisationID == orgID {
			role = "responsible"
		}
		out[i] = OurCommitment{Commitment: c, AgreementTitle: titles[c.AgreementID], Role: role}
	}
	return out, nil
}

// PartnershipStanding is where a municipality stands on the partnership ladder.
type PartnershipStanding struct {
	InForce map[string]int `json:"in_force_by_level"`
	Highest string         `json:"highest_level"`
	Overdue int            `json:"overdue_commitments"`
	Total   int            `json:"commitments"`
	Pending int            `json:"agreements_open_for_signature"`
}

// StandingOf counts agreements in force per level and overdue commitments,
// in one statement (it is on every dashboard): a commitment is overdue when
// its latest progress is not "done" and its due date has passed (as
// Commitment.Overdue).
func StandingOf(ctx context.Context, db *gorm.DB, muniID int64) (*PartnershipStanding, error) {
	s := &PartnershipStanding{InForce: map[string]int{}}
	rows, err := db.WithContext(ctx).Raw(`WITH ag AS (
			SELECT level, status, count(*) AS n FROM agreements WHERE municipality_id = ?
			AND status IN ('in_force', 'open_for_signature') GROUP BY level, status
		), cm AS (
			SELECT count(*) AS total,
				count(*) FILTER (WHERE coalesce(lp.status, 'pending') <> 'done' AND c.due_date < ?) AS overdue
			FROM agreement_commitments c
			JOIN agreements a ON a.id = c.agreement_id AND a.status = 'in_force'
			LEFT JOIN LATERAL (SELECT status FROM commitment_progress p WHERE p.commitment_id = c.id ORDER BY p.id DESC LIMIT 1) lp ON true
			WHERE c.municipality_id = ?
		)
		SELECT coalesce(ag.level, ''), coalesce(ag.status, ''), coalesce(ag.n, 0), cm.total, cm.overdue FROM cm LEFT JOIN ag ON true`,
		muniID, Today(), muniID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var level, status string
		var n int
		if err := rows.Scan(&level, &status, &n, &s.Total, &s.Overdue); err != nil {
			return nil, err
		}
		switch status {
		case AgreementOpen:
			s.Pending += n
		case "in_force":
			s.InForce[level] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, l := range PartnershipLevels {
		if s.InForce[l] > 0 {
			s.Highest = l
		}
	}
	return s, nil
}

// PendingSignature is an agreement waiting for a user's signature.
type PendingSignature struct {
	AgreementID    int64
	MunicipalityID int64
	Title          string
	OpenedAt       Date
}

// PendingSignatures lists agreements open for the user's signature.
func PendingSignatures(ctx context.Context, db *gorm.DB, userID int64) ([]PendingSignature, error) {
	var out []PendingSignature
	err := db.WithContext(ctx).Raw(`SELECT a.id AS agreement_id, a.municipality_id, a.title, a.opened_at::date AS opened_at
		FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id
		WHERE p.signatory_user_id = ? AND a.status = 'open_for_signature'
		AND NOT EXISTS (SELECT 1 FROM agreement_signatures s WHERE s.party_id = p.id)
		ORDER BY a.opened_at`, userID).Scan(&out).Error
	return out, err
}

// nilIfEmpty is nil for "" (nothing recorded before), else s.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
