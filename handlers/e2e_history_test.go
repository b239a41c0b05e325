package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
)

// TestBrowserAuditAndPlanDiff walks a coordinator through the audit log in a
// real Chromium: filters it by kind of object and date (the values stay in
// the form), opens an entry's stored record, then follows the plan page's
// link to the comparison of the plan with what its consultation opened with.
func TestBrowserAuditAndPlanDiff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	auditLogWrites(t, w)
	planID, _ := planInConsultation(t, w, w.Token(coordA))
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	fail := func(shot, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}

	resp := chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	if resp.Status != 200 {
		fail("1-login", "status %d", resp.Status)
	}
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), coordA),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password))
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]:not(.default-submit)`)))
	if chromePath(t, ctx) != "/dashboard" {
		fail("1-login", "not signed in")
	}

	audit := fmt.Sprintf("/municipalities/%d/audit", w.A.ID)
	chromeNavigate(t, ctx, chromedp.Navigate(base+audit))
	screenshot(t, ctx, "2-audit")
	if got := chromeText(t, ctx, "main h1"); !strings.HasPrefix(got, msg("audit.title")) {
		fail("2-audit", "heading %q", got)
	}
	chromeDo(t, ctx,
		chromedp.SetValue(chromedp.CSS("#f-object_type"), "organisation"),
		chromedp.SetValue(chromedp.CSS("#f-from"), "2000-01-01"))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="`+audit+`"] button[type="submit"]`)))
	screenshot(t, ctx, "3-audit-filtered")
	if resp.Status != 200 || !strings.Contains(chromePath(t, ctx), "object_type=organisation") {
		fail("3-audit-filtered", "status %d", resp.Status)
	}
	list := chromeText(t, ctx, "main ol.audit-log")
	if !strings.Contains(list, "changed the organisation «Caritas BiH»") || strings.Contains(list, "M-3") {
		fail("3-audit-filtered", "list %q", list)
	}
	kept := chromeGet(t, ctx, chromedp.Evaluate[string](`document.querySelector('#f-object_type').value + ' ' + document.querySelector('#f-from').value`))
	if kept != "organisation 2000-01-01" {
		fail("3-audit-filtered", "filter values not kept: %q", kept)
	}
	chromeDo(t, ctx, chromedp.Click(chromedp.CSS("main ol.audit-log li details summary")))
	if raw := chromeText(t, ctx, "main ol.audit-log li details pre"); !strings.Contains(raw, `"to": "Caritas BiH"`) {
		fail("4-audit-raw", "raw record %q", raw)
	}
	screenshot(t, ctx, "4-audit-raw")

	chromeNavigate(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/plans/%d", base, planID)))
	chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("plandiff.link"))))
	screenshot(t, ctx, "5-plan-diff")
	if got := chromePath(t, ctx); got != fmt.Sprintf("/plans/%d/diff", planID) {
		fail("5-plan-diff", "at %s", got)
	}
	body := chromeText(t, ctx, "main section")
	for _, want := range []string{msg("plan.added"), "M3", msg("plan.removed"), "M2", "5,000.00 KM", "6,000.00 KM", "Roma, Women"} {
		if !strings.Contains(body, want) {
			fail("5-plan-diff", "diff lacks %q", want)
		}
	}
}
