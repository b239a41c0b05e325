package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pakt/app"
	"pakt/app/testkit"
)

// publicCount is a count in the open-data JSON.
type publicCount struct {
	Value      *int64
	Suppressed string
	Min, Max   *int64
}

// publicMuni is the part of GET /api/v1/public/municipalities/{slug} the tests read.
type publicMuni struct {
	Slug        string
	Currency    string
	Agreements  []struct{ ID int64 }
	ActionPlans []struct {
		ID       int64
		Status   string
		IATIURL  string `json:"iati_url"`
		Measures []struct {
			Code       string
			Total      string
			Budget     []struct{ Amount string }
			Indicators []struct {
				Unit          string
				Baseline      string
				BaselineCount *publicCount `json:"baseline_count"`
			}
		}
	} `json:"action_plans"`
	Reports []struct {
		PeriodID int64  `json:"period_id"`
		SHA256   string `json:"sha256"`
		PDFURL   string `json:"pdf_url"`
	}
	SituationAnalyses []struct {
		ID         int64
		Indicators []struct {
			Indicator         string
			Value, Women, Men publicCount
		}
		VulnerableGroups []struct {
			Rank       int
			Size       publicCount `json:"estimated_size"`
			Women, Men publicCount
		} `json:"vulnerable_groups"`
	} `json:"situation_analyses"`
	FocusGroups struct {
		Groups []struct {
			ID           int64
			Participants focusCountsJSON
		}
		Totals *focusCountsJSON
	} `json:"focus_groups"`
}

type focusCountsJSON struct {
	Total     publicCount
	Women     publicCount
	Men       publicCount
	Age15to29 publicCount `json:"age_15_29"`
	Age30to49 publicCount `json:"age_30_49"`
	Age50Plus publicCount `json:"age_50_plus"`
}

func (f focusCountsJSON) cells() []publicCount {
	return []publicCount{f.Total, f.Women, f.Men, f.Age15to29, f.Age30to49, f.Age50Plus}
}

// demoEnv is a server on the Birac demo data.
func demoEnv(t *testing.T) *testkit.Env {
	t.Helper()
	env := testkit.NewEnv(t)
	if _, err := app.SeedDemo(context.Background(), env.DB, env.Cfg.BaseURL); err != nil {
		t.Fatal(err)
	}
	return env
}

func anonGet(e *testkit.Env, path string, headers ...string) *http.Response {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Do(req)
}

func getPublicMuni(t *testing.T, e *testkit.Env, slug string) publicMuni {
	t.Helper()
	resp := anonGet(e, "/api/v1/public/municipalities/"+slug)
	if resp.StatusCode != 200 {
		t.Fatalf("public data of %s: %d %s", slug, resp.StatusCode, testkit.Body(resp))
	}
	var d publicMuni
	testkit.DecodeJSON(t, resp, &d)
	return d
}

