package docs

import (
	"encoding/csv"
	"io"
	"strconv"

	"pakt/models"
)

// utf8BOM lets Excel recognise the file as UTF-8 (č ć đ š ž, Cyrillic).
const utf8BOM = "\uFEFF"

// planCSVHeader are the column names of PlanCSV.
var planCSVHeader = []string{"plan_id", "measure_code", "measure_title", "objective_code", "lead_organisation",
	"start_date", "end_date", "year", "source", "funder", "amount", "measure_total"}

// PlanCSV writes one row per budget line of the plan (a measure without lines
// gets one row with empty budget columns). Amounts are exact ("12500.50");
// text cells that a spreadsheet would run as a formula get a leading
// apostrophe.
func PlanCSV(w io.Writer, p *models.Plan, orgNames map[int64]string, opts ...CSVOption) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	applyCSV(cw, opts)
	if err := cw.Write(planCSVHeader); err != nil {
		return err
	}
	objectives := map[int64]string{}
	for _, o := range p.Objectives {
		objectives[o.ID] = o.Code
	}
	planID := strconv.FormatInt(p.ID, 10)
	for _, m := range p.Measures {
		head := []string{planID, safeCell(m.Code), safeCell(m.Title), safeCell(objectives[m.ObjectiveID]),
			safeCell(orgNames[m.LeadOrganisationID]), m.StartDate.String(), m.EndDate.String()}
		total := models.Money(m.Total())
		if len(m.Budget) == 0 {
			if err := cw.Write(append(head, "", "", "", "", total)); err != nil {
				return err
			}
			continue
		}
		for _, b := range m.Budget {
			row := append(append([]string{}, head...), strconv.Itoa(b.Year), safeCell(b.Source), safeCell(b.Funder),
				models.Money(b.Amount), total)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell defuses CSV/formula injection: a text cell starting with = + - @,
// a tab or a carriage return is prefixed with an apostrophe so spreadsheets
// show it as text instead of evaluating it.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
