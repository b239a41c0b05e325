package opendata

import (
	"time"

	"pakt/models"
	"pakt/models/disclosure"
)

// The answers of the public open-data API (docs/opendata.md). Codes
// (status, level, source, group, barrier, organisation type) are the API.md
// enums; texts are as the municipality wrote them; money is an exact
// decimal string; nothing names a person.

// MunicipalityItem is one entry of GET /api/v1/public/municipalities.
type MunicipalityItem struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Country  string `json:"country"`
	Currency string `json:"currency"`
	URL      string `json:"url"` // this municipality's open data
}

// PublicMunicipality is GET /api/v1/public/municipalities/{slug}: what the
// municipality's public page shows.
type PublicMunicipality struct {
	Slug              string            `json:"slug"`
	Name              string            `json:"name"`
	Country           string            `json:"country"`
	Currency          string            `json:"currency"`
	Language          string            `json:"language"`
	PageURL           string            `json:"page_url"`
	CSVURL            string            `json:"csv_url"`
	FiguresCSVURL     string            `json:"figures_csv_url"`
	Organisations     []PublicOrg       `json:"organisations"`
	Agreements        []PublicAgreement `json:"agreements"`
	ActionPlans       []PublicPlan      `json:"action_plans"`
	Reports           []PublicReport    `json:"reports"`
	SituationAnalyses []PublicSitan     `json:"situation_analyses"`
	FocusGroups       PublicFocusGroups `json:"focus_groups"`
}

// PublicOrg is a partner organisation.
type PublicOrg struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// PublicAgreement is an agreement in force.
type PublicAgreement struct {
	ID        int64         `json:"id"`
	Title     string        `json:"title"`
	Level     string        `json:"level"`
	VersionNo int           `json:"version_no"`
	ValidFrom models.Date   `json:"valid_from"`
	ValidTo   models.Date   `json:"valid_to"`
	InForceAt *time.Time    `json:"in_force_at"`
	SHA256    string        `json:"sha256"`
	VerifyURL string        `json:"verify_url"`
	Parties   []PublicParty `json:"parties"`
}

// PublicParty is a signing organisation (never who signed for it).
type PublicParty struct {
	Organisation     string     `json:"organisation"`
	OrganisationType string     `json:"organisation_type"`
	SignedAt         *time.Time `json:"signed_at"`
}

// PublicPlan is a plan in public consultation, adopted, or adopted and
// since revised (superseded).
type PublicPlan struct {
	ID                   int64             `json:"id"`
	Title                string            `json:"title"`
	Status               string            `json:"status"`
	PeriodStart          models.Date       `json:"period_start"`
	PeriodEnd            models.Date       `json:"period_end"`
	ConsultationClosesOn *models.Date      `json:"consultation_closes_on"`
	AdoptedOn            *models.Date      `json:"adopted_on"`
	DecisionNumber       *string           `json:"decision_number"`
	RevisesID            *int64            `json:"revises_id"`
	PlannedTotal         string            `json:"planned_total"`
	URL                  string            `json:"url"`
	PDFURL               string            `json:"pdf_url"`
	IATIURL              string            `json:"iati_url,omitempty"` // adopted and superseded plans
	Objectives           []PublicObjective `json:"objectives"`
	Measures             []PublicMeasure   `json:"measures"`
}

// PublicObjective is an objective of a plan.
type PublicObjective struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// PublicMeasure is a measure with its indicators and budget.
type PublicMeasure struct {
	ID                   int64             `json:"id"`
	Code                 string            `json:"code"`
	Title                string            `json:"title"`
	Description          string            `json:"description"`
	ObjectiveCode        string            `json:"objective_code"`
	Groups               []string          `json:"groups"`
	LeadOrganisation     string            `json:"lead_organisation"`
	PartnerOrganisations []string          `json:"partner_organisations"`
	StartDate            models.Date       `json:"start_date"`
	EndDate              models.Date       `json:"end_date"`
	Total                string            `json:"total"`
	Indicators           []PublicIndicator `json:"indicators"`
	Budget               []PublicBudget    `json:"budget"`
}

// PublicIndicator is a measure's indicator (decimal strings).
type PublicIndicator struct {
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Baseline string `json:"baseline"`
	// BaselineCount is the baseline in the count shape, when the unit
	// counts people (models.CountsPeople).
	BaselineCount *Count `json:"baseline_count,omitempty"`
	Target        string `json:"target"`
}

// PublicBudget is one planned amount.
type PublicBudget struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
	Funder string `json:"funder"`
	Amount string `json:"amount"`
}

// PublicReport is a published assembly report: its PDF, the PDF's SHA-256
// and the figures it prints, cumulative up to the end of its period and
// protected as the report protects them.
type PublicReport struct {
	PlanID      int64         `json:"plan_id"`
	PeriodID    int64         `json:"period_id"`
	PlanTitle   string        `json:"plan_title"`
	PeriodLabel string        `json:"period_label"`
	StartDate   models.Date   `json:"start_date"`
	EndDate     models.Date   `json:"end_date"`
	PublishedAt time.Time     `json:"published_at"`
	SHA256      string        `json:"sha256"`
	PDFURL      string        `json:"pdf_url"`
	Figures     ReportFigures `json:"figures"`
}

