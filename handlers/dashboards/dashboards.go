package dashboards

import (
	"errors"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/charts"
	"pakt/web"
)

// Dashboards of implementation: one municipality's current plan in figures,
// and all municipalities a user may see side by side. Tables carry the exact
// figures; the SVG charts next to them are drawn from the same numbers.

// dashMoneyRow is planned against spent for a source or a year.
type dashMoneyRow struct{ Label, Planned, Spent, Percent string }

// dashCountRow is a labelled count; Txt is N formatted for the language.
type dashCountRow struct {
	Label string
	N     int
	Txt   string
}

// dashCounts formats the counts of rows.
func dashCounts(l *i18n.Localizer, rows []dashCountRow) []dashCountRow {
	for i := range rows {
		rows[i].Txt = l.Int(int64(rows[i].N))
	}
	return rows
}

// dashIndicatorRow is baseline → target → actual of one indicator.
type dashIndicatorRow struct{ Code, Name, Unit, Baseline, Target, Actual string }

// dashIndicatorChartOpen: the indicator chart starts unfolded up to this
// many indicators; a bigger plan's chart (three bars per indicator, 60 px a
// row) is a long scroll, so it waits behind a <details>, and as an <img
// loading="lazy"> it is not even fetched until unfolded.
const dashIndicatorChartOpen = 12

// dashboardMunicipalityPage is the data of
// views/pages/dashboard_municipality.html: the cached dashboard.
type dashboardMunicipalityPage struct {
	MunicipalityID int64         // for the municipality navigation
	Body           template.HTML // partials/dash_municipality, cached
}

// MunicipalityDashboard shows the implementation of a municipality's current
// plan. Everything on it but the layout is one fragment cached under the
// municipality's content revision (read first, before any data), the
// language, today's date (late flags) and whether the viewer coordinates
// (the coordinator's links): a hit costs the revision read and nothing else.
func (h *Handler) MunicipalityDashboard(c *fiber.Ctx) error {
	s := web.ScopeOf(c)
	l := h.Localizer(c)
	today := models.Today()
	coord := s.Role == models.RoleCoordinator
	key, err := h.MuniKey(c, "dash", s.MunicipalityID, l.Lang, today, dashAudience(coord))
	if err != nil {
		return err
	}
	body, err := h.CachedFragment(c, key, "partials/dash_municipality", func() (any, error) {
		return h.dashMunicipalityView(c, s.MunicipalityID, l, today, coord)
	})
	if err != nil {
		return err
	}
	return h.Render(c, 200, "dashboard_municipality", "dash.title", dashboardMunicipalityPage{MunicipalityID: s.MunicipalityID, Body: body})
}

// dashAudience is the viewer-dependent part of the dashboard's cache key:
// coordinators (and admins, who act as coordinators) get their own links;
// members and viewers see the same page.
func dashAudience(coord bool) string {
	if coord {
		return "coordinator"
	}
	return "reader"
}

// dashMunicipalityView is the data of the cached fragment
// views/partials/dash_municipality.html: the language and the figures,
// nothing of the viewer beyond what the key names.
type dashMunicipalityView struct {
	L     *i18n.Localizer
	Data  dashMunicipality
	Coord bool
}

// dashMunicipality is a municipality's dashboard: its standing and, when it
// has a plan, the current plan's figures.
type dashMunicipality struct {
	Municipality *models.Municipality
	Standing     *models.PartnershipStanding
	Plan         *models.Plan // nil: no plan yet
	Adopted      bool
	Late         *dashLate // adopted plans only
	dashFigures
}

// dashLate are a plan's late measures and reports with their texts
// formatted here, not by the template: a big plan owes hundreds of rows,
// and a template function called per row costs more than the rest of it.
type dashLate struct {
	Measures                []dashLateMeasure
	Reports                 []dashLateReport
	MeasureRows, ReportRows template.HTML // the tables' rows (dashLateRowsHTML)
}

type dashLateMeasure struct{ Code, Title, EndTxt, StatusTxt string }

type dashLateReport struct{ PeriodLabel, DueTxt, Code, Title, StateTxt string }

