package handlers_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/models"
)

// repoRoot is the directory of go.mod: the IATI schemas are next to the
// repository, at ../shared/iati-2.03 (also in CI).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Dir(filepath.Dir(file))
}

// iatiSchema is the IATI 2.03 activity schema, relative to the repository root.
const iatiSchema = "../shared/iati-2.03/iati-activities-schema.xsd"

// validateIATI runs xmllint on an IATI file against the official schema,
// offline; the test fails on any schema error.
func validateIATI(t *testing.T, name string, body []byte) {
	t.Helper()
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, iatiSchema)); err != nil {
		t.Fatalf("IATI schema missing: %v", err)
	}
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, body, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("xmllint", "--noout", "--nonet", "--schema", iatiSchema, f)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s does not validate against the IATI 2.03 schema: %v\n%s", name, err, out)
	}
}

// iatiDoc is the part of an IATI file the tests read.
type iatiDoc struct {
	Activities []struct {
		Lang       string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Currency   string `xml:"default-currency,attr"`
		Identifier string `xml:"iati-identifier"`
		Reporting  struct {
			Ref  string `xml:"ref,attr"`
			Name string `xml:"narrative"`
		} `xml:"reporting-org"`
		Title        string `xml:"title>narrative"`
		Participants []struct {
			Role string `xml:"role,attr"`
			Type string `xml:"type,attr"`
			Name string `xml:"narrative"`
		} `xml:"participating-org"`
		Status struct {
			Code string `xml:"code,attr"`
		} `xml:"activity-status"`
		Dates []struct {
			Type string `xml:"type,attr"`
			Date string `xml:"iso-date,attr"`
		} `xml:"activity-date"`
		Sector struct {
			Code string `xml:"code,attr"`
		} `xml:"sector"`
		Budgets []struct {
			Status string `xml:"status,attr"`
			Value  string `xml:"value"`
		} `xml:"budget"`
		Transactions []struct {
			Type struct {
				Code string `xml:"code,attr"`
			} `xml:"transaction-type"`
			Value string `xml:"value"`
		} `xml:"transaction"`
		Results []struct {
			Indicators []struct {
				Title   string `xml:"title>narrative"`
				Periods []struct {
					Actuals []struct {
						Value string `xml:"value,attr"`
						Dim   *struct {
							Value string `xml:"value,attr"`
						} `xml:"dimension"`
					} `xml:"actual"`
				} `xml:"period"`
			} `xml:"indicator"`
		} `xml:"result"`
	} `xml:"iati-activity"`
}

func parseIATI(t *testing.T, body string) iatiDoc {
	t.Helper()
	var d iatiDoc
	if err := xml.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("IATI file is not XML: %v", err)
	}
	return d
}

// demoToken signs a demo account in to the API.
func demoToken(t *testing.T, env *testkit.Env, email string) string {
	t.Helper()
	var out struct{ Token string }
	testkit.DecodeJSON(t, env.API("", "POST", "/api/v1/tokens", map[string]string{"email": email, "password": app.DemoPassword}), &out)
	if out.Token == "" {
		t.Fatalf("no token for %s", email)
	}
	return out.Token
}

// Every demo plan's IATI file validates against the official IATI 2.03
// schema, publicly and for the municipality's people alike, and says what
// the plan and its published report say.
func TestIATIDemoPlansValidate(t *testing.T) {
	t.Parallel()
	env := demoEnv(t)
	var plans []struct {
		ID   int64
		Slug string
	}
	// Four demo plans are adopted; Vlasenica's is in public consultation.
	env.DB.Raw(`SELECT p.id, m.slug FROM action_plans p JOIN municipalities m ON m.id = p.municipality_id
		WHERE p.status = 'adopted' ORDER BY p.id`).Scan(&plans)
	if len(plans) != 4 {
		t.Fatalf("demo plans: %v", plans)
	}
	for _, p := range plans {
		resp := env.Do(httptest.NewRequest("GET", fmt.Sprintf("/m/%s/plans/%d/iati.xml", p.Slug, p.ID), nil))
		body := testkit.Body(resp)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("%s: %d %s", p.Slug, resp.StatusCode, body)
		}
		validateIATI(t, p.Slug+".xml", []byte(body))
		checkDemoIATI(t, p.Slug, p.ID, parseIATI(t, body))
	}
	// The municipality's people get the same file through the API.
	tok := demoToken(t, env, "pregled.bratunac@pakt.demo")
	resp := env.API(tok, "GET", fmt.Sprintf("/api/v1/action-plans/%d/iati.xml", plans[0].ID), nil)
	public := testkit.Body(env.Do(httptest.NewRequest("GET", fmt.Sprintf("/m/%s/plans/%d/iati.xml", plans[0].Slug, plans[0].ID), nil)))
	if body := testkit.Body(resp); resp.StatusCode != 200 || body != public {
		t.Fatalf("API file differs from the public one: %d", resp.StatusCode)
	}
}

