package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
)

// TestBrowserSitanQuestionnaire drives a real Chromium: a partner finds the
// questionnaire on the dashboard, types text into a number (refused next to
// the field), answers and submits; the coordinator then sees the indicator
// on the analysis overview, with the partner as its source.
func TestBrowserSitanQuestionnaire(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	total := sitanQuestionID(t, w, f.QSent, "registered_unemployed")
	coop := sitanQuestionID(t, w, f.QSent, "csw_cooperation")
	qPath := fmt.Sprintf("/questionnaires/%d", f.QSent.ID)
	field := func(part string) string { return "#" + sitanField(total, part) }

	signIn := func(email string) {
		t.Helper()
		resp := chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
		if resp.Status != 200 {
			t.Fatalf("login page: %d", resp.Status)
		}
		chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password))
		if resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]:not(.default-submit):not([name="more"])`))); resp.Status != 200 || chromePath(t, ctx) != "/dashboard" {
			t.Fatalf("sign in as %s: %d at %s", email, resp.Status, chromePath(t, ctx))
		}
	}

	// The partner (employment service) finds its questionnaire on the dashboard.
	signIn(member)
	screenshot(t, ctx, "1-dashboard")
	if got := chromeText(t, ctx, "ul.tasks .task-kind"); got != catalogMsg(t, en, "task.questionnaire")+":" {
		t.Fatalf("task kind %q", got)
	}
	resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`ul.tasks a[href="`+qPath+`"]`)))
	if resp.Status != 200 || chromePath(t, ctx) != qPath {
		t.Fatalf("questionnaire: %d at %s", resp.Status, chromePath(t, ctx))
	}

	// Text in a number is refused next to the field, the typed value kept.
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS(field("")), "oko tri hiljade"))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS("#save-answers")))
	screenshot(t, ctx, "2-bad-number")
	if resp.Status != 422 {
		t.Fatalf("bad number: %d", resp.Status)
	}
	if got := chromeText(t, ctx, "#e-"+sitanField(total, "")); got != catalogMsg(t, en, "sitan.error.number") {
		t.Fatalf("field error %q", got)
	}
	attrs := chromeGet(t, ctx, chromedp.Attributes(chromedp.CSS(field(""))))
	if attrs["aria-invalid"] != "true" || attrs["value"] != "oko tri hiljade" {
		t.Fatalf("field not marked invalid or value lost: %v", attrs)
	}

	// Answer properly and submit.
	chromeDo(t, ctx,
		chromedp.SetValue(chromedp.CSS(field("")), "2900"),
		chromedp.SendKeys(chromedp.CSS(field("women")), "1500"),
		chromedp.SendKeys(chromedp.CSS(field("men")), "1400"),
		chromedp.SetValue(chromedp.CSS("#"+sitanField(coop, "")), "monthly"),
	)
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS("#submit-answers")))
	screenshot(t, ctx, "3-submitted")
	if resp.Status != 200 || chromePath(t, ctx) != qPath {
		t.Fatalf("submit: %d at %s", resp.Status, chromePath(t, ctx))
	}
	if got := chromeText(t, ctx, `main p[role="status"]`); got != catalogMsg(t, en, "sitan.flash.submitted") {
		t.Fatalf("flash %q", got)
	}
	if got := chromeText(t, ctx, "#q-status"); got != catalogMsg(t, en, "sitan.qstatus.submitted") {
		t.Fatalf("status %q", got)
	}
	if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#answers').length`)); n != 0 {
		t.Fatal("submitted answers are still editable")
	}
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))

	// The coordinator sees the indicator, from the partner.
	signIn(coordA)
	resp = chromeNavigate(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/situation-analyses/%d", base, f.S.ID)))
	screenshot(t, ctx, "4-overview")
	if resp.Status != 200 {
		t.Fatalf("overview: %d", resp.Status)
	}
	row := `tr[data-indicator="registered_unemployed"]`
	if got := chromeText(t, ctx, row+" td.value"); got != "2,900" {
		t.Fatalf("indicator value %q", got)
	}
	if got := chromeText(t, ctx, row+" ul.sources"); !strings.Contains(got, w.OrgA2.Name+": 2,900") {
		t.Fatalf("indicator source %q", got)
	}
	cells := chromeGet(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('`+row+` td.num'), td => td.textContent.trim())`))
	if strings.Join(cells, "|") != "2,900|1,500|1,400" {
		t.Fatalf("indicator cells %q", cells)
	}
	if got := chromeText(t, ctx, "#progress"); got != "Asked: 2 · answered: 2 · late: 0" {
		t.Fatalf("progress %q", got)
	}
}
