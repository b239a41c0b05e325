package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserVerifyDocument checks a published situation analysis the way
// a reader does, in a real Chromium: the form without a file shows the
// error next to the field; the downloaded PDF uploaded is recognised with
// its kind and title; the details page, and the page the PDF's QR code
// and link open, show the document and its intact content.
func TestBrowserVerifyDocument(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	pdf := expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/situation-analyses/%d/report.pdf", w.A.Slug, f.Pub.ID)), 200, "analysis PDF")
	file := filepath.Join(t.TempDir(), "analiza.pdf")
	if err := os.WriteFile(file, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	var printed string
	w.DB.Raw("SELECT content_sha256 FROM registered_documents WHERE sha256 = ?", sha(pdf)).Scan(&printed)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	fail := func(shot, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}

	chromeNavigate(t, ctx, chromedp.Navigate(base+"/verify"))
	resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if resp.Status != 422 || chromeText(t, ctx, "#e-file") != msg("validation.required") {
		fail("verify-no-file", "status %d, field error %q", resp.Status, chromeText(t, ctx, "#e-file"))
	}
	screenshot(t, ctx, "verify-no-file")

	chromeDo(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	status := chromeText(t, ctx, `main [role="status"]`)
	if resp.Status != 200 || !strings.Contains(status, msg("verify.match")) || !strings.Contains(status, msg("verify.kind.sitan")) ||
		!strings.Contains(status, f.Pub.Title) {
		fail("verify-upload", "status %d, %q", resp.Status, status)
	}
	screenshot(t, ctx, "verify-upload")

	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("verify.details"))))
	if resp.Status != 200 || chromePath(t, ctx) != "/verify/"+sha(pdf) || chromeText(t, ctx, "main h2") != f.Pub.Title {
		fail("verify-details", "status %d, heading %q", resp.Status, chromeText(t, ctx, "main h2"))
	}
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+"/verify/"+printed))
	page := chromeText(t, ctx, "main")
	if resp.Status != 200 || !strings.Contains(page, msg("verify.is_content")) || !strings.Contains(page, msg("verify.intact")) ||
		!strings.Contains(page, w.A.Name) {
		fail("verify-printed", "status %d: %q", resp.Status, page)
	}
	screenshot(t, ctx, "verify-printed")
}
