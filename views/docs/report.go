package docs

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/models/disclosure"
	"pakt/views/pdf"
)

// ReportInput is everything the assembly progress report shows.
type ReportInput struct {
	Plan         *models.Plan // loaded with models.GetPlan (objectives, measures, indicators, budget)
	Municipality *models.Municipality
	Period       *models.Period
	Summary      *models.Summary            // models.PlanSummaryOf(..., &period.ID): cumulative up to this period
	Progress     map[int64]*models.Progress // this period's reports by measure id (missing = not reported)
	OrgNames     map[int64]string
	Agreements   []models.AgreementSummary // the municipality's agreements (those in force are shown)
	VerifyURL    string                    // printed in every footer (the verification address when registered)
	Registered   *Registration             // the published report: prints the seal on the cover
	Date         time.Time                 // the report date (deterministic output)
	Suppress     bool                      // public version: counts of people print as bands ("<5", "10–14"; package disclosure)
}

// reportStatuses are the measure statuses in report order; "not_reported"
// is a measure without a report.
var reportStatuses = append(append([]string{}, models.ProgressStatuses...), "not_reported")

// Report draws the annual progress report to the municipal assembly in A4
// landscape: a cover with the summary figures (cumulative up to the end of
// the period, money as exact decimals); planned vs spent by source as a
// table and a chart; people reached and results, with a chart by vulnerable
// group; the measures by status (chart) and one table per objective with
// what each measure reported for the period, followed by the reports' text;
// the indicators; an annex with the partners and the agreements in force.
// With Suppress, counts of people print as their bands (package disclosure).
func Report(l *i18n.Localizer, in ReportInput) ([]byte, error) {
	if in.Plan == nil || in.Municipality == nil || in.Period == nil || in.Summary == nil {
		return nil, errors.New("docs: plan, municipality, period and summary are required")
	}
	currency := in.Municipality.Currency
	if currency == "" {
		currency = in.Summary.Currency
	}
	r := &reportWriter{
		f:  planFormat{l: l, currency: currency, orgs: in.OrgNames},
		in: in,
	}
	title := l.T("report.title", "Period", in.Period.Label)
	footer := in.VerifyURL
	if in.Registered != nil {
		footer = in.Registered.URL()
	}
	r.d = pdf.New(Meta(l, "report", pdf.Options{Title: title, Author: in.Municipality.Name, Date: in.Date.UTC().Truncate(time.Second),
		Landscape: true, PageFormat: l.T("pdf.page_format"), FooterLeft: footer,
		HeaderRight: in.Municipality.Name + " · " + title}))
	r.people = r.peopleGrid()

	r.cover(title)
	r.summary()
	r.d.PageBreak()
	r.budgetSection()
	r.d.PageBreak()
	r.peopleSection()
	r.measures()
	r.indicators()
	r.annex()
	return r.d.Bytes()
}

// reportWriter carries the document and what every section needs.
type reportWriter struct {
	d      *pdf.Doc
	f      planFormat
	in     ReportInput
	people map[int64]peopleCells // people counts per reported measure, printed (suppressed as needed)
}

// count prints a count of people that is not suppressed.
func (r *reportWriter) count(n int) string { return r.f.l.Int(int64(n)) }

// band prints a count of people whose public band is b.
func (r *reportWriter) band(b disclosure.Band, n int) string {
	if !r.in.Suppress {
		return r.count(n)
	}
	return b.Text(r.f.l.Int)
}

// quantity prints an indicator value: a count of people as its band in the
// public version.
func (r *reportWriter) quantity(unit string, v decimal.Decimal) string {
	if b, ok := models.PublicQuantityBand(unit, v); ok && r.in.Suppress {
		return b.Text(r.f.l.Int)
	}
	return r.f.quantity(v)
}

func (r *reportWriter) percent(p string) string { return r.f.l.T("report.percent", "N", p) }

func (r *reportWriter) status(s string) string { return r.f.l.T("report.status." + s) }