// Anyone reads the open data without a token: the list of municipalities
// and what one municipality's public page shows. Drafts, unpublished
// reports and personal details never appear.
func TestOpenDataPublicAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	adopted, _, indID := adoptedPlan(t, w, coord)
	draft, _ := newPlan(t, w, coord)
	inForce := agreementInForce(t, w, coord)
	draftAg := decodeAgreement(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), agreementBody(w)))
	published, unpublished := reportedPeriods(t, w, coord, adopted, indID)

	var list struct {
		Items []struct{ Slug, Name, Country, Currency, URL string }
		Next  *string `json:"next_cursor"`
	}
	testkit.DecodeJSON(t, anonGet(w.Env, "/api/v1/public/municipalities"), &list)
	if len(list.Items) != 2 || list.Items[0].Slug != w.A.Slug || list.Items[0].Country != "BA" || list.Items[0].Currency != "BAM" ||
		list.Next != nil || !strings.HasSuffix(list.Items[0].URL, "/api/v1/public/municipalities/"+w.A.Slug) {
		t.Fatalf("list: %+v", list)
	}
	resp := anonGet(w.Env, "/api/v1/public/municipalities/"+w.A.Slug)
	body := testkit.Body(resp)
	d := getPublicMuni(t, w.Env, w.A.Slug)
	if len(d.ActionPlans) != 1 || d.ActionPlans[0].ID != adopted || d.ActionPlans[0].Status != "adopted" ||
		!strings.HasPrefix(d.ActionPlans[0].IATIURL, w.Cfg.BaseURL+"/m/"+w.A.Slug+"/plans/") {
		t.Errorf("plans: %+v (draft %d must not appear)", d.ActionPlans, draft)
	}
	if m := d.ActionPlans[0].Measures; len(m) != 1 || m[0].Total != "3000.00" || m[0].Budget[0].Amount != "1000.00" {
		t.Errorf("measures and budgets (exact decimal strings): %+v", m)
	}
	if len(d.Agreements) != 1 || d.Agreements[0].ID != inForce || d.Agreements[0].ID == draftAg.ID {
		t.Errorf("agreements: %+v, want only %d in force", d.Agreements, inForce)
	}
	if len(d.Reports) != 1 || d.Reports[0].PeriodID != published || len(d.Reports[0].SHA256) != 64 ||
		d.Reports[0].PDFURL != fmt.Sprintf("%s/api/v1/action-plans/%d/report.pdf?period_id=%d", w.Cfg.BaseURL, adopted, published) {
		t.Errorf("reports: %+v, want only period %d (not %d)", d.Reports, published, unpublished)
	}
	for _, private := range []string{"@test.ba", w.CoordA.Name, w.MemA.Name, "0.0.0.0", "password", "ip_hash"} {
		if strings.Contains(body, private) {
			t.Errorf("public data contains %q", private)
		}
	}
	// The published report's PDF is where the link says, without sign-in.
	if resp := anonGet(w.Env, strings.TrimPrefix(d.Reports[0].PDFURL, w.Cfg.BaseURL)); resp.StatusCode != 200 {
		t.Errorf("report link: %d", resp.StatusCode)
	}
	if b := getPublicMuni(t, w.Env, w.B.Slug); len(b.ActionPlans) != 0 || len(b.Reports) != 0 || len(b.Agreements) != 0 {
		t.Errorf("Zvornik shows Bratunac's data: %+v", b)
	}
	resp = anonGet(w.Env, "/api/v1/public/municipalities/no-such-place")
	if got := testkit.Body(resp); resp.StatusCode != 404 || !strings.Contains(got, `"not_found"`) {
		t.Errorf("unknown slug: %d %s", resp.StatusCode, got)
	}
}

// agreementInForce opens the standard agreement and has both parties sign.
func agreementInForce(t *testing.T, w *world, coord string) int64 {
	t.Helper()
	a := openAgreement(t, w, coord)
	ap := fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID)
	sign(t, w, w.Token(member), ap, "member signs")
	sign(t, w, coord, ap, "coordinator signs")
	return a.ID
}

