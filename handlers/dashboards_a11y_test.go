package handlers_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestAccessibilityDashboards runs axe-core (and the page checks of
// TestAccessibilityMainPages) on the dashboards as they are now: the
// municipality dashboard with its indicator chart as an image, unfolded,
// and the regional page with its page navigation, sortable headings and the
// chart of the highest and lowest execution; light and dark.
func TestAccessibilityDashboards(t *testing.T) {
	t.Parallel()
	w := dashWorld(t)
	for i := 1; i <= 52; i++ { // 54 municipalities: two pages of the regional table
		w.Municipality(fmt.Sprintf("Općina %02d", i))
	}
	base := serveHTTP(t, w)
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			ctx := newChrome(t)
			chromeDo(t, ctx, setMedia("", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme}))
			a11ySignIn(t, ctx, base, admin)
			a11yOpen(t, ctx, base, fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID), 200)
			chromeDo(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`details[open] img`))) // it loads lazily
			loaded := `(() => { const i = document.querySelector('details[open] img'); return !!i && i.complete && i.naturalWidth > 0 })()`
			if !chromeGet(t, ctx, chromedp.Poll[bool](loaded)) {
				t.Error("the indicator chart image did not load")
			}
			axeCheck(t, ctx, "municipality-dashboard")
			for _, p := range []struct{ name, path string }{
				{"region", "/region"},
				{"region-by-execution-page-2", "/region?sort=execution&dir=desc&page=2"},
			} {
				a11yOpen(t, ctx, base, p.path, 200)
				if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('nav[aria-label="Pages of the table"] a').length`)); n < 3 {
					t.Errorf("%s: %d page links", p.name, n)
				}
				axeCheck(t, ctx, p.name)
			}
		})
	}
}
