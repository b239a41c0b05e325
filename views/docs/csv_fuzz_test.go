package docs

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"pakt/models"
)

// formulaStart are the first characters that make a spreadsheet evaluate a
// cell (OWASP's CSV-injection list).
const formulaStart = "=+-@\t\r"

// FuzzSafeCell: nothing is lost (the input is a suffix of the output), at
// most one apostrophe is added, and the result never starts a formula.
func FuzzSafeCell(f *testing.F) {
	for _, s := range []string{"", "plain", "=SUM(A1:A9)", "+1", "-1", "@cmd", "\t=1", "\r=1", "'=1", " =1", "Ђорђе", "=", "\n=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := safeCell(s)
		switch {
		case !strings.HasSuffix(out, s) || len(out)-len(s) > 1:
			t.Fatalf("safeCell(%q) = %q: must keep the text and add at most one character", s, out)
		case out != s && out != "'"+s:
			t.Fatalf("safeCell(%q) = %q: the only change allowed is a leading apostrophe", s, out)
		case out != "" && strings.IndexByte(formulaStart, out[0]) >= 0:
			t.Fatalf("safeCell(%q) = %q starts a formula", s, out)
		case out != s && (s == "" || strings.IndexByte(formulaStart, s[0]) < 0):
			t.Fatalf("safeCell(%q) = %q: harmless text changed", s, out)
		}
	})
}

// FuzzPlanCSV builds a plan from fuzzed texts and exports it with PlanCSV,
// ExecutionCSV and ProgressCSV: each output parses back with encoding/csv
// to the expected rows and columns, every text cell holds what was stored
// (apostrophe aside), and no cell starts a formula.
func FuzzPlanCSV(f *testing.F) {
	f.Add("M1.1", "Obuka za njegovateljice", "C1", "Općina Zvornik", "UNDP", "2017 – prvo polugodište", uint64(1250050), uint8(2))
	f.Add("=HYPERLINK(\"http://x\")", "+1-2", "-C1", "@SUM(A1)", "\t=cmd", "\r=1", uint64(0), uint8(3))
	f.Add("a,b", "line one\nline two", "\"quoted\"", "semi;colon", "Ђорђе „Ђ“", "x\r\ny", uint64(999999999999999), uint8(1))
	f.Add("", "", "", "", "", "", uint64(1), uint8(0))
	f.Fuzz(func(t *testing.T, code, title, objective, org, funder, label string, cents uint64, lines uint8) {
		// What PostgreSQL can store: valid UTF-8 without NUL.
		clean := func(s string) string { return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "") }
		code, title, objective, org, funder, label = clean(code), clean(title), clean(objective), clean(org), clean(funder), clean(label)
		amount := decimal.New(int64(cents%100_000_000_000_000), -2) // numeric(14,2)
		n := int(lines % 4)
		p := &models.Plan{ID: 42, Objectives: []models.Objective{{ID: 1, Code: objective}}}
		m1 := models.Measure{ID: 11, ObjectiveID: 1, Code: code, Title: title, LeadOrganisationID: 101,
			StartDate: mustDate("2017-03-01"), EndDate: mustDate("2018-06-30")}
		for i := range n {
			m1.Budget = append(m1.Budget, models.BudgetLine{Year: 2017 + i, Source: models.BudgetSources[i%len(models.BudgetSources)],
				Funder: funder, Amount: amount})
		}
		m2 := models.Measure{ID: 12, ObjectiveID: 1, Code: title, Title: code, LeadOrganisationID: 101,
			StartDate: mustDate("2017-01-01"), EndDate: mustDate("2017-12-31")}
		p.Measures = []models.Measure{m1, m2}

		var buf bytes.Buffer
		if err := PlanCSV(&buf, p, map[int64]string{101: org}); err != nil {
			t.Fatal(err)
		}
		rows := parseCSV(t, "PlanCSV", buf.Bytes(), len(planCSVHeader))
		if want := 1 + max(n, 1) + 1; len(rows) != want {
			t.Fatalf("PlanCSV: %d rows, want %d", len(rows), want)
		}
		for i, row := range rows[1 : 1+max(n, 1)] {
			wantCell(t, "PlanCSV measure_code", row[1], code)
			wantCell(t, "PlanCSV measure_title", row[2], title)
			wantCell(t, "PlanCSV objective_code", row[3], objective)
			wantCell(t, "PlanCSV lead_organisation", row[4], org)
			if n > 0 {
				wantCell(t, "PlanCSV funder", row[9], funder)
				if got, ok := models.ParseMoney(row[10]); !ok || !got.Equal(amount) {
					t.Fatalf("PlanCSV row %d amount %q, want %s", i, row[10], amount)
				}
			}
		}
		wantCell(t, "PlanCSV measure_code of M2", rows[len(rows)-1][1], title)

		reports := map[int64]map[int64]*models.Progress{7: {11: {Status: "on_track", PercentComplete: 50, Review: "accepted",
			Spent: []models.Spending{{Source: "municipal", Amount: amount}}}}}
		buf.Reset()
		if err := ExecutionCSV(&buf, p, reports); err != nil {
			t.Fatal(err)
		}
		rows = parseCSV(t, "ExecutionCSV", buf.Bytes(), 6)
		for _, row := range rows[1:] {
			if row[1] == strings.ReplaceAll(safeCell(code), "\r", "") {
				wantCell(t, "ExecutionCSV measure_title", row[2], title)
			}
		}

		periods := []models.Period{{ID: 7, Label: label}, {ID: 8, Label: label + "+"}}
		buf.Reset()
		if err := ProgressCSV(&buf, p, periods, reports); err != nil {
			t.Fatal(err)
		}
		rows = parseCSV(t, "ProgressCSV", buf.Bytes(), 15)
		if len(rows) != 1+len(periods)*len(p.Measures) {
			t.Fatalf("ProgressCSV: %d rows, want %d", len(rows), 1+len(periods)*len(p.Measures))
		}
		wantCell(t, "ProgressCSV period", rows[1][1], label)
		wantCell(t, "ProgressCSV measure_title", rows[1][3], title)
	})
}

