// Package iati writes an adopted action plan as an IATI 2.03 activity file
// (https://iatistandard.org/en/iati-standard/203/): each measure is one
// iati-activity. The XML is built from structs with encoding/xml, so every
// text and attribute is escaped. The schema fixes the structure; the values
// of coded attributes come from the IATI codelists, mapped here from
// Pakt's own codes (docs/iati.md lists the same mapping and why).
package iati

import (
	"slices"
	"strings"
	"time"

	"pakt/models"
)

// Version is the IATI standard version written.
const Version = "2.03"

// OECD DAC CRS purpose codes (IATI Sector vocabulary 1, five digits) that
// employment-pact measures fall under.
const (
	SectorBasicLifeSkillsAdults = "11230" // Basic life skills for adults: primary school for adults
	SectorVocationalTraining    = "11330" // Vocational training
	SectorSocialProtection      = "16010" // Social protection: social work, care services, inclusion
	SectorEmploymentCreation    = "16020" // Employment creation: mediation, subsidies, self-employment
)

// SectorOf maps a measure to its purpose code. Pakt records no "kind" of
// measure; what it records is who leads it and whom it is for, and that
// decides the sector: education providers run vocational training, or
// primary school for adults when the measure is for school drop-outs;
// social-work and health centres run social protection; every other lead
// (employment service, municipality, NGO, employer, …) runs employment
// measures.
func SectorOf(leadType string, groups []string) string {
	switch leadType {
	case "education":
		if slices.Contains(groups, "dropouts") {
			return SectorBasicLifeSkillsAdults
		}
		return SectorVocationalTraining
	case "csw", "health":
		return SectorSocialProtection
	}
	return SectorEmploymentCreation
}

// orgTypes maps Pakt's organisation types to the IATI OrganisationType
// codelist. Partners are in the country the plan is for (the aid
// recipient): local NGOs are 24, local businesses 72.
var orgTypes = map[string]string{
	"municipality":  "11", // Local Government
	"pes":           "15", // Other Public Sector
	"csw":           "15",
	"health":        "15",
	"education":     "80", // Academic, Training and Research
	"police":        "10", // Government
	"judiciary":     "10",
	"ngo":           "24", // Partner Country based NGO
	"employer":      "72", // Private Sector in Aid Recipient Country
	"international": "40", // Multilateral
	"media":         "90", // Other
	"other":         "90",
}

// OrgTypeOf is the IATI OrganisationType of a Pakt organisation type.
func OrgTypeOf(pakt string) string {
	if t, ok := orgTypes[pakt]; ok {
		return t
	}
	return "90"
}

// sourceTypes is the OrganisationType of who pays from each budget source;
// donors, in-kind contributors and "other" can be anyone, so they get none.
var sourceTypes = map[string]string{
	"municipal":  "11",
	"pes":        "15",
	"csw":        "15",
	"government": "10",
}

// SourceOrgType is the OrganisationType of a budget source's funder, or "".
func SourceOrgType(source string) string { return sourceTypes[source] }

// Participating-org roles (OrganisationRole codelist).
const (
	RoleFunding      = "1"
	RoleAccountable  = "2"
	RoleImplementing = "4"
)

// ActivityStatus codelist values used.
const (
	StatusPipeline       = "1"
	StatusImplementation = "2"
	StatusFinalisation   = "3"
	StatusCancelled      = "5"
)

// StatusOf is a measure's ActivityStatus from its latest published report
// ("" when none) and today's date: cancelled is cancelled, completed is in
// finalisation (done, open for monitoring), before its start date it is in
// the pipeline, after its end date in finalisation, otherwise being
// implemented.
func StatusOf(m *models.Measure, latest string, today time.Time) string {
	switch {
	case latest == "cancelled":
		return StatusCancelled
	case latest == "completed":
		return StatusFinalisation
	case today.Before(m.StartDate.Time):
		return StatusPipeline
	case today.After(m.EndDate.Time):
		return StatusFinalisation
	}
	return StatusImplementation
}

// Other codes written (docs/iati.md).
const (
	orgTypeLocalGovernment = "11"
	dateStartPlanned       = "1"
	dateStartActual        = "2"
	dateEndPlanned         = "3"
	dateEndActual          = "4"
	sectorVocabularyDAC5   = "1"
	budgetOriginal         = "1"   // BudgetType: Original
	budgetCommitted        = "2"   // BudgetStatus: Committed (the assembly adopted the plan)
	transactionExpenditure = "4"   // TransactionType: Expenditure
	resultOutput           = "1"   // ResultType: Output
	measureUnit            = "1"   // IndicatorMeasure: Unit
	descriptionGeneral     = "1"   // DescriptionType: General
	descriptionObjectives  = "2"   // DescriptionType: Objectives
	otherIDInternal        = "A1"  // OtherIdentifierType: Reporting Organisation's internal ID
	docWebPage             = "A12" // DocumentCategory: Activity web page
	docReview              = "A07" // DocumentCategory: Review of project performance and evaluation
)

// LangOf is the ISO 639-1 code of a municipality's language ("sr-Latn" → "sr").
func LangOf(lang string) string {
	base, _, _ := strings.Cut(lang, "-")
	return strings.ToLower(base)
}

// ActivityID is the stable iati-identifier of a measure: the publisher's
// organisation identifier, the plan and the measure. Ids never change, so
// neither does the identifier (a revised plan's measures are new ones).
func ActivityID(orgRef string, planID, measureID int64) string {
	return orgRef + "-MAP" + itoa(planID) + "-M" + itoa(measureID)
}
