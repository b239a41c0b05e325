package docs

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/pdf"
)

// PlanInput is everything the action plan PDF shows. Plan is loaded by
// models.GetPlan with objectives, measures, indicators, budget and evidence.
type PlanInput struct {
	Plan         *models.Plan
	Municipality *models.Municipality
	OrgNames     map[int64]string
	VerifyURL    string        // printed in every footer (the verification address when registered)
	Registered   *Registration // the adopted plan's registered document: prints the seal
}

// Plan draws a Municipal Action Plan in A4 landscape: a cover with the
// assembly's decision, the objectives, one measures table per objective, the
// indicators, the budget by source and year (exact decimal totals) and an
// annex with the evidence each measure answers.
func Plan(l *i18n.Localizer, in PlanInput) ([]byte, error) {
	p, muni := in.Plan, in.Municipality
	if p == nil || muni == nil {
		return nil, errors.New("docs: plan and municipality are required")
	}
	f := planFormat{l: l, currency: muni.Currency, orgs: in.OrgNames}
	footer := in.VerifyURL
	if in.Registered != nil {
		footer = in.Registered.URL()
	}
	d := pdf.New(Meta(l, "plan", pdf.Options{Title: p.Title, Author: muni.Name, Date: planDate(p), Landscape: true,
		PageFormat: l.T("pdf.page_format"), FooterLeft: footer, HeaderRight: muni.Name + " · " + p.Title}))
	matrix := p.Matrix()

	planCover(d, f, p, muni, matrix, in.Registered)
	d.PageBreak()
	planObjectives(d, f, p, matrix)
	planMeasures(d, f, p, matrix)
	planIndicators(d, f, p)
	planBudget(d, f, p, matrix)
	planEvidence(d, f, p)
	return d.Bytes()
}

// planFormat bundles the localizer with what every table needs.
type planFormat struct {
	l        *i18n.Localizer
	currency string
	orgs     map[int64]string
}

func (f planFormat) money(d decimal.Decimal) string {
	return strings.TrimSpace(f.l.Money(d, f.currency))
}

// quantity prints an indicator value: whole numbers without decimals.
func (f planFormat) quantity(d decimal.Decimal) string {
	if d.IsInteger() {
		return f.l.Decimal(d, 0)
	}
	return f.l.Decimal(d, 2)
}

func (f planFormat) org(id int64) string {
	if n := strings.TrimSpace(f.orgs[id]); n != "" {
		return n
	}
	if id == 0 {
		return "—"
	}
	return "#" + strconv.FormatInt(id, 10)
}

func (f planFormat) span(a, b models.Date) string {
	return f.l.Date(a.Time) + " – " + f.l.Date(b.Time)
}

func (f planFormat) groups(codes []string) string {
	names := make([]string, 0, len(codes))
	for _, g := range codes {
		names = append(names, f.l.T("plandoc.group."+g))
	}
	return strings.Join(names, ", ")
}

func (f planFormat) source(code string) string { return f.l.T("plandoc.source." + code) }

// planDate is the document date written into the PDF: the adoption day of an
// adopted plan, else its last change (deterministic for identical data).
func planDate(p *models.Plan) time.Time {
	if p.AdoptedOn != nil && !p.AdoptedOn.IsZero() {
		return p.AdoptedOn.UTC()
	}
	return p.UpdatedAt.UTC().Truncate(time.Second)
}

func planCover(d *pdf.Doc, f planFormat, p *models.Plan, muni *models.Municipality, matrix *models.BudgetMatrix, reg *Registration) {
	l := f.l
	d.Spacer(1)
	d.Subtitle(l.T("plandoc.doc_type") + " · " + muni.Name)
	d.Title(p.Title)
	status := p.Status
	if reg != nil {
		status = models.PlanAdopted // registered as adopted, whatever came after
	} else if p.Status != models.PlanAdopted {
		d.Note(l.T("pdf.not_final"))
	}
	rows := [][2]string{
		{l.T("field.municipality"), muni.Name},
		{l.T("field.title"), p.Title},
		{l.T("plandoc.period"), f.span(p.PeriodStart, p.PeriodEnd)},
		{l.T("field.status"), l.T("plandoc.status." + status)},
	}
	if p.RevisesID != nil {
		rows = append(rows, [2]string{l.T("plandoc.revises"), "#" + strconv.FormatInt(*p.RevisesID, 10)})
	}
	if p.ConsultationClosesOn != nil && !p.ConsultationClosesOn.IsZero() {
		rows = append(rows, [2]string{l.T("plandoc.consultation_closes"), l.Date(p.ConsultationClosesOn.Time)})
	}
	if p.AdoptedOn != nil && !p.AdoptedOn.IsZero() {
		rows = append(rows, [2]string{l.T("plandoc.adopted_on"), l.Date(p.AdoptedOn.Time)})
		if p.DecisionNumber != nil && strings.TrimSpace(*p.DecisionNumber) != "" {
			rows = append(rows, [2]string{l.T("plandoc.decision_number"), *p.DecisionNumber})
		}
		if v := votes(l, p); v != "" {
			rows = append(rows, [2]string{l.T("plandoc.votes"), v})
		}
	}
	rows = append(rows,
		[2]string{l.T("plandoc.objectives"), l.Int(int64(len(p.Objectives)))},
		[2]string{l.T("plandoc.measures_count"), l.Int(int64(len(p.Measures)))},
		[2]string{l.T("plandoc.total_budget"), f.money(matrix.Total)},
	)
	d.KeyValues(rows)
	if reg != nil {
		d.Seal(SealOf(l, "plan", reg.ContentSHA256, reg.URL()))
	}
}

