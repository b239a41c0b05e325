package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Agreement statuses (API.md).
const (
	AgreementDraft      = "draft"
	AgreementOpen       = "open_for_signature"
	AgreementInForce    = "in_force"
	AgreementDeclined   = "declined"
	AgreementSuperseded = "superseded"
)

// PartnershipLevels from loose to close (DOMAIN.md).
var PartnershipLevels = []string{"cooperation", "coordination", "collaboration"}

// Agreement is a protocol of cooperation in one of its versions.
type Agreement struct {
	ID             int64        `json:"id" gorm:"primaryKey"`
	MunicipalityID int64        `json:"municipality_id"`
	VersionNo      int          `json:"version_no"`
	SupersedesID   *int64       `json:"supersedes_id"`
	Title          string       `json:"title"`
	Level          string       `json:"level"`
	Goal           string       `json:"goal"`
	Body           string       `json:"body"`
	ValidFrom      Date         `json:"valid_from"`
	ValidTo        Date         `json:"valid_to"`
	Status         string       `json:"status"`
	SHA256         *string      `json:"sha256" gorm:"column:sha256"`
	OpenedAt       *time.Time   `json:"opened_at"`
	InForceAt      *time.Time   `json:"in_force_at"`
	DeclinedBy     *int64       `json:"declined_by"`
	DeclinedReason *string      `json:"declined_reason"`
	FinalPDFSHA256 *string      `json:"final_pdf_sha256" gorm:"column:final_pdf_sha256"`
	Version        int          `json:"version"`
	CreatedBy      *int64       `json:"created_by"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Parties        []Party      `json:"parties" gorm:"-"`
	Commitments    []Commitment `json:"commitments" gorm:"-"`
	Signatures     []Signature  `json:"signatures" gorm:"-"`
	SupersededByID *int64       `json:"superseded_by_id" gorm:"-"`
}

// Party is an organisation that signs, and who signs for it.
type Party struct {
	ID               int64  `json:"id" gorm:"primaryKey"`
	AgreementID      int64  `json:"-"`
	MunicipalityID   int64  `json:"-"`
	Position         int    `json:"-"`
	OrganisationID   int64  `json:"organisation_id"`
	SignatoryUserID  int64  `json:"signatory_user_id"`
	OrganisationName string `json:"organisation_name" gorm:"->;-:migration"`
	SignatoryName    string `json:"signatory_name" gorm:"->;-:migration"`
}

// TableName maps Party to agreement_parties.
func (Party) TableName() string { return "agreement_parties" }

// Commitment is one jointly agreed action: who does it, with whom, by when.
type Commitment struct {
	ID                        int64  `json:"id" gorm:"primaryKey"`
	AgreementID               int64  `json:"agreement_id"`
	MunicipalityID            int64  `json:"-"`
	Position                  int    `json:"-"`
	Action                    string `json:"action"`
	ResponsibleOrganisationID int64  `json:"responsible_organisation_id"`
	SupportingOrganisationIDs Int64s `json:"supporting_organisation_ids" gorm:"type:bigint[]"`
	DueDate                   Date   `json:"due_date"`
	ResponsibleName           string `json:"responsible_organisation_name" gorm:"->;-:migration"`
	Progress                  string `json:"progress" gorm:"->;-:migration"`
	ProgressNote              string `json:"progress_note" gorm:"->;-:migration"`
	ProgressOn                *Date  `json:"progress_on" gorm:"->;-:migration"`
}

// TableName maps Commitment to agreement_commitments.
func (Commitment) TableName() string { return "agreement_commitments" }

// Overdue says whether the commitment is past due and not done.
func (c Commitment) Overdue() bool {
	return c.Progress != "done" && c.DueDate.Before(Today().Time)
}

// Signature is one party's electronic signature over the frozen text.
type Signature struct {
	ID             int64     `json:"-" gorm:"primaryKey"`
	AgreementID    int64     `json:"-"`
	MunicipalityID int64     `json:"-"`
	PartyID        int64     `json:"-"`
	OrganisationID int64     `json:"organisation_id"`
	UserID         int64     `json:"user_id"`
	SignedAt       time.Time `json:"signed_at"`
	IP             string    `json:"-" gorm:"column:ip"`
	UserAgent      string    `json:"-"`
	SHA256         string    `json:"sha256" gorm:"column:sha256"`
	UserName       string    `json:"user_name" gorm:"->;-:migration"`
	OrgName        string    `json:"organisation_name" gorm:"->;-:migration"`
}

// TableName maps Signature to agreement_signatures.
func (Signature) TableName() string { return "agreement_signatures" }

// AgreementInput is the editable content of a draft.
type AgreementInput struct {
	Title       string            `json:"title"`
	Level       string            `json:"level"`
	Goal        string            `json:"goal"`
	Body        string            `json:"body"`
	ValidFrom   Date              `json:"valid_from"`
	ValidTo     Date              `json:"valid_to"`
	Parties     []PartyInput      `json:"parties"`
	Commitments []CommitmentInput `json:"commitments"`
}

// PartyInput names a party and its signatory.
type PartyInput struct {
	OrganisationID  int64 `json:"organisation_id"`
	SignatoryUserID int64 `json:"signatory_user_id"`
}

// CommitmentInput is one jointly agreed action.
type CommitmentInput struct {
	Action                    string  `json:"action"`
	ResponsibleOrganisationID int64   `json:"responsible_organisation_id"`
	SupportingOrganisationIDs []int64 `json:"supporting_organisation_ids"`
	DueDate                   Date    `json:"due_date"`
}

// InputOf returns the editable content of an agreement (to edit or to amend).
func (a *Agreement) InputOf() AgreementInput {
	in := AgreementInput{Title: a.Title, Level: a.Level, Goal: a.Goal, Body: a.Body, ValidFrom: a.ValidFrom, ValidTo: a.ValidTo}
	for _, p := range a.Parties {
		in.Parties = append(in.Parties, PartyInput{p.OrganisationID, p.SignatoryUserID})
	}
	for _, c := range a.Commitments {
		in.Commitments = append(in.Commitments, CommitmentInput{c.Action, c.ResponsibleOrganisationID,
			append([]int64(nil), c.SupportingOrganisationIDs...), c.DueDate})
	}
	return in
}

func (in *AgreementInput) clean() {
	in.Title, in.Goal = strings.TrimSpace(in.Title), strings.TrimSpace(in.Goal)
	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	for i := range in.Commitments {
		in.Commitments[i].Action = strings.TrimSpace(in.Commitments[i].Action)
	}
}

// CreateAgreement stores a new draft (version 1).
func CreateAgreement(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in AgreementInput) (*Agreement, error) {
	in.clean()
	if err := validateAgreement(ctx, db, muniID, &in); err != nil {
		return nil, err
	}
	ag := &Agreement{MunicipalityID: muniID, VersionNo: 1, Status: AgreementDraft, Version: 1, CreatedBy: userRef(a)}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := saveAgreement(tx, ag, in); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "agreement", ag.ID, in)
	})
	if err != nil {
		return nil, err
	}
	return GetAgreement(ctx, db, muniID, ag.ID)
}

// UpdateAgreement replaces a draft's content; version 0 skips the staleness check.
func UpdateAgreement(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int, in AgreementInput) (*Agreement, error) {
	in.clean()
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ag, err := lockAgreement(tx, muniID, id)
		if err != nil {
			return err
		}
		if ag.Status != AgreementDraft {
			return &StateError{"error.agreement_not_draft"}
		}
		if version != 0 && version != ag.Version {
			return ErrStale
		}
		if err := validateAgreement(ctx, tx, muniID, &in); err != nil {
			return err
		}
		full, err := GetAgreement(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		before := full.InputOf()
		if err := tx.Where("agreement_id = ?", id).Delete(&Party{}).Error; err != nil {
			return err
		}
		if err := tx.Where("agreement_id = ?", id).Delete(&Commitment{}).Error; err != nil {
			return err
		}
		ag.Version++
		if err := saveAgreement(tx, ag, in); err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "update", "agreement", id, map[string]any{"before": before, "after": in})
	})
	if err != nil {
		return nil, err
	}
	return GetAgreement(ctx, db, muniID, id)
}

// saveAgreement writes the agreement row and its parts.
func saveAgreement(tx *gorm.DB, ag *Agreement, in AgreementInput) error {
	ag.Title, ag.Level, ag.Goal, ag.Body = in.Title, in.Level, in.Goal, in.Body
	ag.ValidFrom, ag.ValidTo, ag.UpdatedAt = in.ValidFrom, in.ValidTo, time.Now()
	if err := tx.Omit("Parties", "Commitments", "Signatures").Save(ag).Error; err != nil {
		return err
	}
	for i, p := range in.Parties {
		row := Party{AgreementID: ag.ID, MunicipalityID: ag.MunicipalityID, Position: i,
			OrganisationID: p.OrganisationID, SignatoryUserID: p.SignatoryUserID}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	for i, c := range in.Commitments {
		row := Commitment{AgreementID: ag.ID, MunicipalityID: ag.MunicipalityID, Position: i, Action: c.Action,
			ResponsibleOrganisationID: c.ResponsibleOrganisationID, SupportingOrganisationIDs: Int64s(c.SupportingOrganisationIDs), DueDate: c.DueDate}
		if row.SupportingOrganisationIDs == nil {
			row.SupportingOrganisationIDs = Int64s{}
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// lockAgreement reads the bare row FOR UPDATE, inside the municipality.
func lockAgreement(tx *gorm.DB, muniID, id int64) (*Agreement, error) {
	var ag Agreement
	err := tx.Raw(`SELECT * FROM agreements WHERE id = ? AND municipality_id = ? FOR UPDATE`, id, muniID).Scan(&ag).Error
	if err == nil && ag.ID == 0 {
		err = ErrNotFound
	}
	return &ag, err
}

// GetAgreement loads an agreement with parties, commitments and signatures.
func GetAgreement(ctx context.Context, db *gorm.DB, muniID, id int64) (*Agreement, error) {
	var ag Agreement
	db = db.WithContext(ctx)
	if err := db.Where("id = ? AND municipality_id = ?", id, muniID).First(&ag).Error; err != nil {
		return nil, notFound(err)
	}
	err := db.Table("agreement_parties p").Select("p.*, o.name AS organisation_name, u.name AS signatory_name").
		Joins("JOIN organisations o ON o.id = p.organisation_id").Joins("JOIN users u ON u.id = p.signatory_user_id").
		Where("p.agreement_id = ?", id).Order("p.position").Scan(&ag.Parties).Error
	if err != nil {
		return nil, err
	}
	if ag.Commitments, err = commitmentsWhere(db, "c.agreement_id = ?", id); err != nil {
		return nil, err
	}
	err = db.Table("agreement_signatures s").Select("s.*, u.name AS user_name, o.name AS org_name").
		Joins("JOIN users u ON u.id = s.user_id").Joins("JOIN organisations o ON o.id = s.organisation_id").
		Where("s.agreement_id = ?", id).Order("s.signed_at, s.id").Scan(&ag.Signatures).Error
	if err != nil {
		return nil, err
	}
	var next []int64
	if err := db.Model(&Agreement{}).Where("supersedes_id = ?", id).Pluck("id", &next).Error; err != nil {
		return nil, err
	}
	if len(next) > 0 {
		ag.SupersededByID = &next[0]
	}
	return &ag, nil
}

// commitmentsWhere loads commitments with their latest progress.
func commitmentsWhere(db *gorm.DB, where string, args ...any) ([]Commitment, error) {
	var cs []Commitment
	err := db.Table("agreement_commitments c").
		Select(`c.*, o.name AS responsible_name, coalesce(lp.status, 'pending') AS progress,
			coalesce(lp.note, '') AS progress_note, lp.recorded_on AS progress_on`).
		Joins("JOIN organisations o ON o.id = c.responsible_organisation_id").
		Joins(`LEFT JOIN LATERAL (SELECT status, note, recorded_on FROM commitment_progress p
			WHERE p.commitment_id = c.id ORDER BY p.id DESC LIMIT 1) lp ON true`).
		Where(where, args...).Order("c.agreement_id, c.position").Scan(&cs).Error
	return cs, err
}

// AgreementSummary is a row of the agreements list.
type AgreementSummary struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Level        string `json:"level"`
	Status       string `json:"status"`
	VersionNo    int    `json:"version_no"`
	ValidFrom    Date   `json:"valid_from"`
	ValidTo      Date   `json:"valid_to"`
	Parties      int    `json:"parties"`
	Signed       int    `json:"signatures"`
	Municipality string `json:"municipality_name,omitempty"`
}

// ListAgreements lists a municipality's agreements, newest first.
func ListAgreements(ctx context.Context, db *gorm.DB, muniID int64) ([]AgreementSummary, error) {
	var out []AgreementSummary
	err := db.WithContext(ctx).Raw(`SELECT a.id, a.title, a.level, a.status, a.version_no, a.valid_from, a.valid_to,
		(SELECT count(*) FROM agreement_parties p WHERE p.agreement_id = a.id) AS parties,
		(SELECT count(*) FROM agreement_signatures s WHERE s.agreement_id = a.id) AS signed
		FROM agreements a WHERE a.municipality_id = ? ORDER BY a.id DESC`, muniID).Scan(&out).Error
	return out, err
}

// MunicipalityOfAgreement answers which municipality owns an agreement (for the policy).
func MunicipalityOfAgreement(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return municipalityOf(ctx, db, "agreements", id)
}

// MunicipalityOfCommitment answers which municipality owns a commitment (for the policy).
func MunicipalityOfCommitment(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return municipalityOf(ctx, db, "agreement_commitments", id)
}

func municipalityOf(ctx context.Context, db *gorm.DB, table string, id int64) (int64, error) {
	var muni int64
	err := db.WithContext(ctx).Raw(fmt.Sprintf("SELECT municipality_id FROM %s WHERE id = ?", table), id).Scan(&muni).Error
	if err == nil && muni == 0 {
		return 0, ErrNotFound
	}
	return muni, err
}

func userRef(a Actor) *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}