// dashLateOf formats late flags.
func dashLateOf(l *i18n.Localizer, f *models.LateFlags) *dashLate {
	out := &dashLate{Measures: make([]dashLateMeasure, len(f.Measures)), Reports: make([]dashLateReport, len(f.Reports))}
	status, state := map[string]string{}, map[string]string{} // a handful of values, each translated once
	tr := func(cache map[string]string, prefix, v string) string {
		if t, ok := cache[v]; ok {
			return t
		}
		cache[v] = l.T(prefix + v)
		return cache[v]
	}
	for i, m := range f.Measures {
		out.Measures[i] = dashLateMeasure{Code: m.Code, Title: m.Title, EndTxt: l.Date(m.EndDate.Time),
			StatusTxt: tr(status, "dash.status.", m.LatestStatus)}
	}
	for i, r := range f.Reports {
		out.Reports[i] = dashLateReport{PeriodLabel: r.PeriodLabel, DueTxt: l.Date(r.DueDate.Time), Code: r.Code, Title: r.Title,
			StateTxt: tr(state, "dash.report.", r.State)}
	}
	return out
}

// dashFigures are a plan summary as table rows and charts.
type dashFigures struct {
	PlannedTotal, SpentTotal, Execution string
	dashStatusFigures
	dashMoneyFigures
	dashPeopleFigures
	dashIndicatorFigures
}

func (h *Handler) dashMunicipalityView(c *fiber.Ctx, muniID int64, l *i18n.Localizer, today models.Date, coord bool) (dashMunicipalityView, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	view := dashMunicipalityView{L: l, Coord: coord}
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err != nil {
		return view, err
	}
	d := &view.Data
	d.Municipality = m
	if d.Standing, err = models.StandingOf(ctx, h.DB, m.ID); err != nil {
		return view, err
	}
	plan, err := models.CurrentPlanOf(ctx, h.DB, m.ID)
	if errors.Is(err, models.ErrNotFound) {
		return view, nil
	}
	if err != nil {
		return view, err
	}
	sum, err := models.PlanSummaryOf(ctx, h.DB, m.ID, plan.ID, nil)
	if err != nil {
		return view, err
	}
	d.Plan, d.Adopted = plan, plan.Status == models.PlanAdopted
	if d.Adopted {
		late, err := models.LateFlagsOf(ctx, h.DB, m.ID, plan.ID, today)
		if err != nil {
			return view, err
		}
		d.Late = dashLateOf(l, late)
		d.Late.MeasureRows, d.Late.ReportRows = dashLateRowsHTML(d.Late, web.Authored(m.Language))
	}
	d.dashFigures = dashSummary(l, plan, sum)
	d.IndicatorRows = dashIndicatorRowsHTML(d.Indicators, web.Authored(m.Language))
	return view, nil
}

