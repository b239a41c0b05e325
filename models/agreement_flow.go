package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// OpenAgreement freezes a draft for signature: it needs at least two parties
// and one commitment, and records the SHA-256 of the canonical text.
func OpenAgreement(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) (*Agreement, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ag, err := lockAgreement(tx, muniID, id)
		if err != nil {
			return err
		}
		if ag.Status != AgreementDraft {
			return &StateError{"error.agreement_not_draft"}
		}
		full, err := GetAgreement(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		if err := readyToOpen(ctx, tx, full); err != nil {
			return err
		}
		hash := full.ComputeSHA256()
		now := time.Now()
		err = tx.Model(&Agreement{}).Where("id = ?", id).Updates(map[string]any{"status": AgreementOpen,
			"sha256": hash, "opened_at": now, "version": gorm.Expr("version + 1"), "updated_at": now}).Error
		if err != nil {
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "open", "agreement", id, map[string]any{"sha256": hash}); err != nil {
			return err
		}
		return notifyAgreement(ctx, tx, a, ag, KindSignatureRequested, false)
	})
	if err != nil {
		return nil, err
	}
	return GetAgreement(ctx, db, muniID, id)
}

// readyToOpen re-validates the stored draft (signatories may have lost their
// role since it was saved) and asks for two parties and one commitment.
func readyToOpen(ctx context.Context, tx *gorm.DB, full *Agreement) error {
	in := full.InputOf()
	if err := validateAgreement(ctx, tx, full.MunicipalityID, &in); err != nil {
		return err
	}
	f := map[string]string{}
	if len(full.Parties) < 2 {
		f["parties"] = "validation.two_parties"
	}
	if len(full.Commitments) == 0 {
		f["commitments"] = "validation.one_commitment"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// ErrNotSignatory means the caller is not a party's signatory still to sign.
var ErrNotSignatory = errors.New("not a pending signatory")

// SignInput is what a signature records besides the signer.
type SignInput struct {
	IP, UserAgent string
}

// SignAgreement adds the caller's signature for the party they sign for.
// The row lock serialises concurrent signatures; the unique (agreement,
// party) index makes a second signature of the same party impossible.
// It reports whether this signature put the agreement in force.
func SignAgreement(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, in SignInput) (bool, error) {
	inForce := false
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ag, err := lockAgreement(tx, muniID, id)
		if err != nil {
			return err
		}
		party, err := partyToSign(tx, ag, a.UserID)
		if err != nil {
			return err
		}
		sig := Signature{AgreementID: id, MunicipalityID: muniID, PartyID: party.ID, OrganisationID: party.OrganisationID,
			UserID: a.UserID, SignedAt: time.Now().UTC(), IP: in.IP, UserAgent: truncate(in.UserAgent, 500), SHA256: *ag.SHA256}
		if err := tx.Create(&sig).Error; err != nil {
			if isUniqueViolation(err) {
				return &StateError{"error.already_signed"}
			}
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "sign", "agreement", id, map[string]any{"organisation_id": party.OrganisationID, "sha256": sig.SHA256}); err != nil {
			return err
		}
		inForce, err = bringIntoForce(ctx, tx, a, ag)
		if err != nil || !inForce {
			return err
		}
		return notifyAgreement(ctx, tx, a, ag, KindAgreementInForce, true)
	})
	return inForce, err
}

// partyToSign finds the party the user signs for. A user who is no
// signatory at all gets ErrNotSignatory (403); one who already signed, or an
// agreement not open, is a state conflict (409).
func partyToSign(tx *gorm.DB, ag *Agreement, userID int64) (*Party, error) {
	var parties []Party
	if err := tx.Where("agreement_id = ? AND signatory_user_id = ?", ag.ID, userID).Order("position").Find(&parties).Error; err != nil {
		return nil, err
	}
	if len(parties) == 0 {
		return nil, ErrNotSignatory
	}
	if ag.Status != AgreementOpen {
		return nil, &StateError{"error.agreement_not_open"}
	}
	for _, p := range parties {
		var n int64
		if err := tx.Model(&Signature{}).Where("party_id = ?", p.ID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			return &p, nil
		}
	}
	return nil, &StateError{"error.already_signed"}
}

