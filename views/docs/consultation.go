package docs

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/pdf"
)

// ConsultationInput is everything the consultation report shows.
type ConsultationInput struct {
	Plan         *models.Plan
	Municipality *models.Municipality
	Comments     []models.Comment
}

// consultationCounts are the figures at the top of the report. Decisions and
// "unanswered" count the comments listed in the report (all but hidden ones).
type consultationCounts struct {
	received, published, pending, hidden     int
	accepted, rejected, noted, unanswered, n int
}

func countComments(cs []models.Comment) consultationCounts {
	var c consultationCounts
	for _, x := range cs {
		c.received++
		switch x.Moderation {
		case "hidden":
			c.hidden++
			continue
		case "approved":
			c.published++
		default:
			c.pending++
		}
		c.n++
		switch decisionOf(x) {
		case "accepted":
			c.accepted++
		case "rejected":
			c.rejected++
		case "noted":
			c.noted++
		default:
			c.unanswered++
		}
	}
	return c
}

func decisionOf(c models.Comment) string {
	if c.Decision == nil {
		return ""
	}
	return strings.TrimSpace(*c.Decision)
}

// ConsultationReport draws the annex for the assembly on the public
// consultation: the figures and every comment that was not hidden as spam or
// abuse, with the commission's decision and response.
func ConsultationReport(l *i18n.Localizer, in ConsultationInput) ([]byte, error) {
	p, muni := in.Plan, in.Municipality
	if p == nil || muni == nil {
		return nil, errors.New("docs: plan and municipality are required")
	}
	d := pdf.New(Meta(l, "consultation", pdf.Options{Title: l.T("plandoc.consultation.title") + " — " + p.Title, Author: muni.Name,
		Date: consultationDate(p, in.Comments), Landscape: true, PageFormat: l.T("pdf.page_format"),
		HeaderRight: muni.Name + " · " + p.Title}))
	d.Subtitle(l.T("plandoc.doc_type") + " · " + muni.Name)
	d.Title(l.T("plandoc.consultation.title"))
	d.Paragraph(l.T("plandoc.consultation.intro"))

	closes := "—"
	if p.ConsultationClosesOn != nil && !p.ConsultationClosesOn.IsZero() {
		closes = l.Date(p.ConsultationClosesOn.Time)
	}
	c := countComments(in.Comments)
	n := func(v int) string { return l.Int(int64(v)) }
	d.KeyValues([][2]string{
		{l.T("field.title"), p.Title},
		{l.T("plandoc.period"), l.Date(p.PeriodStart.Time) + " – " + l.Date(p.PeriodEnd.Time)},
		{l.T("plandoc.consultation_closes"), closes},
		{l.T("plandoc.count.received"), n(c.received)},
		{l.T("plandoc.count.published"), n(c.published)},
		{l.T("plandoc.count.pending"), n(c.pending)},
		{l.T("plandoc.count.hidden"), n(c.hidden)},
		{l.T("plandoc.count.accepted"), n(c.accepted)},
		{l.T("plandoc.count.rejected"), n(c.rejected)},
		{l.T("plandoc.count.noted"), n(c.noted)},
		{l.T("plandoc.count.unanswered"), n(c.unanswered)},
	})

	d.Heading(l.T("plandoc.comments"))
	codes := map[int64]string{}
	for _, m := range p.Measures {
		codes[m.ID] = m.Code
	}
	rows := [][]string{}
	for _, x := range in.Comments {
		if x.Moderation == "hidden" {
			continue
		}
		on := l.T("plandoc.whole_plan")
		if x.MeasureID != nil {
			on = x.MeasureCode
			if on == "" {
				on = codes[*x.MeasureID]
			}
			if on == "" {
				on = "#" + strconv.FormatInt(*x.MeasureID, 10)
			}
		}
		name := strings.TrimSpace(x.Name)
		if name == "" {
			name = l.T("plandoc.anonymous")
		}
		if x.Moderation != "approved" {
			name += "\n(" + l.T("plandoc.not_published") + ")"
		}
		decision := l.T("plandoc.decision.none")
		if dc := decisionOf(x); dc != "" {
			decision = l.T("plandoc.decision." + dc)
		}
		response := ""
		if x.Response != nil {
			response = *x.Response
		}
		rows = append(rows, []string{strconv.Itoa(len(rows) + 1), l.Date(x.CreatedAt.UTC()), on, name, x.Text, decision, response})
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("plandoc.no_comments"))
		return d.Bytes()
	}
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: "#", Width: 0.6, Align: "R"},
		{Title: l.T("plandoc.date"), Width: 1.7},
		{Title: l.T("plandoc.comment_on"), Width: 1.9},
		{Title: l.T("plandoc.commenter"), Width: 2.2},
		{Title: l.T("plandoc.comment_text"), Width: 5.6},
		{Title: l.T("plandoc.decision"), Width: 1.8},
		{Title: l.T("plandoc.response"), Width: 5.5},
	}, Rows: rows, FontSize: 8.5})
	return d.Bytes()
}

// consultationDate is the latest change the report reflects, so identical
// data gives an identical file.
func consultationDate(p *models.Plan, cs []models.Comment) time.Time {
	t := p.UpdatedAt
	for _, c := range cs {
		if c.CreatedAt.After(t) {
			t = c.CreatedAt
		}
		if c.RespondedAt != nil && c.RespondedAt.After(t) {
			t = *c.RespondedAt
		}
	}
	return t.UTC().Truncate(time.Second)
}