// sign signs with the password, coming back as a 429 asks: on a loaded
// machine the password check may have no free core within its 2 s
// (models/password_gate.go), which is not what these tests are about.
func sign(t *testing.T, w *world, tok, path, what string) {
	t.Helper()
	for range 10 {
		resp := w.API(tok, "POST", path, map[string]any{"password": testkit.Password})
		if resp.StatusCode != 429 {
			expect(t, resp, 201, what)
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("%s: still 429 after 10 tries", what)
}

// reportedPeriods reports on the plan's measure in two periods, closes both
// and publishes the first.
func reportedPeriods(t *testing.T, w *world, coord string, planID, indID int64) (published, unpublished int64) {
	t.Helper()
	var m struct{ Measures []struct{ ID int64 } }
	testkit.DecodeJSON(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/action-plans/%d", planID), nil), &m)
	published = openPeriod(t, w, coord, planID, "2017", "2017-01-01", "2017-12-31")
	unpublished = openPeriod(t, w, coord, planID, "2018", "2018-01-01", "2018-12-31")
	for _, per := range []int64{published, unpublished} {
		expect(t, w.API(coord, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", m.Measures[0].ID, per),
			progressBody(indID, "400.00", 20, 12, 8)), 200, "report")
		expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 200, "close")
	}
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reports/%d/publish", published), nil), 200, "publish")
	return published, unpublished
}

// The open data answers carry a strong ETag naming the municipality's
// content revision: a registry polling with If-None-Match gets 304 until
// something changes, and shared caches may keep answers for 5 minutes.
func TestOpenDataETag(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, path := range []string{"/api/v1/public/municipalities", "/api/v1/public/municipalities/" + w.A.Slug,
		"/api/v1/public/municipalities/" + w.A.Slug + ".csv", "/api/v1/public/municipalities/" + w.A.Slug + "/figures.csv"} {
		resp := anonGet(w.Env, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || resp.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Fatalf("%s: %d ETag %q Cache-Control %q", path, resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
		}
		again := anonGet(w.Env, path, "If-None-Match", etag)
		if again.StatusCode != 304 || testkit.Body(again) != "" {
			t.Errorf("%s with If-None-Match: %d", path, again.StatusCode)
		}
		if other := anonGet(w.Env, path, "If-None-Match", `"stale"`); other.StatusCode != 200 {
			t.Errorf("%s with another ETag: %d", path, other.StatusCode)
		}
	}
	path := "/api/v1/public/municipalities/" + w.A.Slug
	before := anonGet(w.Env, path).Header.Get("ETag")
	w.Organisation(w.A.ID, "Centar za socijalni rad Bratunac", "csw")
	resp := anonGet(w.Env, path, "If-None-Match", before)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == before || !strings.Contains(testkit.Body(resp), "Centar za socijalni rad") {
		t.Errorf("after a change: %d, ETag %q (was %q)", resp.StatusCode, resp.Header.Get("ETag"), before)
	}
	if other := anonGet(w.Env, "/api/v1/public/municipalities/"+w.B.Slug); other.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Error("two municipalities share an ETag")
	}
}

// The CSV files parse with encoding/csv; amounts are exact and text cells
// that a spreadsheet would run as a formula are defused.
func TestOpenDataCSV(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	planID, obj := newPlan(t, w, coord)
	body := measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "1000.50", "2000.25")
	body["title"] = "=HYPERLINK(\"http://evil.example\",\"klik\")"
	body["budget"].([]map[string]any)[0]["funder"] = "@SUM(A1:A9)"
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), body), 201, "measure")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", planID),
		map[string]any{"closes_on": "2099-12-31"}), 200, "consultation")

	base := "/api/v1/public/municipalities/" + w.A.Slug
	rows := readCSV(t, w.Env, base+".csv")
	if alias := readCSV(t, w.Env, base+"?format=csv"); len(alias) != len(rows) {
		t.Errorf("?format=csv: %d rows, .csv: %d", len(alias), len(rows))
	}
	if len(rows) != 3 || rows[0][0] != "plan_id" {
		t.Fatalf("measures CSV: %q", rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	r := rows[1]
	if r[col["plan_status"]] != "public_consultation" || !strings.HasPrefix(r[col["measure_title"]], "'=HYPERLINK") ||
		r[col["funder"]] != "'@SUM(A1:A9)" || r[col["amount"]] != "1000.50" || r[col["measure_total"]] != "3000.75" ||
		r[col["currency"]] != "BAM" || r[col["groups"]] != "roma;women" {
		t.Errorf("measure row: %q", r)
	}
	figs := readCSV(t, w.Env, base+"/figures.csv")
	if len(figs) != 1 || strings.Join(figs[0], ",") != "source,source_id,source_title,date,subject,figure,value,suppressed,min,max" {
		t.Errorf("figures CSV of a municipality with nothing published: %q", figs)
	}
	if resp := anonGet(w.Env, "/api/v1/public/municipalities/nowhere.csv"); resp.StatusCode != 404 {
		t.Errorf("CSV of an unknown slug: %d", resp.StatusCode)
	}
}

func readCSV(t *testing.T, e *testkit.Env, path string) [][]string {
	t.Helper()
	resp := anonGet(e, path)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	raw := []byte(testkit.Body(resp))
	if !bytes.HasPrefix(raw, []byte("\uFEFF")) {
		t.Errorf("%s: no UTF-8 byte-order mark", path)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	return rows
}
