package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pakt/app/testkit"
)

// TestPlanWorkbookExport: the plan as XLSX has real numbers and dates,
// frozen headers and widths, and user text that looks like a formula is
// text; viewers may download it, other municipalities get 404.
func TestPlanWorkbookExport(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	expect(t, x.API(x.coord, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", x.m1, x.period),
		progressBody(x.ind1, "100.50", 20, 12, 8)), 200, "report")
	// A title a spreadsheet would run as a formula (adopted plans are frozen:
	// set it in the database, as an old import might have).
	if err := x.DB.Exec(`ALTER TABLE plan_measures DISABLE TRIGGER USER`).Error; err != nil {
		t.Fatal(err)
	}
	x.DB.Exec(`UPDATE plan_measures SET title = '=HYPERLINK("http://evil.example","x")' WHERE id = ?`, x.m2)
	x.DB.Exec(`ALTER TABLE plan_measures ENABLE TRIGGER USER`)

	f := download(t, x.world, x.view, fmt.Sprintf("/api/v1/action-plans/%d/export.xlsx", x.plan))
	if got := f.GetSheetList(); strings.Join(got, ",") != "Measures,Indicators,Budget" {
		t.Fatalf("sheets %v", got)
	}
	for ref, want := range map[string]string{"A2": "M1", "G2": "42795", "H2": "43281", "I2": "3000", "B3": `=HYPERLINK("http://evil.example","x")`} {
		if got := cell(t, f, "Measures", ref); got != want {
			t.Errorf("Measures!%s = %q, want %q", ref, got, want)
		}
	}
	if typ, _ := f.GetCellType("Measures", "I2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the planned amount is text, not a number")
	}
	if formula, _ := f.GetCellFormula("Measures", "B3"); formula != "" {
		t.Errorf("a title became a formula: %q", formula)
	}
	// Headers in the caller's language (en), dates the municipality's way (bs).
	if shown, _ := f.GetCellValue("Measures", "G2"); shown != "01.03.2017." {
		t.Errorf("the start date shows as %q", shown)
	}
	if p, _ := f.GetPanes("Measures"); !p.Freeze || p.YSplit != 1 {
		t.Errorf("header row not frozen: %+v", p)
	}
	if w, _ := f.GetColWidth("Measures", "B"); w < 40 {
		t.Errorf("title column width %v", w)
	}
	for ref, want := range map[string]string{"A2": "M1", "B2": "2017", "C2": "Municipal budget", "E2": "1000", "A4": "M2"} {
		if got := cell(t, f, "Budget", ref); got != want {
			t.Errorf("Budget!%s = %q, want %q", ref, got, want)
		}
	}
	if got := cell(t, f, "Indicators", "E2"); got != "25" {
		t.Errorf("Indicators!E2 (target) = %q", got)
	}
	expect(t, x.API(x.other, "GET", fmt.Sprintf("/api/v1/action-plans/%d/export.xlsx", x.plan), nil), 404, "other municipality")
	expect(t, x.Login(viewer).Get(fmt.Sprintf("/plans/%d/export.xlsx", x.plan)), 200, "viewer in the browser")

	p := download(t, x.world, x.view, fmt.Sprintf("/api/v1/action-plans/%d/progress.xlsx", x.plan))
	for ref, want := range map[string]string{"A2": "2017", "B2": "42736", "D2": "M1", "F2": "On track", "G2": "40", "I2": "100.5",
		"J2": "20", "D3": "M2", "F3": "Not reported"} {
		if got := cell(t, p, "Progress", ref); got != want {
			t.Errorf("Progress!%s = %q, want %q", ref, got, want)
		}
	}
	expect(t, x.API(x.other, "GET", fmt.Sprintf("/api/v1/action-plans/%d/progress.xlsx", x.plan), nil), 404, "other municipality progress")
}

// TestCSVSeparator: CSV exports keep their commas and take ?sep=; for Excel
// in the region's locales.
func TestCSVSeparator(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	b := x.Login(viewer)
	for _, path := range []string{"/api/v1/action-plans/%d/export.csv", "/api/v1/action-plans/%d/progress.csv", "/plans/%d/budget-lines.csv"} {
		path = fmt.Sprintf(path, x.plan)
		get := func(p string) *http.Response {
			if strings.HasPrefix(p, "/api/") {
				return x.API(x.view, "GET", p, nil)
			}
			return b.Get(p)
		}
		comma := testkit.Body(get(path))
		semi := expect(t, get(path+"?sep=;"), 200, path+"?sep=;")
		head, _, _ := strings.Cut(semi, "\r\n")
		if !strings.HasPrefix(head, "\uFEFFplan_id;") || strings.Contains(head, ",") {
			t.Errorf("%s?sep=; header %q", path, head)
		}
		if strings.ReplaceAll(semi, ";", ",") != comma {
			t.Errorf("%s: the ; export differs from the , one beyond the separator", path)
		}
		expect(t, get(path+"?sep=x"), 422, path+"?sep=x")
	}
}
