package xlsx

import (
	"io"
	"strings"

	"pakt/i18n"
	"pakt/models"
)

// PlanExport is a plan as a workbook people open in Excel: measures,
// indicators and budget lines, with real numbers and dates.
type PlanExport struct {
	Plan     *models.Plan
	OrgNames map[int64]string
	Currency string
}

// WritePlan writes the plan workbook (texts in l's language, numbers the
// municipality's way).
func WritePlan(w io.Writer, l, format *i18n.Localizer, in PlanExport) error {
	b, err := NewBook(l, format, in.Currency)
	if err != nil {
		return err
	}
	for _, sheet := range []func(*Book, PlanExport) error{planMeasures, planIndicators, planBudget} {
		if err := sheet(b, in); err != nil {
			return err
		}
	}
	return b.Write(w)
}

func planMeasures(b *Book, in PlanExport) error {
	l := b.L
	s, err := b.Sheet(l.T("xlsx.sheet.measures"), []Column{{Head: l.T("xlsx.col.code"), Width: 9},
		{Head: l.T("xlsx.col.measure"), Width: 45}, {Head: l.T("xlsx.col.objective"), Width: 10},
		{Head: l.T("xlsx.col.lead"), Width: 26}, {Head: l.T("xlsx.col.partners"), Width: 34},
		{Head: l.T("xlsx.col.groups"), Width: 30}, {Head: l.T("xlsx.col.start"), Width: 13, Kind: Date},
		{Head: l.T("xlsx.col.end"), Width: 13, Kind: Date}, {Head: l.T("xlsx.col.planned"), Width: 18, Kind: Money}})
	if err != nil {
		return err
	}
	objectives := map[int64]string{}
	for _, o := range in.Plan.Objectives {
		objectives[o.ID] = o.Code
	}
	for _, m := range in.Plan.Measures {
		var partners, groups []string
		for _, id := range m.PartnerOrganisationIDs {
			partners = append(partners, in.OrgNames[id])
		}
		for _, g := range m.Groups {
			groups = append(groups, l.T("plandoc.group."+g))
		}
		err := s.Row(false, m.Code, m.Title, objectives[m.ObjectiveID], in.OrgNames[m.LeadOrganisationID],
			strings.Join(partners, "; "), strings.Join(groups, "; "), m.StartDate.Time, m.EndDate.Time, m.Total())
		if err != nil {
			return err
		}
	}
	return s.Done(false)
}

func planIndicators(b *Book, in PlanExport) error {
	l := b.L
	s, err := b.Sheet(l.T("xlsx.sheet.indicators"), []Column{{Head: l.T("xlsx.col.code"), Width: 9},
		{Head: l.T("xlsx.col.indicator"), Width: 45}, {Head: l.T("xlsx.col.unit"), Width: 14},
		{Head: l.T("xlsx.col.baseline"), Width: 12, Kind: Dec}, {Head: l.T("xlsx.col.target"), Width: 12, Kind: Dec}})
	if err != nil {
		return err
	}
	for _, m := range in.Plan.Measures {
		for _, ind := range m.Indicators {
			if err := s.Row(false, m.Code, ind.Name, ind.Unit, ind.Baseline, ind.Target); err != nil {
				return err
			}
		}
	}
	return s.Done(false)
}

func planBudget(b *Book, in PlanExport) error {
	l := b.L
	s, err := b.Sheet(l.T("xlsx.sheet.budget"), []Column{{Head: l.T("xlsx.col.code"), Width: 9},
		{Head: l.T("xlsx.col.year"), Width: 8, Kind: Int}, {Head: l.T("xlsx.col.source"), Width: 24},
		{Head: l.T("xlsx.col.funder"), Width: 26}, {Head: l.T("xlsx.col.amount"), Width: 18, Kind: Money}})
	if err != nil {
		return err
	}
	for _, m := range in.Plan.Measures {
		for _, line := range m.Budget {
			if err := s.Row(false, m.Code, line.Year, l.T("plandoc.source."+line.Source), line.Funder, line.Amount); err != nil {
				return err
			}
		}
	}
	return s.Done(false)
}

// ProgressTable is every period's reports of a plan.
type ProgressTable struct {
	Plan     *models.Plan
	Periods  []models.Period
	Reports  map[int64]map[int64]*models.Progress
	Currency string
}

// WriteProgressTable writes one row per period and measure, as the
// progress CSV, with numbers and dates a spreadsheet can compute with.
func WriteProgressTable(w io.Writer, l, format *i18n.Localizer, in ProgressTable) error {
	b, err := NewBook(l, format, in.Currency)
	if err != nil {
		return err
	}
	cols := []Column{{Head: l.T("xlsx.col.period"), Width: 20}, {Head: l.T("xlsx.col.start"), Width: 13, Kind: Date},
		{Head: l.T("xlsx.col.end"), Width: 13, Kind: Date}, {Head: l.T("xlsx.col.code"), Width: 9},
		{Head: l.T("xlsx.col.measure"), Width: 40}, {Head: l.T("xlsx.col.status"), Width: 16},
		{Head: l.T("xlsx.col.percent"), Width: 10, Kind: Int}, {Head: l.T("xlsx.col.review"), Width: 14},
		{Head: l.T("xlsx.col.spent"), Width: 18, Kind: Money}, {Head: l.T("xlsx.col.people"), Width: 10, Kind: Int},
		{Head: l.T("xlsx.col.women"), Width: 10, Kind: Int}, {Head: l.T("xlsx.col.men"), Width: 10, Kind: Int}}
	for _, o := range outcomeKeys {
		cols = append(cols, Column{Head: l.T("xlsx.col." + o), Width: 13, Kind: Int})
	}
	s, err := b.Sheet(l.T("xlsx.sheet.progress"), cols)
	if err != nil {
		return err
	}
	for _, per := range in.Periods {
		for _, m := range in.Plan.Measures {
			if err := s.Row(false, progressTableRow(l, per, m, in.Reports[per.ID][m.ID])...); err != nil {
				return err
			}
		}
	}
	if err := s.Done(false); err != nil {
		return err
	}
	return b.Write(w)
}

func progressTableRow(l *i18n.Localizer, per models.Period, m models.Measure, r *models.Progress) []any {
	row := []any{per.Label, per.StartDate.Time, per.EndDate.Time, m.Code, m.Title}
	if r == nil {
		return append(row, l.T("report.status.not_reported"))
	}
	return append(row, l.T("report.status."+r.Status), r.PercentComplete, l.T("tracking.review."+r.Review), r.SpentTotal(),
		r.BeneficiariesTotal, r.BeneficiariesWomen, r.BeneficiariesMen, r.Employed, r.Trained, r.CompletedEducation, r.SelfEmployed)
}
