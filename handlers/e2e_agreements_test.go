package handlers_test

import (
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

// TestBrowserAgreementFlow drives a partnership agreement through its whole
// life in a real Chromium, in English: a coordinator drafts it (with a field
// error on the way), opens it for signature, a member and then the
// coordinator sign it with their passwords (one wrong try), and it is in
// force with a signature certificate and a PDF.
func TestBrowserAgreementFlow(t *testing.T) {
	t.Parallel()
	started := time.Now()
	w := newWorld(t)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	muniPath := fmt.Sprintf("/municipalities/%d", w.A.ID)
	orgA, orgA2 := strconv.FormatInt(w.OrgA.ID, 10), strconv.FormatInt(w.OrgA2.ID, 10)
	coordA, memA := strconv.FormatInt(w.CoordA.ID, 10), strconv.FormatInt(w.MemA.ID, 10)

	const (
		title     = "Protokol o saradnji – Općina i Biro Bratunac"
		goal      = "Zajedno smanjiti nezaposlenost mladih u Bratuncu – više posla za 50 mladih."
		bodyLine1 = "Član 1. Strane se obavezuju na saradnju."
		bodyLine2 = "Član 2. Biro vodi evidenciju, Općina osigurava prostor."
		body      = bodyLine1 + "\n" + bodyLine2
		action    = "Organizovati sajam zapošljavanja za mlade"
		validFrom = "2017-01-01"
		validTo   = "2018-12-31"
		due       = "2018-06-30"
	)

	step := func(name string) { t.Helper(); t.Logf("%6.2fs %s", time.Since(started).Seconds(), name) }
	fail := func(shot, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}
	wantStatus := func(shot string, got, want int64) {
		t.Helper()
		if got != want {
			fail(shot, "status %d, want %d", got, want)
		}
	}
	wantPath := func(shot, want string) {
		t.Helper()
		if got := chromePath(t, ctx); got != want {
			fail(shot, "at %s, want %s", got, want)
		}
	}
	wantText := func(shot, css, want string) {
		t.Helper()
		if got := chromeText(t, ctx, css); got != want {
			fail(shot, "%s text %q, want %q", css, got, want)
		}
	}
	wantValue := func(shot, css, want string) {
		t.Helper()
		got := chromeGet(t, ctx, chromedp.Value(chromedp.CSS(css)))
		// A textarea's value has "\n" line ends whatever the server sent.
		if strings.ReplaceAll(got, "\r\n", "\n") != want {
			fail(shot, "%s value %q, want %q", css, got, want)
		}
	}
	selected := func(css string) []string {
		t.Helper()
		return chromeGet(t, ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
			`Array.from(document.querySelectorAll(%q), o => o.value)`, css+" option:checked")))
	}
	wantSelected := func(shot, css string, want ...string) {
		t.Helper()
		got := selected(css)
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			fail(shot, "%s selected %q, want %q", css, got, want)
		}
	}
	status := func() string { t.Helper(); return chromeText(t, ctx, "main span.status") }
	flash := func() string { t.Helper(); return chromeText(t, ctx, `main p[role="status"]`) }
	logout := func(shot string) {
		t.Helper()
		resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
		wantStatus(shot, resp.Status, 200)
		wantPath(shot, "/login")
	}
	login := func(shot, email string) {
		t.Helper()
		if chromePath(t, ctx) != "/login" {
			resp := chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
			wantStatus(shot, resp.Status, 200)
		}
		chromeDo(t, ctx,
			chromedp.WaitVisible(chromedp.CSS("#f-email")),
			chromedp.SendKeys(chromedp.CSS("#f-email"), email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password),
		)
		resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]:not(.default-submit):not([name="more"])`)))
		screenshot(t, ctx, shot)
		wantStatus(shot, resp.Status, 200)
		wantPath(shot, "/dashboard")
		wantText(shot, "main h1", msg("dashboard.title"))
	}
	submitForm := chromedp.Click(chromedp.CSS(`main form button[type="submit"]:not(.default-submit):not([name="more"])`)) // the draft form is the only form in main

	// 1. CoordA signs in and goes to a new agreement through the pages.
	step("1. sign in as CoordA")
	login("1a-dashboard-coord", w.CoordA.Email)
	resp := chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", w.A.Name)))
	wantStatus("1b-municipality", resp.Status, 200)
	wantPath("1b-municipality", muniPath)
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("munav.agreements"))))
	screenshot(t, ctx, "1c-agreements")
	wantStatus("1c-agreements", resp.Status, 200)
	wantPath("1c-agreements", muniPath+"/agreements")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("agreements.new"))))
	wantStatus("1d-new", resp.Status, 200)
	wantPath("1d-new", muniPath+"/agreements/new")
	wantText("1d-new", "main h1", msg("agreements.new"))

	// 2. Fill in the draft and save it.
	step("2. fill in the draft")
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
		typeText(chromedp.CSS("#f-title"), title), // SendKeys would drop the "ć"
		chromedp.Click(chromedp.CSS(`input[type="radio"][name="level"][value="coordination"]`)),
		typeText(chromedp.CSS("#f-goal"), goal),
		typeText(chromedp.CSS("#f-body"), body), // "\n" is an Enter key press
		chromedp.SetValue(chromedp.CSS("#f-valid_from"), validFrom),
		chromedp.SetValue(chromedp.CSS("#f-valid_to"), validTo),
		chromedp.SetValue(chromedp.CSS("#party_org_0"), orgA),
		chromedp.SetValue(chromedp.CSS("#party_signer_0"), coordA),
		chromedp.SetValue(chromedp.CSS("#party_org_1"), orgA2),
		chromedp.SetValue(chromedp.CSS("#party_signer_1"), memA),
		typeText(chromedp.CSS("#c_action_0"), action),
		chromedp.SetValue(chromedp.CSS("#c_resp_0"), orgA2),
		chromedp.SetValue(chromedp.CSS("#c_due_0"), due),
	)
	if n := chromeGet(t, ctx, chromedp.Evaluate[int](fmt.Sprintf(`(() => {
		let n = 0;
		for (const o of document.querySelectorAll('#c_support_0 option')) {
			if (o.value === %q) { o.selected = true; n++ }
		}
		return n })()`, orgA))); n != 1 {
		fail("2-form", "c_support_0 has %d options for organisation %s, want 1", n, orgA)
	}
	wantValue("2-form", "#f-title", title)
	wantValue("2-form", "#f-goal", goal)
	wantValue("2-form", "#f-body", body)
	wantValue("2-form", "#f-valid_from", validFrom)
	wantValue("2-form", "#f-valid_to", validTo)
	wantValue("2-form", "#party_org_0", orgA)
	wantValue("2-form", "#party_signer_0", coordA)
	wantValue("2-form", "#party_org_1", orgA2)
	wantValue("2-form", "#party_signer_1", memA)
	wantValue("2-form", "#c_action_0", action)
	wantValue("2-form", "#c_resp_0", orgA2)
	wantValue("2-form", "#c_due_0", due)
	wantSelected("2-form", "#c_support_0", orgA)
	if lvl := chromeGet(t, ctx, chromedp.Evaluate[string](`document.querySelector('input[name="level"]:checked').value`)); lvl != "coordination" {
		fail("2-form", "level %q is checked, want coordination", lvl)
	}
	screenshot(t, ctx, "2a-form-filled")
	resp = chromeNavigate(t, ctx, submitForm)
	screenshot(t, ctx, "2b-draft-saved")
	wantStatus("2b-draft-saved", resp.Status, 200) // after the 303
	m := regexp.MustCompile(`^/agreements/(\d+)$`).FindStringSubmatch(chromePath(t, ctx))
	if m == nil {
		fail("2b-draft-saved", "not redirected to an agreement page")
	}
	agID, _ := strconv.ParseInt(m[1], 10, 64)
	agPath := "/agreements/" + m[1]
	wantText("2b-draft-saved", "main h1", title)
	if got := status(); got != msg("agreement.status.draft") {
		fail("2b-draft-saved", "status %q, want %q", got, msg("agreement.status.draft"))
	}
	wantText("2b-draft-saved", `main p[role="status"]`, msg("flash.saved"))

	// 3. A cleared title is refused with a field error; the rest stays typed.
	step("3. edit with an empty title")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("action.edit"))))
	wantStatus("3a-edit", resp.Status, 200)
	wantPath("3a-edit", agPath+"/edit")
	wantText("3a-edit", "main h1", msg("agreements.edit"))
	wantValue("3a-edit", "#f-title", title)
	wantValue("3a-edit", "#f-body", body)
	wantSelected("3a-edit", "#c_support_0", orgA)
	// Select the whole title and delete it, as a user would. (chromedp.SetValue
	// cannot set "": cdproto's CallArgument.Value is omitempty, so the empty
	// string arrives as undefined and the field would read "undefined".)
	chromeDo(t, ctx,
		chromedp.Focus(chromedp.CSS("#f-title")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#f-title').select()`),
		chromedp.KeyEvent(kb.Backspace),
	)
	resp = chromeNavigate(t, ctx, submitForm)
	screenshot(t, ctx, "3b-empty-title")
	wantStatus("3b-empty-title", resp.Status, 422)
	wantPath("3b-empty-title", agPath+"/edit") // the form's own page: reloading posts nothing (PRG)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-title")))
	wantText("3b-empty-title", "#e-title", msg("validation.required"))
	attrs := chromeGet(t, ctx, chromedp.Attributes(chromedp.CSS("#f-title")))
	if attrs["aria-invalid"] != "true" || attrs["aria-describedby"] != "e-title" {
		fail("3b-empty-title", "title field not marked invalid: %v", attrs)
	}
	wantValue("3b-empty-title", "#f-title", "")
	wantValue("3b-empty-title", "#f-goal", goal)
	wantValue("3b-empty-title", "#f-body", body)
	wantValue("3b-empty-title", "#f-valid_from", validFrom)
	wantValue("3b-empty-title", "#f-valid_to", validTo)
	wantValue("3b-empty-title", "#party_org_1", orgA2)
	wantValue("3b-empty-title", "#party_signer_1", memA)
	wantValue("3b-empty-title", "#c_action_0", action)
	wantSelected("3b-empty-title", "#c_support_0", orgA)
	if lvl := chromeGet(t, ctx, chromedp.Evaluate[string](`document.querySelector('input[name="level"]:checked').value`)); lvl != "coordination" {
		fail("3b-empty-title", "level %q is checked, want coordination", lvl)
	}
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-title"), title))
	wantValue("3c-title-restored", "#f-title", title)
	resp = chromeNavigate(t, ctx, submitForm)
	screenshot(t, ctx, "3c-saved-again")
	wantStatus("3c-saved-again", resp.Status, 200)
	wantPath("3c-saved-again", agPath)
	wantText("3c-saved-again", "main h1", title)
	wantText("3c-saved-again", `main p[role="status"]`, msg("flash.saved"))

	// 4. Open it for signature: the text is frozen with its SHA-256.
	step("4. open for signature")
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="`+agPath+`/open"] button[type="submit"]:not(.default-submit):not([name="more"])`)))
	screenshot(t, ctx, "4-opened")
	wantStatus("4-opened", resp.Status, 200)
	wantPath("4-opened", agPath)
	if got := status(); got != msg("agreement.status.open_for_signature") {
		fail("4-opened", "status %q, want %q (flash %q)", got, msg("agreement.status.open_for_signature"), flash())
	}
	wantText("4-opened", `main p[role="status"]`, msg("flash.agreement_opened"))
	sha := chromeGet(t, ctx, chromedp.Evaluate[string](`(() => {
		for (const dt of document.querySelectorAll('main dl.kv dt')) {
			if (dt.textContent.trim() === 'SHA-256') return dt.nextElementSibling.querySelector('code').textContent.trim();
		}
		return '' })()`))
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(sha) {
		fail("4-opened", "SHA-256 shown is %q", sha)
	}
	// CoordA signs for OrgA too, so the sign box is here already; CoordA signs last.
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("section.sign-box")))

	// 5. MemA finds the task on the dashboard and signs (after a wrong password).
	step("5. MemA signs")
	logout("5a-signed-out")
	login("5b-dashboard-mem", w.MemA.Email)
	type task struct{ Kind, Title, Href string }
	tasks := chromeGet(t, ctx, chromedp.Evaluate[[]task](`Array.from(
		document.querySelectorAll('section[aria-labelledby="my-tasks"] ul.tasks li'),
		li => ({Kind: li.querySelector('.task-kind').textContent.trim(),
			Title: li.querySelector('a').textContent.trim(),
			Href: li.querySelector('a').getAttribute('href')}))`))
	wantTask := task{msg("task.sign") + ":", title, agPath}
	if !slices.Contains(tasks, wantTask) {
		fail("5b-dashboard-mem", "tasks %q lack %q", tasks, wantTask)
	}
	if h := chromeText(t, ctx, "#my-tasks"); h != msg("dashboard.tasks") {
		fail("5b-dashboard-mem", "task heading %q, want %q", h, msg("dashboard.tasks"))
	}
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText(`//section[@aria-labelledby="my-tasks"]`, title)))
	wantStatus("5c-agreement-mem", resp.Status, 200)
	wantPath("5c-agreement-mem", agPath)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("section.sign-box")))
	wantText("5c-agreement-mem", "#sign-h", msg("sign.title"))
	if got := chromeText(t, ctx, "section.sign-box code"); got != sha {
		fail("5c-agreement-mem", "sign box shows SHA-256 %q, want %q", got, sha)
	}
	screenshot(t, ctx, "5c-agreement-mem")
	signButton := chromedp.Click(chromedp.CSS(`main form[action="` + agPath + `/sign"] button[type="submit"]:not(.default-submit):not([name="more"])`))

	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), "not-the-password"))
	resp = chromeNavigate(t, ctx, signButton)
	screenshot(t, ctx, "5d-wrong-password")
	wantStatus("5d-wrong-password", resp.Status, 422)
	wantPath("5d-wrong-password", agPath) // the page of the sign form (PRG)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-password")))
	wantText("5d-wrong-password", "#e-password", msg("sign.wrong_password"))
	if got := status(); got != msg("agreement.status.open_for_signature") {
		fail("5d-wrong-password", "status %q after a wrong password", got)
	}

	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password))
	resp = chromeNavigate(t, ctx, signButton)
	screenshot(t, ctx, "5e-signed-mem")
	wantStatus("5e-signed-mem", resp.Status, 200)
	wantPath("5e-signed-mem", agPath)
	if got := flash(); got != msg("flash.signed") {
		fail("5e-signed-mem", "flash %q, want %q", got, msg("flash.signed"))
	}
	if got := status(); got != msg("agreement.status.open_for_signature") {
		fail("5e-signed-mem", "status %q, want %q", got, msg("agreement.status.open_for_signature"))
	}
	type party struct{ Org, Signer, Signed string }
	parties := func() []party {
		t.Helper()
		return chromeGet(t, ctx, chromedp.Evaluate[[]party](`Array.from(
			document.querySelectorAll('section[aria-labelledby="parties-h"] tbody tr'),
			tr => ({Org: tr.cells[0].textContent.trim(), Signer: tr.cells[1].textContent.trim(), Signed: tr.cells[2].textContent.trim()}))`))
	}
	ps := parties()
	if len(ps) != 2 {
		fail("5e-signed-mem", "%d party rows, want 2: %q", len(ps), ps)
	}
	for _, p := range ps {
		switch p.Org {
		case w.OrgA2.Name:
			if !strings.HasPrefix(p.Signed, "✔") {
				fail("5e-signed-mem", "%s (%s) is not marked signed: %q", p.Org, p.Signer, p.Signed)
			}
		case w.OrgA.Name:
			if p.Signed != msg("agreement.not_signed") {
				fail("5e-signed-mem", "%s (%s) should not be signed yet: %q", p.Org, p.Signer, p.Signed)
			}
		default:
			fail("5e-signed-mem", "unexpected party %q", p)
		}
	}
	if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('section.sign-box').length`)); n != 0 {
		fail("5e-signed-mem", "the sign box is still offered after signing")
	}

	// 6. CoordA signs last: the agreement is in force with two signatures.
	step("6. CoordA signs")
	logout("6a-signed-out")
	login("6b-dashboard-coord", w.CoordA.Email)
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+agPath))
	wantStatus("6c-agreement-coord", resp.Status, 200)
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("section.sign-box")),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testkit.Password),
	)
	resp = chromeNavigate(t, ctx, signButton)
	screenshot(t, ctx, "6d-in-force")
	wantStatus("6d-in-force", resp.Status, 200)
	wantPath("6d-in-force", agPath)
	if got := status(); got != msg("agreement.status.in_force") {
		fail("6d-in-force", "status %q, want %q (flash %q)", got, msg("agreement.status.in_force"), flash())
	}
	if got := flash(); got != msg("flash.signed") {
		fail("6d-in-force", "flash %q, want %q", got, msg("flash.signed"))
	}
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#sig-h")))
	wantText("6d-in-force", "#sig-h", msg("certificate.title"))
	type sig struct{ Org, Signer, Hash string }
	sigs := chromeGet(t, ctx, chromedp.Evaluate[[]sig](`Array.from(
		document.querySelectorAll('section[aria-labelledby="sig-h"] tbody tr'),
		tr => ({Org: tr.cells[0].textContent.trim(), Signer: tr.cells[1].textContent.trim(), Hash: tr.cells[3].textContent.trim()}))`))
	if len(sigs) != 2 {
		fail("6d-in-force", "signature certificate lists %d signatures, want 2: %q", len(sigs), sigs)
	}
	orgs := []string{sigs[0].Org, sigs[1].Org}
	slices.Sort(orgs)
	if want := []string{w.OrgA2.Name, w.OrgA.Name}; !slices.Equal(orgs, slices.Sorted(slices.Values(want))) {
		fail("6d-in-force", "certificate organisations %q, want %q", orgs, want)
	}
	for _, s := range sigs {
		if s.Hash != sha {
			fail("6d-in-force", "signature of %s is over %q, want the opened text %q", s.Org, s.Hash, sha)
		}
	}
	for _, p := range parties() {
		if !strings.HasPrefix(p.Signed, "✔") {
			fail("6d-in-force", "%s (%s) is not marked signed: %q", p.Org, p.Signer, p.Signed)
		}
	}

	// 7. The PDF link answers with a PDF.
	step("7. PDF")
	type fetched struct {
		Status      int
		ContentType string
		Magic       string
	}
	pdf := chromeGet(t, ctx, chromedp.Evaluate[fetched](`(async () => {
		const a = Array.from(document.querySelectorAll('main a')).find(a => a.textContent.trim() === `+strconv.Quote(msg("agreement.download_pdf"))+`);
		if (!a) return {Status: 0, ContentType: 'no link', Magic: ''};
		const r = await fetch(a.href);
		const b = new Uint8Array(await r.arrayBuffer());
		return {Status: r.status, ContentType: r.headers.get('content-type') || '', Magic: String.fromCharCode(...b.slice(0, 5))};
	})()`, chromedp.EvalAwaitPromise))
	if pdf.Status != 200 || pdf.ContentType != "application/pdf" || pdf.Magic != "%PDF-" {
		fail("7-pdf", "PDF link answers %d %q starting %q, want 200 application/pdf %%PDF-", pdf.Status, pdf.ContentType, pdf.Magic)
	}
	if href := chromeGet(t, ctx, chromedp.Evaluate[string](`document.querySelector('main a[href$="/pdf"]').getAttribute('href')`)); href != agPath+"/pdf" {
		fail("7-pdf", "PDF link is %q, want %q", href, agPath+"/pdf")
	}

	// 8. The database agrees.
	step("8. database")
	var signatures int64
	if err := w.DB.Raw(`SELECT count(*) FROM agreement_signatures WHERE agreement_id = ?`, agID).Scan(&signatures).Error; err != nil {
		t.Fatal(err)
	}
	if signatures != 2 {
		t.Errorf("agreement %d has %d signatures in the database, want 2", agID, signatures)
	}
	var dbStatus, dbTitle string
	if err := w.DB.Raw(`SELECT status FROM agreements WHERE id = ?`, agID).Scan(&dbStatus).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.DB.Raw(`SELECT title FROM agreements WHERE id = ?`, agID).Scan(&dbTitle).Error; err != nil {
		t.Fatal(err)
	}
	if dbStatus != "in_force" {
		t.Errorf("agreement %d has status %q in the database, want in_force", agID, dbStatus)
	}
	if dbTitle != title {
		t.Errorf("agreement %d has title %q in the database, want %q", agID, dbTitle, title)
	}

	t.Logf("browser flow took %s", time.Since(started).Round(time.Millisecond))
}