// dashLateRowsHTML is the late tables' rows, built here for the reason
// dashIndicatorRowsHTML gives (a plan can owe hundreds of reports), every
// text escaped.
func dashLateRowsHTML(late *dashLate, au template.HTMLAttr) (measures, reports template.HTML) {
	esc := template.HTMLEscapeString
	var b strings.Builder
	w := func(parts ...string) { writeAll(&b, parts...) }
	for _, m := range late.Measures {
		w("<tr><td>", esc(m.Code), "</td><td ", string(au), ">", esc(m.Title), `</td><td><span class="late">`,
			esc(m.EndTxt), "</span></td><td>", esc(m.StatusTxt), "</td></tr>")
	}
	measures = template.HTML(b.String()) //nolint:gosec // every text above is escaped
	b.Reset()
	for _, r := range late.Reports {
		w("<tr><td ", string(au), ">", esc(r.PeriodLabel), `</td><td><span class="late">`, esc(r.DueTxt),
			"</span></td><td>", esc(r.Code), "</td><td ", string(au), ">", esc(r.Title), "</td><td>", esc(r.StateTxt), "</td></tr>")
	}
	return measures, template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

// writeAll writes parts one by one: joining a row's parts first made a
// string per row.
func writeAll(b *strings.Builder, parts ...string) {
	for _, p := range parts {
		b.WriteString(p)
	}
}

// dashIndicatorRowsHTML is the indicator table's rows, built here rather
// than by the template: html/template calls an escaping function through
// reflection for every value it prints, and for a plan's hundreds of
// indicators that cost more than the rest of the page. Every text is
// escaped with template.HTMLEscapeString (element content and quoted
// attributes alike); au is the authored-language attribute (web.Authored).
func dashIndicatorRowsHTML(rows []dashIndicatorRow, au template.HTMLAttr) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 200)
	w := func(parts ...string) { writeAll(&b, parts...) }
	esc := template.HTMLEscapeString // gives the text itself when nothing needs escaping
	for _, r := range rows {
		w("<tr><td>", esc(r.Code), `</td><th scope="row"><span `, string(au), ">", esc(r.Name), "</span>")
		if r.Unit != "" {
			w(" <small ", string(au), ">(", esc(r.Unit), ")</small>")
		}
		w(`</th><td class="num">`, esc(r.Baseline), `</td><td class="num">`, esc(r.Target),
			`</td><td class="num">`, esc(r.Actual), "</td></tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

// DashboardIndicatorChart serves the dashboard's indicator chart as an SVG
// image of its own: at 400 indicators it is ten times the rest of the
// page, and only some readers open it. Cached like the dashboard; the
// browser revalidates it with the ETag, which costs one revision read.
func (h *Handler) DashboardIndicatorChart(c *fiber.Ctx) error {
	muniID := web.ScopeOf(c).MunicipalityID
	l := h.Localizer(c)
	key, err := h.MuniKey(c, "dash-ind-svg", muniID, l.Lang)
	if err != nil {
		return err
	}
	return h.SendCachedSVG(c, key, func() ([]byte, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		plan, err := models.CurrentPlanOf(ctx, h.DB, muniID)
		if err != nil {
			return nil, err
		}
		s, err := models.PlanSummaryOf(ctx, h.DB, muniID, plan.ID, nil)
		if err != nil {
			return nil, err
		}
		if len(s.Indicators) == 0 {
			return nil, models.ErrNotFound
		}
		ch, _ := dashIndicators(l, s.Indicators, true)
		ch.Standalone = true
		return []byte(ch.SVG()), nil
	})
}

// dashSummary turns a plan summary into table rows and charts.
func dashSummary(l *i18n.Localizer, plan *models.Plan, s *models.Summary) dashFigures {
	cur := s.Currency
	return dashFigures{PlannedTotal: l.Money(s.PlannedTotal, cur), SpentTotal: l.Money(s.SpentTotal, cur),
		Execution: l.Decimal(s.ExecutionPercent(), 1) + " %", dashStatusFigures: dashStatus(l, s),
		dashMoneyFigures: dashMoneyOf(l, plan, s), dashPeopleFigures: dashPeople(l, s),
		dashIndicatorFigures: dashIndicatorsOf(l, s)}
}

// dashStatusFigures are the measures by their latest reported status.
type dashStatusFigures struct {
	Status        []dashCountRow
	MeasuresTotal string
	StatusChart   template.HTML
}

func dashStatus(l *i18n.Localizer, s *models.Summary) dashStatusFigures {
	var status []dashCountRow
	total := 0
	for _, st := range append([]string{"not_reported"}, models.ProgressStatuses...) {
		status = append(status, dashCountRow{Label: l.T("dash.status." + st), N: s.MeasuresByStatus[st]})
		total += s.MeasuresByStatus[st]
	}
	status = dashCounts(l, status)
	return dashStatusFigures{Status: status, MeasuresTotal: l.Int(int64(total)),
		StatusChart: dashCountChart("ch-status", l.T("dash.status_chart"), l.T("dash.chart_desc"), status)}
}

// dashMoneyFigures are planned against spent by source and by year.
type dashMoneyFigures struct {
	BySource    []dashMoneyRow
	SourceChart template.HTML // empty without sources
	ByYear      []dashMoneyRow
	YearChart   template.HTML // empty without years
}

func dashMoneyOf(l *i18n.Localizer, plan *models.Plan, s *models.Summary) dashMoneyFigures {
	var f dashMoneyFigures
	f.BySource, f.SourceChart = dashMoneyBySource(l, s)
	f.ByYear, f.YearChart = dashMoneyByYear(l, plan, s)
	return f
}

func dashMoneyBySource(l *i18n.Localizer, s *models.Summary) ([]dashMoneyRow, template.HTML) {
	var sources []string
	for _, src := range models.BudgetSources {
		_, p := s.Planned[src]
		_, sp := s.Spent[src]
		if p || sp {
			sources = append(sources, src)
		}
	}
	rows := make([]dashMoneyRow, 0, len(sources))
	var labels []string
	var planned, spent []decimal.Decimal
	for _, src := range sources {
		lbl := l.T("plandoc.source." + src)
		rows = append(rows, dashMoney(l, lbl, s.Planned[src], s.Spent[src], s.Currency))
		labels, planned, spent = append(labels, lbl), append(planned, s.Planned[src]), append(spent, s.Spent[src])
	}
	return rows, dashMoneyChart("ch-source", l.T("dash.source_chart"), l, labels, planned, spent, s.Currency)
}

func dashMoneyByYear(l *i18n.Localizer, plan *models.Plan, s *models.Summary) ([]dashMoneyRow, template.HTML) {
	years := plan.Years()
	for y := range s.PlannedByYear {
		years = append(years, y)
	}
	for y := range s.SpentByYear {
		years = append(years, y)
	}
	slices.Sort(years)
	years = slices.Compact(years)
	var rows []dashMoneyRow
	var labels []string
	var planned, spent []decimal.Decimal
	for _, y := range years {
		lbl := strconv.Itoa(y)
		rows = append(rows, dashMoney(l, lbl, s.PlannedByYear[y], s.SpentByYear[y], s.Currency))
		labels, planned, spent = append(labels, lbl), append(planned, s.PlannedByYear[y]), append(spent, s.SpentByYear[y])
	}
	return rows, dashMoneyChart("ch-year", l.T("dash.year_chart"), l, labels, planned, spent, s.Currency)
}

// dashPeopleFigures are the people reached by sex and by vulnerable group,
// and the outcomes.
type dashPeopleFigures struct {
	Sex          []dashCountRow
	PeopleTotal  string
	SexChart     template.HTML
	Groups       []dashCountRow
	GroupChart   template.HTML // empty without groups
	Outcomes     []dashCountRow
	OutcomeChart template.HTML
}

func dashPeople(l *i18n.Localizer, s *models.Summary) dashPeopleFigures {
	b := s.Beneficiaries
	f := dashPeopleFigures{PeopleTotal: l.Int(int64(b.Total))}
	f.Sex = dashCounts(l, []dashCountRow{{Label: l.T("dash.women"), N: b.Women}, {Label: l.T("dash.men"), N: b.Men},
		{Label: l.T("dash.sex_unknown"), N: max(b.Total-b.Women-b.Men, 0)}})
	f.SexChart = dashCountChart("ch-sex", l.T("dash.sex_chart"), l.T("dash.chart_desc"), f.Sex)
	for _, g := range models.VulnerableGroupCodes {
		if n, ok := b.ByGroup[g]; ok {
			f.Groups = append(f.Groups, dashCountRow{Label: l.T("plandoc.group." + g), N: n})
		}
	}
	f.Groups = dashCounts(l, f.Groups)
	if len(f.Groups) > 0 {
		f.GroupChart = dashCountChart("ch-group", l.T("dash.group_chart"), l.T("dash.chart_desc"), f.Groups)
	}
	o := s.Outcomes
	f.Outcomes = dashCounts(l, []dashCountRow{{Label: l.T("dash.outcome.employed"), N: o.Employed},
		{Label: l.T("dash.outcome.trained"), N: o.Trained}, {Label: l.T("dash.outcome.completed_education"), N: o.CompletedEducation},
		{Label: l.T("dash.outcome.self_employed"), N: o.SelfEmployed}})
	f.OutcomeChart = dashCountChart("ch-outcome", l.T("dash.outcome_chart"), l.T("dash.chart_desc"), f.Outcomes)
	return f
}

// dashIndicatorFigures are the indicator table, how many indicators reached
// their target, and the size of the indicator chart (an image of its own).
type dashIndicatorFigures struct {
	Indicators                       []dashIndicatorRow
	IndicatorRows                    template.HTML // the table's rows (dashIndicatorRowsHTML)
	IndReached, IndBelow, IndNoValue int
	IndChartW, IndChartH             int
	IndChartOpen                     bool // the chart starts unfolded
}

func dashIndicatorsOf(l *i18n.Localizer, s *models.Summary) dashIndicatorFigures {
	ch, ind := dashIndicators(l, s.Indicators, false)
	f := dashIndicatorFigures{Indicators: ind.rows, IndReached: ind.reached, IndBelow: ind.below, IndNoValue: ind.noValue}
	if len(ind.rows) > 0 {
		// The chart is an image of its own (DashboardIndicatorChart): the
		// page needs only its size, not the chart.
		f.IndChartW, f.IndChartH = ch.SizeOf(len(ind.rows), ind.longest[:])
		f.IndChartOpen = len(ind.rows) <= dashIndicatorChartOpen
	}
	return f
}

// dashIndicatorTable is the indicator table and how many indicators reached
// their target (reached; below it; without a reported value).
type dashIndicatorTable struct {
	rows                    []dashIndicatorRow
	reached, below, noValue int
	longest                 [3]int // runes of the longest value label of each series
}

// dashIndicators: baseline → target → actual, each indicator on its own
// scale because units differ; the chart (drawn as an image of its own) and
// the table come from the same numbers.
func dashIndicators(l *i18n.Localizer, inds []models.IndicatorActual, withChart bool) (charts.Bar, dashIndicatorTable) {
	t := dashIndicatorTable{rows: make([]dashIndicatorRow, 0, len(inds))}
	ch := charts.Bar{ID: "ch-ind", Title: l.T("dash.indicator_chart"), Desc: l.T("dash.indicator_desc"), PerRow: true,
		Series: []charts.Series{{Name: l.T("dash.baseline")}, {Name: l.T("dash.target")}, {Name: l.T("dash.actual")}}}
	people := map[string]bool{} // whether a unit counts people, per unit (a plan repeats a few)
	for _, in := range inds {
		counts, ok := people[in.Unit]
		if !ok {
			counts = models.CountsPeople(in.Unit)
			people[in.Unit] = counts
		}
		places := models.PlacesOf(counts, in.Baseline, in.Target) // people are counted whole
		if in.Actual != nil {
			places = max(places, models.PlacesOf(counts, *in.Actual))
		}
		r := dashIndicatorRow{Code: in.MeasureCode, Name: in.Name, Unit: in.Unit, Baseline: l.Decimal(in.Baseline, places),
			Target: l.Decimal(in.Target, places), Actual: "—"}
		actual := 0.0
		switch {
		case in.Actual == nil:
			t.noValue++
		case dashReached(in):
			t.reached++
		default:
			t.below++
		}
		if in.Actual != nil {
			r.Actual, actual = l.Decimal(*in.Actual, places), in.Actual.InexactFloat64()
		}
		t.rows = append(t.rows, r)
		unitRunes := utf8.RuneCountInString(in.Unit)
		for i, txt := range []string{r.Baseline, r.Target, r.Actual} {
			t.longest[i] = max(t.longest[i], utf8.RuneCountInString(txt)+1+unitRunes)
		}
		if !withChart {
			continue
		}
		ch.Cats = append(ch.Cats, in.MeasureCode+" "+in.Name)
		for i, v := range []float64{in.Baseline.InexactFloat64(), in.Target.InexactFloat64(), actual} {
			ch.Series[i].Values = append(ch.Series[i].Values, v)
		}
		ch.Series[0].Labels = append(ch.Series[0].Labels, r.Baseline+" "+in.Unit)
		ch.Series[1].Labels = append(ch.Series[1].Labels, r.Target+" "+in.Unit)
		ch.Series[2].Labels = append(ch.Series[2].Labels, r.Actual+" "+in.Unit)
	}
	return ch, t
}

// dashReached says whether an indicator's actual value reached its target:
// at or above it, or at or below it when the target is a reduction (below
// the baseline, e.g. fewer long-term unemployed).
func dashReached(in models.IndicatorActual) bool {
	if in.Actual == nil {
		return false
	}
	if in.Target.LessThan(in.Baseline) {
		return in.Actual.LessThanOrEqual(in.Target)
	}
	return in.Actual.GreaterThanOrEqual(in.Target)
}

func dashMoney(l *i18n.Localizer, label string, planned, spent decimal.Decimal, cur string) dashMoneyRow {
	pct := "—"
	if !planned.IsZero() {
		pct = l.Decimal(dashExecution(planned, spent), 1) + " %"
	}
	return dashMoneyRow{label, l.Money(planned, cur), l.Money(spent, cur), pct}
}

// dashMoneyChart draws planned (solid) against spent (hatched), labelled
// with exact amounts; nothing without categories.
func dashMoneyChart(id, title string, l *i18n.Localizer, cats []string, planned, spent []decimal.Decimal, cur string) template.HTML {
	if len(cats) == 0 {
		return ""
	}
	ps := charts.Series{Name: l.T("dash.planned")}
	ss := charts.Series{Name: l.T("dash.spent")}
	for i := range cats {
		ps.Values, ps.Labels = append(ps.Values, planned[i].InexactFloat64()), append(ps.Labels, l.Money(planned[i], cur))
		ss.Values, ss.Labels = append(ss.Values, spent[i].InexactFloat64()), append(ss.Labels, l.Money(spent[i], cur))
	}
	return charts.Bar{ID: id, Title: title, Desc: l.T("dash.chart_desc"), Cats: cats, Series: []charts.Series{ps, ss}}.SVG()
}

// dashCountChart draws one bar per row, labelled with its count.
func dashCountChart(id, title, desc string, rows []dashCountRow) template.HTML {
	s := charts.Series{}
	var cats []string
	for _, r := range rows {
		cats = append(cats, r.Label)
		s.Values, s.Labels = append(s.Values, float64(r.N)), append(s.Labels, r.Txt)
	}
	return charts.Bar{ID: id, Title: title, Desc: desc, Cats: cats, Series: []charts.Series{s}}.SVG()
}