func (r *reportWriter) cover(title string) {
	l, in := r.f.l, r.in
	d, p, per := r.d, in.Plan, in.Period
	d.Spacer(1)
	d.Subtitle(l.T("report.doc_type") + " · " + in.Municipality.Name)
	d.Title(title)
	if in.Suppress {
		d.Note(l.T("report.public_version"))
	}
	rows := [][2]string{
		{l.T("field.municipality"), in.Municipality.Name},
		{l.T("report.plan"), p.Title},
		{l.T("plandoc.period"), r.f.span(p.PeriodStart, p.PeriodEnd)},
	}
	if p.AdoptedOn != nil && !p.AdoptedOn.IsZero() {
		adopted := l.Date(p.AdoptedOn.Time)
		if p.DecisionNumber != nil && strings.TrimSpace(*p.DecisionNumber) != "" {
			adopted += " (" + l.T("plandoc.decision_number") + ": " + strings.TrimSpace(*p.DecisionNumber) + ")"
		}
		rows = append(rows, [2]string{l.T("plandoc.adopted_on"), adopted})
	}
	rows = append(rows,
		[2]string{l.T("report.reporting_period"), per.Label},
		[2]string{l.T("report.period_dates"), r.f.span(per.StartDate, per.EndDate)},
		[2]string{l.T("report.report_date"), l.Date(in.Date)},
	)
	d.KeyValues(rows)
	if reg := in.Registered; reg != nil {
		d.Seal(SealOf(l, "report", reg.ContentSHA256, reg.URL()))
	}
	d.Paragraph(l.T("report.intro"))
}

// summary prints the cumulative figures of the plan up to the period's end.
func (r *reportWriter) summary() {
	l, s, d := r.f.l, r.in.Summary, r.d
	d.Heading(l.T("report.summary"))
	d.Note(l.T("report.cumulative_note", "Date", l.Date(r.in.Period.EndDate.Time)))
	spentPeriod := decimal.Zero
	for _, m := range r.in.Plan.Measures {
		if pr := r.in.Progress[m.ID]; pr != nil {
			spentPeriod = spentPeriod.Add(pr.SpentTotal())
		}
	}
	reported := 0
	for _, m := range r.in.Plan.Measures {
		if r.in.Progress[m.ID] != nil {
			reported++
		}
	}
	d.KeyValues([][2]string{
		{l.T("report.planned_total"), r.f.money(s.PlannedTotal)},
		{l.T("report.spent_total"), r.f.money(s.SpentTotal)},
		{l.T("report.execution"), r.percent(l.Decimal(s.ExecutionPercent(), 1))},
		{l.T("report.spent_period"), r.f.money(spentPeriod)},
		{l.T("report.measures_reported"), l.T("report.of", "N", l.Int(int64(reported)), "Total", l.Int(int64(len(r.in.Plan.Measures))))},
		{l.T("report.by_status"), r.statusLine()},
	})
}

// peopleSection prints the people reached and their results, cumulative.
func (r *reportWriter) peopleSection() {
	l, s, d := r.f.l, r.in.Summary, r.d
	b, o := s.Beneficiaries, s.Outcomes
	p := s.Public // cumulative: sums of the reports' bands
	d.Heading(l.T("report.people"))
	d.KeyValues([][2]string{
		{l.T("report.people_total"), r.band(p.Total, b.Total)},
		{l.T("report.women"), r.band(p.Women, b.Women)},
		{l.T("report.men"), r.band(p.Men, b.Men)},
		{l.T("report.outcome.employed"), r.band(p.Employed, o.Employed)},
		{l.T("report.outcome.trained"), r.band(p.Trained, o.Trained)},
		{l.T("report.outcome.completed_education"), r.band(p.CompletedEducation, o.CompletedEducation)},
		{l.T("report.outcome.self_employed"), r.band(p.SelfEmployed, o.SelfEmployed)},
	})
	if r.in.Suppress {
		d.Note(l.T("report.suppression_note", "Small", disclosure.Small))
	}

	chart := pdf.BarChart{Title: l.T("report.chart.groups"), Series: []string{l.T("report.people_total")}}
	for _, g := range r.groupOrder() {
		n := b.ByGroup[g]
		v := float64(n)
		if r.in.Suppress {
			v = p.ByGroup[g].ChartValue() // a bar's length tells no more than its label
		}
		chart.Groups = append(chart.Groups, pdf.BarGroup{Label: l.T("plandoc.group." + g), Values: []float64{v},
			Labels: []string{r.band(p.ByGroup[g], n)}})
	}
	if len(chart.Groups) == 0 {
		d.Paragraph(l.T("report.no_groups"))
		return
	}
	d.Note(l.T("report.groups_note"))
	d.BarChart(chart)
}

