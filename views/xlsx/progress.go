package xlsx

import (
	"io"

	"pakt/i18n"
	"pakt/models"
)

// The progress workbook of one reporting period: sheet Reports has a row per
// measure, Spending a row per spending line, Indicators a row per indicator
// of those measures. The sheet and column layout is what uploads are read by.
const (
	ReportsSheet    = "Reports"
	SpendingSheet   = "Spending"
	IndicatorsSheet = "Indicators"
	// ProgressKind stamps a progress workbook.
	ProgressKind = "progress"
)

// Columns of Reports (1-based).
const (
	rID = iota + 1
	rCode
	rTitle
	rLead
	rReview
	rStatus
	rPercent
	rNarrative
	rTotal
	rWomen
	rMen
	rGroups // one column per models.VulnerableGroupCodes, then the outcomes
)

// outcomeKeys are the outcome columns after the groups, in order.
var outcomeKeys = []string{"employed", "trained", "completed_education", "self_employed"}

// Columns of Spending and Indicators.
const (
	sCode = iota + 1
	sSource
	sFunder
	sAmount
)

const (
	iMeasure = iota + 1
	iCode
	iID
	iName
	iUnit
	iBaseline
	iTarget
	iValue
)

// ProgressBook is what a progress workbook shows: the measures the caller
// may report on (in order) and their stored reports.
type ProgressBook struct {
	Period   *models.Period
	Plan     *models.Plan
	Measures []models.Measure
	Reports  map[int64]*models.Progress
	OrgNames map[int64]string
	Currency string
}

// WriteProgress writes the workbook with texts in l's language and numbers
// formatted the municipality's way (format).
func WriteProgress(w io.Writer, l, format *i18n.Localizer, in ProgressBook) error {
	b, err := NewBook(l, format, in.Currency)
	if err != nil {
		return err
	}
	if err := b.Layout([]string{ReportsSheet, SpendingSheet, IndicatorsSheet, l.T("xlsx.sheet.instructions")}, ListsSheet, StampSheet); err != nil {
		return err
	}
	lists := b.Lists()
	statuses := lists.Add(labelList(l, "report.status.", models.ProgressStatuses))
	sources := lists.Add(labelList(l, "plandoc.source.", models.BudgetSources))
	var codes []string
	for _, m := range in.Measures {
		codes = append(codes, m.Code)
	}
	codeList := lists.Add(codes)
	if err := writeReports(b, in, List{Col: rStatus, Source: statuses}); err != nil {
		return err
	}
	if err := writeSpending(b, in, List{Col: sCode, Source: codeList}, List{Col: sSource, Source: sources}); err != nil {
		return err
	}
	if err := writeIndicators(b, in); err != nil {
		return err
	}
	if err := progressInstructions(b, in); err != nil {
		return err
	}
	if err := lists.Done(); err != nil {
		return err
	}
	stamp := progressStamp(in)
	stamp.Lang = l.Lang
	if err := b.Stamp(stamp); err != nil {
		return err
	}
	return b.Write(w)
}

func labelList(l *i18n.Localizer, prefix string, codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = l.T(prefix + c)
	}
	return out
}

// labelMap maps codes to their labels, for reading a drop-down's choice.
func labelMap(l *i18n.Localizer, prefix string, codes []string) map[string]string {
	out := make(map[string]string, len(codes))
	for _, c := range codes {
		out[c] = l.T(prefix + c)
	}
	return out
}

func reportColumns(l *i18n.Localizer) []Column {
	cols := []Column{{Head: l.T("xlsx.col.measure_id"), Width: 8, Kind: Int}, {Head: l.T("xlsx.col.code"), Width: 9},
		{Head: l.T("xlsx.col.measure"), Width: 40}, {Head: l.T("xlsx.col.lead"), Width: 24}, {Head: l.T("xlsx.col.review"), Width: 14},
		{Head: l.T("xlsx.col.status"), Width: 16, Edit: true}, {Head: l.T("xlsx.col.percent"), Width: 10, Kind: Int, Edit: true, Max: 100},
		{Head: l.T("xlsx.col.narrative"), Width: 50, Edit: true}, {Head: l.T("xlsx.col.people"), Width: 10, Kind: Int, Edit: true},
		{Head: l.T("xlsx.col.women"), Width: 10, Kind: Int, Edit: true}, {Head: l.T("xlsx.col.men"), Width: 10, Kind: Int, Edit: true}}
	for _, g := range models.VulnerableGroupCodes {
		cols = append(cols, Column{Head: l.T("xlsx.col.group", "Group", l.T("plandoc.group."+g)), Width: 14, Kind: Int, Edit: true})
	}
	for _, o := range outcomeKeys {
		cols = append(cols, Column{Head: l.T("xlsx.col." + o), Width: 13, Kind: Int, Edit: true})
	}
	return cols
}

