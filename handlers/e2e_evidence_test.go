package handlers_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
)

// TestBrowserEvidence walks evidence of delivery in a real Chromium: the
// partner whose organisation leads the measure types a report, attaches an
// HTML page named .pdf (refused next to the field, the typed text kept),
// then a real PDF, saves and submits; the coordinator sees the file on the
// review page and downloads it.
func TestBrowserEvidence(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, _ := adoptedPlan(t, w, tok)
	perID := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	ag := openAgreement(t, w, tok)
	for _, k := range []string{tok, w.Token(member)} {
		expect(t, w.API(k, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", ag.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	}
	commitmentPath := fmt.Sprintf("/commitments/%d", ag.Commitments[0].ID)
	progressPath := fmt.Sprintf("/measures/%d/progress/%d", mID, perID)
	attachPath := progressPath + "/attachments"

	dir := t.TempDir()
	pdf := evidencePDF(t)
	good, bad := filepath.Join(dir, "lista-prisustva.pdf"), filepath.Join(dir, "nije-pdf.pdf")
	if err := os.WriteFile(good, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("<!DOCTYPE html><html><body>nije PDF</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}

	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	fail := func(shot, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}
	login := func(email string) {
		t.Helper()
		chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
		chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-email")),
			chromedp.SendKeys(chromedp.CSS("#f-email"), email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password))
		if resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]`))); resp.Status != 200 {
			fail("login", "status %d", resp.Status)
		}
	}
	attachButton := chromedp.Click(chromedp.CSS(`#evidence button[formaction="` + attachPath + `"]`))
	const narrative = "Održane tri obuke; lista prisustva u prilogu – č ć đ š ž."

	// 1. The partner types the report and attaches a wrong file.
	login(w.MemA.Email)
	chromeNavigate(t, ctx, chromedp.Navigate(base+progressPath))
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-narrative")), typeText(chromedp.CSS("#f-narrative"), narrative),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{bad}))
	screenshot(t, ctx, "1-form")
	resp := chromeNavigate(t, ctx, attachButton)
	if resp.Status != 422 || chromePath(t, ctx) != progressPath || chromeText(t, ctx, "#e-file") != msg("validation.evidence_type") {
		fail("2-wrong-type", "status %d, error %q", resp.Status, chromeText(t, ctx, "#e-file"))
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-narrative"))); got != narrative {
		fail("2-wrong-type", "narrative %q lost", got)
	}
	screenshot(t, ctx, "2-wrong-type")

	// 2. The real PDF: attached, listed, the typed report still there.
	chromeDo(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}))
	resp = chromeNavigate(t, ctx, attachButton)
	if resp.Status != 200 || chromeText(t, ctx, `#evidence p[role="status"]`) != msg("flash.evidence_attached")+" "+msg("evidence.unsaved") ||
		chromeText(t, ctx, "#evidence td a") != "lista-prisustva.pdf" {
		fail("3-attached", "status %d, list %q", resp.Status, chromeText(t, ctx, "#evidence"))
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-narrative"))); got != narrative {
		fail("3-attached", "narrative %q lost", got)
	}
	screenshot(t, ctx, "3-attached")

	// 3. Save and submit the report.
	if resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="`+progressPath+`"] button[type="submit"]:not(.default-submit):not([name="more"])`))); resp.Status != 200 {
		fail("4-saved", "save: status %d", resp.Status)
	}
	if resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="`+progressPath+`/submit"] button`))); resp.Status != 200 {
		fail("4-submitted", "submit: status %d", resp.Status)
	}
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))

	// 4. The coordinator reviews: the file is listed, and downloads.
	login(w.CoordA.Email)
	chromeNavigate(t, ctx, chromedp.Navigate(base+fmt.Sprintf("/plans/%d/tracking", planID)))
	if cell := chromeText(t, ctx, "main table tbody td:nth-child(5)"); !strings.Contains(cell, msg("tracking.review.submitted")+" · files: 1") {
		fail("4-tracking", "review cell %q", cell)
	}
	screenshot(t, ctx, "4-tracking")
	chromeNavigate(t, ctx, chromedp.Navigate(base+progressPath))
	if chromeText(t, ctx, "main span.status") != msg("tracking.review.submitted") ||
		chromeText(t, ctx, "#evidence td a") != "lista-prisustva.pdf" || !strings.Contains(chromeText(t, ctx, "#evidence"), w.MemA.Name) {
		fail("5-review", "review page: %q", chromeText(t, ctx, "#evidence"))
	}
	screenshot(t, ctx, "5-review")
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatalf("download behaviour: %v", err)
	}
	chromeDo(t, ctx, chromedp.Click(chromedp.CSS("#evidence td a")))
	got := filepath.Join(downloads, "lista-prisustva.pdf")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(got); err == nil && bytes.Equal(b, pdf) {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(downloads)
			fail("6-download", "no downloaded %s in %v", got, entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if chromePath(t, ctx) != progressPath {
		fail("6-download", "the download navigated away")
	}

	// 5. The same on a commitment: the coordinator attaches the PDF to the
	// employment office's commitment from its page.
	chromeNavigate(t, ctx, chromedp.Navigate(base+commitmentPath))
	chromeDo(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`#evidence form button[type="submit"]`)))
	if resp.Status != 200 || chromePath(t, ctx) != commitmentPath || chromeText(t, ctx, "#evidence td a") != "lista-prisustva.pdf" {
		fail("7-commitment", "status %d at %s: %q", resp.Status, chromePath(t, ctx), chromeText(t, ctx, "#evidence"))
	}
	screenshot(t, ctx, "7-commitment")
}
