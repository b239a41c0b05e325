package handlers_test

// Accessibility in a real headless Chromium: axe-core (vendored, used only
// here, injected by the test and never by the layout) on the main pages,
// keyboard-only use, a 360 px wide screen and printing.

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp/totp"

	"pakt/app/testkit"
)

// axeFile is the vendored axe-core (npm axe-core, exact version; MPL-2.0,
// see axe.LICENSE beside it). The tests evaluate it in the page; no page
// of the app loads it.
const axeFile = "../views/static/vendor/axe-4.10.3.min.js"

// axeTags are the rule sets for WCAG 2.1 level A and AA.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']`

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(axeFile)
	return string(b), err
})

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

// axeRun injects axe-core into the current page (when it is not there yet)
// and returns the WCAG 2.1 A/AA violations it finds.
func axeRun(t testing.TB, ctx context.Context) []axeViolation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	if !chromeGet(t, ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`)) {
		chromeDo(t, ctx, chromedp.Evaluate[chromedp.Void](src+"\n;true"))
	}
	return chromeGet(t, ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: {type: 'tag', values: `+axeTags+`}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''}))})))`,
		chromedp.EvalAwaitPromise))
}

// pageChecks are what axe-core does not check: ids are unique, and status
// is never carried by colour alone (badges and flags have text, late flags
// and field errors a ⚠ too, the current page and language in the
// navigation are underlined, not only coloured).
const pageChecks = `(() => {
	const bad = [], ids = {};
	const html = e => e.outerHTML.slice(0, 120);
	document.querySelectorAll('[id]').forEach(e => ids[e.id] = (ids[e.id] || 0) + 1);
	for (const id in ids) if (ids[id] > 1) bad.push('duplicate id "' + id + '" (' + ids[id] + ' times)');
	for (const e of document.querySelectorAll('.status, .late, .field-error, .form-error, .conflict-flag'))
		if (!e.textContent.trim()) bad.push('status without text: ' + html(e));
	for (const e of document.querySelectorAll('.late, .field-error, .form-error'))
		if (!getComputedStyle(e, '::before').content.includes('⚠')) bad.push('flag without ⚠: ' + html(e));
	for (const e of document.querySelectorAll('header a[aria-current]:not([aria-current=false])'))
		if (!getComputedStyle(e).textDecorationLine.includes('underline')) bad.push('current link marked by colour only: ' + html(e));
	return bad;
})()`

// axeCheck fails the test (without stopping it) for every violation on the
// current page, naming the rule, its help and the offending elements.
func axeCheck(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	if bad := chromeGet(t, ctx, chromedp.Evaluate[[]string](pageChecks)); len(bad) > 0 {
		t.Errorf("%s (%s):\n  %s", page, chromePath(t, ctx), strings.Join(bad, "\n  "))
	}
	vs := axeRun(t, ctx)
	if len(vs) == 0 {
		t.Logf("axe: %s (%s): no violations", page, chromePath(t, ctx))
		return
	}
	screenshot(t, ctx, "axe-"+page)
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  [%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", strings.Join(n.Target, " "), n.HTML,
				strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	t.Errorf("axe: %s (%s): %d violation(s):%s", page, chromePath(t, ctx), len(vs), b.String())
}

// a11yFixture is a municipality with data on every main page: an agreement
// open for signature, an adopted plan with a reporting period and a report,
// a plan in public consultation with a published, answered comment, and the
// situation-analysis fixture (a questionnaire to answer).
type a11yFixture struct {
	w                        *world
	sitan                    *sitanFx
	agreementID              int64
	adoptedID, measureID     int64
	periodID                 int64
	consultationID           int64
	consultationMeasure      int64
	publicPlan, progressPath string
}

func newA11yFixture(t *testing.T) *a11yFixture {
	t.Helper()
	w := newWorld(t)
	f := &a11yFixture{w: w, sitan: sfx(w)}
	tok := w.Token(coordA)
	f.agreementID = openAgreement(t, w, tok).ID

	var ind int64
	f.adoptedID, f.measureID, ind = adoptedPlan(t, w, tok)
	f.periodID = openPeriod(t, w, tok, f.adoptedID, "2017 – prvo polugodište", "2017-01-01", "2017-06-30")
	f.progressPath = fmt.Sprintf("/measures/%d/progress/%d", f.measureID, f.periodID)
	expect(t, w.API(w.Token(member), "PUT", "/api/v1"+f.progressPath, progressBody(ind, "100.00", 20, 12, 8)), 200, "progress report")

	planID, obj := newPlan(t, w, tok)
	var m struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, seedNeed(t, w), "M1", "1500.50", "2000.25")), &m)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", planID), map[string]any{"closes_on": "2099-12-31"}), 200, "consultation")
	expect(t, w.API("", "POST", fmt.Sprintf("/api/v1/public/action-plans/%d/comments", planID),
		map[string]any{"text": "Trebalo bi uključiti i prevoz.", "measure_id": m.ID, "name": "Amra"}), 201, "comment")
	var cid int64
	w.DB.Raw("SELECT id FROM plan_comments WHERE plan_id = ?", planID).Scan(&cid)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/moderation", cid), map[string]any{"approve": true}), 200, "approve")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/comments/%d/response", cid),
		map[string]any{"decision": "accepted", "text": "Dodan je prevoz u mjeru M1."}), 200, "answer")
	f.consultationID, f.consultationMeasure = planID, m.ID
	f.publicPlan = fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)
	return f
}

