package handlers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// navCurrent is the href the municipality navigation marks as the current
// page, and whether the members and audit links are offered.
var (
	navRe        = regexp.MustCompile(`(?s)<nav aria-label="[^"]*" class="muni-nav">(.*?)</nav>`)
	navCurrentRe = regexp.MustCompile(`href="([^"]+)" aria-current="page"`)
)

func muniNav(t *testing.T, page, what string) (current string, members, audit bool) {
	t.Helper()
	m := navRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("%s: no municipality navigation", what)
	}
	if cs := navCurrentRe.FindAllStringSubmatch(m[1], -1); len(cs) == 1 {
		current = cs[0][1]
	} else if len(cs) > 1 {
		t.Errorf("%s: %d links marked current", what, len(cs))
	}
	return current, strings.Contains(m[1], "/members\""), strings.Contains(m[1], "/audit\"")
}

// Every municipality page carries the one navigation, with its section
// marked; members and the audit log only for coordinators (issue #17).
func TestMunicipalityNavigation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	s := mustSitan(t, w.A.ID, w, "Analiza stanja 2016")
	planID, _ := newPlan(t, w, tok)
	mp := fmt.Sprintf("/municipalities/%d", w.A.ID)
	b := w.Login(coordA)
	for _, c := range []struct{ path, current string }{
		{mp, mp},
		{mp + "/agreements", mp + "/agreements"},
		{mp + "/agreements/new", mp + "/agreements"},
		{mp + "/situation-analyses", mp + "/situation-analyses"},
		{fmt.Sprintf("/situation-analyses/%d", s.ID), mp + "/situation-analyses"},
		{fmt.Sprintf("/situation-analyses/%d/report", s.ID), mp + "/situation-analyses"},
		{mp + "/focus-groups", mp + "/focus-groups"},
		{mp + "/focus-groups/new", mp + "/focus-groups"},
		{mp + "/plans", mp + "/plans"},
		{fmt.Sprintf("/plans/%d", planID), mp + "/plans"},
		{fmt.Sprintf("/plans/%d/measures/new", planID), mp + "/plans"},
		{fmt.Sprintf("/plans/%d/tracking", planID), mp + "/tracking"},
		{mp + "/dashboard", mp + "/dashboard"},
		{mp + "/members", mp + "/members"},
		{mp + "/audit", mp + "/audit"},
		{mp + "/organisations/new", mp},
		{mp + "/edit", mp},
		{mp + "/open-data", ""},
	} {
		page := expect(t, b.Get(c.path), 200, c.path)
		cur, members, audit := muniNav(t, page, c.path)
		if cur != c.current || !members || !audit {
			t.Errorf("%s: current %q (want %q), members %v, audit %v", c.path, cur, c.current, members, audit)
		}
	}
	// A member sees the navigation without members and audit log.
	mb := w.Login(member)
	for _, p := range []string{mp, mp + "/plans", fmt.Sprintf("/plans/%d", planID)} {
		if _, members, audit := muniNav(t, expect(t, mb.Get(p), 200, "member "+p), "member "+p); members || audit {
			t.Errorf("member on %s is offered members %v, audit %v", p, members, audit)
		}
	}
	// The public pages have none.
	if page := expect(t, w.Anonymous().Get("/m/"+w.A.Slug), 200, "public page"); navRe.MatchString(page) {
		t.Error("the public page shows the private navigation")
	}

	// Tracking leads to the current plan's tracking page: the adopted one
	// when there is one, else the newest; the plans list without a plan.
	resp := b.Get(mp + "/tracking")
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != fmt.Sprintf("/plans/%d/tracking", planID) {
		t.Fatalf("tracking: %d to %q", resp.StatusCode, loc)
	}
	zp := fmt.Sprintf("/municipalities/%d", w.B.ID)
	zb := w.Login(coordZ)
	resp = zb.Get(zp + "/tracking")
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != zp+"/plans" {
		t.Fatalf("tracking without a plan: %d to %q", resp.StatusCode, loc)
	}
	expect(t, zb.Get(mp+"/tracking"), 404, "other municipality's tracking")
	if resp := w.Anonymous().Get(mp + "/tracking"); resp.StatusCode == 303 && strings.Contains(resp.Header.Get("Location"), "/plans/") {
		t.Fatal("an anonymous visitor is sent to a plan's tracking")
	}
}

// The navigation works with the keyboard and fits a phone's width.
func TestBrowserMunicipalityNavigation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	mp := fmt.Sprintf("/municipalities/%d", w.A.ID)
	a11ySignIn(t, ctx, base, coordA)
	a11yOpen(t, ctx, base, mp+"/plans", 200)
	screenshot(t, ctx, "desktop")

	// Tab from the top of the page reaches the navigation; Enter follows
	// the focused link.
	target := catalogMsg(t, en, "munav.focus")
	focused := ""
	for i := 0; i < 40 && focused != target; i++ {
		chromeDo(t, ctx, chromedp.KeyEvent(kb.Tab))
		focused = chromeGet(t, ctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement;
			return e && e.closest('nav.muni-nav') ? e.textContent.trim() : '' })()`))
	}
	if focused != target {
		t.Fatalf("Tab never reached %q in the municipality navigation", target)
	}
	outline := chromeGet(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
	if outline == "none" {
		t.Error("the focused navigation link shows no focus outline")
	}
	resp := chromeNavigate(t, ctx, chromedp.KeyEvent(kb.Enter))
	if resp.Status != 200 || chromePath(t, ctx) != mp+"/focus-groups" {
		t.Fatalf("Enter on %q: %d at %s", target, resp.Status, chromePath(t, ctx))
	}
	if got := chromeText(t, ctx, `nav.muni-nav a[aria-current="page"]`); got != target {
		t.Fatalf("current section %q, want %q", got, target)
	}

	// At 390 px every link is on screen (the row wraps), nothing scrolls sideways.
	chromeDo(t, ctx, chromedp.EmulateViewport(390, 844))
	a11yOpen(t, ctx, base, mp+"/plans", 200)
	screenshot(t, ctx, "390")
	type fit struct {
		Scroll, Inner, Links, Outside int
	}
	got := chromeGet(t, ctx, chromedp.Evaluate[fit](`(() => { const ls = [...document.querySelectorAll('nav.muni-nav a')];
		return {Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth, Links: ls.length,
			Outside: ls.filter(a => { const r = a.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth || r.height === 0 }).length} })()`))
	if got.Inner != 390 || got.Scroll > got.Inner || got.Links != 9 || got.Outside != 0 {
		t.Fatalf("at 390 px: %+v", got)
	}
	// A touch target at least 24 px high (WCAG 2.5.8).
	if h := chromeGet(t, ctx, chromedp.Evaluate[float64](`Math.min(...[...document.querySelectorAll('nav.muni-nav a')].map(a => a.getBoundingClientRect().height))`)); h < 24 {
		t.Errorf("navigation links are %.0f px high at 390 px", h)
	}
}
