package models

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// canonicalAgreement is exactly what a signature covers. Field order is
// fixed by the struct, lists are in their agreed order and supporting
// organisations sorted, so the same content always gives the same bytes.
type canonicalAgreement struct {
	Schema         string                `json:"schema"`
	MunicipalityID int64                 `json:"municipality_id"`
	VersionNo      int                   `json:"version_no"`
	Title          string                `json:"title"`
	Level          string                `json:"level"`
	Goal           string                `json:"goal"`
	Body           string                `json:"body"`
	ValidFrom      string                `json:"valid_from"`
	ValidTo        string                `json:"valid_to"`
	Parties        []canonicalParty      `json:"parties"`
	Commitments    []canonicalCommitment `json:"commitments"`
}

type canonicalParty struct {
	OrganisationID   int64  `json:"organisation_id"`
	OrganisationName string `json:"organisation_name"`
	SignatoryUserID  int64  `json:"signatory_user_id"`
	SignatoryName    string `json:"signatory_name"`
}

type canonicalCommitment struct {
	Action                    string  `json:"action"`
	ResponsibleOrganisationID int64   `json:"responsible_organisation_id"`
	SupportingOrganisationIDs []int64 `json:"supporting_organisation_ids"`
	DueDate                   string  `json:"due_date"`
}

// CanonicalJSON is the signed form of an agreement loaded with its parts.
func (a *Agreement) CanonicalJSON() []byte {
	c := canonicalAgreement{Schema: "pakt-agreement-v1", MunicipalityID: a.MunicipalityID, VersionNo: a.VersionNo,
		Title: a.Title, Level: a.Level, Goal: a.Goal, Body: a.Body,
		ValidFrom: a.ValidFrom.String(), ValidTo: a.ValidTo.String(),
		Parties: []canonicalParty{}, Commitments: []canonicalCommitment{}}
	for _, p := range a.Parties {
		c.Parties = append(c.Parties, canonicalParty{p.OrganisationID, p.OrganisationName, p.SignatoryUserID, p.SignatoryName})
	}
	for _, cm := range a.Commitments {
		sup := append([]int64{}, cm.SupportingOrganisationIDs...)
		sort.Slice(sup, func(i, j int) bool { return sup[i] < sup[j] })
		c.Commitments = append(c.Commitments, canonicalCommitment{cm.Action, cm.ResponsibleOrganisationID, sup, cm.DueDate.String()})
	}
	raw, _ := json.Marshal(c) // plain structs of strings and numbers cannot fail
	return raw
}

// ComputeSHA256 hashes the canonical form.
func (a *Agreement) ComputeSHA256() string {
	sum := sha256.Sum256(a.CanonicalJSON())
	return hex.EncodeToString(sum[:])
}

// SHA256Hex hashes bytes (documents, uploads).
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