// statusLine is "On track: 2 · Delayed: 1 …" over the statuses with measures.
func (r *reportWriter) statusLine() string {
	var parts []string
	for _, st := range r.statusOrder() {
		if n := r.in.Summary.MeasuresByStatus[st]; n != 0 {
			parts = append(parts, r.status(st)+": "+r.f.l.Int(int64(n)))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

// statusOrder lists the known statuses, then any other status in the data.
func (r *reportWriter) statusOrder() []string {
	out := append([]string{}, reportStatuses...)
	var extra []string
	for st := range r.in.Summary.MeasuresByStatus {
		if !slices.Contains(out, st) {
			extra = append(extra, st)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// sources lists the funding sources that have planned or spent money, in
// the models' order, then unknown ones.
func (r *reportWriter) sources() []string {
	s := r.in.Summary
	used := map[string]bool{}
	for k := range s.Planned {
		used[k] = true
	}
	for k := range s.Spent {
		used[k] = true
	}
	var out, extra []string
	for _, k := range models.BudgetSources {
		if used[k] {
			out = append(out, k)
		}
	}
	for k := range used {
		if !slices.Contains(models.BudgetSources, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// groupOrder lists the groups with people reached, in the models' order,
// then unknown codes.
func (r *reportWriter) groupOrder() []string {
	by := r.in.Summary.Beneficiaries.ByGroup
	var out, extra []string
	for _, g := range models.VulnerableGroupCodes {
		if _, ok := by[g]; ok {
			out = append(out, g)
		}
	}
	for g := range by {
		if !slices.Contains(models.VulnerableGroupCodes, g) {
			extra = append(extra, g)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// budgetSection prints planned, spent and execution by source (exact
// amounts) and the same as a chart.
func (r *reportWriter) budgetSection() {
	l, s, d := r.f.l, r.in.Summary, r.d
	d.Heading(l.T("report.budget_table"))
	srcs := r.sources()
	if len(srcs) == 0 {
		d.Paragraph(l.T("plandoc.no_budget"))
		return
	}
	exec := func(planned, spent decimal.Decimal) string {
		if planned.IsZero() {
			return "—"
		}
		return r.percent(l.Decimal(spent.Mul(decimal.NewFromInt(100)).Div(planned).Round(1), 1))
	}
	rows := [][]string{}
	for _, src := range srcs {
		rows = append(rows, []string{r.f.source(src), r.f.money(s.Planned[src]), r.f.money(s.Spent[src]), exec(s.Planned[src], s.Spent[src])})
	}
	rows = append(rows, []string{l.T("plandoc.total"), r.f.money(s.PlannedTotal), r.f.money(s.SpentTotal), exec(s.PlannedTotal, s.SpentTotal)})
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.source"), Width: 4},
		{Title: l.T("report.series.planned"), Width: 2.5, Align: "R"},
		{Title: l.T("report.series.spent"), Width: 2.5, Align: "R"},
		{Title: l.T("report.execution"), Width: 1.6, Align: "R"},
	}, Rows: rows})

	// Floats only give the bar lengths; every printed amount is exact.
	chart := pdf.BarChart{Title: l.T("report.chart.budget"), Series: []string{l.T("report.series.planned"), l.T("report.series.spent")}}
	for _, src := range srcs {
		p, sp := s.Planned[src], s.Spent[src]
		chart.Groups = append(chart.Groups, pdf.BarGroup{Label: r.f.source(src),
			Values: []float64{p.InexactFloat64(), sp.InexactFloat64()}, Labels: []string{r.f.money(p), r.f.money(sp)}})
	}
	d.BarChart(chart)
}

// statusChart charts the measures by their latest reported status; the
// statuses no measure has are left out.
func (r *reportWriter) statusChart() {
	l, d := r.f.l, r.d
	chart := pdf.BarChart{Title: l.T("report.by_status"), Series: []string{l.T("plandoc.measures_count")}}
	for _, st := range r.statusOrder() {
		if n := r.in.Summary.MeasuresByStatus[st]; n != 0 {
			chart.Groups = append(chart.Groups, pdf.BarGroup{Label: r.status(st), Values: []float64{float64(n)},
				Labels: []string{l.Int(int64(n))}})
		}
	}
	if len(chart.Groups) > 0 {
		d.BarChart(chart)
	}
}

// peopleCells are a measure's counts (total, women, men, employed, trained,
// completed education, self-employed) and how each is printed.
type peopleCells struct {
	values []int
	text   []string
}

// peopleGrid prints the people counts of every reported measure: total,
// women, men and the four outcomes, as bands in the public version.
func (r *reportWriter) peopleGrid() map[int64]peopleCells {
	out := map[int64]peopleCells{}
	for id, g := range PeopleGrid(r.in.Plan.Measures, r.in.Progress) {
		c := peopleCells{values: g.Values, text: make([]string, len(g.Values))}
		for j, n := range g.Values {
			c.text[j] = r.band(g.Bands[j], n)
		}
		out[id] = c
	}
	return out
}

func (r *reportWriter) measures() {
	l, d, p := r.f.l, r.d, r.in.Plan
	d.PageBreak()
	d.Heading(l.T("report.measures"))
	r.statusChart()
	d.Note(l.T("report.period_note", "Period", r.in.Period.Label))
	for _, o := range p.Objectives {
		d.Heading(l.T("plandoc.measures_for", "Code", o.Code, "Title", o.Title))
		ms := measuresOf(p, o.ID)
		if len(ms) == 0 {
			d.Paragraph(l.T("plandoc.no_measures"))
			continue
		}
		r.measureBlock(ms)
	}
	if ms := orphanMeasures(p); len(ms) > 0 {
		d.Heading(l.T("plandoc.other_measures"))
		r.measureBlock(ms)
	}
	if len(p.Measures) == 0 {
		d.Paragraph(l.T("plandoc.no_measures"))
	}
}

// measureBlock prints the figures of an objective's measures, then what
// each measure's report says (full width, so long reports stay readable).
func (r *reportWriter) measureBlock(ms []*models.Measure) {
	l, d := r.f.l, r.d
	d.Table(r.measureTable(ms))
	rows := [][]string{}
	for _, m := range ms {
		text := l.T("report.no_report")
		if pr := r.in.Progress[m.ID]; pr != nil {
			text = strings.TrimSpace(pr.Narrative)
			if r.in.Suppress {
				text = strings.TrimSpace(pr.PublicText()) // the coordinator's public wording, if any
			}
			if text == "" {
				text = "—"
			}
		}
		rows = append(rows, []string{m.Code + " " + m.Title, text})
	}
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: l.T("plandoc.measure"), Width: 74}, {Title: l.T("report.col.narrative"), Width: 183}},
		Rows: rows})
}

func (r *reportWriter) measureTable(ms []*models.Measure) pdf.Table {
	l := r.f.l
	outcomeKeys := []string{"employed", "trained", "completed_education", "self_employed"}
	rows := [][]string{}
	for _, m := range ms {
		title := m.Title + "\n" + l.T("report.lead", "Org", r.f.org(m.LeadOrganisationID))
		pr := r.in.Progress[m.ID]
		if pr == nil {
			rows = append(rows, []string{m.Code, title, r.status("not_reported"), "—", "—", "—", "—", "—", "—"})
			continue
		}
		cells := r.people[m.ID]
		var outcomes []string
		for i, k := range outcomeKeys {
			// a zero is left out, but not in public: there it reads "<5" like 1 to 4
			if cells.values[3+i] != 0 || r.in.Suppress {
				outcomes = append(outcomes, l.T("report.outcome."+k)+": "+cells.text[3+i])
			}
		}
		res := strings.Join(outcomes, "\n")
		if res == "" {
			res = "—"
		}
		rows = append(rows, []string{m.Code, title, r.status(pr.Status), r.percent(l.Int(int64(pr.PercentComplete))),
			r.f.money(pr.SpentTotal()), cells.text[0], cells.text[1], cells.text[2], res})
	}
	// widths in mm of the 257 mm landscape body
	return pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.code"), Width: 16},
		{Title: l.T("plandoc.measure"), Width: 55},
		{Title: l.T("field.status"), Width: 24},
		{Title: l.T("report.col.percent"), Width: 23, Align: "R"},
		{Title: l.T("report.col.spent"), Width: 30, Align: "R"},
		{Title: l.T("report.col.people"), Width: 24, Align: "R"},
		{Title: l.T("report.women"), Width: 17, Align: "R"},
		{Title: l.T("report.men"), Width: 18, Align: "R"},
		{Title: l.T("report.outcomes"), Width: 50},
	}, Rows: rows, FontSize: 8}
}

func (r *reportWriter) indicators() {
	l, d := r.f.l, r.d
	d.Heading(l.T("plandoc.indicators"))
	rows := [][]string{}
	for _, ind := range r.in.Summary.Indicators {
		actual := "—"
		if ind.Actual != nil {
			actual = r.quantity(ind.Unit, *ind.Actual)
		}
		// the target is a goal, not people counted: printed as set
		rows = append(rows, []string{ind.MeasureCode, ind.Name, ind.Unit, r.quantity(ind.Unit, ind.Baseline), r.f.quantity(ind.Target), actual})
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("report.no_indicators"))
		return
	}
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: l.T("plandoc.measure"), Width: 1.2},
		{Title: l.T("plandoc.indicator"), Width: 7},
		{Title: l.T("plandoc.unit"), Width: 2},
		{Title: l.T("plandoc.baseline"), Width: 1.8, Align: "R"},
		{Title: l.T("plandoc.target"), Width: 1.8, Align: "R"},
		{Title: l.T("report.actual"), Width: 1.8, Align: "R"},
	}, Rows: rows})
	d.Note(l.T("report.indicators_note"))
}