// a11ySignIn signs in through the login form.
func a11ySignIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password))
	resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]:not(.default-submit):not([name="more"])`)))
	if email == admin { // platform admins have two-step sign-in (testkit.AdminTOTPSecret)
		chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password),
			chromedp.SendKeys(chromedp.CSS("#f-code"), adminCode()))
		resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	}
	if resp.Status != 200 || chromePath(t, ctx) != "/dashboard" {
		t.Fatalf("sign in as %s: %d at %s", email, resp.Status, chromePath(t, ctx))
	}
}

// adminSteps is the last TOTP time step a browser sign-in of an admin used:
// a step is good once per account, so sign-ins take increasing steps.
var adminSteps struct {
	sync.Mutex
	last int64
}

// adminCode is an unused code of testkit.AdminTOTPSecret: of the current
// time step or the next (the server accepts one step either side), waiting
// for time to move on when both were used.
func adminCode() string {
	adminSteps.Lock()
	defer adminSteps.Unlock()
	for {
		now := time.Now().Unix() / 30
		if step := max(now, adminSteps.last+1); step <= now+1 {
			adminSteps.last = step
			code, _ := totp.GenerateCode(testkit.AdminTOTPSecret, time.Unix(step*30, 0))
			return code
		}
		time.Sleep(time.Until(time.Unix((now+1)*30, 0)))
	}
}

// a11yOpen loads path and fails unless it answers status.
func a11yOpen(t *testing.T, ctx context.Context, base, path string, status int64) {
	t.Helper()
	resp := chromeNavigate(t, ctx, chromedp.Navigate(base+path))
	if resp.Status != status {
		screenshot(t, ctx, "status")
		t.Fatalf("%s: status %d, want %d", path, resp.Status, status)
	}
}

// TestAccessibilityMainPages runs axe-core's WCAG 2.1 A and AA rules on the
// main pages, signed in and public, and requires zero violations: with the
// light colours, and again with the dark ones that Pico uses when the
// visitor's system prefers a dark scheme (each in its own browser, so each
// pass has the whole browser time budget).
func TestAccessibilityMainPages(t *testing.T) {
	t.Parallel()
	f := newA11yFixture(t)
	w := f.w
	base := serveHTTP(t, w)
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			ctx := newChrome(t)
			chromeDo(t, ctx, setMedia("", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme}))

			// Public pages, as an anonymous visitor.
			a11yOpen(t, ctx, base, "/login", 200)
			if bg := chromeGet(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.documentElement).backgroundColor`)); (bg == "rgb(255, 255, 255)") != (scheme == "light") {
				t.Fatalf("%s scheme, page background %s", scheme, bg)
			}
			axeCheck(t, ctx, "login")
			// The login form with field errors.
			chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]:not(.default-submit):not([name="more"])`)))
			if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.field-error').length`)); n == 0 {
				t.Errorf("empty login form shows no field errors")
			}
			axeCheck(t, ctx, "login-errors")
			a11yOpen(t, ctx, base, "/m/"+w.A.Slug, 200)
			axeCheck(t, ctx, "public-municipality")
			a11yOpen(t, ctx, base, "/", 200)
			axeCheck(t, ctx, "front")
			a11yOpen(t, ctx, base, f.publicPlan, 200)
			if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#f-text').length`)); n != 1 {
				t.Fatalf("public plan has no comment form")
			}
			axeCheck(t, ctx, "public-plan")

			// Signed in as the coordinator.
			a11ySignIn(t, ctx, base, coordA)
			axeCheck(t, ctx, "dashboard")
			for _, p := range []struct{ name, path string }{
				{"municipality", fmt.Sprintf("/municipalities/%d", w.A.ID)},
				{"municipality-dashboard", fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)},
				{"agreement", fmt.Sprintf("/agreements/%d", f.agreementID)},
				{"questionnaire", fmt.Sprintf("/questionnaires/%d", f.sitan.QSent.ID)},
				{"plan-consultation", fmt.Sprintf("/plans/%d", f.consultationID)},
				{"plan-adopted", fmt.Sprintf("/plans/%d", f.adoptedID)},
				{"tracking", fmt.Sprintf("/plans/%d/tracking", f.adoptedID)},
				{"progress", f.progressPath},
			} {
				a11yOpen(t, ctx, base, p.path, 200)
				if p.name == "questionnaire" {
					// It is really the answer form.
					if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('form#answers fieldset').length`)); n == 0 {
						t.Errorf("questionnaire page shows no answer form")
					}
				}
				axeCheck(t, ctx, p.name)
			}
		})
	}
}

// pressTab presses Tab until the focused element matches css (at most max
// times) and returns how many presses it took.
func pressTab(t *testing.T, ctx context.Context, css string, max int) int {
	t.Helper()
	for i := 1; i <= max; i++ {
		chromeDo(t, ctx, chromedp.KeyEvent(kb.Tab))
		if chromeGet(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, css))) {
			return i
		}
	}
	screenshot(t, ctx, "tab")
	t.Fatalf("%s not reached with %d Tabs (focus on %s)", css, max,
		chromeGet(t, ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'`)))
	return 0
}

