package handlers_test

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"
)

// TestProgressWorkbookBadCells: every bad cell is named by sheet and cell
// in the caller's language, and then nothing is saved.
func TestProgressWorkbookBadCells(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", x.m1, x.period)
	expect(t, x.API(x.mem, "PUT", pp, progressBody(x.ind1, "100.50", 20, 12, 8)), 200, "first report")
	audits := auditCount(t, x.world)

	f := download(t, x.world, x.mem, x.workbookPath())
	set(t, f, "Reports", "F2", "bogus")
	set(t, f, "Reports", "G2", 120)
	set(t, f, "Reports", "J2", -1)
	set(t, f, "Reports", "N2", 2.5)
	if err := f.SetCellFormula("Reports", "H2", `"x"&"y"`); err != nil {
		t.Fatal(err)
	}
	set(t, f, "Spending", "A3", "M1")
	set(t, f, "Spending", "B3", "Donors")
	set(t, f, "Spending", "D3", "12.345")
	set(t, f, "Spending", "A4", "M9")
	set(t, f, "Spending", "D4", 1)
	set(t, f, "Spending", "A5", "M1")
	set(t, f, "Spending", "B5", "lottery")
	set(t, f, "Spending", "D5", "12,50")
	set(t, f, "Indicators", "H2", "eight")
	got := wantFields(t, upload(t, x.world, x.mem, x.workbookPath(), f), 422, "bad cells",
		"Reports!F2", "Reports!G2", "Reports!J2", "Reports!N2", "Reports!H2", "Spending!D3", "Spending!A4", "Spending!B5", "Indicators!H2")
	if got["Spending!D3"] != "has more than two decimals" {
		t.Errorf("Spending!D3: %q", got["Spending!D3"])
	}
	// The same in Bosnian, for a caller who reads Bosnian.
	bs := wantFields(t, upload(t, x.world, x.mem, x.workbookPath()+"?lang=bs", f), 422, "bad cells in Bosnian",
		"Reports!F2", "Reports!G2", "Reports!J2", "Reports!N2", "Reports!H2", "Spending!D3", "Spending!A4", "Spending!B5", "Indicators!H2")
	if bs["Spending!D3"] != "ima više od dvije decimale" {
		t.Errorf("Spending!D3 in Bosnian: %q", bs["Spending!D3"])
	}

	// Rules of the model land on their cells too: women and men above the
	// total, groups above the total (roma 30, women 12).
	g := download(t, x.world, x.mem, x.workbookPath())
	set(t, g, "Reports", "I2", 5)
	set(t, g, "Reports", "L2", 30)
	wantFields(t, upload(t, x.world, x.mem, x.workbookPath(), g), 422, "model rules", "Reports!I2", "Reports!L2", "Reports!Q2")

	if v := progressJSON(t, x.world, x.view, x.m1, x.period)["version"]; v != float64(1) || auditCount(t, x.world) != audits {
		t.Fatalf("a refused upload saved something: version %v", v)
	}
}