func writeReports(b *Book, in ProgressBook, status List) error {
	s, err := b.Sheet(ReportsSheet, reportColumns(b.L))
	if err != nil {
		return err
	}
	for _, m := range in.Measures {
		r := in.Reports[m.ID]
		if err := s.Row(readOnly(in.Period, r), reportRow(b.L, m, r, in.OrgNames)...); err != nil {
			return err
		}
	}
	return s.Done(true, status)
}

// readOnly says whether a report's row is locked: its period is closed, or
// it waits for or passed review (the commission sends it back to change it).
func readOnly(per *models.Period, r *models.Progress) bool {
	return per.Status == "closed" || r != nil && (r.Review == "submitted" || r.Review == "accepted")
}

func reportRow(l *i18n.Localizer, m models.Measure, r *models.Progress, orgs map[int64]string) []any {
	row := []any{m.ID, m.Code, m.Title, orgs[m.LeadOrganisationID], l.T("report.status.not_reported")}
	if r == nil {
		return row
	}
	row[rReview-1] = l.T("tracking.review." + r.Review)
	row = append(row, l.T("report.status."+r.Status), r.PercentComplete, r.Narrative, r.BeneficiariesTotal,
		r.BeneficiariesWomen, r.BeneficiariesMen)
	groups := r.BeneficiariesOf().ByGroup
	for _, g := range models.VulnerableGroupCodes {
		if n, ok := groups[g]; ok {
			row = append(row, n)
		} else {
			row = append(row, nil)
		}
	}
	return append(row, r.Employed, r.Trained, r.CompletedEducation, r.SelfEmployed)
}

func writeSpending(b *Book, in ProgressBook, lists ...List) error {
	l := b.L
	s, err := b.Sheet(SpendingSheet, []Column{{Head: l.T("xlsx.col.code"), Width: 12, Edit: true},
		{Head: l.T("xlsx.col.source"), Width: 24, Edit: true}, {Head: l.T("xlsx.col.funder"), Width: 30, Edit: true},
		{Head: l.T("xlsx.col.amount"), Width: 18, Kind: Money, Edit: true}})
	if err != nil {
		return err
	}
	for _, m := range in.Measures {
		r := in.Reports[m.ID]
		if r == nil {
			continue
		}
		for _, sp := range r.Spent {
			if err := s.Row(readOnly(in.Period, r), m.Code, l.T("plandoc.source."+sp.Source), sp.Funder, sp.Amount); err != nil {
				return err
			}
		}
	}
	return s.Done(true, lists...)
}

func writeIndicators(b *Book, in ProgressBook) error {
	l := b.L
	s, err := b.Sheet(IndicatorsSheet, []Column{{Head: l.T("xlsx.col.measure_id"), Width: 8, Kind: Int},
		{Head: l.T("xlsx.col.code"), Width: 9}, {Head: l.T("xlsx.col.indicator_id"), Width: 8, Kind: Int},
		{Head: l.T("xlsx.col.indicator"), Width: 40}, {Head: l.T("xlsx.col.unit"), Width: 12},
		{Head: l.T("xlsx.col.baseline"), Width: 12, Kind: Dec}, {Head: l.T("xlsx.col.target"), Width: 12, Kind: Dec},
		{Head: l.T("xlsx.col.value"), Width: 14, Kind: Dec, Edit: true}})
	if err != nil {
		return err
	}
	for _, m := range in.Measures {
		r := in.Reports[m.ID]
		values := map[int64]any{}
		if r != nil {
			for _, v := range r.IndicatorValues {
				values[v.IndicatorID] = v.Value
			}
		}
		for _, ind := range m.Indicators {
			err := s.Row(readOnly(in.Period, r), m.ID, m.Code, ind.ID, ind.Name, ind.Unit, ind.Baseline, ind.Target, values[ind.ID])
			if err != nil {
				return err
			}
		}
	}
	return s.Done(true)
}

func progressStamp(in ProgressBook) Stamp {
	s := Stamp{Kind: ProgressKind, ID: in.Period.ID, Version: in.Period.Version}
	for _, m := range in.Measures {
		r := in.Reports[m.ID]
		it := StampItem{ID: m.ID, Print: models.ProgressPrint(models.ProgressInputOf(r))}
		if r != nil {
			it.Version = r.Version
		}
		s.Items = append(s.Items, it)
	}
	return s
}

func progressInstructions(b *Book, in ProgressBook) error {
	l := b.L
	paragraphs := []string{l.T("xlsx.progress.intro", "Plan", in.Plan.Title, "Period", in.Period.Label),
		l.T("xlsx.progress.sheets"), l.T("xlsx.progress.review"), l.T("xlsx.progress.upload")}
	var cols [][2]string
	for _, k := range []string{"status", "percent", "narrative", "people", "groups", "outcomes"} {
		cols = append(cols, [2]string{ReportsSheet + ": " + l.T("xlsx.help_col."+k), l.T("xlsx.help." + k)})
	}
	cols = append(cols, [2]string{SpendingSheet, l.T("xlsx.help.spending")}, [2]string{IndicatorsSheet, l.T("xlsx.help.indicators")})
	return b.Instructions(l.T("xlsx.progress.title"), paragraphs, cols)
}
