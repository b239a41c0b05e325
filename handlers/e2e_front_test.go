package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pakt/app"
)

// The front page and a demo coordinator's dashboards in a real browser,
// on the demo data right after loading (issue #17): the open consultation,
// the adopted plans and the published reports are there, the municipality
// filter works without JavaScript, and the coordinator sees work to do.
func TestBrowserFrontPageDemo(t *testing.T) {
	t.Parallel()
	env := demoEnv(t)
	w := &world{Env: env}
	base := serveHTTP(t, w)
	ctx := newChrome(t)

	chromeNavigate(t, ctx, chromedp.Navigate(base+"/?lang=en"))
	front := chromeText(t, ctx, "main")
	for _, want := range []string{"Public consultations open now", "Vlasenica", "Newly adopted action plans", "Bratunac",
		"Recently published progress reports", "Download the report (PDF)", "Bosnia and Herzegovina"} {
		if !strings.Contains(front, want) {
			t.Errorf("front page lacks %q", want)
		}
	}
	screenshot(t, ctx, "front")
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-q"), "zvor"))
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`form.front-filter button[type="submit"]`)))
	names := chromeGet(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("ul.front-munis a")].map(a => a.textContent)`))
	if len(names) != 1 || names[0] != "Zvornik" {
		t.Errorf("filtered municipalities: %v", names)
	}
	screenshot(t, ctx, "front-filtered")
	// On a phone, in Bosnian: nothing scrolls sideways.
	chromeDo(t, ctx, chromedp.EmulateViewport(360, 740))
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/?lang=bs"))
	type widths struct{ Scroll, Inner int }
	if got := chromeGet(t, ctx, chromedp.Evaluate[widths](`({Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth})`)); got.Scroll > got.Inner {
		t.Errorf("front page at 360 px scrolls sideways: %+v", got)
	}
	if !strings.Contains(chromeText(t, ctx, "main"), "Javne rasprave koje su u toku") {
		t.Error("the Bosnian front page is not in Bosnian")
	}
	screenshot(t, ctx, "front-360-bs")
	chromeDo(t, ctx, chromedp.EmulateViewport(1280, 900))
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/?lang=en")) // the language choice is remembered

	chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), "koordinator.bratunac@pakt.demo"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), app.DemoPassword))
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if p := chromePath(t, ctx); p != "/dashboard" {
		t.Fatalf("after sign-in at %s", p)
	}
	screenshot(t, ctx, "coordinator-dashboard")
	var id int64
	if err := env.DB.WithContext(context.Background()).Raw(`SELECT id FROM municipalities WHERE slug = 'bratunac'`).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	chromeNavigate(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/municipalities/%d/dashboard", base, id)))
	dash := chromeText(t, ctx, "main")
	if !strings.Contains(dash, "Completed") || !strings.Contains(dash, "Delayed") {
		t.Errorf("Bratunac's dashboard shows no completed and delayed measures:\n%.1500s", dash)
	}
	screenshot(t, ctx, "municipality-dashboard")
}