// focusOutline is the computed outline of the focused element, e.g.
// "solid 3px rgb(29, 78, 216)".
func focusOutline(t *testing.T, ctx context.Context) string {
	t.Helper()
	return chromeGet(t, ctx, chromedp.Evaluate[string](`(() => { const s = getComputedStyle(document.activeElement);
		return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor })()`))
}

// wantFocusVisible fails unless the focused element (of kind what) has a visible outline.
func wantFocusVisible(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	o := focusOutline(t, ctx)
	if strings.HasPrefix(o, "none") || strings.Contains(o, " 0px ") {
		screenshot(t, ctx, "focus-"+what)
		t.Errorf("focused %s has no visible outline: %q", what, o)
	}
}

// TestKeyboardOnly signs in and comments on a plan in consultation with
// nothing but the keyboard, and checks that focus is always visible.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	f := newA11yFixture(t)
	w := f.w
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")

	// Sign in: the first Tab reaches "Skip to content", then on to the form.
	a11yOpen(t, ctx, base, "/login", 200)
	if n := pressTab(t, ctx, "a.skip-link", 1); n != 1 {
		t.Fatalf("skip link reached after %d Tabs", n)
	}
	if got := chromeText(t, ctx, "a.skip-link"); got != catalogMsg(t, en, "nav.skip") {
		t.Errorf("skip link says %q", got)
	}
	wantFocusVisible(t, ctx, "skip-link")
	if vis := chromeGet(t, ctx, chromedp.Evaluate[bool](`(() => { const r = document.activeElement.getBoundingClientRect();
		return r.left >= 0 && r.top >= 0 && r.width > 0 && r.right <= window.innerWidth })()`)); !vis {
		t.Errorf("focused skip link is off screen")
	}
	screenshot(t, ctx, "1-skip-link")
	pressTab(t, ctx, "#f-email", 20)
	chromeDo(t, ctx, chromedp.KeyEvent(w.CoordA.Email))
	pressTab(t, ctx, "#f-password", 1)
	chromeDo(t, ctx, chromedp.KeyEvent(testkit.Password))
	pressTab(t, ctx, `main form button[type="submit"]:not(.default-submit):not([name="more"])`, 1)
	wantFocusVisible(t, ctx, "button")
	screenshot(t, ctx, "2-login-button")
	resp := chromeNavigate(t, ctx, chromedp.KeyEvent(kb.Enter))
	if resp.Status != 200 || chromePath(t, ctx) != "/dashboard" {
		t.Fatalf("keyboard sign-in: %d at %s", resp.Status, chromePath(t, ctx))
	}
	if got := chromeText(t, ctx, "main h1"); got != catalogMsg(t, en, "dashboard.title") {
		t.Fatalf("dashboard heading %q", got)
	}
	// A link in the content shows its focus too.
	pressTab(t, ctx, "main a", 30)
	wantFocusVisible(t, ctx, "link")

	// An anonymous visitor comments on the plan in consultation.
	anon, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	// Its first action runs on anon itself, not inside a step's timeout:
	// that run binds the tab to its context (see TestBrowserPlanFlow).
	if err := chromedp.Do(anon); err != nil {
		t.Fatalf("open a fresh browser context: %v", err)
	}
	a11yOpen(t, anon, base, f.publicPlan, 200)
	pressTab(t, anon, "a.skip-link", 1)
	// The skip link moves focus into the content: the next Tab is on its first link.
	chromeDo(t, anon, chromedp.KeyEvent(kb.Enter))
	pressTab(t, anon, "main a", 1)
	pressTab(t, anon, "#f-name", 80)
	chromeDo(t, anon, chromedp.KeyEvent("Amra H."))
	pressTab(t, anon, "#f-measure_id", 1)
	pressTab(t, anon, "#f-text", 1)
	const text = "Prevoz je kljucan za zene sa sela."
	chromeDo(t, anon, chromedp.KeyEvent(text))
	pressTab(t, anon, `form[action$="/comments"] button[type="submit"]:not(.default-submit):not([name="more"])`, 1)
	wantFocusVisible(t, anon, "comment button")
	screenshot(t, anon, "3-comment-filled")
	resp = chromeNavigate(t, anon, chromedp.KeyEvent(" "))
	screenshot(t, anon, "4-comment-sent")
	if resp.Status != 200 || chromePath(t, anon) != f.publicPlan {
		t.Fatalf("keyboard comment: %d at %s", resp.Status, chromePath(t, anon))
	}
	if got := chromeText(t, anon, `main p[role="status"]`); got != catalogMsg(t, en, "flash.comment_received") {
		t.Fatalf("flash %q", got)
	}
	var stored int64
	w.DB.Raw("SELECT count(*) FROM plan_comments WHERE plan_id = ? AND name = ? AND text = ?", f.consultationID, "Amra H.", text).Scan(&stored)
	if stored != 1 {
		t.Fatalf("keyboard comment stored %d times", stored)
	}
}

