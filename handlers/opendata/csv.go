package opendata

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"

	"pakt/views/docs"
)

// The two CSV files of a municipality's open data (docs/opendata.md). Both
// are made from the JSON answer, so they say exactly what it says. UTF-8
// with a byte-order mark (for spreadsheets), CRLF lines; every text cell
// goes through docs.SafeCell so a spreadsheet shows a leading = + - @ as
// text instead of running it.

var measuresHeader = []string{"plan_id", "plan_title", "plan_status", "measure_id", "measure_code", "measure_title",
	"objective_code", "lead_organisation", "partner_organisations", "groups", "start_date", "end_date",
	"year", "source", "funder", "amount", "measure_total", "currency"}

// measuresCSV writes one row per budget line of every public plan's
// measures (a measure without budget gets one row with empty budget cells).
func measuresCSV(w io.Writer, d *PublicMunicipality) error {
	cw, err := startCSV(w, measuresHeader)
	if err != nil {
		return err
	}
	for _, p := range d.ActionPlans {
		for _, m := range p.Measures {
			head := []string{itoa(p.ID), safe(p.Title), p.Status, itoa(m.ID), safe(m.Code), safe(m.Title), safe(m.ObjectiveCode),
				safe(m.LeadOrganisation), safe(strings.Join(m.PartnerOrganisations, "; ")), strings.Join(m.Groups, ";"),
				m.StartDate.String(), m.EndDate.String()}
			lines := m.Budget
			if len(lines) == 0 {
				lines = []PublicBudget{{}}
			}
			for _, b := range lines {
				year := ""
				if b.Year != 0 {
					year = strconv.Itoa(b.Year)
				}
				row := append(append([]string{}, head...), year, b.Source, safe(b.Funder), b.Amount, m.Total, d.Currency)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

var figuresHeader = []string{"source", "source_id", "source_title", "date", "subject", "figure", "value", "suppressed", "min", "max"}

// figuresCSV writes one row per published figure: the reports' cumulative
// figures, the analyses' indicators and vulnerable groups, the focus
// groups' participants. A protected count has an empty value and says why.
func figuresCSV(w io.Writer, d *PublicMunicipality) error {
	cw, err := startCSV(w, figuresHeader)
	if err != nil {
		return err
	}
	f := &figureWriter{cw: cw}
	for _, r := range d.Reports {
		f.report(r)
	}
	for _, s := range d.SituationAnalyses {
		f.sitan(s)
	}
	f.focus(d.FocusGroups)
	cw.Flush()
	if f.err != nil {
		return f.err
	}
	return cw.Error()
}

// figureWriter writes figure rows, keeping the first error.
type figureWriter struct {
	cw  *csv.Writer
	err error
}

// row writes one figure; src are source, source_id, source_title, date, subject.
// row writes one figure; src are source, source_id, source_title, date,
// subject; band is min and max of a count of people (package disclosure).
func (f *figureWriter) row(src [5]string, figure, value, suppressed string, band ...string) {
	band = append(band, "", "")
	if f.err == nil {
		f.err = f.cw.Write([]string{src[0], src[1], safe(src[2]), src[3], safe(src[4]), figure, value, suppressed, band[0], band[1]})
	}
}

func (f *figureWriter) count(src [5]string, figure string, c Count) {
	value := ""
	if c.Value != nil {
		value = strconv.FormatInt(*c.Value, 10)
	}
	f.row(src, figure, value, c.Suppressed, optInt(c.Min), optInt(c.Max))
}

func optInt(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func (f *figureWriter) report(r PublicReport) {
	src := [5]string{"report", itoa(r.PeriodID), r.PlanTitle + " — " + r.PeriodLabel, r.EndDate.String(), ""}
	g := r.Figures
	f.row(src, "planned_total", g.PlannedTotal, "")
	f.row(src, "spent_total", g.SpentTotal, "")
	for _, c := range []struct {
		name string
		c    Count
	}{{"people_total", g.PeopleTotal}, {"women", g.Women}, {"men", g.Men}, {"employed", g.Employed}, {"trained", g.Trained},
		{"completed_education", g.CompletedEducation}, {"self_employed", g.SelfEmployed}} {
		f.count(src, c.name, c.c)
	}
	groups := make([]string, 0, len(g.ByGroup))
	for k := range g.ByGroup {
		groups = append(groups, k)
	}
	sort.Strings(groups)
	for _, k := range groups {
		src[4] = "group:" + k
		f.count(src, "people", g.ByGroup[k])
	}
}

func (f *figureWriter) sitan(s PublicSitan) {
	date := ""
	if s.PublishedAt != nil {
		date = s.PublishedAt.Format("2006-01-02")
	}
	for _, i := range s.Indicators {
		src := [5]string{"situation_analysis", itoa(s.ID), s.Title, date, "indicator:" + i.Indicator}
		f.count(src, "value", i.Value)
		f.count(src, "women", i.Women)
		f.count(src, "men", i.Men)
	}
	for _, g := range s.VulnerableGroups {
		src := [5]string{"situation_analysis", itoa(s.ID), s.Title, date, "group:" + g.Group}
		f.count(src, "estimated_size", g.EstimatedSize)
		f.count(src, "women", g.Women)
		f.count(src, "men", g.Men)
	}
}

func (f *figureWriter) focus(fg PublicFocusGroups) {
	for _, g := range fg.Groups {
		f.participants([5]string{"focus_group", itoa(g.ID), g.Place, g.HeldOn, ""}, g.Participants)
	}
	if fg.Totals != nil {
		f.participants([5]string{"focus_groups_total", "", "", "", ""}, *fg.Totals)
	}
}

func (f *figureWriter) participants(src [5]string, c FocusCounts) {
	f.count(src, "participants_total", c.Total)
	f.count(src, "women", c.Women)
	f.count(src, "men", c.Men)
	f.count(src, "age_15_29", c.Age15to29)
	f.count(src, "age_30_49", c.Age30to49)
	f.count(src, "age_50_plus", c.Age50Plus)
}

func startCSV(w io.Writer, header []string) (*csv.Writer, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw, cw.Write(header)
}

func safe(s string) string { return docs.SafeCell(s) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
