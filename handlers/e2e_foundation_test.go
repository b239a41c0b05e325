package handlers_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
)

// TestBrowserFoundationFlow drives the foundation in a real Chromium: sign in
// through the form, switch to Bosnian, add a partner organisation with a
// non-ASCII name, see a field error, sign out.
func TestBrowserFoundationFlow(t *testing.T) {
	t.Parallel()
	started := time.Now()
	w := newWorld(t)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en, bs := browserCatalog(t, "en"), browserCatalog(t, "bs")
	muniPath := fmt.Sprintf("/municipalities/%d", w.A.ID)

	wantStatus := func(step string, got int64, want int64) {
		t.Helper()
		if got != want {
			screenshot(t, ctx, step)
			t.Fatalf("%s: status %d, want %d (at %s)", step, got, want, chromePath(t, ctx))
		}
	}
	wantPath := func(step, want string) {
		t.Helper()
		if got := chromePath(t, ctx); got != want {
			screenshot(t, ctx, step)
			t.Fatalf("%s: at %s, want %s", step, got, want)
		}
	}
	wantText := func(step, css, want string) {
		t.Helper()
		if got := chromeText(t, ctx, css); got != want {
			screenshot(t, ctx, step)
			t.Fatalf("%s: %s text %q, want %q", step, css, got, want)
		}
	}
	flashes := func() int {
		t.Helper()
		return chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('main p[role="status"]').length`))
	}
	submit := chromedp.Click(chromedp.CSS(`main form button[type="submit"]:not(.default-submit):not([name="more"])`))

	// a. Sign in through the form.
	resp := chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	wantStatus("login-page", resp.Status, 200)
	chromeDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-email"), w.CoordA.Email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password),
	)
	screenshot(t, ctx, "a1-login-filled")
	resp = chromeNavigate(t, ctx, submit)
	screenshot(t, ctx, "a2-dashboard")
	wantStatus("login", resp.Status, 200)
	wantPath("login", "/dashboard")
	wantText("dashboard", "main h1", "Dashboard")
	chromeDo(t, ctx, chromedp.WaitVisible(linkByText("//main", w.A.Name))) // "Bratunac"

	// b. Switch to Bosnian with the language navigation.
	langNav := `//nav[contains(concat(" ", normalize-space(@class), " "), " langs ")]`
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText(langNav, catalogMsg(t, en, "lang.bs"))))
	screenshot(t, ctx, "b-dashboard-bs")
	wantStatus("language", resp.Status, 200)
	wantPath("language", "/dashboard?lang=bs")
	wantText("language", "main h1", catalogMsg(t, bs, "dashboard.title"))
	if lang := chromeGet(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "bs" {
		t.Fatalf("document language %q, want bs", lang)
	}

	// c. Add a partner organisation with a name full of non-ASCII letters.
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", w.A.Name)))
	wantStatus("municipality", resp.Status, 200)
	wantPath("municipality", muniPath)
	wantText("municipality", "main h1", w.A.Name)

	newOrg := catalogMsg(t, bs, "organisations.new")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", newOrg)))
	wantStatus("new organisation", resp.Status, 200)
	wantPath("new organisation", muniPath+"/organisations/new")
	wantText("new organisation", "main h1", newOrg)

	const name = "Udruženje Žena Podrinja – Ćirilica: Удружење"
	chromeDo(t, ctx,
		typeText(chromedp.CSS("#f-name"), name), // SendKeys would drop the "Ć"
		chromedp.SetValue(chromedp.CSS("#f-type"), "ngo"),
	)
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-name"))); got != name {
		t.Fatalf("typed name is %q, want %q", got, name)
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-type"))); got != "ngo" {
		t.Fatalf("selected type is %q, want ngo", got)
	}
	screenshot(t, ctx, "c1-form-filled")
	resp = chromeNavigate(t, ctx, submit)
	screenshot(t, ctx, "c2-saved")
	wantStatus("create organisation", resp.Status, 200) // after the 303
	wantPath("create organisation", muniPath)
	wantText("create organisation", `main p[role="status"]`, catalogMsg(t, bs, "flash.saved"))
	type row struct{ Name, Type string }
	rows := chromeGet(t, ctx, chromedp.Evaluate[[]row](`Array.from(
		document.querySelectorAll('section[aria-labelledby="orgs"] tbody tr'),
		tr => ({Name: tr.cells[0].textContent.trim(), Type: tr.cells[1].textContent.trim()}))`))
	if !slices.Contains(rows, row{name, catalogMsg(t, bs, "orgtype.ngo")}) {
		t.Fatalf("organisation list lacks %q (%s): %q", name, bs["orgtype.ngo"], rows)
	}

	// A flash is shown once: the page that showed it must have deleted it.
	if c := chromeCookie(t, ctx, "pakt_flash"); c != nil && c.Value != "" {
		t.Errorf("flash cookie survives its page: %s=%q (path %s); handlers/render.go clears it "+
			"with c.ClearCookie, whose deletion cookie has no Path=/ and so misses it", c.Name, c.Value, c.Path)
	}

	// d. The same form with an empty name stays on the form with a field error.
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", newOrg)))
	wantStatus("new organisation again", resp.Status, 200)
	if n := flashes(); n != 0 {
		t.Errorf("the %q flash is shown again on the next page (%d)", bs["flash.saved"], n)
	}
	if got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-name"))); got != "" {
		t.Fatalf("fresh form has name %q", got)
	}
	resp = chromeNavigate(t, ctx, submit)
	screenshot(t, ctx, "d-empty-name")
	wantStatus("empty name", resp.Status, 422)
	wantPath("empty name", muniPath+"/organisations/new") // the form's own page: reloading posts nothing (PRG)
	wantText("empty name", "main h1", newOrg)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-name")))
	wantText("empty name", "#e-name", catalogMsg(t, bs, "validation.required"))
	attrs := chromeGet(t, ctx, chromedp.Attributes(chromedp.CSS("#f-name")))
	if attrs["aria-invalid"] != "true" || attrs["aria-describedby"] != "e-name" {
		t.Fatalf("name field not marked invalid: %v", attrs)
	}
	if n := flashes(); n != 0 {
		t.Errorf("a failed save shows a success flash (%d)", n)
	}

	// e. Sign out.
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
	screenshot(t, ctx, "e-signed-out")
	wantStatus("logout", resp.Status, 200)
	wantPath("logout", "/login")
	wantText("logout", "main h1", catalogMsg(t, bs, "login.title"))
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-email")))

	t.Logf("browser flow took %s", time.Since(started).Round(time.Millisecond))
}