// ReportFigures are a report's cumulative figures.
type ReportFigures struct {
	PlannedTotal       string           `json:"planned_total"`
	SpentTotal         string           `json:"spent_total"`
	PeopleTotal        Count            `json:"people_total"`
	Women              Count            `json:"women"`
	Men                Count            `json:"men"`
	Employed           Count            `json:"employed"`
	Trained            Count            `json:"trained"`
	CompletedEducation Count            `json:"completed_education"`
	SelfEmployed       Count            `json:"self_employed"`
	ByGroup            map[string]Count `json:"by_group"`
}

// PublicSitan is a published situation analysis.
type PublicSitan struct {
	ID               int64            `json:"id"`
	Title            string           `json:"title"`
	Year             int              `json:"year"`
	PublishedAt      *time.Time       `json:"published_at"`
	URL              string           `json:"url"`
	PDFURL           string           `json:"pdf_url"`
	Indicators       []SitanIndicator `json:"indicators"`
	VulnerableGroups []SitanGroup     `json:"vulnerable_groups"`
	Findings         []SitanFinding   `json:"findings"`
}

// SitanIndicator is a baseline indicator summed from the questionnaires.
type SitanIndicator struct {
	Indicator string        `json:"indicator"`
	Value     Count         `json:"value"`
	Women     Count         `json:"women"`
	Men       Count         `json:"men"`
	Sources   []SitanSource `json:"sources"`
}

// SitanSource is one organisation's answer to an indicator.
type SitanSource struct {
	Organisation string `json:"organisation"`
	Value        Count  `json:"value"`
	Counted      bool   `json:"counted"` // part of the indicator's value
}

// SitanGroup is a vulnerable group, highest priority first.
type SitanGroup struct {
	Rank          int      `json:"rank"`
	Group         string   `json:"group"`
	Label         string   `json:"label"`
	EstimatedSize Count    `json:"estimated_size"`
	Women         Count    `json:"women"`
	Men           Count    `json:"men"`
	Barriers      []string `json:"barriers"`
}

// SitanFinding is a finding of the analysis.
type SitanFinding struct {
	ID                 int64  `json:"id"`
	Statement          string `json:"statement"`
	Group              string `json:"group"`
	Barrier            string `json:"barrier"`
	SourceOrganisation string `json:"source_organisation"`
}

// PublicFocusGroups is "what we heard": the focus groups with their
// participants (and a totals row) and the needs they named.
type PublicFocusGroups struct {
	URL    string       `json:"url"`
	Groups []FocusGroup `json:"groups"`
	Totals *FocusCounts `json:"totals"`
	Needs  []FocusNeed  `json:"needs"`
}

// FocusGroup is one focus group.
type FocusGroup struct {
	ID           int64       `json:"id"`
	HeldOn       string      `json:"held_on"`
	Place        string      `json:"place"`
	Groups       []string    `json:"groups"`
	Participants FocusCounts `json:"participants"`
	Needs        int         `json:"needs"`
}

// FocusCounts are participants by sex and age.
type FocusCounts struct {
	Total     Count `json:"total"`
	Women     Count `json:"women"`
	Men       Count `json:"men"`
	Age15to29 Count `json:"age_15_29"`
	Age30to49 Count `json:"age_30_49"`
	Age50Plus Count `json:"age_50_plus"`
}

// FocusNeed is a need a focus group named.
type FocusNeed struct {
	ID           int64   `json:"id"`
	FocusGroupID int64   `json:"focus_group_id"`
	Statement    string  `json:"statement"`
	Barrier      string  `json:"barrier"`
	Priority     int     `json:"priority"`
	Group        *string `json:"group"`
	Quote        string  `json:"quote"`
}

// Count is a count of people as the public may see it (package
// disclosure): never the value, but the band that holds it, min to max,
// with "suppressed" saying why — "small" (0 to 4 people: "<5" on the
// pages), "banded" (5 or more: "10–14" on the pages; a total is the sum of
// its parts' bands), "not_recorded" (no min and max). Value stays in the
// shape for exact figures and is null for counts of people.
type Count struct {
	Value      *int64 `json:"value"`
	Suppressed string `json:"suppressed,omitempty"`
	Min        *int64 `json:"min,omitempty"`
	Max        *int64 `json:"max,omitempty"`
}

// bandCount is a band as the API writes it.
func bandCount(b disclosure.Band) Count {
	if b.Missing {
		return Count{Suppressed: "not_recorded"}
	}
	lo, hi := b.Lo, b.Hi
	why := "banded"
	if b.IsSmall() {
		why = "small"
	}
	return Count{Suppressed: why, Min: &lo, Max: &hi}
}

// cellCount is a count as the public pages print it (models.PublicCell).
func cellCount(c models.PublicCell) Count {
	if c.Missing {
		return Count{Suppressed: "not_recorded"}
	}
	if !c.Banded {
		c = models.BandCell(c.Value) // public outputs never print exact counts of people
	}
	return bandCount(c.Band)
}