// setMedia emulates a CSS media type ("print", or "" for the screen) and
// media features such as prefers-color-scheme.
func setMedia(media string, features ...*emulation.MediaFeature) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media, Features: features})
		return err
	})
}

// TestMobileAndPrint checks pages on a 360 px wide screen (no sideways
// scrolling of the page; wide tables scroll in their own box) and printed
// (no header, navigation, buttons or forms; the content is there).
func TestMobileAndPrint(t *testing.T) {
	t.Parallel()
	f := newA11yFixture(t)
	w := f.w
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	a11ySignIn(t, ctx, base, coordA)

	chromeDo(t, ctx, chromedp.EmulateViewport(360, 740))
	for _, p := range []struct{ name, path string }{
		{"dashboard", "/dashboard"},
		{"municipality-dashboard", fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID)},
		{"plan", fmt.Sprintf("/plans/%d", f.consultationID)},
		{"plan-adopted", fmt.Sprintf("/plans/%d", f.adoptedID)},
		{"tracking", fmt.Sprintf("/plans/%d/tracking", f.adoptedID)},
		{"agreement", fmt.Sprintf("/agreements/%d", f.agreementID)},
		{"public-plan", f.publicPlan},
	} {
		a11yOpen(t, ctx, base, p.path, 200)
		screenshot(t, ctx, "360-"+p.name)
		type widths struct{ Scroll, Inner int }
		got := chromeGet(t, ctx, chromedp.Evaluate[widths](`({Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth})`))
		if got.Inner != 360 {
			t.Errorf("%s: viewport %d px wide, want 360", p.name, got.Inner)
		}
		if got.Scroll > got.Inner {
			wide := chromeGet(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *'))
				.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll, table'))
				.slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))`))
			t.Errorf("%s at 360 px: page is %d px wide, viewport %d (too wide: %q)", p.name, got.Scroll, got.Inner, wide)
		}
	}

	chromeDo(t, ctx, chromedp.EmulateViewport(1280, 900))
	chromeDo(t, ctx, setMedia("print"))
	type printed struct {
		Hidden      []string // visible elements that must not print
		HeadingShow bool
		TableShow   bool
		LinkText    string
	}
	for _, p := range []struct{ name, path string }{
		{"plan", fmt.Sprintf("/plans/%d", f.consultationID)},
		{"tracking", fmt.Sprintf("/plans/%d/tracking", f.adoptedID)},
	} {
		a11yOpen(t, ctx, base, p.path, 200)
		screenshot(t, ctx, "print-"+p.name)
		got := chromeGet(t, ctx, chromedp.Evaluate[printed](`(() => {
			const shown = e => e.checkVisibility();
			const must = ['body > header', 'header nav', 'footer', '.skip-link', 'main form', 'main button', 'main [role="button"]', 'main details'];
			const bad = [];
			for (const sel of must) for (const e of document.querySelectorAll(sel)) if (shown(e)) bad.push(sel + ': ' + e.outerHTML.slice(0, 80));
			const a = document.querySelector('main p a');
			return {Hidden: bad, HeadingShow: shown(document.querySelector('main h1')),
				TableShow: shown(document.querySelector('main table')), LinkText: a && shown(a) ? a.textContent.trim() : ''};
		})()`))
		if len(got.Hidden) > 0 {
			t.Errorf("%s printed shows %d element(s) that must not print: %q", p.name, len(got.Hidden), got.Hidden)
		}
		if !got.HeadingShow || !got.TableShow {
			t.Errorf("%s printed hides the content: heading %v, table %v", p.name, got.HeadingShow, got.TableShow)
		}
		if got.LinkText == "" {
			t.Errorf("%s printed lost the text of links", p.name)
		}
		if br := chromeGet(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('main tbody tr')).breakInside`)); br != "avoid" {
			t.Errorf("%s printed: table rows break-inside %q, want avoid", p.name, br)
		}
	}
	chromeDo(t, ctx, setMedia(""))
	if !chromeGet(t, ctx, chromedp.Evaluate[bool](`document.querySelector('body > header').checkVisibility()`)) {
		t.Errorf("header hidden on screen after printing")
	}
}