// checkDemoIATI reads one demo file: six measures as activities of the
// municipality, their sectors, budgets, spending and results.
func checkDemoIATI(t *testing.T, slug string, planID int64, d iatiDoc) {
	t.Helper()
	if len(d.Activities) != 6 {
		t.Fatalf("%s: %d activities, want one per measure (6)", slug, len(d.Activities))
	}
	sectors := map[string]string{}
	for _, a := range d.Activities {
		prefix := fmt.Sprintf("XM-PAKT-%s-MAP%d-M", slug, planID)
		if !strings.HasPrefix(a.Identifier, prefix) || a.Reporting.Ref != "XM-PAKT-"+slug || a.Lang != "bs" || a.Currency != "BAM" {
			t.Errorf("%s: activity %q reported by %q in %q/%q", slug, a.Identifier, a.Reporting.Ref, a.Lang, a.Currency)
		}
		sectors[a.Title[:4]] = a.Sector.Code
		if len(a.Budgets) != 2 || a.Budgets[0].Status != "2" {
			t.Errorf("%s %s: budgets %+v, want last year and this year committed", slug, a.Title, a.Budgets)
		}
		if len(a.Transactions) == 0 || a.Transactions[0].Type.Code != "4" {
			t.Errorf("%s %s: no expenditure from last year's accepted report: %+v", slug, a.Title, a.Transactions)
		}
		roles := map[string]bool{}
		for _, p := range a.Participants {
			roles[p.Role] = true
		}
		if !roles["1"] || !roles["2"] || !roles["4"] {
			t.Errorf("%s %s: participating roles %v, want funding, accountable and implementing", slug, a.Title, roles)
		}
		if len(a.Results) != 1 {
			t.Errorf("%s %s: %d results, want one from last year's published report", slug, a.Title, len(a.Results))
		}
	}
	want := map[string]string{"Prof": "16020", "Obuk": "16020", "Subv": "16020", "Završ": "11230", "Podr": "16020", "Orga": "16010"}
	for title, code := range want {
		if got := sectors[title[:4]]; got != code && title != "Završ" {
			t.Errorf("%s: sector of %q… = %s, want %s", slug, title, got, code)
		}
	}
	if sectors["Zavr"] != "11230" {
		t.Errorf("%s: primary school for adult Roma: sector %s, want 11230", slug, sectors["Zavr"])
	}
}

// Who gets the IATI file: the municipality's people (any role) for an
// adopted plan; a draft is 409 for them and does not exist for the public;
// other municipalities' people get 404, anonymous API callers 401.
func TestIATIAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	adopted, _, _ := adoptedPlan(t, w, coord)
	draft, _ := newPlan(t, w, coord)
	api := func(id int64) string { return fmt.Sprintf("/api/v1/action-plans/%d/iati.xml", id) }
	body := expect(t, w.API(w.Token(viewer), "GET", api(adopted), nil), 200, "viewer gets the adopted plan")
	validateIATI(t, "adopted.xml", []byte(body))
	expect(t, w.API(w.Token(member), "GET", api(adopted), nil), 200, "member")
	got := expect(t, w.API(coord, "GET", api(draft), nil), 409, "draft plan")
	if !strings.Contains(got, `"conflict"`) {
		t.Errorf("draft: %s", got)
	}
	expect(t, w.API(w.Token(coordZ), "GET", api(adopted), nil), 404, "other municipality")
	expect(t, w.API("", "GET", api(adopted), nil), 401, "anonymous API")
	pub := func(id int64) *http.Response {
		return w.Do(httptest.NewRequest("GET", fmt.Sprintf("/m/%s/plans/%d/iati.xml", w.A.Slug, id), nil))
	}
	if resp := pub(draft); resp.StatusCode != 404 {
		t.Errorf("public draft: %d", resp.StatusCode)
	}
	if resp := w.Do(httptest.NewRequest("GET", fmt.Sprintf("/m/%s/plans/%d/iati.xml", w.B.Slug, adopted), nil)); resp.StatusCode != 404 {
		t.Errorf("plan under another municipality's address: %d", resp.StatusCode)
	}
	resp := pub(adopted)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=300" || resp.Header.Get("ETag") == "" {
		t.Fatalf("public file: %d %v", resp.StatusCode, resp.Header)
	}
	req := httptest.NewRequest("GET", fmt.Sprintf("/m/%s/plans/%d/iati.xml", w.A.Slug, adopted), nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if again := w.Do(req); again.StatusCode != 304 {
		t.Errorf("If-None-Match: %d", again.StatusCode)
	}
	// The staff page's link: the same file for a signed-in viewer.
	if resp := w.Login(viewer).Get(fmt.Sprintf("/plans/%d/iati.xml", adopted)); resp.StatusCode != 200 {
		t.Errorf("/plans/%d/iati.xml for a viewer: %d", adopted, resp.StatusCode)
	}
	if resp := w.Login(coordZ).Get(fmt.Sprintf("/plans/%d/iati.xml", adopted)); resp.StatusCode != 404 {
		t.Errorf("/plans/%d/iati.xml for another municipality: %d", adopted, resp.StatusCode)
	}
	var n int64
	w.DB.Model(&models.Plan{}).Where("id = ? AND status = 'draft'", draft).Count(&n)
	if n != 1 {
		t.Fatal("the draft changed")
	}
}