func mustDate(s string) models.Date {
	d, err := models.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// parseCSV strips the BOM, parses strictly and checks the shape and that no
// cell starts a formula.
func parseCSV(t *testing.T, what string, out []byte, cols int) [][]string {
	t.Helper()
	if !bytes.HasPrefix(out, []byte(utf8BOM)) {
		t.Fatalf("%s: no UTF-8 BOM", what)
	}
	r := csv.NewReader(bytes.NewReader(out[len(utf8BOM):]))
	r.FieldsPerRecord = cols
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s does not parse back: %v\n%q", what, err, out)
	}
	for i, row := range rows {
		for j, cell := range row {
			if cell != "" && strings.IndexByte(formulaStart, cell[0]) >= 0 {
				t.Fatalf("%s row %d col %d = %q starts a formula", what, i, j, cell)
			}
			if !utf8.ValidString(cell) {
				t.Fatalf("%s row %d col %d = %q is not UTF-8", what, i, j, cell)
			}
		}
	}
	return rows
}

// wantCell: the cell is the stored text, possibly with the apostrophe
// safeCell adds. encoding/csv with UseCRLF writes a line break inside a cell
// as CRLF, which reads back as LF, and drops a lone CR.
func wantCell(t *testing.T, what, got, stored string) {
	t.Helper()
	want := strings.ReplaceAll(stored, "\r", "")
	if got != want && got != "'"+want {
		t.Fatalf("%s = %q, want %q (or with a leading apostrophe)", what, got, want)
	}
	if got == "'"+want && (stored == "" || strings.IndexByte(formulaStart, stored[0]) < 0) {
		t.Fatalf("%s = %q: an apostrophe added to harmless text %q", what, got, stored)
	}
}