// votes describes the assembly vote; "unanimously" when nobody voted against
// or abstained.
func votes(l *i18n.Localizer, p *models.Plan) string {
	if p.VotesFor == nil {
		return ""
	}
	n := func(v *int) string {
		if v == nil {
			return "—"
		}
		return l.Int(int64(*v))
	}
	if p.Unanimous() {
		return l.T("plandoc.unanimous", "For", n(p.VotesFor))
	}
	return l.T("plandoc.votes_detail", "For", n(p.VotesFor), "Against", n(p.VotesAgainst), "Abstained", n(p.VotesAbstained))
}

// measuresOf returns the measures of an objective in plan order.
func measuresOf(p *models.Plan, objectiveID int64) []*models.Measure {
	var out []*models.Measure
	for i := range p.Measures {
		if p.Measures[i].ObjectiveID == objectiveID {
			out = append(out, &p.Measures[i])
		}
	}
	return out
}

// orphanMeasures are measures whose objective is not in the plan (never
// expected, but nothing of the plan may silently disappear from the PDF).
func orphanMeasures(p *models.Plan) []*models.Measure {
	known := map[int64]bool{}
	for _, o := range p.Objectives {
		known[o.ID] = true
	}
	var out []*models.Measure
	for i := range p.Measures {
		if !known[p.Measures[i].ObjectiveID] {
			out = append(out, &p.Measures[i])
		}
	}
	return out
}

func planObjectives(d *pdf.Doc, f planFormat, p *models.Plan, matrix *models.BudgetMatrix) {
	l := f.l
	d.Heading(l.T("plandoc.objectives"))
	rows := [][]string{}
	for _, o := range p.Objectives {
		ms := measuresOf(p, o.ID)
		sum := decimal.Zero
		for _, m := range ms {
			sum = sum.Add(matrix.ByMeasure[m.ID])
		}
		rows = append(rows, []string{o.Code, o.Title, l.Int(int64(len(ms))), f.money(sum)})
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("plandoc.no_objectives"))
		return
	}
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: l.T("plandoc.code"), Width: 1.2}, {Title: l.T("plandoc.objective"), Width: 9},
		{Title: l.T("plandoc.measures_count"), Width: 1.4, Align: "R"}, {Title: l.T("plandoc.planned"), Width: 2.8, Align: "R"}},
		Rows: rows})
}

func planMeasures(d *pdf.Doc, f planFormat, p *models.Plan, matrix *models.BudgetMatrix) {
	l := f.l
	for _, o := range p.Objectives {
		d.Heading(l.T("plandoc.measures_for", "Code", o.Code, "Title", o.Title))
		ms := measuresOf(p, o.ID)
		if len(ms) == 0 {
			d.Paragraph(l.T("plandoc.no_measures"))
			continue
		}
		d.Table(measureTable(f, ms, matrix))
	}
	if ms := orphanMeasures(p); len(ms) > 0 {
		d.Heading(l.T("plandoc.other_measures"))
		d.Table(measureTable(f, ms, matrix))
	}
}

func measureTable(f planFormat, ms []*models.Measure, matrix *models.BudgetMatrix) pdf.Table {
	l := f.l
	rows := [][]string{}
	for _, m := range ms {
		title := m.Title
		if desc := strings.TrimSpace(m.Description); desc != "" {
			title += "\n" + desc
		}
		partners := make([]string, 0, len(m.PartnerOrganisationIDs))
		for _, id := range m.PartnerOrganisationIDs {
			partners = append(partners, f.org(id))
		}
		rows = append(rows, []string{m.Code, title, f.org(m.LeadOrganisationID), strings.Join(partners, ", "),
			f.span(m.StartDate, m.EndDate), f.groups(m.Groups), f.money(matrix.ByMeasure[m.ID])})
	}
	return pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.code"), Width: 1.3},
		{Title: l.T("plandoc.measure"), Width: 5},
		{Title: l.T("plandoc.lead"), Width: 2.5},
		{Title: l.T("plandoc.partners"), Width: 2.6},
		{Title: l.T("plandoc.duration"), Width: 2.2},
		{Title: l.T("plandoc.groups"), Width: 2.6},
		{Title: l.T("plandoc.planned"), Width: 3.3, Align: "R"},
	}, Rows: rows, FontSize: 8.5}
}