// TestProgressWorkbookRefusals: wrong role, other municipality, rows the
// caller may not report on, stale rows, submitted reports, other periods,
// closed periods, files that are not workbooks, too big, zip bombs.
func TestProgressWorkbookRefusals(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	path := x.workbookPath()
	mine := download(t, x.world, x.mem, path)

	expect(t, x.API(x.view, "GET", path, nil), 403, "viewer downloads")
	expect(t, upload(t, x.world, x.view, path, mine), 403, "viewer uploads")
	expect(t, x.API(x.other, "GET", path, nil), 404, "other municipality downloads")
	expect(t, upload(t, x.world, x.other, path, mine), 404, "other municipality uploads")

	// The coordinator's workbook has M2 too: the member may not report on it.
	all := download(t, x.world, x.coord, path)
	if cell(t, all, "Reports", "B3") != "M2" {
		t.Fatal("the coordinator's workbook lacks M2")
	}
	set(t, all, "Reports", "F3", "On track")
	wantFields(t, upload(t, x.world, x.mem, path, all), 403, "member reports on M2", "Reports!A3")

	// Someone saves M1 after the member's download: the member's edit of
	// M1 is stale; the untouched workbook leaves the newer report alone.
	expect(t, x.API(x.coord, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", x.m1, x.period),
		progressBody(x.ind1, "5.00", 20, 12, 8)), 200, "coordinator reports")
	fresh := download(t, x.world, x.mem, path)
	if got := expect(t, upload(t, x.world, x.mem, path, mine), 200, "untouched stale workbook"); got != `{"updated":0,"unchanged":1}` {
		t.Fatalf("untouched stale workbook: %s", got)
	}
	set(t, mine, "Reports", "F2", "Delayed")
	set(t, mine, "Reports", "G2", 10)
	wantFields(t, upload(t, x.world, x.mem, path, mine), 412, "stale edit", "Reports!A2")
	if got := progressJSON(t, x.world, x.view, x.m1, x.period); got["status"] != "on_track" || got["version"] != float64(1) {
		t.Fatalf("the newer report was touched: %v", got)
	}

	// A submitted report is read-only until sent back.
	expect(t, x.API(x.mem, "POST", fmt.Sprintf("/api/v1/measures/%d/progress/%d/submit", x.m1, x.period), nil), 200, "submit")
	set(t, fresh, "Reports", "G2", 90)
	wantFields(t, upload(t, x.world, x.mem, path, fresh), 409, "edit a submitted report", "Reports!A2")

	// Files that are not this period's workbook.
	other := openPeriod(t, x.world, x.coord, x.plan, "2018", "2018-01-01", "2018-06-30")
	wantFields(t, upload(t, x.world, x.mem, fmt.Sprintf("/api/v1/reporting-periods/%d/progress.xlsx", other), fresh), 422,
		"workbook of another period", "workbook")
	wantFields(t, upload(t, x.world, x.mem, path, []byte("plan_id,measure_code\r\n1,M1\r\n")), 422, "a CSV file", "workbook")
	wantFields(t, upload(t, x.world, x.mem, path, zipOf(t, "hello.txt", 10)), 422, "a zip that is no workbook", "workbook")
	noStamp := download(t, x.world, x.mem, path)
	if err := noStamp.DeleteSheet("Pakt"); err != nil {
		t.Fatal(err)
	}
	wantFields(t, upload(t, x.world, x.mem, path, noStamp), 422, "no stamp", "workbook")
	sa := mustSitan(t, x.A.ID, x.world, "Analiza stanja 2016")
	q := mustQuestionnaire(t, x.world, x.A.ID, sa.ID, x.OrgA2.ID, "pes", true)
	qBook := download(t, x.world, x.mem, fmt.Sprintf("/api/v1/questionnaires/%d/answers.xlsx", q.ID))
	if msg := wantFields(t, upload(t, x.world, x.mem, path, qBook), 422, "a questionnaire's workbook", "workbook"); msg["workbook"] != "this is another kind of Pakt workbook" {
		t.Errorf("a questionnaire's workbook: %q", msg["workbook"])
	}
	wantFields(t, upload(t, x.world, x.mem, path, zipOf(t, "xl/workbook.xml", 60<<20)), 413, "zip bomb", "workbook")
	big := make([]byte, 6<<20)
	_, _ = rand.Read(big)
	wantFields(t, upload(t, x.world, x.mem, path, big), 413, "6 MB", "workbook")
	long := download(t, x.world, x.mem, path)
	for r := 2; r <= 5002; r++ {
		set(t, long, "Spending", fmt.Sprintf("C%d", r), "x")
	}
	wantFields(t, upload(t, x.world, x.mem, path, long), 413, "too many rows", "workbook")

	expect(t, x.API(x.coord, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", x.period), nil), 200, "close")
	wantFields(t, upload(t, x.world, x.mem, path, []byte("anything")), 409, "closed period", "workbook")
}

// zipOf is a zip with one entry of n zero bytes (compressed: a zip bomb
// when n is large).
func zipOf(t *testing.T, name string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(chunk) {
		if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
