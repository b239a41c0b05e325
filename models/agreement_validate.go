package models

import (
	"context"
	"fmt"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Limits of agreement content.
const (
	maxAgreementParties     = 30
	maxAgreementCommitments = 200
	maxAgreementBody        = 100000
)

// validateAgreement checks a draft's content: every problem is reported under
// its API field name (e.g. "parties[1].signatory_user_id").
func validateAgreement(ctx context.Context, db *gorm.DB, muniID int64, in *AgreementInput) error {
	f := map[string]string{}
	checkText(f, "title", in.Title, 300, true)
	checkText(f, "goal", in.Goal, 5000, true)
	checkText(f, "body", in.Body, maxAgreementBody, false)
	if !contains(PartnershipLevels, in.Level) {
		f["level"] = "validation.level"
	}
	switch {
	case in.ValidFrom.IsZero():
		f["valid_from"] = "validation.date"
	case in.ValidTo.IsZero():
		f["valid_to"] = "validation.date"
	case in.ValidTo.Before(in.ValidFrom.Time):
		f["valid_to"] = "validation.period_order"
	}
	if len(in.Parties) > maxAgreementParties {
		f["parties"] = "validation.too_many"
	}
	if len(in.Commitments) > maxAgreementCommitments {
		f["commitments"] = "validation.too_many"
	}
	orgs, signers, err := agreementRefs(ctx, db, muniID)
	if err != nil {
		return err
	}
	checkParties(f, in.Parties, orgs, signers)
	checkCommitments(f, in.Commitments, orgs)
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

func checkText(f map[string]string, field, s string, max int, required bool) {
	switch {
	case required && s == "":
		f[field] = "validation.required"
	case utf8.RuneCountInString(s) > max:
		f[field] = "validation.max"
	}
}

// checkReason checks a free-text reason or comment: at most 2000 characters
// (what the columns hold), and not empty when required.
func checkReason(field, s string, required bool) error {
	f := map[string]string{}
	checkText(f, field, s, 2000, required)
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

func checkParties(f map[string]string, parties []PartyInput, orgs map[int64]bool, signers map[int64]int64) {
	seen := map[int64]bool{}
	for i, p := range parties {
		key := fmt.Sprintf("parties[%d].", i)
		switch {
		case !orgs[p.OrganisationID]:
			f[key+"organisation_id"] = "error.unknown_organisation"
		case seen[p.OrganisationID]:
			f[key+"organisation_id"] = "validation.duplicate_party"
		}
		seen[p.OrganisationID] = true
		if org, ok := signers[p.SignatoryUserID]; !ok {
			f[key+"signatory_user_id"] = "validation.signatory_unknown"
		} else if org != p.OrganisationID {
			f[key+"signatory_user_id"] = "validation.signatory_other_org"
		}
	}
}

func checkCommitments(f map[string]string, cs []CommitmentInput, orgs map[int64]bool) {
	for i, c := range cs {
		key := fmt.Sprintf("commitments[%d].", i)
		checkText(f, key+"action", c.Action, 2000, true)
		if !orgs[c.ResponsibleOrganisationID] {
			f[key+"responsible_organisation_id"] = "error.unknown_organisation"
		}
		for _, s := range c.SupportingOrganisationIDs {
			if !orgs[s] || s == c.ResponsibleOrganisationID {
				f[key+"supporting_organisation_ids"] = "validation.supporting"
			}
		}
		if c.DueDate.IsZero() {
			f[key+"due_date"] = "validation.date"
		}
	}
}

// agreementRefs returns the municipality's organisations and the users who
// may sign there (coordinators and members) with their organisation.
func agreementRefs(ctx context.Context, db *gorm.DB, muniID int64) (map[int64]bool, map[int64]int64, error) {
	var orgIDs []int64
	if err := db.WithContext(ctx).Model(&Organisation{}).Where("municipality_id = ?", muniID).Pluck("id", &orgIDs).Error; err != nil {
		return nil, nil, err
	}
	orgs := map[int64]bool{}
	for _, id := range orgIDs {
		orgs[id] = true
	}
	var rows []struct{ ID, OrganisationID int64 }
	err := db.WithContext(ctx).Raw(`SELECT u.id, u.organisation_id FROM users u
		JOIN memberships m ON m.user_id = u.id AND m.municipality_id = ? AND m.role IN ('coordinator', 'member')
		WHERE u.organisation_id IS NOT NULL`, muniID).Scan(&rows).Error
	signers := map[int64]int64{}
	for _, r := range rows {
		signers[r.ID] = r.OrganisationID
	}
	return orgs, signers, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Signer is a user who may sign for an organisation.
type Signer struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	OrganisationID int64  `json:"organisation_id"`
}

// ListSigners lists who may sign in a municipality, for the agreement form.
func ListSigners(ctx context.Context, db *gorm.DB, muniID int64) ([]Signer, error) {
	var out []Signer
	err := db.WithContext(ctx).Raw(`SELECT u.id, u.name, u.organisation_id FROM users u
		JOIN memberships m ON m.user_id = u.id AND m.municipality_id = ? AND m.role IN ('coordinator', 'member')
		JOIN organisations o ON o.id = u.organisation_id AND o.municipality_id = ?
		ORDER BY lower(u.name)`, muniID, muniID).Scan(&out).Error
	return out, err
}
