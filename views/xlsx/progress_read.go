package xlsx

import (
	"fmt"

	"pakt/i18n"
	"pakt/models"
)

// ProgressUpload is a progress workbook read back: one row per measure.
type ProgressUpload struct {
	Stamp Stamp
	Rows  []ProgressRowIn
}

// ProgressRowIn is one measure's report as read, with the cell each input
// field came from (so the model's field errors can be shown on cells).
type ProgressRowIn struct {
	MeasureID int64
	In        models.ProgressInput
	Cells     map[string]string // "status", "spent[0].amount", ... → "Reports!F7"
	Ref       string            // the row's measure id cell
}

// Cell is the cell of an input field of the row (its id cell when unknown).
func (r ProgressRowIn) Cell(field string) string {
	if c, ok := r.Cells[field]; ok {
		return c
	}
	return r.Ref
}

// progressReader keeps the rows while the three sheets are read.
type progressReader struct {
	l      *i18n.Localizer
	p      Problems
	rows   []ProgressRowIn
	byCode map[string]int
	byID   map[int64]int
}

// ReadProgress reads an uploaded workbook of a reporting period: every bad
// cell is a problem on its cell (models.ValidationError keyed "Sheet!A1").
func ReadProgress(bundle *i18n.Bundle, body []byte, periodID int64) (*ProgressUpload, error) {
	u, err := Open(body)
	if err != nil {
		return nil, err
	}
	defer u.Close()
	if err := u.Stamp.check(ProgressKind, periodID, "xlsx.error.other_period"); err != nil {
		return nil, err
	}
	r := &progressReader{l: bundle.For(u.Stamp.Lang), byCode: map[string]int{}, byID: map[int64]int{}}
	for _, step := range []struct {
		sheet string
		read  func(*Grid)
	}{{ReportsSheet, r.reports}, {SpendingSheet, r.spending}, {IndicatorsSheet, r.indicators}} {
		g, err := u.Grid(step.sheet)
		if err != nil {
			return nil, err
		}
		step.read(g)
	}
	if err := r.p.Err(); err != nil {
		return nil, err
	}
	return &ProgressUpload{Stamp: u.Stamp, Rows: r.rows}, nil
}

func (r *progressReader) reports(g *Grid) {
	statuses := labelMap(r.l, "report.status.", models.ProgressStatuses)
	last := rGroups + len(models.VulnerableGroupCodes) + len(outcomeKeys) - 1
	for n := 2; n <= len(g.Rows); n++ {
		c := g.Row(n, &r.p)
		if c.Blank(allCols(last)...) {
			continue
		}
		id := c.ID(rID)
		if id == 0 {
			continue
		}
		if _, dup := r.byID[id]; dup {
			r.p.Add(c.Ref(rID), "xlsx.error.duplicate")
			continue
		}
		row := ProgressRowIn{MeasureID: id, Ref: c.Ref(rID), Cells: map[string]string{}}
		row.In = reportInput(c, statuses, row.Cells)
		r.byID[id], r.byCode[c.raw(rCode)] = len(r.rows), len(r.rows)
		r.rows = append(r.rows, row)
	}
}

// reportInput reads the editable cells of one Reports row.
func reportInput(c Cells, statuses map[string]string, cells map[string]string) models.ProgressInput {
	count := func(field string, col, top int) int {
		cells[field] = c.Ref(col)
		n, _ := c.Count(col, top)
		return n
	}
	cells["status"], cells["narrative"] = c.Ref(rStatus), c.Ref(rNarrative)
	in := models.ProgressInput{Status: c.Choice(rStatus, statuses), Narrative: c.Text(rNarrative, 10000)}
	pc := count("percent_complete", rPercent, 100)
	in.PercentComplete = &pc
	in.Beneficiaries = models.Beneficiaries{Total: count("beneficiaries.total", rTotal, maxCount),
		Women: count("beneficiaries.women", rWomen, maxCount), Men: count("beneficiaries.men", rMen, maxCount),
		ByGroup: map[string]int{}}
	for i, g := range models.VulnerableGroupCodes {
		field := "beneficiaries.by_group." + g
		cells[field] = c.Ref(rGroups + i)
		if n, present := c.Count(rGroups+i, maxCount); present {
			in.Beneficiaries.ByGroup[g] = n
		}
	}
	o := rGroups + len(models.VulnerableGroupCodes)
	in.Outcomes = models.Outcomes{Employed: count("outcomes.employed", o, maxCount), Trained: count("outcomes.trained", o+1, maxCount),
		CompletedEducation: count("outcomes.completed_education", o+2, maxCount),
		SelfEmployed:       count("outcomes.self_employed", o+3, maxCount)}
	return in
}

func allCols(last int) []int {
	out := make([]int, last)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func (r *progressReader) spending(g *Grid) {
	sources := labelMap(r.l, "plandoc.source.", models.BudgetSources)
	for n := 2; n <= len(g.Rows); n++ {
		c := g.Row(n, &r.p)
		if c.Blank(sCode, sSource, sFunder, sAmount) {
			continue
		}
		i, ok := r.byCode[c.raw(sCode)]
		if !ok {
			r.p.Add(c.Ref(sCode), "xlsx.error.unknown_code")
			continue
		}
		row := &r.rows[i]
		k := fmt.Sprintf("spent[%d].", len(row.In.Spent))
		row.Cells[k+"source"], row.Cells[k+"amount"], row.Cells[k+"funder"] = c.Ref(sSource), c.Ref(sAmount), c.Ref(sFunder)
		line := models.SpentInput{Source: c.Choice(sSource, sources), Funder: c.Text(sFunder, 200)}
		if line.Source == "" && c.raw(sSource) == "" {
			r.p.Add(c.Ref(sSource), "xlsx.error.required")
		}
		if d := c.Number(sAmount); d != nil {
			line.Amount = models.NumText(models.Money(*d))
		} else if c.raw(sAmount) == "" {
			r.p.Add(c.Ref(sAmount), "xlsx.error.required")
		}
		row.In.Spent = append(row.In.Spent, line)
	}
}

func (r *progressReader) indicators(g *Grid) {
	for n := 2; n <= len(g.Rows); n++ {
		c := g.Row(n, &r.p)
		if c.Blank(iValue) {
			continue
		}
		i, ok := r.byID[c.ID(iMeasure)]
		if !ok {
			r.p.Add(c.Ref(iMeasure), "xlsx.error.unknown_measure")
			continue
		}
		row := &r.rows[i]
		k := fmt.Sprintf("indicator_values[%d].", len(row.In.IndicatorValues))
		row.Cells[k+"indicator_id"], row.Cells[k+"value"] = c.Ref(iID), c.Ref(iValue)
		v := models.ValueInput{IndicatorID: c.ID(iID)}
		if d := c.Number(iValue); d != nil {
			v.Value = models.NumText(models.Money(*d))
		}
		row.In.IndicatorValues = append(row.In.IndicatorValues, v)
	}
}