func planIndicators(d *pdf.Doc, f planFormat, p *models.Plan) {
	l := f.l
	d.Heading(l.T("plandoc.indicators"))
	rows := [][]string{}
	for _, m := range p.Measures {
		if len(m.Indicators) == 0 {
			rows = append(rows, []string{m.Code, l.T("plandoc.no_indicators"), "", "", ""})
			continue
		}
		for _, ind := range m.Indicators {
			// the plan document is published: a baseline that counts people prints as its band
			rows = append(rows, []string{m.Code, ind.Name, ind.Unit, ind.PublicBaseline(), f.quantity(ind.Target)})
		}
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("plandoc.no_measures"))
		return
	}
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.measure"), Width: 1.2},
		{Title: l.T("plandoc.indicator"), Width: 8},
		{Title: l.T("plandoc.unit"), Width: 2.4},
		{Title: l.T("plandoc.baseline"), Width: 2.2, Align: "R"},
		{Title: l.T("plandoc.target"), Width: 2.2, Align: "R"},
	}, Rows: rows})
}

// planBudget draws the source × year matrix with row and column totals and,
// below it, every budget line with its funder.
func planBudget(d *pdf.Doc, f planFormat, p *models.Plan, b *models.BudgetMatrix) {
	l := f.l
	d.Heading(l.T("plandoc.budget"))
	if len(b.Sources) == 0 {
		d.Paragraph(l.T("plandoc.no_budget"))
		return
	}
	cols := []pdf.Column{{Title: l.T("plandoc.source"), Width: 3}}
	for _, y := range b.Years {
		cols = append(cols, pdf.Column{Title: strconv.Itoa(y), Width: 2.4, Align: "R"})
	}
	cols = append(cols, pdf.Column{Title: l.T("plandoc.total"), Width: 2.6, Align: "R"})
	rows := [][]string{}
	for _, s := range b.Sources {
		row := []string{f.source(s)}
		for _, y := range b.Years {
			row = append(row, f.money(b.Cell(s, y)))
		}
		rows = append(rows, append(row, f.money(b.BySource[s])))
	}
	total := []string{l.T("plandoc.total")}
	for _, y := range b.Years {
		total = append(total, f.money(b.ByYear[y]))
	}
	rows = append(rows, append(total, f.money(b.Total)))
	size := 9.0
	if len(b.Years) > 5 {
		size = 7.5 // a long period: keep every amount on one line
	}
	d.Table(pdf.Table{Columns: cols, Rows: rows, FontSize: size})

	d.Heading(l.T("plandoc.budget_lines"))
	lines := [][]string{}
	for _, m := range p.Measures {
		for _, bl := range m.Budget {
			lines = append(lines, []string{m.Code, strconv.Itoa(bl.Year), f.source(bl.Source), bl.Funder, f.money(bl.Amount)})
		}
	}
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.measure"), Width: 1.2},
		{Title: l.T("plandoc.year"), Width: 1, Align: "R"},
		{Title: l.T("plandoc.source"), Width: 3},
		{Title: l.T("plandoc.funder"), Width: 5},
		{Title: l.T("plandoc.amount"), Width: 2.6, Align: "R"},
	}, Rows: lines})
}

// planEvidence is the annex: which finding or need each measure answers.
func planEvidence(d *pdf.Doc, f planFormat, p *models.Plan) {
	l := f.l
	d.PageBreak()
	d.Heading(l.T("plandoc.evidence"))
	d.Paragraph(l.T("plandoc.evidence_intro"))
	rows := [][]string{}
	for _, m := range p.Measures {
		if len(m.Evidence) == 0 {
			rows = append(rows, []string{m.Code, m.Title, l.T("plandoc.no_evidence")})
			continue
		}
		refs := make([]string, 0, len(m.Evidence))
		for _, e := range m.Evidence {
			ref := l.T("plandoc.evidence_ref", "Kind", l.T("plandoc.evidence."+e.Kind), "ID", strconv.FormatInt(e.EvidenceID, 10))
			if s := strings.TrimSpace(e.Statement); s != "" {
				ref += ": " + s
			}
			refs = append(refs, ref)
		}
		if len(refs) > 1 {
			for i := range refs {
				refs[i] = "• " + refs[i]
			}
		}
		rows = append(rows, []string{m.Code, m.Title, strings.Join(refs, "\n")})
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("plandoc.no_measures"))
		return
	}
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.code"), Width: 1.2},
		{Title: l.T("plandoc.measure"), Width: 5},
		{Title: l.T("plandoc.evidence_col"), Width: 9},
	}, Rows: rows})
}
