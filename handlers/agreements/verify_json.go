package agreements

import (
	"pakt/models"
)

// verifyAnswer is the JSON answer of /api/v1/verify/{sha256} (and of
// /verify/{sha256} for clients that accept only JSON).
type verifyAnswer struct {
	SHA256         string          `json:"sha256"`
	Match          string          `json:"match"` // "document": the PDF's bytes; "content": the hash it prints
	Kind           string          `json:"kind"`  // agreement, report, plan, sitan
	Title          string          `json:"title"`
	PeriodLabel    string          `json:"period_label,omitempty"`
	Status         string          `json:"status"`
	Date           string          `json:"date,omitempty"` // in force, adopted or published (YYYY-MM-DD)
	Municipality   verifyMuni      `json:"municipality"`
	DocumentSHA256 string          `json:"document_sha256,omitempty"`
	ContentSHA256  string          `json:"content_sha256"`
	ContentIntact  bool            `json:"content_intact"`
	URL            string          `json:"url"`
	PageURL        string          `json:"page_url"`
	PDFURL         string          `json:"pdf_url,omitempty"`
	Parties        []verifyParty   `json:"parties,omitempty"`
	Signatures     []verifySigning `json:"signatures,omitempty"`
}

type verifyMuni struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

type verifyParty struct {
	OrganisationID   int64  `json:"organisation_id"`
	OrganisationName string `json:"organisation_name"`
	SignatoryName    string `json:"signatory_name"`
}

type verifySigning struct {
	OrganisationID   int64  `json:"organisation_id"`
	OrganisationName string `json:"organisation_name"`
	UserID           int64  `json:"user_id"`
	UserName         string `json:"user_name"`
	SignedAt         string `json:"signed_at"`
	SHA256           string `json:"sha256"`
}

func verifyJSON(base, sha string, v *models.Verification) verifyAnswer {
	a := verifyAnswer{SHA256: sha, Match: "content", Kind: v.Kind, Title: v.Title, PeriodLabel: v.PeriodLabel, Status: v.Status,
		Municipality:   verifyMuni{v.Municipality.ID, v.Municipality.Name, v.Municipality.Slug},
		DocumentSHA256: v.DocumentSHA256, ContentSHA256: v.ContentSHA256, ContentIntact: v.Intact,
		URL: base + "/verify/" + sha}
	if v.Document {
		a.Match = "document"
	}
	if v.Date != nil {
		a.Date = v.Date.UTC().Format("2006-01-02")
	}
	page, pdf := publicURLs(v)
	a.PageURL = base + page
	if pdf != "" {
		a.PDFURL = base + pdf
	}
	if ag := v.Agreement; ag != nil {
		a.Parties, a.Signatures = []verifyParty{}, []verifySigning{}
		for _, p := range ag.Parties {
			a.Parties = append(a.Parties, verifyParty{p.OrganisationID, p.OrganisationName, p.SignatoryName})
		}
		for _, s := range ag.Signatures {
			a.Signatures = append(a.Signatures, verifySigning{s.OrganisationID, s.OrgName, s.UserID, s.UserName,
				s.SignedAt.UTC().Format("2006-01-02T15:04:05Z07:00"), s.SHA256})
		}
	}
	return a
}