// annex lists the organisations implementing the measures and the
// partnership agreements in force.
func (r *reportWriter) annex() {
	l, d, p := r.f.l, r.d, r.in.Plan
	d.PageBreak()
	d.Heading(l.T("report.annex"))
	d.Heading(l.T("report.partners"))
	leads, partners := map[int64][]string{}, map[int64][]string{}
	for _, m := range p.Measures {
		if m.LeadOrganisationID != 0 {
			leads[m.LeadOrganisationID] = append(leads[m.LeadOrganisationID], m.Code)
		}
		for _, id := range m.PartnerOrganisationIDs {
			if !slices.Contains(partners[id], m.Code) {
				partners[id] = append(partners[id], m.Code)
			}
		}
	}
	var ids []int64
	for id := range leads {
		ids = append(ids, id)
	}
	for id := range partners {
		if _, ok := leads[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := r.f.org(ids[i]), r.f.org(ids[j])
		if a != b {
			return a < b
		}
		return ids[i] < ids[j]
	})
	rows := [][]string{}
	dash := func(s []string) string {
		if len(s) == 0 {
			return "—"
		}
		return strings.Join(s, ", ")
	}
	for _, id := range ids {
		rows = append(rows, []string{r.f.org(id), dash(leads[id]), dash(partners[id])})
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("report.no_partners"))
	} else {
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: l.T("field.organisation"), Width: 6},
			{Title: l.T("report.col.leads"), Width: 3}, {Title: l.T("report.col.partner_in"), Width: 3}}, Rows: rows})
	}

	d.Heading(l.T("report.agreements"))
	rows = [][]string{}
	for _, a := range r.in.Agreements {
		if a.Status != models.AgreementInForce {
			continue
		}
		rows = append(rows, []string{a.Title, l.T("level." + a.Level), l.Date(a.ValidFrom.Time) + " – " + l.Date(a.ValidTo.Time),
			l.Int(int64(a.Parties)), l.Int(int64(a.VersionNo))})
	}
	if len(rows) == 0 {
		d.Paragraph(l.T("report.no_agreements"))
		return
	}
	d.Table(pdf.Table{Columns: []pdf.Column{
		{Title: l.T("report.col.agreement"), Width: 7},
		{Title: l.T("field.level"), Width: 2.4},
		{Title: l.T("report.col.valid"), Width: 3.2},
		{Title: l.T("report.col.parties"), Width: 1.4, Align: "R"},
		{Title: l.T("report.col.version"), Width: 1.3, Align: "R"},
	}, Rows: rows})
}
