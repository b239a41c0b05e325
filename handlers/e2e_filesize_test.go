package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pakt/models"
)

// TestBrowserFileTooBig: a file over the limit chosen on the report form is
// said next to the field, in the page's language, and the form is not sent:
// the typed report stays, nothing reaches the server. A file within the
// limit clears the message and attaches as before.
func TestBrowserFileTooBig(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, _ := adoptedPlan(t, w, tok)
	perID := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	progressPath := fmt.Sprintf("/measures/%d/progress/%d", mID, perID)
	attachPath := progressPath + "/attachments"

	dir := t.TempDir()
	big, good := filepath.Join(dir, "veliki-sken.pdf"), filepath.Join(dir, "lista.pdf")
	if err := os.WriteFile(big, append([]byte("%PDF-1.4\n"), make([]byte, models.MaxAttachmentBytes)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, evidencePDF(t), 0o644); err != nil {
		t.Fatal(err)
	}

	base := serveHTTP(t, w)
	ctx := newChrome(t)
	bs := browserCatalog(t, "bs")
	fail := func(shot, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/login?lang=bs"))
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), w.MemA.Email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "correct-horse-battery"))
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]`)))
	chromeNavigate(t, ctx, chromedp.Navigate(base+progressPath))
	if max := chromeGet(t, ctx, chromedp.AttributeValue(chromedp.CSS("#f-file"), "data-max-bytes")).Value; max != strconv.Itoa(models.MaxAttachmentBytes) {
		t.Fatalf("data-max-bytes %q", max)
	}

	const narrative = "Obuka za 40 osoba; sken liste je prevelik."
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-narrative")), typeText(chromedp.CSS("#f-narrative"), narrative),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{big}))
	want := catalogMsg(t, bs, "validation.file_too_large")
	if got := chromeText(t, ctx, "#f-file-too-large"); got != want {
		fail("1-chosen", "message on choosing %q, want %q", got, want)
	}
	chromeDo(t, ctx, chromedp.Click(chromedp.CSS(`#evidence button[formaction="`+attachPath+`"]`)))
	screenshot(t, ctx, "2-blocked")
	if chromePath(t, ctx) != progressPath || chromeText(t, ctx, "#f-file-too-large") != want {
		fail("2-blocked", "the form went out")
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-narrative"))); got != narrative {
		fail("2-blocked", "narrative %q lost", got)
	}
	if inv := chromeGet(t, ctx, chromedp.AttributeValue(chromedp.CSS("#f-file"), "aria-invalid")).Value; inv != "true" {
		fail("2-blocked", "aria-invalid %q", inv)
	}
	if desc := chromeGet(t, ctx, chromedp.AttributeValue(chromedp.CSS("#f-file"), "aria-describedby")).Value; !strings.HasPrefix(desc, "f-file-too-large") {
		fail("2-blocked", "aria-describedby %q", desc)
	}
	var n int
	w.DB.Raw("SELECT count(*) FROM attachments").Scan(&n)
	if n != 0 {
		t.Fatalf("%d attachments stored", n)
	}

	// A file within the limit: the message goes, the upload goes through.
	chromeDo(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{good}))
	if left := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#f-file-too-large").length`)); left != 0 {
		fail("3-cleared", "message stayed")
	}
	resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`#evidence button[formaction="`+attachPath+`"]`)))
	if resp.Status != 200 || chromeText(t, ctx, "#evidence td a") != "lista.pdf" {
		fail("3-attached", "status %d", resp.Status)
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-narrative"))); got != narrative {
		fail("3-attached", "narrative %q lost", got)
	}
	screenshot(t, ctx, "3-attached")
}
