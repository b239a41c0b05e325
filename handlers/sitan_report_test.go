package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/models"
)

// sitanPDFText extracts a PDF's text with pdftotext (poppler-utils, which CI installs).
func sitanPDFText(t *testing.T, pdf string) string {
	t.Helper()
	if !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("not a PDF: %.40q", pdf)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (.ci/run does)")
	}
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// The report: readable HTML and PDF with exact numbers for the municipality,
// and in public with counts of people as bands of five ("<5", "45–49").
func TestSitanReportAndPDF(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	ctx, a := context.Background(), models.Actor{UserID: w.CoordA.ID}
	answerAll(t, w, f.QSent, map[string][3]string{"registered_unemployed": {"2900", "1500", "1400"},
		"roma_registered_unemployed": {"46", "3", "43"}})
	mustSubmit(t, w, f.QSent)
	two, three := 2, 5
	if _, err := models.AddVulnerableGroup(ctx, w.DB, a, w.A.ID, f.S.ID, models.VulnerableGroupInput{Group: "other",
		Label: "Lica nakon izdržane kazne", EstimatedSize: 7, Women: &two, Men: &three, Barriers: []string{"information"}, Priority: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.AddFinding(ctx, w.DB, a, w.A.ID, f.S.ID, models.FindingInput{Statement: "Đaci napuštaju školu zbog troškova prevoza.",
		Group: "dropouts", Barrier: "participation", SourceOrganisationID: f.OrgCSW.ID}); err != nil {
		t.Fatal(err)
	}
	b := w.Login(viewer)
	resp := b.Get(fmt.Sprintf("/situation-analyses/%d/report.pdf", f.S.ID))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	text := sitanPDFText(t, testkit.Body(resp))
	for _, s := range []string{"Analiza stanja 2016", "Baseline indicators", "Registered unemployed persons", "2,900", "1,500",
		"Vulnerable groups, ranked", "Other: Lica nakon", "Đaci napuštaju školu", "Who contributed", "Centar za socijalni rad Bratunac", "Page 1 of"} {
		if !strings.Contains(text, s) {
			t.Errorf("private PDF lacks %q:\n%s", s, text)
		}
	}
	if resp := w.Anonymous().Get(fmt.Sprintf("/m/%s/situation-analyses/%d/report.pdf", w.A.Slug, f.S.ID)); resp.StatusCode != 404 {
		t.Fatalf("unpublished public PDF: %d", resp.StatusCode)
	}
	if resp := w.Login(coordZ).Get(fmt.Sprintf("/situation-analyses/%d/report.pdf", f.S.ID)); resp.StatusCode != 404 {
		t.Fatalf("other municipality's PDF: %d", resp.StatusCode)
	}
	if _, err := models.PublishSitan(ctx, w.DB, a, w.A.ID, f.S.ID, 0); err != nil {
		t.Fatal(err)
	}
	// The public PDF is the registered document: in the municipality's
	// language (Bosnian), whoever downloads it.
	resp = w.Anonymous().Get(fmt.Sprintf("/m/%s/situation-analyses/%d/report.pdf", w.A.Slug, f.S.ID))
	pub := sitanPDFText(t, testkit.Body(resp))
	roma := sitanLine(pub, "Romi prijavljeni kao")
	if !strings.Contains(roma, "45–49") || !strings.Contains(roma, "<5") || !strings.Contains(roma, "40–44") || strings.Contains(roma, " 43 ") || strings.Contains(roma, " 3 ") {
		t.Errorf("public Roma row must show 45–49, <5, 40–44 for 46 = 3 + 43: %q", roma)
	}
	other := sitanLine(pub, "Ostali: Lica nakon")
	if !strings.Contains(other, "5–9") || strings.Contains(other, " 7 ") || !strings.Contains(other, "<5") {
		t.Errorf("public group row: %q", other)
	}
	if !strings.Contains(pub, "rasponima od pet") {
		t.Error("public PDF lacks the legend")
	}
	html := testkit.Body(w.Anonymous().Get(fmt.Sprintf("/m/%s/situation-analyses/%d", w.A.Slug, f.S.ID)))
	row := sitanBetween(html, `data-indicator="roma_registered_unemployed"`, "</tr>")
	if !strings.Contains(row, `<td class="num value">45–49</td><td class="num">&lt;5</td><td class="num">40–44</td>`) {
		t.Errorf("public HTML Roma row: %s", row)
	}
}

func sitanLine(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, prefix) {
			return l
		}
	}
	return ""
}

