package iati

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"pakt/models"
	"pakt/models/disclosure"
)

// latestStatus is the measure's status in its latest published report.
func (b *builder) latestStatus(m *models.Measure) string {
	latest := ""
	for _, per := range b.in.Data.Periods {
		if r := b.in.Data.Progress[per.ID][m.ID]; r != nil {
			latest = r.Status
		}
	}
	return latest
}

// dates: the planned start and end, and the actual ones once a published
// report says work began (the first period with work under way) or was
// completed (the end of that period). Actual dates never lie ahead.
func (b *builder) dates(m *models.Measure) []dateXML {
	out := []dateXML{{Type: dateStartPlanned, ISODate: day(m.StartDate.Time)}}
	var started, ended time.Time
	for _, per := range b.in.Data.Periods {
		r := b.in.Data.Progress[per.ID][m.ID]
		if r == nil || r.Status == "not_started" || r.Status == "cancelled" {
			continue
		}
		if started.IsZero() {
			started = later(per.StartDate.Time, m.StartDate.Time)
		}
		if r.Status == "completed" && ended.IsZero() {
			ended = per.EndDate.Time
		}
	}
	if !started.IsZero() && !started.After(b.in.Today) {
		out = append(out, dateXML{Type: dateStartActual, ISODate: day(started)})
	}
	out = append(out, dateXML{Type: dateEndPlanned, ISODate: day(m.EndDate.Time)})
	if !ended.IsZero() {
		out = append(out, dateXML{Type: dateEndActual, ISODate: day(b.notAfterToday(ended))})
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// documents: the plan's public page and each published progress report.
func (b *builder) documents() []documentXML {
	in, p := b.in, b.in.Data.Plan
	lang := codeXML{b.lang}
	out := []documentXML{{URL: in.BaseURL + "/m/" + in.Municipality.Slug + "/plans/" + itoa(p.ID), Format: "text/html",
		Title: textXML{b.narr(p.Title)}, Category: codeXML{docWebPage}, Language: lang}}
	for _, per := range in.Data.Periods {
		out = append(out, documentXML{
			URL:    in.BaseURL + "/api/v1/action-plans/" + itoa(p.ID) + "/report.pdf?period_id=" + itoa(per.ID),
			Format: "application/pdf", Title: textXML{b.narr(b.l.T("public.progress_report") + ": " + per.Label)},
			Category: codeXML{docReview}, Language: lang, Date: &isoDateXML{day(*per.PublishedAt)}})
	}
	return out
}

// results: once a published report covers the measure, its indicators
// (baseline, and per period the plan's target and the reported value) and
// the people it reached, counted as the public report prints them.
func (b *builder) results(m *models.Measure) []resultXML {
	var inds []indicatorXML
	for _, ind := range m.Indicators {
		if x, ok := b.planIndicator(m, ind); ok {
			inds = append(inds, x)
		}
	}
	inds = append(inds, b.peopleIndicators(m)...)
	if len(inds) == 0 {
		return nil
	}
	return []resultXML{{Type: resultOutput, Title: textXML{b.narr(b.l.T("opendata.iati.result", "Code", m.Code))},
		Indicators: inds}}
}

// planIndicator is one of the plan's indicators with a period for every
// published report of the measure. Pakt sets one target for the whole
// plan: each period repeats it.
func (b *builder) planIndicator(m *models.Measure, ind models.Indicator) (indicatorXML, bool) {
	title := ind.Name
	if ind.Unit != "" {
		title += " (" + ind.Unit + ")"
	}
	p := b.in.Data.Plan
	x := indicatorXML{Measure: measureUnit, Ascending: "true", Title: textXML{b.narr(title)},
		Baseline: &baselineXML{Year: p.PeriodStart.Year(), ISODate: day(p.PeriodStart.Time), Value: iatiQuantity(ind.Unit, ind.Baseline)}}
	for _, per := range b.in.Data.Periods {
		r := b.in.Data.Progress[per.ID][m.ID]
		if r == nil {
			continue
		}
		pe := b.period(per)
		pe.Targets = []actualXML{{Value: ind.Target.String()}}
		for _, v := range r.IndicatorValues {
			if v.IndicatorID == ind.ID {
				pe.Actuals = append(pe.Actuals, actualXML{Value: iatiQuantity(ind.Unit, v.Value)})
			}
		}
		x.Periods = append(x.Periods, pe)
	}
	return x, len(x.Periods) > 0
}

func (b *builder) period(per models.Period) periodXML {
	return periodXML{Start: isoDateXML{day(per.StartDate.Time)}, End: isoDateXML{day(per.EndDate.Time)}}
}

// peopleKeys are the columns of docs.PeopleGrid after total, women and men,
// with the catalog key of their title.
var peopleKeys = []string{"report.outcome.employed", "report.outcome.trained",
	"report.outcome.completed_education", "report.outcome.self_employed"}

// peopleIndicators: people reached (with women and men as dimensions) and
// each outcome the measure reported, as the public report prints them: a
// value is the lower bound of the count's band (package disclosure; IATI
// wants a number), a count under five is left out, never written as 0; a
// period with nothing left is left out.
func (b *builder) peopleIndicators(m *models.Measure) []indicatorXML {
	reached := b.peopleIndicator(m, "report.people_total", func(c cellsOf) []actualXML {
		return c.actuals(0, c.dim(1, "female"), c.dim(2, "male"))
	})
	var out []indicatorXML
	if len(reached.Periods) > 0 {
		out = append(out, reached)
	}
	for i, key := range peopleKeys {
		col := 3 + i
		x := b.peopleIndicator(m, key, func(c cellsOf) []actualXML { return c.actuals(col) })
		if len(x.Periods) > 0 && b.everReported(m, col) {
			out = append(out, x)
		}
	}
	return out
}

func (b *builder) peopleIndicator(m *models.Measure, key string, actuals func(cellsOf) []actualXML) indicatorXML {
	x := indicatorXML{Measure: measureUnit, Ascending: "true", Title: textXML{b.narr(b.l.T(key))}}
	for _, per := range b.in.Data.Periods {
		g, ok := b.people[per.ID][m.ID]
		if !ok {
			continue
		}
		if as := actuals(cellsOf{g.Values, g.Bands}); len(as) > 0 {
			pe := b.period(per)
			pe.Actuals = as
			x.Periods = append(x.Periods, pe)
		}
	}
	return x
}

// everReported says whether an outcome was ever five or more for the
// measure (below five nothing is written, as for a zero).
func (b *builder) everReported(m *models.Measure, col int) bool {
	for _, per := range b.in.Data.Periods {
		if g, ok := b.people[per.ID][m.ID]; ok && !g.Bands[col].IsSmall() {
			return true
		}
	}
	return false
}

// cellsOf is one measure's row of the people grid.
type cellsOf struct {
	values []int
	bands  []disclosure.Band
}

// dim is the dimension sex of column col, or nil when under five.
func (c cellsOf) dim(col int, sex string) *actualXML {
	if c.bands[col].IsSmall() {
		return nil
	}
	return &actualXML{Value: strconv.FormatInt(c.bands[col].Lo, 10), Dimension: &dimensionXML{Name: "sex", Value: sex}}
}

// actuals is column col's value (when shown) followed by the given
// dimensions that are shown.
func (c cellsOf) actuals(col int, dims ...*actualXML) []actualXML {
	var out []actualXML
	if !c.bands[col].IsSmall() {
		out = append(out, actualXML{Value: strconv.FormatInt(c.bands[col].Lo, 10)})
	}
	for _, d := range dims {
		if d != nil {
			out = append(out, *d)
		}
	}
	return out
}

// iatiQuantity is an indicator value for IATI: a count of people as the
// lower bound of its band (package disclosure), like the people reached.
func iatiQuantity(unit string, v decimal.Decimal) string {
	if b, ok := models.PublicQuantityBand(unit, v); ok {
		return strconv.FormatInt(b.Lo, 10)
	}
	return v.String()
}
