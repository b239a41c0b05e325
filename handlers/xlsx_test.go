package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pakt/app/testkit"
)

// Spreadsheet round trips (issue #18), through the API.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xlsxWorld is an adopted plan with M1 (led by OrgA2, the member's
// organisation; OrgA partners) and M2 (OrgA and a CSW), and an open period.
type xlsxWorld struct {
	*world
	coord, mem, view, other    string // API tokens
	plan, m1, m2, ind1, period int64
}

func newXLSXWorld(t *testing.T) *xlsxWorld {
	t.Helper()
	w := newWorld(t)
	x := &xlsxWorld{world: w, coord: w.Token(coordA), mem: w.Token(member), view: w.Token(viewer), other: w.Token(coordZ)}
	planID, obj := newPlan(t, w, x.coord)
	x.plan = planID
	x.m1, x.ind1 = xlsxMeasure(t, w, x.coord, planID, measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "1000.00", "2000.00"))
	csw := w.Organisation(w.A.ID, "Centar za socijalni rad Bratunac", "csw")
	x.m2, _ = xlsxMeasure(t, w, x.coord, planID, measureBody(obj, w.OrgA.ID, csw.ID, 0, "M2", "500.00"))
	expect(t, w.API(x.coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", planID), nil), 200, "submit")
	expect(t, w.API(x.coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", planID), map[string]any{"decided_on": "2017-04-27",
		"decision_number": "01-1/17", "votes_for": 20, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	x.period = openPeriod(t, w, x.coord, planID, "2017", "2017-01-01", "2017-12-31")
	return x
}

func xlsxMeasure(t *testing.T, w *world, tok string, planID int64, body map[string]any) (id, indicator int64) {
	t.Helper()
	var m struct {
		ID         int64
		Indicators []struct{ ID int64 }
	}
	resp := w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body)
	testkit.DecodeJSON(t, resp, &m)
	if resp.StatusCode != 201 {
		t.Fatalf("measure: %d", resp.StatusCode)
	}
	return m.ID, m.Indicators[0].ID
}

func (x *xlsxWorld) workbookPath() string {
	return fmt.Sprintf("/api/v1/reporting-periods/%d/progress.xlsx", x.period)
}

// download gets a workbook through the API and opens it.
func download(t *testing.T, w *world, tok, path string) *excelize.File {
	t.Helper()
	resp := w.API(tok, "GET", path, nil)
	body := expect(t, resp, 200, "download "+path)
	if ct := resp.Header.Get("Content-Type"); ct != xlsxType {
		t.Fatalf("download %s: content type %q", path, ct)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return f
}

// upload sends a workbook (bytes or an excelize file) with PUT.
func upload(t *testing.T, w *world, tok, path string, book any) *http.Response {
	t.Helper()
	var body []byte
	switch b := book.(type) {
	case []byte:
		body = b
	case *excelize.File:
		buf, err := b.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		body = buf.Bytes()
	}
	req := httptest.NewRequest(http.MethodPut, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", xlsxType)
	req.Header.Set("Authorization", "Bearer "+tok)
	return w.Do(req)
}

func set(t *testing.T, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatalf("set %s!%s: %v", sheet, cell, err)
	}
}

func cell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("get %s!%s: %v", sheet, ref, err)
	}
	return v
}

// wantFields checks a refused upload: status, and exactly these cells.
func wantFields(t *testing.T, resp *http.Response, status int, what string, cells ...string) map[string]string {
	t.Helper()
	var out struct {
		Error struct {
			Code   string
			Fields map[string]string
		}
	}
	body := expect(t, resp, status, what)
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, c := range cells {
		if out.Error.Fields[c] == "" {
			t.Errorf("%s: no error on %s: %s", what, c, body)
		}
	}
	if len(out.Error.Fields) != len(cells) {
		t.Errorf("%s: %d fields, want %d: %s", what, len(out.Error.Fields), len(cells), body)
	}
	return out.Error.Fields
}

func progressJSON(t *testing.T, w *world, tok string, measure, period int64) map[string]any {
	t.Helper()
	var out map[string]any
	testkit.DecodeJSON(t, w.API(tok, "GET", fmt.Sprintf("/api/v1/measures/%d/progress/%d", measure, period), nil), &out)
	return out
}

func auditCount(t *testing.T, w *world) int64 {
	t.Helper()
	var n int64
	if err := w.DB.Raw(`SELECT count(*) FROM audit_log`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestProgressWorkbookRoundTrip: download, change cells, upload, see the
// change in the API, download again and find the same values; an unchanged
// upload changes nothing (no version, no audit row).
func TestProgressWorkbookRoundTrip(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	expect(t, x.API(x.coord, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", x.m1, x.period),
		progressBody(x.ind1, "100.50", 20, 12, 8)), 200, "first report")

	f := download(t, x.world, x.mem, x.workbookPath())
	if got := cell(t, f, "Reports", "A3"); got != "" {
		t.Fatalf("the member's workbook has a second row (M2 is not its measure): %q", got)
	}
	for ref, want := range map[string]string{"A2": fmt.Sprint(x.m1), "B2": "M1", "F2": "On track", "G2": "40", "H2": "Održane 3 obuke.",
		"I2": "20", "J2": "12", "K2": "8", "L2": "3", "Q2": "12", "V2": "4", "W2": "12"} {
		if got := cell(t, f, "Reports", ref); got != want {
			t.Errorf("Reports!%s = %q, want %q", ref, got, want)
		}
	}
	if got := cell(t, f, "Spending", "D2"); got != "100.5" {
		t.Errorf("Spending!D2 = %q, want the number 100.5", got)
	}
	set(t, f, "Reports", "F2", "Delayed")
	set(t, f, "Reports", "G2", 55)
	set(t, f, "Reports", "H2", "=SUM(A1:A9) stays text; Kravica – čćđšž")
	set(t, f, "Reports", "M2", 2) // disability
	set(t, f, "Spending", "A3", "M1")
	set(t, f, "Spending", "B3", "donor")
	set(t, f, "Spending", "C3", "UNDP")
	set(t, f, "Spending", "D3", 250.25)
	set(t, f, "Indicators", "H2", 9.5)
	var res struct{ Updated, Unchanged int }
	testkit.DecodeJSON(t, upload(t, x.world, x.mem, x.workbookPath(), f), &res)
	if res.Updated != 1 || res.Unchanged != 0 {
		t.Fatalf("upload: %+v", res)
	}
	got := progressJSON(t, x.world, x.view, x.m1, x.period)
	js, _ := json.Marshal(got)
	for _, s := range []string{`"status":"delayed"`, `"percent_complete":55`, `"narrative":"=SUM(A1:A9) stays text; Kravica – čćđšž"`,
		`"disability":2`, `"funder":"UNDP"`, `"amount":"250.25"`, `"value":"9.5"`, `"version":2`, `"review":"draft"`} {
		if !strings.Contains(string(js), s) {
			t.Errorf("report lacks %s: %s", s, js)
		}
	}
	again := download(t, x.world, x.mem, x.workbookPath())
	for _, ref := range []string{"Reports!F2", "Reports!G2", "Reports!H2", "Reports!M2", "Spending!A3", "Spending!B3", "Spending!C3",
		"Spending!D3", "Indicators!H2"} {
		sheet, c, _ := strings.Cut(ref, "!")
		if a, b := cell(t, f, sheet, c), cell(t, again, sheet, c); a != b && !(ref == "Spending!B3" && b == "Donors") {
			t.Errorf("%s: uploaded %q, downloaded again %q", ref, a, b)
		}
	}
	if formula, _ := again.GetCellFormula("Reports", "H2"); formula != "" {
		t.Errorf("user text came back as a formula: %q", formula)
	}
	audits := auditCount(t, x.world)
	testkit.DecodeJSON(t, upload(t, x.world, x.mem, x.workbookPath(), again), &res)
	if res.Updated != 0 || res.Unchanged != 1 || auditCount(t, x.world) != audits {
		t.Fatalf("unchanged upload changed something: %+v", res)
	}
	if v := progressJSON(t, x.world, x.view, x.m1, x.period)["version"]; v != float64(2) {
		t.Fatalf("unchanged upload made version %v", v)
	}
	// The saved report goes through the usual review.
	expect(t, x.API(x.mem, "POST", fmt.Sprintf("/api/v1/measures/%d/progress/%d/submit", x.m1, x.period), nil), 200, "submit")
	expect(t, x.API(x.coord, "POST", fmt.Sprintf("/api/v1/measures/%d/progress/%d/accept", x.m1, x.period), nil), 200, "accept")
}
