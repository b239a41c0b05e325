package handlers_test

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// A partner's narrative that names fewer than five people is flagged to the
// coordinator (API field and on the report's page), who can publish other
// wording; the partner's text stays in the report, the public PDF prints the
// coordinator's wording, and once published it is locked (issue #15).
func TestPublicNarrative(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem := w.Token(coordA), w.Token(member)
	planID, mID, indID := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)
	partner := "Savjetovano 40 osoba, troje od njih je zaposleno, a 3 su u obuci."
	body := progressBody(indID, "0.10", 20, 12, 8)
	body["narrative"] = partner
	expect(t, w.API(mem, "PUT", pp, body), 200, "report")
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "submit")
	got := expect(t, w.API(tok, "GET", pp, nil), 200, "get")
	if !strings.Contains(got, `"narrative_flags":["troje","3"]`) || !strings.Contains(got, `"public_narrative":null`) {
		t.Fatalf("small numbers not flagged: %s", got)
	}

	// The coordinator sees the flag on the report's page and rewords it there.
	form := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	cb := w.Login(coordA)
	page := testkit.Body(cb.Get(form))
	if !strings.Contains(page, `id="public-narrative"`) || !strings.Contains(page, "troje, 3") {
		t.Fatalf("coordinator's page lacks the flag: %s", sitanBetween(page, "<main", "</main>"))
	}
	if tp := testkit.Body(cb.Get(fmt.Sprintf("/plans/%d/tracking", planID))); !strings.Contains(tp, "#public-narrative") || !strings.Contains(tp, "troje, 3") {
		t.Error("the tracking page does not flag the report's text")
	}
	if mp := testkit.Body(w.Login(member).Get(form)); strings.Contains(mp, `id="public-narrative"`) {
		t.Error("a member sees the public wording form")
	}
	resp := cb.PostForm(form+"/public-narrative", url.Values{"public_narrative": {strings.Repeat("x", 10001)}})
	if resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), `id="e-public-narrative"`) {
		t.Fatalf("too long by form: %d", resp.StatusCode)
	}
	public := "Savjetovano je 40 osoba; dio njih je zaposlen ili u obuci."
	if resp := cb.PostForm(form+"/public-narrative", url.Values{"public_narrative": {public}}); resp.StatusCode != 303 {
		t.Fatalf("save by form: %d", resp.StatusCode)
	}
	got = expect(t, w.API(tok, "GET", pp, nil), 200, "get after rewording")
	if !strings.Contains(got, `"narrative_flags":[]`) || !strings.Contains(got, `"public_narrative":"`+public+`"`) ||
		!strings.Contains(got, `"narrative":"`+partner+`"`) {
		t.Fatalf("public wording or partner's text: %s", got)
	}

	// The API: coordinator only, own municipality, 422 with fields.
	put := pp + "/public-narrative"
	expect(t, w.API(mem, "PUT", put, map[string]any{"public_narrative": "x"}), 403, "member rewords")
	expect(t, w.API(w.Token(coordZ), "PUT", put, map[string]any{"public_narrative": "x"}), 404, "other municipality rewords")
	if got := expect(t, w.API(tok, "PUT", put, map[string]any{"public_narrative": strings.Repeat("x", 10001)}), 422, "too long"); !strings.Contains(got, `"public_narrative"`) {
		t.Fatalf("422 without the field: %s", got)
	}
	if got := expect(t, w.API(tok, "PUT", put, map[string]any{"public_narrative": "Dvoje zaposleno."}), 200, "reword"); !strings.Contains(got, `"narrative_flags":["Dvoje"]`) {
		t.Fatalf("the public wording is checked too: %s", got)
	}
	expect(t, w.API(tok, "PUT", put, map[string]any{"public_narrative": public}), 200, "reword again")

	// Accepted, closed, published: the public PDF prints the public wording.
	expect(t, w.API(tok, "POST", pp+"/accept", nil), 200, "accept")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 200, "close")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/reports/%d/publish", per), nil), 200, "publish")
	pdf := expect(t, w.API("", "GET", fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", planID, per), nil), 200, "public pdf")
	text := pdfText(t, pdf)
	if !strings.Contains(text, "dio njih je zaposlen") || strings.Contains(text, "troje od njih") {
		t.Errorf("public PDF does not print the public wording:\n%s", text)
	}
	expect(t, w.API(tok, "PUT", put, map[string]any{"public_narrative": "y"}), 409, "reword a published report")
	if err := w.DB.Exec(`UPDATE progress_public_narratives SET text = 'forged'`).Error; err == nil {
		t.Error("the database allowed changing the wording of a published report")
	}
}

func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
