package xlsx

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pakt/i18n"
	"pakt/models"
)

// row is a one-row grid of raw cell texts (as a workbook stores them).
func row(t *testing.T, cells ...string) (Cells, *Problems) {
	t.Helper()
	g := &Grid{u: &Upload{f: excelize.NewFile()}, Sheet: "Sheet1", Rows: [][]string{{"head"}, cells}}
	p := &Problems{}
	return g.Row(2, p), p
}

// Numbers are read from their stored text exactly, never through float64.
func TestNumberCells(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{"12500.5": "12500.50", "12500,50": "12500.50", "1E+3": "1000.00", "0": "0.00",
		"999999999999.99": "999999999999.99", "0.1": "0.10",
		"12.345": "xlsx.error.decimals", "0.30000000000000004": "xlsx.error.decimals", "-5": "xlsx.error.negative",
		"12.500,50": "xlsx.error.number", "abc": "xlsx.error.number", "1000000000000": "xlsx.error.too_big"} {
		c, p := row(t, raw)
		d := c.Number(1)
		got := p.Fields["Sheet1!A2"]
		if d != nil {
			got = models.Money(*d)
		}
		if got != want {
			t.Errorf("%q read as %q, want %q", raw, got, want)
		}
	}
	c, p := row(t, "")
	if c.Number(1) != nil || len(p.Fields) != 0 {
		t.Error("a blank cell is not blank")
	}
}

func TestCountCells(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{"7": "7", "7.0": "7", "7.5": "xlsx.error.whole", "101": "xlsx.error.too_big", "": "blank"} {
		c, p := row(t, raw)
		n, present := c.Count(1, 100)
		got := p.Fields["Sheet1!A2"]
		switch {
		case !present:
			got = "blank"
		case got == "":
			got = strconv.Itoa(n)
		}
		if got != want {
			t.Errorf("%q counted as %q, want %q", raw, got, want)
		}
	}
}

// Choices are read by code or by their label, in any case.
func TestChoiceCells(t *testing.T) {
	t.Parallel()
	labels := map[string]string{"on_track": "U toku prema planu", "delayed": "Kasni"}
	for raw, want := range map[string]string{"on_track": "on_track", "KASNI": "delayed", " u toku prema planu ": "on_track",
		"Sometime": "xlsx.error.choice", "": ""} {
		c, p := row(t, raw)
		got := c.Choice(1, labels)
		if k := p.Fields["Sheet1!A2"]; k != "" {
			got = k
		}
		if got != want {
			t.Errorf("%q chosen as %q, want %q", raw, got, want)
		}
	}
}

// Problems are listed in reading order: the workbook, then sheet by sheet,
// row by row ("F10" after "F7"), column by column.
func TestDescribeOrder(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{"Spending!A2": "xlsx.error.required", "Reports!F10": "xlsx.error.choice", "Reports!G7": "xlsx.error.whole",
		"Reports!F7": "xlsx.error.choice", "workbook": "xlsx.error.stale"}
	var cells []string
	for _, p := range Describe(b.For("en"), fields, ReportsSheet, SpendingSheet) {
		cells = append(cells, p.Cell)
	}
	if got := strings.Join(cells, " "); got != "workbook Reports!F7 Reports!G7 Reports!F10 Spending!A2" {
		t.Fatalf("order %s", got)
	}
}

// A written workbook reads back as it was handed out: every row's input
// has the fingerprint stamped for it.
func TestProgressWorkbookReadsBack(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	five := models.Period{ID: 5, Label: "2017", Status: "open"}
	m := models.Measure{ID: 9, Code: "M1", Title: "=cmd|' /C calc'!A0", Indicators: []models.Indicator{{ID: 3, Name: "Zaposlene"}}}
	in := ProgressBook{Period: &five, Plan: &models.Plan{Title: "Plan"}, Measures: []models.Measure{m, {ID: 10, Code: "M2"}},
		Reports: map[int64]*models.Progress{9: {Status: "delayed", PercentComplete: 30, Narrative: "+ tekst", Review: "draft",
			BeneficiariesTotal: 4, Groups: []models.GroupCount{{GroupCode: "roma", N: 0}},
			Spent: []models.Spending{{Source: "donor", Funder: "@UNDP", Amount: mustMoney(t, "0.10")}}}},
		Currency: "BAM"}
	for _, lang := range []string{"en", "bs", "sr", "sq", "mk"} {
		var buf bytes.Buffer
		if err := WriteProgress(&buf, b.For(lang), b.For("bs"), in); err != nil {
			t.Fatal(err)
		}
		up, err := ReadProgress(b, buf.Bytes(), 5)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		for _, r := range up.Rows {
			if got, want := models.ProgressPrint(r.In), up.Stamp.Item(r.MeasureID).Print; got != want {
				t.Errorf("%s: measure %d reads back as %+v", lang, r.MeasureID, r.In)
			}
		}
		if len(up.Rows) != 2 || up.Rows[0].In.Spent[0].Funder != "@UNDP" {
			t.Errorf("%s: rows %+v", lang, up.Rows)
		}
	}
}

func mustMoney(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, ok := models.ParseMoney(s)
	if !ok {
		t.Fatalf("money %q", s)
	}
	return d
}