// The coordinator's CSV has every stored answer, formula-like text defused.
func TestSitanCSV(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	answerAll(t, w, f.QSent, map[string][3]string{"main_obstacles": {"=HYPERLINK(\"http://x\")", "", ""}, "registered_unemployed": {"2900", "1500", "1400"}})
	resp := w.Login(coordA).Get(fmt.Sprintf("/situation-analyses/%d/answers.csv", f.S.ID))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(testkit.Body(resp), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][1] != "organisation" {
		t.Fatalf("rows: %q", rows)
	}
	found := map[string][]string{}
	for _, r := range rows[1:] {
		found[r[8]] = r
	}
	if r := found["registered_unemployed"]; r == nil || r[1] != "Biro Bratunac" || r[4] != "sent" || r[12] != "2900" || r[13] != "1500" || r[14] != "1400" {
		t.Errorf("registered unemployed row: %q", r)
	}
	if r := found["main_obstacles"]; r == nil || !strings.HasPrefix(r[12], "'=") {
		t.Errorf("formula not defused: %q", r)
	}
	if r := found["social_assistance_able_to_work"]; r == nil || r[1] != "Centar za socijalni rad Bratunac" || r[4] != "submitted" {
		t.Errorf("submitted answer row: %q", r)
	}
}

// The Birac demo data: a published analysis per municipality (with one late
// questionnaire each) and focus groups whose participants add up to 85.
func TestSitanDemoData(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	ctx := context.Background()
	if _, err := app.SeedDemo(ctx, db, "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Slug                      string
		Published, Late, Findings int
		Groups, Submitted         int
	}
	db.Raw(`SELECT m.slug,
		(SELECT count(*) FROM situation_analyses s WHERE s.municipality_id = m.id AND s.status = 'published' AND s.year = extract(year FROM current_date)::int - 2) AS published,
		(SELECT count(*) FROM questionnaires q JOIN situation_analyses s ON s.id = q.situation_analysis_id
			WHERE q.municipality_id = m.id AND s.year = extract(year FROM current_date)::int - 2 AND q.status = 'sent' AND q.due_date < current_date) AS late,
		(SELECT count(*) FROM questionnaires q JOIN situation_analyses s ON s.id = q.situation_analysis_id
			WHERE q.municipality_id = m.id AND s.year = extract(year FROM current_date)::int - 2 AND q.status = 'submitted') AS submitted,
		(SELECT count(*) FROM sitan_findings f WHERE f.municipality_id = m.id) AS findings,
		(SELECT count(*) FROM vulnerable_groups g WHERE g.municipality_id = m.id) AS groups
		FROM municipalities m ORDER BY m.slug`).Scan(&rows)
	if len(rows) != 5 {
		t.Fatalf("municipalities: %+v", rows)
	}
	for _, r := range rows {
		if r.Published != 1 || r.Late != 1 || r.Submitted != 4 || r.Findings < 3 || r.Groups < 3 {
			t.Errorf("%s: %+v", r.Slug, r)
		}
	}
	region, err := models.RegionalParticipants(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var total, women, men int64
	for _, r := range region {
		total, women, men = total+r.Total, women+r.Women, men+r.Men
	}
	if len(region) != 5 || total != 85 || women+men != 85 {
		t.Fatalf("focus-group participants: %d municipalities, %d people (%d women, %d men), want 5 and 85", len(region), total, women, men)
	}
	for _, r := range rows {
		m, _ := models.GetMunicipalityBySlug(ctx, db, r.Slug)
		ss, _ := models.ListPublishedSitans(ctx, db, m.ID)
		vals, err := models.SitanIndicators(ctx, db, m.ID, ss[0].ID)
		if err != nil || len(vals) < 10 {
			t.Errorf("%s: %d indicators (%v)", r.Slug, len(vals), err)
		}
	}
}
