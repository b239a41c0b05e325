package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
)

// The IATI organisation identifier through the API: anyone of the
// municipality reads it, its coordinator sets it (422 with the field for a
// malformed one, 412 for a stale If-Match), the IATI file then reports under it.
func TestIATISettingAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	planID, _, _ := adoptedPlan(t, w, coord)
	path := fmt.Sprintf("/api/v1/municipalities/%d/iati", w.A.ID)
	var s struct {
		OrgRef  string `json:"org_ref"`
		Default string `json:"default_org_ref"`
		Custom  bool
		Version int
	}
	testkit.DecodeJSON(t, w.API(w.Token(viewer), "GET", path, nil), &s)
	if s.OrgRef != "XM-PAKT-"+w.A.Slug || s.Default != s.OrgRef || s.Custom {
		t.Fatalf("default: %+v", s)
	}
	got := expect(t, w.API(coord, "PUT", path, map[string]any{"org_ref": "not an identifier"}), 422, "malformed")
	if !strings.Contains(got, `"org_ref"`) {
		t.Errorf("422 without the field: %s", got)
	}
	expect(t, w.API(w.Token(member), "PUT", path, map[string]any{"org_ref": "BA-MUN-1"}), 403, "member sets it")
	expect(t, w.API(w.Token(coordZ), "PUT", path, map[string]any{"org_ref": "BA-MUN-1"}), 404, "other municipality")
	expect(t, w.API(w.Token(coordZ), "GET", path, nil), 404, "other municipality reads it")
	expect(t, w.API("", "GET", path, nil), 401, "anonymous")
	old := s.Version
	resp := w.API(coord, "PUT", path, map[string]any{"org_ref": "BA-MUN-1101"}, "If-Match", fmt.Sprint(old))
	testkit.DecodeJSON(t, resp, &s)
	expect(t, w.API(coord, "PUT", path, map[string]any{"org_ref": "BA-MUN-1"}, "If-Match", fmt.Sprint(old)), 412, "stale")
	if resp.StatusCode != 200 || s.OrgRef != "BA-MUN-1101" || !s.Custom || resp.Header.Get("ETag") != fmt.Sprintf(`"%d"`, s.Version) {
		t.Fatalf("set: %d %+v", resp.StatusCode, s)
	}
	doc := parseIATI(t, expect(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/action-plans/%d/iati.xml", planID), nil), 200, "file"))
	if a := doc.Activities[0]; a.Reporting.Ref != "BA-MUN-1101" || !strings.HasPrefix(a.Identifier, "BA-MUN-1101-MAP") {
		t.Errorf("file after the change: %q by %q", a.Identifier, a.Reporting.Ref)
	}
	expect(t, w.API(w.Token(coordZ), "PUT", fmt.Sprintf("/api/v1/municipalities/%d/iati", w.B.ID),
		map[string]any{"org_ref": "ba-mun-1101"}), 422, "another municipality's identifier")
	testkit.DecodeJSON(t, w.API(coord, "PUT", path, map[string]any{"org_ref": nil}), &s)
	if s.Custom || s.OrgRef != s.Default {
		t.Errorf("null goes back to the default: %+v", s)
	}
}

// The open-data page: links for everyone of the municipality, the form for
// its coordinator, errors next to the field, nothing for outsiders.
func TestOpenDataPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	adoptedPlan(t, w, w.Token(coordA))
	page := fmt.Sprintf("/municipalities/%d/open-data", w.A.ID)
	b := w.Login(coordA)
	body := expect(t, b.Get(page), 200, "coordinator")
	for _, want := range []string{"/api/v1/public/municipalities/" + w.A.Slug, `id="f-org_ref"`, "XM-PAKT-" + w.A.Slug, "/iati.xml"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	got := expect(t, b.PostForm(page, url.Values{"org_ref": {"BA MUN"}, "version": {"0"}}), 422, "malformed")
	if !strings.Contains(got, `id="e-org_ref"`) || !strings.Contains(got, "XM-DAC-41114") || !strings.Contains(got, `value="BA MUN"`) {
		t.Errorf("error not next to the field, or the typed value lost")
	}
	resp := b.PostForm(page, url.Values{"org_ref": {"BA-MUN-1101"}, "version": {"0"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != page {
		t.Fatalf("save: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if body := expect(t, b.Get(page), 200, "after save"); !strings.Contains(body, `<code id="iati-org-ref">BA-MUN-1101</code>`) {
		t.Error("new identifier not shown")
	}
	if resp := b.PostFormRaw(page, url.Values{"org_ref": {"BA-MUN-2"}}); resp.StatusCode != 403 {
		t.Errorf("without CSRF token: %d", resp.StatusCode)
	}
	view := w.Login(viewer)
	if body := expect(t, view.Get(page), 200, "viewer"); strings.Contains(body, `id="f-org_ref"`) {
		t.Error("a viewer sees the form")
	}
	expect(t, view.PostForm(page, url.Values{"org_ref": {"BA-MUN-3"}}), 403, "viewer posts")
	expect(t, w.Login(coordZ).Get(page), 404, "other municipality")
	for _, lang := range []string{"bs", "sr", "sq", "mk"} {
		b.Get(page + "?lang=" + lang) // the untranslated-key check runs on every page the browser gets
	}
}

// In Chromium: from the adopted plan's page the coordinator follows the
// open-data link, is told next to the field what is wrong with an
// identifier, saves a good one, and the plan's IATI file reports under it.
func TestBrowserOpenData(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, _, _ := adoptedPlan(t, w, w.Token(coordA))
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	a11ySignIn(t, ctx, base, w.CoordA.Email)
	a11yOpen(t, ctx, base, fmt.Sprintf("/plans/%d", planID), 200)
	if href := chromeGet(t, ctx, chromedp.Evaluate[string](`(document.querySelector('a[href$="/iati.xml"]') || {}).href || ''`)); !strings.HasSuffix(href, fmt.Sprintf("/plans/%d/iati.xml", planID)) {
		t.Fatalf("plan page: IATI link %q", href)
	}
	screenshot(t, ctx, "1-plan")
	resp := chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", catalogMsg(t, en, "opendata.settings"))))
	if resp.Status != 200 || chromePath(t, ctx) != fmt.Sprintf("/municipalities/%d/open-data", w.A.ID) {
		t.Fatalf("open-data page: %d at %s", resp.Status, chromePath(t, ctx))
	}
	submit := chromedp.Click(chromedp.CSS(`form[action$="/open-data"] button[type="submit"]`))
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-org_ref"), "Bratunac municipality"))
	if resp := chromeNavigate(t, ctx, submit); resp.Status != 422 {
		t.Fatalf("malformed identifier: %d", resp.Status)
	}
	screenshot(t, ctx, "2-error")
	if got := chromeText(t, ctx, "#e-org_ref"); got != catalogMsg(t, en, "validation.iati_org_ref") {
		t.Errorf("error next to the field: %q", got)
	}
	chromeDo(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#f-org_ref').value = ''`),
		chromedp.SendKeys(chromedp.CSS("#f-org_ref"), "BA-MUN-1101"))
	if resp := chromeNavigate(t, ctx, submit); resp.Status != 200 {
		t.Fatalf("save: %d", resp.Status)
	}
	screenshot(t, ctx, "3-saved")
	if got := chromeText(t, ctx, "#iati-org-ref"); got != "BA-MUN-1101" {
		t.Errorf("identifier shown: %q", got)
	}
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`#iati-files a[href$="/iati.xml"]`)))
	ref := chromeGet(t, ctx, chromedp.Evaluate[string](`(document.getElementsByTagName('reporting-org')[0] || {getAttribute: () => ''}).getAttribute('ref')`))
	if ref != "BA-MUN-1101" {
		t.Errorf("IATI file in the browser: reporting-org ref %q", ref)
	}
}
