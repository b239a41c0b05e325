// Package docs composes Pakt's PDF documents (agreements, analyses, plans,
// reports) from model data with the pdf package, in the reader's language.
package docs

import (
	"strconv"
	"strings"
	"time"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/pdf"
)

// AgreementInput is everything the agreement PDF shows.
type AgreementInput struct {
	Agreement    *models.Agreement
	Municipality *models.Municipality
	OrgNames     map[int64]string
	VerifyURL    string
	Final        bool // the registered document, with the signature certificate page
}

// Agreement draws a partnership agreement: parties, goal, body, commitments
// and, for the final document, the signature certificate page.
func Agreement(l *i18n.Localizer, in AgreementInput) ([]byte, error) {
	ag := in.Agreement
	date := ag.CreatedAt
	if ag.InForceAt != nil {
		date = *ag.InForceAt
	}
	d := pdf.New(Meta(l, "agreement", pdf.Options{Title: ag.Title, Author: in.Municipality.Name, Date: date.UTC().Truncate(time.Second),
		PageFormat: l.T("pdf.page_format"), FooterLeft: in.VerifyURL, HeaderRight: in.Municipality.Name}))
	d.Title(ag.Title)
	d.Subtitle(in.Municipality.Name + " · " + l.T("agreement.version_no", "N", ag.VersionNo) + " · " + l.T("agreement.status."+ag.Status))
	if !in.Final {
		d.Note(l.T("pdf.not_final"))
	}
	d.KeyValues([][2]string{
		{l.T("field.level"), l.T("level." + ag.Level)},
		{l.T("agreement.period"), l.Date(ag.ValidFrom.Time) + " – " + l.Date(ag.ValidTo.Time)},
	})
	// The hash of the frozen text, once there is one: on its own line,
	// never wrapped, with the verification address as link and QR code.
	if ag.SHA256 != nil {
		d.Seal(SealOf(l, "agreement", *ag.SHA256, in.VerifyURL))
	}
	d.Heading(l.T("agreement.parties"))
	rows := [][]string{}
	for i, p := range ag.Parties {
		rows = append(rows, []string{itoa(i + 1), p.OrganisationName, p.SignatoryName})
	}
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: "#", Width: 0.5, Align: "R"}, {Title: l.T("field.organisation"), Width: 5},
		{Title: l.T("agreement.signatory"), Width: 3}}, Rows: rows})
	d.Heading(l.T("field.goal"))
	d.Paragraph(ag.Goal)
	if strings.TrimSpace(ag.Body) != "" {
		d.Heading(l.T("field.body"))
		d.Paragraph(ag.Body)
	}
	d.Heading(l.T("agreement.commitments"))
	d.Table(commitmentTable(l, ag, in.OrgNames))
	if in.Final {
		certificate(d, l, in)
	}
	return d.Bytes()
}

func commitmentTable(l *i18n.Localizer, ag *models.Agreement, names map[int64]string) pdf.Table {
	rows := [][]string{}
	for i, c := range ag.Commitments {
		var sup []string
		for _, id := range c.SupportingOrganisationIDs {
			sup = append(sup, names[id])
		}
		rows = append(rows, []string{itoa(i + 1), c.Action, c.ResponsibleName, strings.Join(sup, ", "), l.Date(c.DueDate.Time)})
	}
	return pdf.Table{Columns: []pdf.Column{{Title: "#", Width: 0.5, Align: "R"}, {Title: l.T("commitment.action"), Width: 6},
		{Title: l.T("commitment.responsible"), Width: 3}, {Title: l.T("commitment.supporting"), Width: 3},
		{Title: l.T("commitment.due"), Width: 2.2}}, Rows: rows}
}

// certificate is the last page: who signed when, over which hash, and where to verify.
func certificate(d *pdf.Doc, l *i18n.Localizer, in AgreementInput) {
	ag := in.Agreement
	d.PageBreak()
	d.Title(l.T("certificate.title"))
	d.Paragraph(l.T("certificate.intro"))
	d.Seal(SealOf(l, "agreement", orDash(ag.SHA256), in.VerifyURL))
	// Every signature covers the text hash above (the database refuses any
	// other), so the table says so instead of printing 64 digits per row
	// in a column too narrow for them.
	rows := [][]string{}
	for _, s := range ag.Signatures {
		covers := "—"
		if ag.SHA256 != nil && s.SHA256 == *ag.SHA256 {
			covers = l.T("certificate.covers_text")
		}
		rows = append(rows, []string{s.OrgName, s.UserName, l.DateTime(s.SignedAt), covers})
	}
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: l.T("field.organisation"), Width: 3}, {Title: l.T("agreement.signatory"), Width: 2.5},
		{Title: l.T("certificate.signed_at"), Width: 2.2}, {Title: l.T("certificate.signed_hash"), Width: 2.5}}, Rows: rows, FontSize: 8})
	if ag.InForceAt != nil {
		d.Paragraph(l.T("certificate.in_force_since") + " " + l.DateTime(*ag.InForceAt))
	}
}

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "—"
	}
	return *s
}

func itoa(n int) string { return strconv.Itoa(n) }