// bringIntoForce makes the agreement in force when every party signed, and
// marks the version it amends as superseded.
func bringIntoForce(ctx context.Context, tx *gorm.DB, a Actor, ag *Agreement) (bool, error) {
	var missing int64
	err := tx.Raw(`SELECT count(*) FROM agreement_parties p WHERE p.agreement_id = ?
		AND NOT EXISTS (SELECT 1 FROM agreement_signatures s WHERE s.party_id = p.id)`, ag.ID).Scan(&missing).Error
	if err != nil || missing > 0 {
		return false, err
	}
	now := time.Now()
	err = tx.Model(&Agreement{}).Where("id = ?", ag.ID).Updates(map[string]any{"status": AgreementInForce,
		"in_force_at": now, "version": gorm.Expr("version + 1"), "updated_at": now}).Error
	if err != nil {
		return false, err
	}
	if ag.SupersedesID != nil {
		err = tx.Model(&Agreement{}).Where("id = ? AND status = ?", *ag.SupersedesID, AgreementInForce).
			Updates(map[string]any{"status": AgreementSuperseded, "version": gorm.Expr("version + 1"), "updated_at": now}).Error
		if err != nil {
			return false, err
		}
	}
	if err := Audit(ctx, tx, a, ag.MunicipalityID, "in_force", "agreement", ag.ID, map[string]any{}); err != nil {
		return false, err
	}
	obj := map[string]any{"agreement_id": ag.ID, "title": ag.Title, "level": ag.Level, "version_no": ag.VersionNo,
		"supersedes_id": ag.SupersedesID, "in_force_at": now.UTC(), "agreement_path": fmt.Sprintf("/api/v1/agreements/%d", ag.ID)}
	if ag.SHA256 != nil {
		obj["sha256"], obj["verify_path"] = *ag.SHA256, "/verify/"+*ag.SHA256
	}
	return true, EnqueueWebhookEvent(ctx, tx, ag.MunicipalityID, EventAgreementInForce, obj)
}

// DeclineAgreement records that a pending signatory refuses to sign, with a reason.
func DeclineAgreement(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := checkReason("reason", reason, true); err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ag, err := lockAgreement(tx, muniID, id)
		if err != nil {
			return err
		}
		if _, err := partyToSign(tx, ag, a.UserID); err != nil {
			return err
		}
		err = tx.Model(&Agreement{}).Where("id = ?", id).Updates(map[string]any{"status": AgreementDeclined,
			"declined_by": a.UserID, "declined_reason": reason, "version": gorm.Expr("version + 1"), "updated_at": time.Now()}).Error
		if err != nil {
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "decline", "agreement", id, map[string]any{"reason": reason}); err != nil {
			return err
		}
		return notifyAgreement(ctx, tx, a, ag, KindAgreementDeclined, true)
	})
}

// AmendAgreement starts a new draft version from an agreement in force (or a
// declined one, to fix it). The old version stays unchanged until the new one
// comes into force.
func AmendAgreement(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) (*Agreement, error) {
	var newID int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := lockAgreement(tx, muniID, id)
		if err != nil {
			return err
		}
		if old.Status != AgreementInForce && old.Status != AgreementDeclined {
			return &StateError{"error.agreement_not_amendable"}
		}
		var n int64
		if err := tx.Model(&Agreement{}).Where("supersedes_id = ?", id).Count(&n).Error; err != nil || n > 0 {
			if err == nil {
				err = &StateError{"error.already_amended"}
			}
			return err
		}
		full, err := GetAgreement(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		ag := &Agreement{MunicipalityID: muniID, VersionNo: old.VersionNo + 1, SupersedesID: &old.ID,
			Status: AgreementDraft, Version: 1, CreatedBy: userRef(a)}
		if err := saveAgreement(tx, ag, full.InputOf()); err != nil {
			return err
		}
		newID = ag.ID
		return Audit(ctx, tx, a, muniID, "amend", "agreement", ag.ID, map[string]any{"supersedes_id": id})
	})
	if err != nil {
		return nil, err
	}
	return GetAgreement(ctx, db, muniID, newID)
}

// VersionHistory lists every version of an agreement, oldest first.
func VersionHistory(ctx context.Context, db *gorm.DB, muniID, id int64) ([]AgreementSummary, error) {
	var out []AgreementSummary
	err := db.WithContext(ctx).Raw(`WITH RECURSIVE back AS (
			SELECT id, supersedes_id FROM agreements WHERE id = ? AND municipality_id = ?
			UNION SELECT a.id, a.supersedes_id FROM agreements a JOIN back b ON a.id = b.supersedes_id),
		root AS (SELECT id FROM back WHERE supersedes_id IS NULL),
		fwd AS (SELECT id FROM root UNION SELECT a.id FROM agreements a JOIN fwd f ON a.supersedes_id = f.id)
		SELECT a.id, a.title, a.level, a.status, a.version_no, a.valid_from, a.valid_to
		FROM agreements a JOIN fwd ON fwd.id = a.id WHERE a.municipality_id = ? ORDER BY a.version_no`,
		id, muniID, muniID).Scan(&out).Error
	return out, err
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
