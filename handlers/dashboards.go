package handlers

import (
	"slices"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"pakt/app/i18n"
	"pakt/models"
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

// MunicipalityDashboard shows the implementation of a municipality's current plan.
func (h *Handler) MunicipalityDashboard(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	muniID := ScopeOf(c).MunicipalityID
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err != nil {
		return err
	}
	standing, err := models.StandingOf(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	data := fiber.Map{"m": m, "standing": standing}
	plan, err := models.CurrentPlanOf(ctx, h.DB, m.ID)
	if err == models.ErrNotFound {
		return h.render(c, 200, "dashboard_municipality", "dash.title", data)
	}
	if err != nil {
		return err
	}
	sum, err := models.PlanSummaryOf(ctx, h.DB, m.ID, plan.ID, nil)
	if err != nil {
		return err
	}
	data["p"], data["adopted"] = plan, plan.Status == models.PlanAdopted
	if plan.Status == models.PlanAdopted {
		late, err := models.LateFlagsOf(ctx, h.DB, m.ID, plan.ID, models.Today())
		if err != nil {
			return err
		}
		data["late"] = late
	}
	l := h.Localizer(c)
	dashSummary(data, l, plan, sum)
	return h.render(c, 200, "dashboard_municipality", "dash.title", data)
}

// dashSummary turns a plan summary into table rows and charts.
func dashSummary(data fiber.Map, l *i18n.Localizer, plan *models.Plan, s *models.Summary) {
	cur := s.Currency
	data["planned_total"], data["spent_total"] = l.Money(s.PlannedTotal, cur), l.Money(s.SpentTotal, cur)
	data["execution"] = l.Decimal(s.ExecutionPercent(), 1) + " %"

	// Measures by their latest reported status.
	var status []dashCountRow
	total := 0
	for _, st := range append([]string{"not_reported"}, models.ProgressStatuses...) {
		status = append(status, dashCountRow{Label: l.T("dash.status." + st), N: s.MeasuresByStatus[st]})
		total += s.MeasuresByStatus[st]
	}
	data["status"], data["measures_total"] = dashCounts(l, status), l.Int(int64(total))
	data["status_chart"] = dashCountChart("ch-status", l.T("dash.status_chart"), l.T("dash.chart_desc"), status)

	// Planned against spent by source and by year.
	var sources []string
	for _, src := range models.BudgetSources {
		_, p := s.Planned[src]
		_, sp := s.Spent[src]
		if p || sp {
			sources = append(sources, src)
		}
	}
	bySource := make([]dashMoneyRow, 0, len(sources))
	var srcLabels []string
	var srcPlanned, srcSpent []decimal.Decimal
	for _, src := range sources {
		lbl := l.T("plandoc.source." + src)
		bySource = append(bySource, dashMoney(l, lbl, s.Planned[src], s.Spent[src], cur))
		srcLabels, srcPlanned, srcSpent = append(srcLabels, lbl), append(srcPlanned, s.Planned[src]), append(srcSpent, s.Spent[src])
	}
	data["by_source"] = bySource
	data["source_chart"] = dashMoneyChart("ch-source", l.T("dash.source_chart"), l, srcLabels, srcPlanned, srcSpent, cur)

	years := plan.Years()
	for y := range s.PlannedByYear {
		years = append(years, y)
	}
	for y := range s.SpentByYear {
		years = append(years, y)
	}
	slices.Sort(years)
	years = slices.Compact(years)
	var byYear []dashMoneyRow
	var yLabels []string
	var yPlanned, ySpent []decimal.Decimal
	for _, y := range years {
		lbl := strconv.Itoa(y)
		byYear = append(byYear, dashMoney(l, lbl, s.PlannedByYear[y], s.SpentByYear[y], cur))
		yLabels, yPlanned, ySpent = append(yLabels, lbl), append(yPlanned, s.PlannedByYear[y]), append(ySpent, s.SpentByYear[y])
	}
	data["by_year"] = byYear
	data["year_chart"] = dashMoneyChart("ch-year", l.T("dash.year_chart"), l, yLabels, yPlanned, ySpent, cur)

	// People reached by sex and by vulnerable group; outcomes.
	b := s.Beneficiaries
	sex := dashCounts(l, []dashCountRow{{Label: l.T("dash.women"), N: b.Women}, {Label: l.T("dash.men"), N: b.Men},
		{Label: l.T("dash.sex_unknown"), N: max(b.Total-b.Women-b.Men, 0)}})
	data["sex"], data["people_total"] = sex, l.Int(int64(b.Total))
	data["sex_chart"] = dashCountChart("ch-sex", l.T("dash.sex_chart"), l.T("dash.chart_desc"), sex)
	var groups []dashCountRow
	for _, g := range models.VulnerableGroupCodes {
		if n, ok := b.ByGroup[g]; ok {
			groups = append(groups, dashCountRow{Label: l.T("plandoc.group." + g), N: n})
		}
	}
	data["groups"] = dashCounts(l, groups)
	if len(groups) > 0 {
		data["group_chart"] = dashCountChart("ch-group", l.T("dash.group_chart"), l.T("dash.chart_desc"), groups)
	}
	o := s.Outcomes
	outcomes := dashCounts(l, []dashCountRow{{Label: l.T("dash.outcome.employed"), N: o.Employed},
		{Label: l.T("dash.outcome.trained"), N: o.Trained}, {Label: l.T("dash.outcome.completed_education"), N: o.CompletedEducation},
		{Label: l.T("dash.outcome.self_employed"), N: o.SelfEmployed}})
	data["outcomes"] = outcomes
	data["outcome_chart"] = dashCountChart("ch-outcome", l.T("dash.outcome_chart"), l.T("dash.chart_desc"), outcomes)

	dashIndicators(data, l, s.Indicators)
}

// dashIndicators: baseline → target → actual, each indicator on its own scale
// because units differ.
func dashIndicators(data fiber.Map, l *i18n.Localizer, inds []models.IndicatorActual) {
	rows := make([]dashIndicatorRow, 0, len(inds))
	ch := barChart{ID: "ch-ind", Title: l.T("dash.indicator_chart"), Desc: l.T("dash.indicator_desc"), PerRow: true,
		Series: []barSeries{{Name: l.T("dash.baseline")}, {Name: l.T("dash.target")}, {Name: l.T("dash.actual")}}}
	for _, in := range inds {
		r := dashIndicatorRow{Code: in.MeasureCode, Name: in.Name, Unit: in.Unit, Baseline: l.Decimal(in.Baseline, 2),
			Target: l.Decimal(in.Target, 2), Actual: "—"}
		actual := 0.0
		if in.Actual != nil {
			r.Actual, actual = l.Decimal(*in.Actual, 2), in.Actual.InexactFloat64()
		}
		rows = append(rows, r)
		ch.Cats = append(ch.Cats, in.MeasureCode+" "+in.Name)
		for i, v := range []float64{in.Baseline.InexactFloat64(), in.Target.InexactFloat64(), actual} {
			ch.Series[i].Values = append(ch.Series[i].Values, v)
		}
		ch.Series[0].Labels = append(ch.Series[0].Labels, r.Baseline+" "+in.Unit)
		ch.Series[1].Labels = append(ch.Series[1].Labels, r.Target+" "+in.Unit)
		ch.Series[2].Labels = append(ch.Series[2].Labels, r.Actual+" "+in.Unit)
	}
	data["indicators"] = rows
	if len(rows) > 0 {
		data["indicator_chart"] = ch.SVG()
	}
}

func dashMoney(l *i18n.Localizer, label string, planned, spent decimal.Decimal, cur string) dashMoneyRow {
	pct := "—"
	if !planned.IsZero() {
		pct = l.Decimal(dashExecution(planned, spent), 1) + " %"
	}
	return dashMoneyRow{label, l.Money(planned, cur), l.Money(spent, cur), pct}
}

// dashMoneyChart draws planned (solid) against spent (hatched), labelled with exact amounts.
func dashMoneyChart(id, title string, l *i18n.Localizer, cats []string, planned, spent []decimal.Decimal, cur string) any {
	if len(cats) == 0 {
		return nil
	}
	ps := barSeries{Name: l.T("dash.planned")}
	ss := barSeries{Name: l.T("dash.spent")}
	for i := range cats {
		ps.Values, ps.Labels = append(ps.Values, planned[i].InexactFloat64()), append(ps.Labels, l.Money(planned[i], cur))
		ss.Values, ss.Labels = append(ss.Values, spent[i].InexactFloat64()), append(ss.Labels, l.Money(spent[i], cur))
	}
	return barChart{ID: id, Title: title, Desc: l.T("dash.chart_desc"), Cats: cats, Series: []barSeries{ps, ss}}.SVG()
}

// dashCountChart draws one bar per row, labelled with its count.
func dashCountChart(id, title, desc string, rows []dashCountRow) any {
	s := barSeries{}
	var cats []string
	for _, r := range rows {
		cats = append(cats, r.Label)
		s.Values, s.Labels = append(s.Values, float64(r.N)), append(s.Labels, r.Txt)
	}
	return barChart{ID: id, Title: title, Desc: desc, Cats: cats, Series: []barSeries{s}}.SVG()
}

// dashRegionRow is a municipality's row of the regional comparison, formatted.
type dashRegionRow struct {
	models.RegionalRow
	PlannedTxt, SpentTxt, ExecutionTxt string
}

// RegionDashboard compares every municipality the user may see. Money is
// never added up across currencies.
func (h *Handler) RegionDashboard(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	rows, err := models.RegionalOverview(ctx, h.DB, PrincipalOf(c).MunicipalityIDs())
	if err != nil {
		return err
	}
	l := h.Localizer(c)
	out := make([]dashRegionRow, len(rows))
	var people, women, men, employed, trained, educated, selfEmployed int64
	planned, spent := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	ch := barChart{ID: "ch-exec", Title: l.T("dash.region.exec_chart"), Desc: l.T("dash.region.exec_desc"), Min: 100, Ref: 100,
		RefTxt: "100 %", Series: []barSeries{{}}}
	for i, r := range rows {
		out[i] = dashRegionRow{RegionalRow: r, PlannedTxt: "—", SpentTxt: "—", ExecutionTxt: "—"}
		note := l.T("dash.region.no_plan")
		if r.HasPlan() {
			out[i].PlannedTxt, out[i].SpentTxt = l.Money(r.Planned, r.Currency), l.Money(r.Spent, r.Currency)
			planned[r.Currency], spent[r.Currency] = planned[r.Currency].Add(r.Planned), spent[r.Currency].Add(r.Spent)
			note = l.T("dash.region.no_budget")
			if !r.Planned.IsZero() {
				out[i].ExecutionTxt, note = l.Decimal(r.ExecutionPercent(), 1)+" %", ""
			}
		}
		ch.Cats, ch.Notes = append(ch.Cats, r.Name), append(ch.Notes, note)
		ch.Series[0].Values = append(ch.Series[0].Values, r.ExecutionPercent().InexactFloat64())
		ch.Series[0].Labels = append(ch.Series[0].Labels, out[i].ExecutionTxt)
		people, women, men = people+r.PeopleTotal, women+r.PeopleWomen, men+r.PeopleMen
		employed, trained, educated, selfEmployed = employed+r.Employed, trained+r.Trained, educated+r.CompletedEducation, selfEmployed+r.SelfEmployed
	}
	data := fiber.Map{"rows": out, "people": l.Int(people), "women": l.Int(women), "men": l.Int(men), "employed": l.Int(employed),
		"trained": l.Int(trained), "educated": l.Int(educated), "self_employed": l.Int(selfEmployed)}
	if len(rows) > 0 {
		data["chart"] = ch.SVG()
	}
	currencies := make([]string, 0, len(planned))
	for cur := range planned {
		currencies = append(currencies, cur)
	}
	sort.Strings(currencies)
	single := dashSameCurrency(rows)
	data["mixed"] = len(rows) > 0 && !single
	if single && len(currencies) == 1 {
		cur := currencies[0]
		data["grand"] = fiber.Map{"planned": l.Money(planned[cur], cur), "spent": l.Money(spent[cur], cur),
			"execution": l.Decimal(dashExecution(planned[cur], spent[cur]), 1) + " %"}
	}
	if !single && len(currencies) > 0 {
		var per []dashMoneyRow
		for _, cur := range currencies {
			per = append(per, dashMoneyRow{cur, l.Money(planned[cur], cur), l.Money(spent[cur], cur),
				l.Decimal(dashExecution(planned[cur], spent[cur]), 1) + " %"})
		}
		data["per_currency"] = per
	}
	return h.render(c, 200, "dashboard_region", "dash.region.title", data)
}

// dashSameCurrency says whether every municipality shown uses one currency.
func dashSameCurrency(rows []models.RegionalRow) bool {
	for _, r := range rows {
		if r.Currency != rows[0].Currency {
			return false
		}
	}
	return len(rows) > 0
}

func dashExecution(planned, spent decimal.Decimal) decimal.Decimal {
	if planned.IsZero() {
		return decimal.Zero
	}
	return spent.Mul(decimal.NewFromInt(100)).Div(planned).Round(1)
}
