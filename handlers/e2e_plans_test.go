package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pakt/app/testkit"
)

// TestBrowserPlanFlow drives a Municipal Action Plan through its whole life in
// a real Chromium, in English: a coordinator drafts it (the high-priority need
// from a focus group is flagged until a measure answers it), adds an objective
// and a measure (with a refused amount on the way), publishes it for public
// consultation; an anonymous visitor in a fresh browser context comments; the
// coordinator publishes and answers the comment, submits the plan to the
// assembly and records its unanimous adoption.
func TestBrowserPlanFlow(t *testing.T) {
	t.Parallel()
	started := time.Now()
	w := newWorld(t)
	needID := seedNeed(t, w)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	muniPath := fmt.Sprintf("/municipalities/%d", w.A.ID)
	orgA, orgA2 := strconv.FormatInt(w.OrgA.ID, 10), strconv.FormatInt(w.OrgA2.ID, 10)

	const (
		needText    = "Prevoz do radnog mjesta"
		planTitle   = "Lokalni akcioni plan zapošljavanja – Općina Bratunac 2017–2018"
		periodStart = "2017-01-01"
		periodEnd   = "2018-12-31"
		objCode     = "C1"
		objTitle    = "Povećati zaposlenost ranjivih grupa – žene i Romi"
		mCode       = "M1"
		mTitle      = "Organizovani prevoz do radnog mjesta za Rome – čćžšđ"
		mStart      = "2017-03-01"
		mEnd        = "2018-06-30"
		indName     = "Zaposlene osobe iz romske zajednice"
		indUnit     = "osoba"
		amount0     = "1500.50"
		badAmount1  = "12.3.4"
		amount1     = "2000.25"
		funder1     = "UNDP"
		total       = "3,500.75 KM"
		closesOn    = "2099-12-31"
		commentText = "Prijedlog: uključiti i Općinu Srebrenica – prevoz je ključan za žene."
		answerText  = "Prihvaćeno; mjera M1 će uključiti i prevoz za žene."
		decidedOn   = "2017-04-27"
		decisionNo  = "01-022-47/17"
	)

	step := func(name string) { t.Helper(); t.Logf("%6.2fs %s", time.Since(started).Seconds(), name) }
	fail := func(c context.Context, shot, format string, args ...any) {
		t.Helper()
		screenshot(t, c, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, c)+")", args...)
	}
	wantStatus := func(c context.Context, shot string, got, want int64) {
		t.Helper()
		if got != want {
			fail(c, shot, "HTTP status %d, want %d", got, want)
		}
	}
	wantPath := func(c context.Context, shot, want string) {
		t.Helper()
		if got := chromePath(t, c); got != want {
			fail(c, shot, "at %s, want %s", got, want)
		}
	}
	wantText := func(c context.Context, shot, css, want string) {
		t.Helper()
		if got := chromeText(t, c, css); got != want {
			fail(c, shot, "%s text %q, want %q", css, got, want)
		}
	}
	wantValue := func(c context.Context, shot, css, want string) {
		t.Helper()
		if got := chromeGet(t, c, chromedp.Value(chromedp.CSS(css))); got != want {
			fail(c, shot, "%s value %q, want %q", css, got, want)
		}
	}
	count := func(c context.Context, css string) int {
		t.Helper()
		return chromeGet(t, c, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, css)))
	}
	checked := func(c context.Context, css string) bool {
		t.Helper()
		return chromeGet(t, c, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.checked })()`, css)))
	}
	selected := func(c context.Context, css string) []string {
		t.Helper()
		got := chromeGet(t, c, chromedp.Evaluate[[]string](fmt.Sprintf(
			`Array.from(document.querySelectorAll(%q), o => o.value)`, css+" option:checked")))
		slices.Sort(got)
		return got
	}
	mainText := func(c context.Context) string { t.Helper(); return chromeText(t, c, "main") }
	status := func(c context.Context) string { t.Helper(); return chromeText(t, c, "main span.status") }
	flash := func(c context.Context) string {
		t.Helper()
		if count(c, `main p[role="status"]`) == 0 {
			return ""
		}
		return chromeText(t, c, `main p[role="status"]`)
	}
	wantPlanStatus := func(c context.Context, shot, key string) {
		t.Helper()
		if got := status(c); got != msg(key) {
			fail(c, shot, "plan status %q, want %q (flash %q)", got, msg(key), flash(c))
		}
	}
	wantFlash := func(c context.Context, shot, key string) {
		t.Helper()
		if got := flash(c); got != msg(key) {
			fail(c, shot, "flash %q, want %q", got, msg(key))
		}
	}
	// openDetails waits for the plan action whose heading reads text: the
	// actions are plain visible forms, never folded away.
	openDetails := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//main//h3[normalize-space(.)=%s]`, xpathString(text))))
	}
	submitIn := func(action string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`main form[action="` + action + `"] button[type="submit"]:not(.default-submit):not([name="more"])`))
	}
	// clearField empties a text field as a user would (SetValue cannot set "").
	clearField := func(css string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Focus(chromedp.CSS(css)),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, css)),
			chromedp.KeyEvent(kb.Backspace),
		}
	}

	// 1. CoordA signs in, finds the plans of the municipality and creates one.
	step("1. sign in as CoordA and create a draft plan")
	resp := chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	wantStatus(ctx, "1a-login", resp.Status, 200)
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), w.CoordA.Email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password),
	)
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]:not(.default-submit):not([name="more"])`)))
	screenshot(t, ctx, "1a-dashboard")
	wantStatus(ctx, "1a-dashboard", resp.Status, 200)
	wantPath(ctx, "1a-dashboard", "/dashboard")
	if lang := chromeGet(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		fail(ctx, "1a-dashboard", "UI language %q, want en", lang)
	}
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", w.A.Name)))
	wantStatus(ctx, "1b-municipality", resp.Status, 200)
	wantPath(ctx, "1b-municipality", muniPath)
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("munav.plans"))))
	screenshot(t, ctx, "1c-plans")
	wantStatus(ctx, "1c-plans", resp.Status, 200)
	wantPath(ctx, "1c-plans", muniPath+"/plans")
	wantText(ctx, "1c-plans", "#new-plan", msg("plans.new"))
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
		typeText(chromedp.CSS("#f-title"), planTitle), // SendKeys would drop "ć"
		chromedp.SetValue(chromedp.CSS("#f-period_start"), periodStart),
		chromedp.SetValue(chromedp.CSS("#f-period_end"), periodEnd),
	)
	wantValue(ctx, "1d-new-plan", "#f-title", planTitle)
	wantValue(ctx, "1d-new-plan", "#f-period_start", periodStart)
	wantValue(ctx, "1d-new-plan", "#f-period_end", periodEnd)
	screenshot(t, ctx, "1d-new-plan")
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/plans"))
	screenshot(t, ctx, "1e-plan-draft")
	wantStatus(ctx, "1e-plan-draft", resp.Status, 200) // after the 303
	m := regexp.MustCompile(`^/plans/(\d+)$`).FindStringSubmatch(chromePath(t, ctx))
	if m == nil {
		fail(ctx, "1e-plan-draft", "not redirected to a plan page")
	}
	planID, _ := strconv.ParseInt(m[1], 10, 64)
	planPath := "/plans/" + m[1]
	wantText(ctx, "1e-plan-draft", "main h1", planTitle)
	wantPlanStatus(ctx, "1e-plan-draft", "plandoc.status.draft")
	wantFlash(ctx, "1e-plan-draft", "flash.saved")
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#needs-h")))
	wantText(ctx, "1e-plan-draft", "#needs-h", msg("plan.unanswered_needs"))
	needs := chromeGet(t, ctx, chromedp.Evaluate[[]string](`Array.from(
		document.querySelectorAll('section[aria-labelledby="needs-h"] li'), li => li.textContent.trim())`))
	if len(needs) != 1 || !strings.Contains(needs[0], needText) || !strings.Contains(needs[0], fmt.Sprintf("#%d", needID)) {
		fail(ctx, "1e-plan-draft", "unanswered needs %q, want need #%d %q", needs, needID, needText)
	}

	// 2. An objective, then a measure: a bad amount is refused on its row,
	// everything typed stays; the fixed measure answers the need.
	step("2. objective and measure")
	chromeDo(t, ctx,
		openDetails(msg("plan.add_objective")),
		chromedp.WaitVisible(chromedp.CSS("#f-code")),
		chromedp.SendKeys(chromedp.CSS("#f-code"), objCode),
		typeText(chromedp.CSS("#f-title"), objTitle),
	)
	wantValue(ctx, "2a-objective", "#f-title", objTitle)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/objectives"))
	screenshot(t, ctx, "2a-objective")
	wantStatus(ctx, "2a-objective", resp.Status, 200)
	wantPath(ctx, "2a-objective", planPath)
	wantFlash(ctx, "2a-objective", "flash.saved")
	wantText(ctx, "2a-objective", `section[aria-labelledby="measures-h"] h3`, objCode+" "+objTitle)

	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("measures.new"))))
	wantStatus(ctx, "2b-measure-form", resp.Status, 200)
	wantPath(ctx, "2b-measure-form", planPath+"/measures/new")
	wantText(ctx, "2b-measure-form", "main h1", msg("measures.new"))
	objID := chromeGet(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const o = Array.from(document.querySelectorAll('#f-objective_id option')).find(o => o.textContent.trim() === %q);
		return o ? o.value : '' })()`, objCode+" "+objTitle)))
	if objID == "" {
		fail(ctx, "2b-measure-form", "objective %q is not offered", objCode)
	}
	evidence := fmt.Sprintf(`input[type="checkbox"][name="evidence"][value="need:%d"]`, needID)
	if lbl := chromeGet(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const e = document.querySelector(%q); return e ? e.closest('label').textContent : '' })()`, evidence))); !strings.Contains(lbl, needText) {
		fail(ctx, "2b-measure-form", "evidence checkbox for need #%d reads %q", needID, lbl)
	}
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-code")),
		chromedp.SendKeys(chromedp.CSS("#f-code"), mCode),
		typeText(chromedp.CSS("#f-title"), mTitle),
		chromedp.SetValue(chromedp.CSS("#f-objective_id"), objID),
		chromedp.SetValue(chromedp.CSS("#f-lead_organisation_id"), orgA2),
		chromedp.Click(chromedp.CSS(`input[type="checkbox"][name="groups"][value="roma"]`)),
		chromedp.SetValue(chromedp.CSS("#f-start_date"), mStart),
		chromedp.SetValue(chromedp.CSS("#f-end_date"), mEnd),
		typeText(chromedp.CSS("#ind_name_0"), indName),
		chromedp.SendKeys(chromedp.CSS("#ind_unit_0"), indUnit),
		chromedp.SendKeys(chromedp.CSS("#ind_base_0"), "0"),
		chromedp.SendKeys(chromedp.CSS("#ind_target_0"), "25"),
		chromedp.SetValue(chromedp.CSS("#b_year_0"), "2017"),
		chromedp.SetValue(chromedp.CSS("#b_source_0"), "municipal"),
		chromedp.SendKeys(chromedp.CSS("#b_amount_0"), amount0),
		chromedp.SetValue(chromedp.CSS("#b_year_1"), "2018"),
		chromedp.SetValue(chromedp.CSS("#b_source_1"), "donor"),
		chromedp.SendKeys(chromedp.CSS("#b_funder_1"), funder1),
		chromedp.SendKeys(chromedp.CSS("#b_amount_1"), badAmount1),
		chromedp.Click(chromedp.CSS(evidence)),
	)
	if n := chromeGet(t, ctx, chromedp.Evaluate[int](fmt.Sprintf(`(() => {
		let n = 0;
		for (const o of document.querySelectorAll('#f-partner_organisation_ids option')) {
			if (o.value === %q) { o.selected = true; n++ }
		}
		return n })()`, orgA))); n != 1 {
		fail(ctx, "2c-measure-filled", "partner select has %d options for organisation %s, want 1", n, orgA)
	}
	// wantMeasureForm checks that the form holds what was typed (amount1 in row 1).
	wantMeasureForm := func(shot, amount1 string) {
		t.Helper()
		for css, want := range map[string]string{
			"#f-code": mCode, "#f-title": mTitle, "#f-objective_id": objID, "#f-lead_organisation_id": orgA2,
			"#f-start_date": mStart, "#f-end_date": mEnd,
			"#ind_name_0": indName, "#ind_unit_0": indUnit, "#ind_base_0": "0", "#ind_target_0": "25",
			"#b_year_0": "2017", "#b_source_0": "municipal", "#b_amount_0": amount0,
			"#b_year_1": "2018", "#b_source_1": "donor", "#b_funder_1": funder1, "#b_amount_1": amount1,
		} {
			wantValue(ctx, shot, css, want)
		}
		if got := selected(ctx, "#f-partner_organisation_ids"); !slices.Equal(got, []string{orgA}) {
			fail(ctx, shot, "partners selected %q, want [%s]", got, orgA)
		}
		groups := chromeGet(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input[name="groups"]:checked'), e => e.value)`))
		if !slices.Equal(groups, []string{"roma"}) {
			fail(ctx, shot, "groups checked %q, want [roma]", groups)
		}
		if !checked(ctx, evidence) {
			fail(ctx, shot, "evidence need #%d is not ticked", needID)
		}
	}
	wantMeasureForm("2c-measure-filled", badAmount1)
	screenshot(t, ctx, "2c-measure-filled")

	resp = chromeNavigate(t, ctx, submitIn(planPath+"/measures"))
	screenshot(t, ctx, "2d-bad-amount")
	wantStatus(ctx, "2d-bad-amount", resp.Status, 422)
	wantPath(ctx, "2d-bad-amount", planPath+"/measures/new") // the form's own page (PRG)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-b_amount_1")))
	wantText(ctx, "2d-bad-amount", "#e-b_amount_1", msg("validation.amount_in"))
	if attrs := chromeGet(t, ctx, chromedp.Attributes(chromedp.CSS("#b_amount_1"))); attrs["aria-invalid"] != "true" || attrs["aria-describedby"] != "e-b_amount_1" {
		fail(ctx, "2d-bad-amount", "amount field of row 1 not marked invalid: %v", attrs)
	}
	if n := count(ctx, "main .field-error"); n != 1 {
		fail(ctx, "2d-bad-amount", "%d field errors, want only the amount of row 1", n)
	}
	wantMeasureForm("2d-bad-amount", badAmount1)

	chromeDo(t, ctx, clearField("#b_amount_1")...)
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#b_amount_1"), amount1))
	wantValue(ctx, "2e-amount-fixed", "#b_amount_1", amount1)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/measures"))
	screenshot(t, ctx, "2e-measure-saved")
	wantStatus(ctx, "2e-measure-saved", resp.Status, 200)
	wantPath(ctx, "2e-measure-saved", planPath)
	wantFlash(ctx, "2e-measure-saved", "flash.saved")
	type row struct{ Code, Title, Lead, Budget, Evidence string }
	rows := chromeGet(t, ctx, chromedp.Evaluate[[]row](`Array.from(
		document.querySelectorAll('section[aria-labelledby="measures-h"] tbody tr'),
		tr => ({Code: tr.cells[0].textContent.trim(), Title: tr.cells[1].querySelector('strong').textContent.trim(),
			Lead: tr.cells[2].textContent.trim(), Budget: tr.cells[5].textContent.trim(), Evidence: tr.cells[6].textContent.trim()}))`))
	if len(rows) != 1 {
		fail(ctx, "2e-measure-saved", "%d measure rows, want 1: %q", len(rows), rows)
	}
	r := rows[0]
	if r.Code != mCode || r.Title != mTitle || !strings.HasPrefix(r.Lead, w.OrgA2.Name) || !strings.Contains(r.Lead, "+ "+w.OrgA.Name) ||
		r.Budget != total || r.Evidence != fmt.Sprintf("%s #%d", msg("evidence.need"), needID) {
		fail(ctx, "2e-measure-saved", "measure row %+v", r)
	}
	wantText(ctx, "2e-measure-saved", `section[aria-labelledby="budget-h"] tfoot td:last-child`, total)
	if n := count(ctx, `section[aria-labelledby="timeline-h"] img.timeline[alt]`); n != 1 {
		fail(ctx, "2e-measure-saved", "%d timeline images, want 1", n)
	}
	if n := count(ctx, "#needs-h"); n != 0 {
		fail(ctx, "2e-measure-saved", "the unanswered-needs box is still shown: %q", chromeText(t, ctx, `section[aria-labelledby="needs-h"]`))
	}

	// 3. Publish for public consultation.
	step("3. open the public consultation")
	chromeDo(t, ctx,
		openDetails(msg("plan.open_consultation")),
		chromedp.WaitVisible(chromedp.CSS("#f-closes_on")),
		chromedp.SetValue(chromedp.CSS("#f-closes_on"), closesOn),
	)
	wantValue(ctx, "3-consultation", "#f-closes_on", closesOn)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/consultation"))
	screenshot(t, ctx, "3-consultation")
	wantStatus(ctx, "3-consultation", resp.Status, 200)
	wantPath(ctx, "3-consultation", planPath)
	wantPlanStatus(ctx, "3-consultation", "plandoc.status.public_consultation")
	wantFlash(ctx, "3-consultation", "flash.consultation_opened")
	if txt := mainText(ctx); !strings.Contains(txt, msg("plan.consultation_until")) || !strings.Contains(txt, "2099") {
		fail(ctx, "3-consultation", "the closing date is not shown")
	}
	wantText(ctx, "3-consultation", `section[aria-labelledby="comments-h"] p:not(:first-of-type)`, msg("consultation.none"))

	// 4. An anonymous visitor, in a fresh browser context without cookies,
	// comments on the public page; the comment awaits review.
	step("4. anonymous comment")
	if w.A.Slug != "bratunac" {
		t.Fatalf("municipality slug %q, want bratunac", w.A.Slug)
	}
	publicPath := fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)
	// A new BrowserContext of the same browser: its own cookie jar, so no
	// session. Its first action must run on anon itself, not inside a step's
	// timeout: the first run binds the tab to the context it runs on, and a
	// tab bound to a step context stops answering once that step ends.
	anon, anonCancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer anonCancel()
	if err := chromedp.Do(anon); err != nil {
		t.Fatalf("open a fresh browser context: %v", err)
	}
	resp = chromeNavigate(t, anon, chromedp.Navigate(base+publicPath))
	screenshot(t, anon, "4a-public")
	wantStatus(anon, "4a-public", resp.Status, 200)
	wantPath(anon, "4a-public", publicPath)
	if n := count(anon, `form[action="/logout"]`); n != 0 {
		fail(anon, "4a-public", "the visitor is signed in")
	}
	if lang := chromeGet(t, anon, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		fail(anon, "4a-public", "UI language %q, want en", lang)
	}
	wantText(anon, "4a-public", "main h1", planTitle)
	wantPlanStatus(anon, "4a-public", "plandoc.status.public_consultation")
	wantText(anon, "4a-public", `section[aria-labelledby="budget-h"] tfoot td:last-child`, total)
	wantText(anon, "4a-public", "#comment-form-h", msg("consultation.add"))
	commentForm := publicPath + "/comments"
	chromeDo(t, anon,
		chromedp.WaitVisible(chromedp.CSS("#f-text")),
		typeText(chromedp.CSS("#f-text"), commentText),
	)
	wantValue(anon, "4b-comment", "#f-name", "")
	wantValue(anon, "4b-comment", "#f-text", commentText)
	screenshot(t, anon, "4b-comment")
	resp = chromeNavigate(t, anon, submitIn(commentForm))
	screenshot(t, anon, "4c-comment-sent")
	wantStatus(anon, "4c-comment-sent", resp.Status, 200)
	wantPath(anon, "4c-comment-sent", publicPath)
	wantFlash(anon, "4c-comment-sent", "flash.comment_received")
	if n := count(anon, "article.comment"); n != 0 {
		fail(anon, "4c-comment-sent", "%d comments shown before review, want 0", n)
	}
	if strings.Contains(mainText(anon), commentText) {
		fail(anon, "4c-comment-sent", "the comment is public before review")
	}
	if txt := chromeText(t, anon, `section[aria-labelledby="pub-comments-h"]`); !strings.Contains(txt, msg("consultation.none_public")) {
		fail(anon, "4c-comment-sent", "comments section reads %q", txt)
	}

	// 5. The coordinator publishes the comment and answers it.
	step("5. publish and answer the comment")
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+planPath))
	wantStatus(ctx, "5a-comment-listed", resp.Status, 200)
	type comment struct{ ID, Header, Text, Answer string }
	comments := func(c context.Context) []comment {
		t.Helper()
		return chromeGet(t, c, chromedp.Evaluate[[]comment](`Array.from(document.querySelectorAll('main article.comment'), a => {
			const s = a.querySelector('header strong'), ps = a.querySelectorAll(':scope > p');
			return {ID: s ? s.textContent.trim().replace(/^#/, '') : '', Header: a.querySelector('header').textContent.replace(/\s+/g, ' ').trim(),
				Text: a.querySelector('p.prewrap').textContent.trim(), Answer: ps.length > 1 ? ps[1].textContent.replace(/\s+/g, ' ').trim() : ''} })`))
	}
	cs := comments(ctx)
	screenshot(t, ctx, "5a-comment-listed")
	if len(cs) != 1 || cs[0].Text != commentText || cs[0].ID == "" {
		fail(ctx, "5a-comment-listed", "comments %q, want one with %q", cs, commentText)
	}
	cid := cs[0].ID
	if h := cs[0].Header; !strings.Contains(h, msg("consultation.anonymous")) || !strings.Contains(h, msg("consultation.moderation.pending")) {
		fail(ctx, "5a-comment-listed", "comment header %q lacks %q / %q", h, msg("consultation.anonymous"), msg("consultation.moderation.pending"))
	}
	publish := chromedp.Search(fmt.Sprintf(`//main//form[@action="/comments/%s/moderate"]//button[@name="action" and @value="approve" and normalize-space(.)=%s]`,
		cid, xpathString(msg("consultation.approve"))))
	resp = chromeNavigate(t, ctx, chromedp.Click(publish))
	screenshot(t, ctx, "5b-comment-published")
	wantStatus(ctx, "5b-comment-published", resp.Status, 200)
	wantPath(ctx, "5b-comment-published", planPath)
	wantFlash(ctx, "5b-comment-published", "flash.saved")
	if cs := comments(ctx); len(cs) != 1 || !strings.Contains(cs[0].Header, msg("consultation.moderation.approved")) {
		fail(ctx, "5b-comment-published", "comment not marked published: %q", cs)
	}
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#dec-"+cid)),
		chromedp.SetValue(chromedp.CSS("#dec-"+cid), "accepted"),
		typeText(chromedp.CSS("#resp-"+cid), answerText),
	)
	wantValue(ctx, "5c-answer", "#dec-"+cid, "accepted")
	wantValue(ctx, "5c-answer", "#resp-"+cid, answerText)
	answer := chromedp.Search(fmt.Sprintf(`//main//form[@action="/comments/%s/response"]//button[@type="submit" and normalize-space(.)=%s]`,
		cid, xpathString(msg("consultation.answer"))))
	resp = chromeNavigate(t, ctx, chromedp.Click(answer))
	screenshot(t, ctx, "5c-answered")
	wantStatus(ctx, "5c-answered", resp.Status, 200)
	wantPath(ctx, "5c-answered", planPath)
	wantFlash(ctx, "5c-answered", "flash.saved")
	if cs := comments(ctx); len(cs) != 1 || cs[0].Answer != msg("consultation.decision.accepted")+": "+answerText {
		fail(ctx, "5c-answered", "comment answer %q, want %q", cs, msg("consultation.decision.accepted")+": "+answerText)
	}

	resp = chromeNavigate(t, anon, chromedp.Navigate(base+publicPath))
	screenshot(t, anon, "5d-public-answer")
	wantStatus(anon, "5d-public-answer", resp.Status, 200)
	pcs := comments(anon)
	wantAnswer := msg("consultation.commission_answer") + ": " + msg("consultation.decision.accepted") + " — " + answerText
	if len(pcs) != 1 || pcs[0].Text != commentText || pcs[0].Answer != wantAnswer || !strings.HasPrefix(pcs[0].Header, msg("consultation.anonymous")) {
		fail(anon, "5d-public-answer", "public comments %q, want %q answered %q", pcs, commentText, wantAnswer)
	}

	// 6. Submit to the assembly and record the unanimous adoption.
	step("6. submit and adopt")
	// The consultation is announced until 2099: sending the plan now ends
	// it early, which the coordinator confirms explicitly (issue #17).
	chromeDo(t, ctx, chromedp.Click(chromedp.CSS(`#f-end_consultation`)))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.Search(fmt.Sprintf(
		`//main//form[@action="%s/submit"]//button[normalize-space(.)=%s]`, planPath, xpathString(msg("plan.submit"))))))
	screenshot(t, ctx, "6a-submitted")
	wantStatus(ctx, "6a-submitted", resp.Status, 200)
	wantPath(ctx, "6a-submitted", planPath)
	wantPlanStatus(ctx, "6a-submitted", "plandoc.status.submitted")
	wantFlash(ctx, "6a-submitted", "flash.plan_submitted")
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//main//h3[normalize-space(.)=%s]`, xpathString(msg("plan.record_adoption"))))),
		chromedp.WaitVisible(chromedp.CSS("#f-decided_on")), // the adoption form is open
		chromedp.SetValue(chromedp.CSS("#f-decided_on"), decidedOn),
		chromedp.SendKeys(chromedp.CSS("#f-decision_number"), decisionNo),
		chromedp.SendKeys(chromedp.CSS("#f-votes_for"), "21"),
		chromedp.SetValue(chromedp.CSS("#f-votes_against"), "0"),
		chromedp.SetValue(chromedp.CSS("#f-votes_abstained"), "0"),
	)
	for css, want := range map[string]string{"#f-decided_on": decidedOn, "#f-decision_number": decisionNo,
		"#f-votes_for": "21", "#f-votes_against": "0", "#f-votes_abstained": "0"} {
		wantValue(ctx, "6b-adoption", css, want)
	}
	screenshot(t, ctx, "6b-adoption")
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/adoption"))
	screenshot(t, ctx, "6c-adopted")
	wantStatus(ctx, "6c-adopted", resp.Status, 200)
	wantPath(ctx, "6c-adopted", planPath)
	wantPlanStatus(ctx, "6c-adopted", "plandoc.status.adopted")
	wantFlash(ctx, "6c-adopted", "flash.plan_adopted")
	adoption := chromeGet(t, ctx, chromedp.Evaluate[string](`(() => {
		const p = document.querySelector('main p.flash:not([role])');
		return p ? p.textContent.replace(/\s+/g, ' ').trim() : '' })()`))
	if !strings.Contains(adoption, msg("plan.adopted_on")) || !strings.Contains(adoption, decisionNo) ||
		!strings.Contains(adoption, msg("plan.unanimous")+" (21 "+msg("plan.votes_for")+")") || !strings.Contains(adoption, "2017") {
		fail(ctx, "6c-adopted", "adoption line %q", adoption)
	}
	wantText(ctx, "6c-adopted", "main p.flash:not([role]) strong", msg("plan.unanimous"))
	if n := count(ctx, `main form[action="`+planPath+`/adoption"]`); n != 0 {
		fail(ctx, "6c-adopted", "the adoption form is still offered")
	}

	// 7. The database agrees.
	step("7. database")
	var dbStatus string
	if err := w.DB.Raw(`SELECT status FROM action_plans WHERE id = ?`, planID).Scan(&dbStatus).Error; err != nil {
		t.Fatal(err)
	}
	if dbStatus != "adopted" {
		t.Errorf("plan %d has status %q in the database, want adopted", planID, dbStatus)
	}
	var dbComments []struct {
		Decision   *string
		Moderation string
		Name       string
		Text       string
	}
	if err := w.DB.Raw(`SELECT decision, moderation, coalesce(name, '') AS name, text FROM plan_comments WHERE plan_id = ?`, planID).Scan(&dbComments).Error; err != nil {
		t.Fatal(err)
	}
	if len(dbComments) != 1 {
		t.Fatalf("plan %d has %d comments in the database, want 1", planID, len(dbComments))
	}
	if c := dbComments[0]; c.Decision == nil || *c.Decision != "accepted" || c.Moderation != "approved" || c.Name != "" || c.Text != commentText {
		t.Errorf("comment in the database: decision %v, moderation %q, name %q, text %q", c.Decision, c.Moderation, c.Name, c.Text)
	}

	t.Logf("browser flow took %s", time.Since(started).Round(time.Millisecond))
}
