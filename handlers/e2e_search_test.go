package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearchFromHeader: in a real Chromium the coordinator types a
// query without accents into the header's search box, lands on the results
// grouped by kind, opens the comment it found, and then narrows the
// tracking page's measures with the filter form.
func TestBrowserSearchFromHeader(t *testing.T) {
	t.Parallel()
	w := newSearchWorld(t)
	planF, _, _, p1, _ := filterPlan(t, w.world)
	base := serveHTTP(t, w.world)
	ctx := newChrome(t)
	a11ySignIn(t, ctx, base, w.CoordA.Email)

	// 1. Type into the header box and press Enter.
	chromeDo(t, ctx, typeText(chromedp.CSS("#header-q"), "vozacku dozvolu"))
	resp := chromeNavigate(t, ctx, chromedp.Submit(chromedp.CSS("#header-q")))
	screenshot(t, ctx, "1-results")
	if resp.Status != 200 || !strings.HasPrefix(chromePath(t, ctx), "/search?q=vozacku") {
		t.Fatalf("results: %d at %s", resp.Status, chromePath(t, ctx))
	}
	if got := chromeText(t, ctx, "#kind-comment"); got != "Consultation comments" {
		t.Fatalf("group heading %q", got)
	}
	if got := chromeText(t, ctx, `li[data-kind="comment"] small.muni`); !strings.Contains(got, "Bratunac") {
		t.Fatalf("municipality not named: %q", got)
	}
	axeCheck(t, ctx, "search results")

	// 2. Click the hit: the plan page, at its comments.
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`li[data-kind="comment"] a`)))
	screenshot(t, ctx, "2-plan")
	if resp.Status != 200 || chromePath(t, ctx) != fmt.Sprintf("/plans/%d", w.planA) {
		t.Fatalf("hit led to %s (%d)", chromePath(t, ctx), resp.Status)
	}

	// 3. A too short query: the error next to the field.
	chromeDo(t, ctx, typeText(chromedp.CSS("#header-q"), "ž"))
	resp = chromeNavigate(t, ctx, chromedp.Submit(chromedp.CSS("#header-q")))
	if resp.Status != 422 || chromeText(t, ctx, "#e-q") == "" {
		t.Fatalf("short query: %d", resp.Status)
	}

	// 4. The tracking page's filters: choose a group and a period, apply;
	// the choices stay selected and only matching rows are listed.
	chromeNavigate(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/plans/%d/tracking", base, planF)))
	chromeDo(t, ctx, chromedp.SetValue(chromedp.CSS("#f-group"), "youth_neet"),
		chromedp.SetValue(chromedp.CSS("#f-period"), fmt.Sprint(p1)))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	screenshot(t, ctx, "3-filtered")
	if resp.Status != 200 {
		t.Fatalf("filtered: %d", resp.Status)
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-group"))); got != "youth_neet" {
		t.Errorf("group not kept: %q", got)
	}
	rows := chromeGet(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('section[aria-labelledby^="per-"] tbody tr td:first-child')].map(td => td.textContent)`))
	if fmt.Sprint(rows) != "[M2]" {
		t.Errorf("filtered rows %v", rows)
	}
	axeCheck(t, ctx, "filtered tracking")

	// 5. The plan page filters its measures too.
	resp = chromeNavigate(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/plans/%d?group=roma", base, planF)))
	screenshot(t, ctx, "4-plan-filtered")
	if resp.Status != 200 {
		t.Fatalf("plan filtered: %d", resp.Status)
	}
	axeCheck(t, ctx, "filtered plan")
}
