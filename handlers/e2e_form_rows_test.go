package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pakt/app/testkit"
)

// In the browser: "More rows" brings the measure form back at its table
// with more rows and what was typed; Enter in a field still saves (the
// form's first submit button is a hidden copy of Save, not "More rows").
func TestBrowserMoreRows(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, _ := newPlan(t, w, w.Token(coordA))
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	save := chromedp.CSS(`main form button[type="submit"]:not(.default-submit):not([name="more"])`)
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), w.CoordA.Email), chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password))
	if resp := chromeNavigate(t, ctx, chromedp.Click(save)); resp.Status != 200 || chromePath(t, ctx) != "/dashboard" {
		t.Fatalf("sign in: %d at %s", resp.Status, chromePath(t, ctx))
	}

	chromeNavigate(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/plans/%d/measures/new", base, planID)))
	rows := func() int {
		return chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name^="ind_name_"]').length`))
	}
	if n := rows(); n != 2 {
		t.Fatalf("new measure form: %d indicator rows, want 2", n)
	}
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-title"), "Javni radovi – čišćenje obala"), typeText(chromedp.CSS("#ind_name_0"), "Zaposleni"))
	resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`#indicators button[name="more"]`)))
	screenshot(t, ctx, "more-rows")
	loc := chromeGet(t, ctx, chromedp.Location())
	// Drawn again at the form's own page (post/redirect/get, issue #17).
	if resp.Status != 200 || !strings.HasSuffix(loc, fmt.Sprintf("/plans/%d/measures/new#indicators", planID)) {
		t.Fatalf("more rows: %d at %s", resp.Status, loc)
	}
	if n := rows(); n != 6 {
		t.Errorf("after More rows: %d indicator rows, want 1 typed + 2 + 3", n)
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-title"))); got != "Javni radovi – čišćenje obala" {
		t.Errorf("title after More rows: %q", got)
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#ind_name_0"))); got != "Zaposleni" {
		t.Errorf("indicator after More rows: %q", got)
	}

	// Enter in the title saves: the form has no code yet, so it comes back
	// with the error next to that field, and no more rows than before.
	resp = chromeNavigate(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-title"), kb.Enter))
	screenshot(t, ctx, "enter-saves")
	if resp.Status != 422 {
		t.Fatalf("Enter in a field: %d, want 422 from saving", resp.Status)
	}
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-code")))
	if n := rows(); n != 6 {
		t.Errorf("after Enter: %d indicator rows, want the 6 the form had", n)
	}
}
