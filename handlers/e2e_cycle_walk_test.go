package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pakt/models"
)

// TestBrowserPactCycleWalk walks the whole pact cycle of a fresh
// municipality in one headless Chromium, only by clicking and typing, through
// the municipality navigation (issue #17): the platform admin makes the
// municipality and its own organisation and invites its coordinator; the
// coordinator adds partners, invites a partner's person, drafts and opens an
// agreement both sign; runs the situation analysis (and corrects a finding
// with its edit form) and a focus group; drafts an action plan, opens it for
// comment (an anonymous visitor comments), changes it, sends it to the
// assembly ending the consultation early, records the adoption and opens a
// reporting period; the partner reports progress; the coordinator accepts
// and publishes, and the public page links the report's PDF. The pact at a
// glance advances a step at each stage. Invitation links are read from the
// mails the test's SMTP server received.
func TestBrowserPactCycleWalk(t *testing.T) {
	t.Parallel()
	started := time.Now()
	w := newWorld(t)
	smtpSrv := deliverMail(t, w)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }

	const (
		muniName     = "Srebrenica"
		ownName      = "Općina Srebrenica"
		coordEmail   = "koordinator@srebrenica.ba"
		coordName    = "Amra Koordinatorić"
		coordPass    = "Koordinator-lozinka-2024"
		pesName      = "Biro za zapošljavanje Srebrenica"
		ngoName      = "Udruženje žena Podrinja"
		partnerEmail = "partner@biro-srebrenica.ba"
		partnerPass  = "Partner-lozinka-2024"
		agTitle      = "Protokol o saradnji – Srebrenica"
		sitanTitle   = "Analiza stanja Srebrenica 2024"
		finding1     = "Mladi bez iskustva teško nalaze prvi posao."
		finding2     = "Mladi bez radnog iskustva i bez prevoza teško nalaze prvi posao."
		needText     = "Plaćena praksa uz mentora"
		planTitle    = "Lokalni akcioni plan zapošljavanja Srebrenica 2024–2025"
		mTitle       = "Prakse za mlade uz mentorstvo"
		mTitle2      = "Prakse za mlade uz mentorstvo i prevoz"
		commentText  = "Dodajte i prevoz za mlade iz udaljenih sela."
	)
	today := time.Now().Format(time.DateOnly)
	var muniPath string // the municipality's page, once the admin made it

	step := func(name string) { t.Helper(); t.Logf("%6.2fs %s", time.Since(started).Seconds(), name) }
	fail := func(c context.Context, shot, format string, args ...any) {
		t.Helper()
		screenshot(t, c, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, c)+")", args...)
	}
	// arrive checks where a click led: the HTTP status and the path.
	arrive := func(c context.Context, shot string, got int64, want int64, path string) {
		t.Helper()
		screenshot(t, c, shot)
		if got != want {
			fail(c, shot, "HTTP status %d, want %d", got, want)
		}
		if path != "" {
			if p := chromePath(t, c); p != path {
				fail(c, shot, "at %s, want %s", p, path)
			}
		}
	}
	flash := func(c context.Context, shot, key string) {
		t.Helper()
		if got := chromeText(t, c, `main p[role="status"]`); got != msg(key) {
			fail(c, shot, "flash %q, want %q", got, msg(key))
		}
	}
	count := func(c context.Context, css string) int {
		t.Helper()
		return chromeGet(t, c, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, css)))
	}
	submitIn := func(action string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`main form[action="` + action + `"] button[type="submit"]:not(.default-submit):not([name="more"]):not([name="then"])`))
	}
	fill := func(css, s string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.CSS(css)),
			chromedp.Focus(chromedp.CSS(css)),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, css)),
			chromedp.KeyEvent(kb.Backspace),
			typeText(chromedp.CSS(css), s),
		}
	}
	idFrom := func(c context.Context, shot, pattern string) (int64, string) {
		t.Helper()
		p := chromePath(t, c)
		m := regexp.MustCompile(pattern).FindStringSubmatch(p)
		if m == nil {
			fail(c, shot, "path %s does not match %s", p, pattern)
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		return id, p
	}
	// section follows the municipality navigation to a section and checks
	// that the navigation marks it as the current one.
	section := func(c context.Context, shot, key, path string) {
		t.Helper()
		resp := chromeNavigate(t, c, chromedp.Click(linkByText(`//nav[@class="muni-nav"]`, msg(key))))
		arrive(c, shot, resp.Status, 200, path)
		if got := chromeText(t, c, `nav.muni-nav a[aria-current="page"]`); got != msg(key) {
			fail(c, shot, "the navigation marks %q as current, want %q", got, msg(key))
		}
	}
	// pactStep opens the municipality's overview and returns the index of
	// the current step of the pact at a glance (-1: every step done).
	pactStep := func(shot string) int {
		t.Helper()
		section(ctx, shot, "munav.home", muniPath)
		return chromeGet(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('ol.pact-steps > li')].findIndex(li => li.getAttribute('aria-current') === 'step')`))
	}
	wantPact := func(shot string, want int) {
		t.Helper()
		if got := pactStep(shot); got != want {
			fail(ctx, shot, "pact at a glance stands at step %d, want %d", got, want)
		}
	}
	login := func(c context.Context, shot, email, password string) {
		t.Helper()
		resp := chromeNavigate(t, c, chromedp.Navigate(base+"/login"))
		arrive(c, shot+"-form", resp.Status, 200, "/login")
		chromeDo(t, c,
			chromedp.WaitVisible(chromedp.CSS("#f-email")),
			chromedp.SendKeys(chromedp.CSS("#f-email"), email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		)
		resp = chromeNavigate(t, c, submitIn("/login"))
		arrive(c, shot, resp.Status, 200, "/dashboard")
	}
	// newContext is a second browser context (own cookies) of the same Chromium.
	newContext := func() context.Context {
		t.Helper()
		c, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(c); err != nil {
			t.Fatalf("open a browser context: %v", err)
		}
		return c
	}

	// acceptInvitation opens the invitation link of the mail to email in c,
	// chooses a password and signs in.
	acceptInvitation := func(c context.Context, shot, email, password string) {
		t.Helper()
		subject := strings.ReplaceAll(catalogMsg(t, browserCatalog(t, "bs"), "mail.invite.subject"), "{{.Municipality}}", muniName)
		link := checkAccountMail(t, smtpSrv, email, w.Cfg.BaseURL, subject, "bs", "invitations")
		resp := chromeNavigate(t, c, chromedp.Navigate(base+link))
		arrive(c, shot+"-invitation", resp.Status, 200, link)
		chromeDo(t, c, chromedp.SendKeys(chromedp.CSS("#f-password"), password), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), password))
		resp = chromeNavigate(t, c, submitIn(link))
		arrive(c, shot+"-accepted", resp.Status, 200, "/login")
		login(c, shot, email, password)
	}

	// 0. The platform admin (two-step sign-in) sets the municipality up:
	// the municipality, its own organisation, and its coordinator, invited.
	step("0. admin sets up the municipality")
	a11ySignIn(t, ctx, base, admin)
	resp := chromeNavigate(t, ctx, chromedp.Click(linkByText("//header", msg("nav.municipalities"))))
	arrive(ctx, "00-municipalities", resp.Status, 200, "/municipalities")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("municipalities.new"))))
	arrive(ctx, "00-municipality-form", resp.Status, 200, "/municipalities/new")
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), muniName),
		chromedp.SetValue(chromedp.CSS("#f-country"), "BA"),
		chromedp.SetValue(chromedp.CSS("#f-currency"), "BAM"),
		chromedp.SetValue(chromedp.CSS("#f-language"), "bs"),
	)
	resp = chromeNavigate(t, ctx, submitIn("/municipalities"))
	arrive(ctx, "00-municipality", resp.Status, 200, "")
	_, muniPath = idFrom(ctx, "00-municipality", `^/municipalities/(\d+)$`)
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("organisations.new"))))
	arrive(ctx, "00-own-org-form", resp.Status, 200, muniPath+"/organisations/new")
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-name"), ownName), chromedp.SetValue(chromedp.CSS("#f-type"), "municipality"))
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/organisations"))
	arrive(ctx, "00-own-org", resp.Status, 200, muniPath)
	orgID := func(c context.Context, shot, name string) string {
		t.Helper()
		id := chromeGet(t, c, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
			const tr = [...document.querySelectorAll('section[aria-labelledby="orgs"] tbody tr')].find(tr => tr.cells[0].textContent.trim() === %q);
			return tr ? tr.querySelector('a').getAttribute('href').match(/\d+/)[0] : '' })()`, name)))
		if id == "" {
			fail(c, shot, "no organisation %q", name)
		}
		return id
	}
	ownID := orgID(ctx, "00-own-org", ownName)
	section(ctx, "00-members", "munav.members", muniPath+"/members")
	chromeDo(t, ctx,
		typeText(chromedp.CSS("#f-name"), coordName),
		chromedp.SendKeys(chromedp.CSS("#f-email"), coordEmail),
		chromedp.SetValue(chromedp.CSS("#f-organisation_id"), ownID),
		chromedp.SetValue(chromedp.CSS("#f-role"), models.RoleCoordinator),
	)
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/users"))
	arrive(ctx, "00-coordinator-invited", resp.Status, 200, muniPath+"/members")
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
	arrive(ctx, "00-admin-out", resp.Status, 200, "/login")

	// 1. The coordinator accepts the invitation, signs in and finds the
	// municipality.
	step("1. coordinator signs in")
	acceptInvitation(ctx, "01-dashboard", coordEmail, coordPass)
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", muniName)))
	arrive(ctx, "01-municipality", resp.Status, 200, muniPath)
	wantPact("01-pact", 0)
	slug := strings.TrimPrefix(chromeGet(t, ctx, chromedp.Evaluate[string](`document.querySelector('main a[href^="/m/"]').getAttribute('href')`)), "/m/")

	// 2. Two partner organisations, with "Save and add another".
	step("2. organisations")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("organisations.new"))))
	arrive(ctx, "02-org-form", resp.Status, 200, muniPath+"/organisations/new")
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-name"), pesName), chromedp.SetValue(chromedp.CSS("#f-type"), "pes"))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form button[name="then"][value="another"]`)))
	arrive(ctx, "02-org-another", resp.Status, 200, muniPath+"/organisations/new")
	flash(ctx, "02-org-another", "flash.saved_add_another")
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-name"), ngoName), chromedp.SetValue(chromedp.CSS("#f-type"), "ngo"))
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/organisations"))
	arrive(ctx, "02-orgs", resp.Status, 200, muniPath)
	orgs := chromeText(t, ctx, `section[aria-labelledby="orgs"]`)
	if !strings.Contains(orgs, pesName) || !strings.Contains(orgs, ngoName) {
		fail(ctx, "02-orgs", "organisations %q lack the new ones", orgs)
	}
	wantPact("02-pact", 1)
	pesID := orgID(ctx, "02-orgs", pesName)

	// 3. The partner's person is invited on the members page and accepts
	// from the mail, in a browser of their own.
	step("3. invite the partner")
	section(ctx, "03-members", "munav.members", muniPath+"/members")
	chromeDo(t, ctx,
		typeText(chromedp.CSS("#f-name"), "Emina Partnerić"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), partnerEmail),
		chromedp.SetValue(chromedp.CSS("#f-organisation_id"), pesID),
		chromedp.SetValue(chromedp.CSS("#f-role"), models.RoleMember),
	)
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/users"))
	arrive(ctx, "03-invited", resp.Status, 200, muniPath+"/members")
	partner := newContext()
	acceptInvitation(partner, "03-partner-in", partnerEmail, partnerPass)

	// 4. The agreement: drafted, opened for signature, signed by both.
	step("4. agreement")
	section(ctx, "04-agreements", "munav.agreements", muniPath+"/agreements")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("agreements.new"))))
	arrive(ctx, "04-agreement-form", resp.Status, 200, muniPath+"/agreements/new")
	signerOf := func(sel, name string) string {
		t.Helper()
		v := chromeGet(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
			const o = [...document.querySelectorAll(%q + ' option')].find(o => o.textContent.includes(%q));
			return o ? o.value : '' })()`, sel, name)))
		if v == "" {
			fail(ctx, "04-agreement-form", "%s offers no %q", sel, name)
		}
		return v
	}
	chromeDo(t, ctx,
		typeText(chromedp.CSS("#f-title"), agTitle),
		chromedp.Click(chromedp.CSS(`input[type="radio"][name="level"][value="collaboration"]`)),
		typeText(chromedp.CSS("#f-goal"), "Više posla za mlade i žene u Srebrenici."),
		typeText(chromedp.CSS("#f-body"), "Član 1. Strane se obavezuju na saradnju."),
		chromedp.SetValue(chromedp.CSS("#f-valid_from"), "2024-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-valid_to"), "2025-12-31"),
		chromedp.SetValue(chromedp.CSS("#party_org_0"), ownID),
		chromedp.SetValue(chromedp.CSS("#party_org_1"), pesID),
		typeText(chromedp.CSS("#c_action_0"), "Zajednička evidencija mladih bez posla"),
		chromedp.SetValue(chromedp.CSS("#c_resp_0"), pesID),
		chromedp.SetValue(chromedp.CSS("#c_due_0"), "2024-06-30"),
	)
	chromeDo(t, ctx,
		chromedp.SetValue(chromedp.CSS("#party_signer_0"), signerOf("#party_signer_0", coordName)),
		chromedp.SetValue(chromedp.CSS("#party_signer_1"), signerOf("#party_signer_1", "Emina Partnerić")),
	)
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/agreements"))
	arrive(ctx, "04-agreement-draft", resp.Status, 200, "")
	_, agPath := idFrom(ctx, "04-agreement-draft", `^/agreements/(\d+)$`)
	resp = chromeNavigate(t, ctx, submitIn(agPath+"/open"))
	arrive(ctx, "04-agreement-open", resp.Status, 200, agPath)
	flash(ctx, "04-agreement-open", "flash.agreement_opened")
	sign := func(c context.Context, shot, password string) {
		t.Helper()
		chromeDo(t, c, chromedp.WaitVisible(chromedp.CSS("section.sign-box")), chromedp.SendKeys(chromedp.CSS("#f-password"), password))
		resp := chromeNavigate(t, c, submitIn(agPath+"/sign"))
		arrive(c, shot, resp.Status, 200, agPath)
		flash(c, shot, "flash.signed")
	}
	// The partner finds the task on the dashboard.
	resp = chromeNavigate(t, partner, chromedp.Navigate(base+"/dashboard"))
	arrive(partner, "04-partner-tasks", resp.Status, 200, "/dashboard")
	resp = chromeNavigate(t, partner, chromedp.Click(linkByText(`//section[@aria-labelledby="my-tasks"]`, agTitle)))
	arrive(partner, "04-partner-agreement", resp.Status, 200, agPath)
	sign(partner, "04-partner-signed", partnerPass)
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+agPath))
	arrive(ctx, "04-agreement-coord", resp.Status, 200, agPath)
	sign(ctx, "04-coord-signed", coordPass)
	if got := chromeText(t, ctx, "main span.status"); got != msg("agreement.status.in_force") {
		fail(ctx, "04-coord-signed", "agreement status %q, want %q", got, msg("agreement.status.in_force"))
	}
	wantPact("04-pact", 2)

	// 5. The situation analysis: a group and a finding; the finding is
	// corrected with its edit form; then it is published.
	step("5. situation analysis")
	section(ctx, "05-sitans", "munav.sitan", muniPath+"/situation-analyses")
	chromeDo(t, ctx, fill("#f-title", sitanTitle)...)
	chromeDo(t, ctx, fill("#f-year", "2024")...)
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/situation-analyses"))
	arrive(ctx, "05-sitan", resp.Status, 200, "")
	_, sitanPath := idFrom(ctx, "05-sitan", `^/situation-analyses/(\d+)$`)
	chromeDo(t, ctx,
		chromedp.SetValue(chromedp.CSS("#f-group"), "youth_neet"),
		chromedp.SendKeys(chromedp.CSS("#f-estimated_size"), "240"),
		chromedp.Click(chromedp.CSS(`input[name="barriers"][value="employment"]`)),
	)
	chromeDo(t, ctx, fill("#f-priority", "1")...)
	resp = chromeNavigate(t, ctx, submitIn(sitanPath+"/vulnerable-groups"))
	arrive(ctx, "05-group", resp.Status, 200, sitanPath)
	flash(ctx, "05-group", "sitan.flash.group_added")
	chromeDo(t, ctx,
		typeText(chromedp.CSS("#f-statement"), finding1),
		chromedp.SetValue(chromedp.CSS("#f-finding_group"), "youth_neet"),
		chromedp.SetValue(chromedp.CSS("#f-barrier"), "employment"),
		chromedp.SetValue(chromedp.CSS("#f-source_organisation_id"), pesID),
	)
	resp = chromeNavigate(t, ctx, submitIn(sitanPath+"/findings"))
	arrive(ctx, "05-finding", resp.Status, 200, sitanPath)
	flash(ctx, "05-finding", "sitan.flash.finding_added")
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`ol.findings a[href$="/edit"]`)))
	arrive(ctx, "05-finding-edit", resp.Status, 200, "")
	findingID, editPath := idFrom(ctx, "05-finding-edit", `^/findings/(\d+)/edit$`)
	if v := chromeGet(t, ctx, chromedp.Value(chromedp.CSS("#f-statement"))); v != finding1 {
		fail(ctx, "05-finding-edit", "edit form shows %q, want %q", v, finding1)
	}
	if got := chromeText(t, ctx, `nav.muni-nav a[aria-current="page"]`); got != msg("munav.sitan") {
		fail(ctx, "05-finding-edit", "the navigation marks %q, want %q", got, msg("munav.sitan"))
	}
	chromeDo(t, ctx, fill("#f-statement", "")...)
	resp = chromeNavigate(t, ctx, submitIn(fmt.Sprintf("/findings/%d", findingID)))
	arrive(ctx, "05-finding-empty", resp.Status, 422, editPath) // the form's own page (PRG)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-statement")))
	chromeDo(t, ctx, fill("#f-statement", finding2)...)
	chromeDo(t, ctx, chromedp.SetValue(chromedp.CSS("#f-barrier"), "participation"))
	resp = chromeNavigate(t, ctx, submitIn(fmt.Sprintf("/findings/%d", findingID)))
	arrive(ctx, "05-finding-saved", resp.Status, 200, sitanPath)
	flash(ctx, "05-finding-saved", "flash.saved")
	if txt := chromeText(t, ctx, fmt.Sprintf("#finding-%d", findingID)); !strings.Contains(txt, finding2) || !strings.Contains(txt, msg("sitan.barrier.participation")) {
		fail(ctx, "05-finding-saved", "finding reads %q", txt)
	}
	resp = chromeNavigate(t, ctx, submitIn(sitanPath+"/publish"))
	arrive(ctx, "05-published", resp.Status, 200, sitanPath)
	flash(ctx, "05-published", "sitan.flash.published")
	wantPact("05-pact", 3)

	// 6. A focus group with a need.
	step("6. focus group")
	section(ctx, "06-focus", "munav.focus", muniPath+"/focus-groups")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("focus.new"))))
	arrive(ctx, "06-focus-form", resp.Status, 200, muniPath+"/focus-groups/new")
	chromeDo(t, ctx,
		chromedp.SetValue(chromedp.CSS("#f-held_on"), "2024-02-15"),
		typeText(chromedp.CSS("#f-place"), "Dom kulture Srebrenica"),
		chromedp.Click(chromedp.CSS(`input[name="groups"][value="youth_neet"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-participants_total"), "9"),
		chromedp.SendKeys(chromedp.CSS("#f-participants_women"), "5"),
		chromedp.SendKeys(chromedp.CSS("#f-participants_men"), "4"),
		chromedp.Click(chromedp.CSS("#f-consent_obtained")),
		typeText(chromedp.CSS("#f-need_0_statement"), needText),
	)
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/focus-groups"))
	arrive(ctx, "06-focus-saved", resp.Status, 200, "")
	idFrom(ctx, "06-focus-saved", `^/focus-groups/(\d+)$`)
	flash(ctx, "06-focus-saved", "focus.flash.created")
	if txt := chromeText(t, ctx, "ul.needs"); !strings.Contains(txt, needText) {
		fail(ctx, "06-focus-saved", "needs %q lack %q", txt, needText)
	}
	wantPact("06-pact", 4)

	// 7. The action plan: an objective and a measure with an indicator and
	// a budget line, citing the finding.
	step("7. action plan")
	section(ctx, "07-plans", "munav.plans", muniPath+"/plans")
	chromeDo(t, ctx,
		typeText(chromedp.CSS("#f-title"), planTitle),
		chromedp.SetValue(chromedp.CSS("#f-period_start"), "2024-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-period_end"), "2025-12-31"),
	)
	resp = chromeNavigate(t, ctx, submitIn(muniPath+"/plans"))
	arrive(ctx, "07-plan", resp.Status, 200, "")
	planID, planPath := idFrom(ctx, "07-plan", `^/plans/(\d+)$`)
	// The plan's actions are visible forms, not folded away.
	if n := count(ctx, "main details"); n != 0 {
		fail(ctx, "07-plan", "%d <details> on the plan page", n)
	}
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#add-objective")),
		chromedp.SendKeys(chromedp.CSS("#f-code"), "C1"),
		typeText(chromedp.CSS("#f-title"), "Više mladih u prvom poslu"),
	)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/objectives"))
	arrive(ctx, "07-objective", resp.Status, 200, planPath)
	flash(ctx, "07-objective", "flash.saved")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("measures.new"))))
	arrive(ctx, "07-measure-form", resp.Status, 200, planPath+"/measures/new")
	objID := chromeGet(t, ctx, chromedp.Evaluate[string](`(() => { const o = [...document.querySelectorAll('#f-objective_id option')].find(o => o.value); return o ? o.value : '' })()`))
	chromeDo(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-code"), "M1"),
		typeText(chromedp.CSS("#f-title"), mTitle),
		chromedp.SetValue(chromedp.CSS("#f-objective_id"), objID),
		chromedp.SetValue(chromedp.CSS("#f-lead_organisation_id"), pesID),
		chromedp.Click(chromedp.CSS(`input[type="checkbox"][name="groups"][value="youth_neet"]`)),
		chromedp.SetValue(chromedp.CSS("#f-start_date"), "2024-03-01"),
		chromedp.SetValue(chromedp.CSS("#f-end_date"), "2025-06-30"),
		typeText(chromedp.CSS("#ind_name_0"), "Mladi u praksi"),
		chromedp.SendKeys(chromedp.CSS("#ind_unit_0"), "osoba"),
		chromedp.SendKeys(chromedp.CSS("#ind_base_0"), "0"),
		chromedp.SendKeys(chromedp.CSS("#ind_target_0"), "30"),
		chromedp.SetValue(chromedp.CSS("#b_year_0"), "2024"),
		chromedp.SetValue(chromedp.CSS("#b_source_0"), "municipal"),
		chromedp.SendKeys(chromedp.CSS("#b_amount_0"), "12000.00"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[type="checkbox"][name="evidence"][value="finding:%d"]`, findingID))),
	)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/measures"))
	arrive(ctx, "07-measure", resp.Status, 200, planPath)
	flash(ctx, "07-measure", "flash.saved")
	if txt := chromeText(t, ctx, `section[aria-labelledby="measures-h"]`); !strings.Contains(txt, mTitle) {
		fail(ctx, "07-measure", "measures %q lack %q", txt, mTitle)
	}

	// 8. Public consultation; an anonymous visitor comments.
	step("8. consultation")
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#open-consultation")), chromedp.SetValue(chromedp.CSS("#f-closes_on"), "2099-12-31"))
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/consultation"))
	arrive(ctx, "08-consultation", resp.Status, 200, planPath)
	flash(ctx, "08-consultation", "flash.consultation_opened")
	anon := newContext()
	publicPlan := fmt.Sprintf("/m/%s/plans/%d", slug, planID)
	resp = chromeNavigate(t, anon, chromedp.Navigate(base+"/m/"+slug))
	arrive(anon, "08-public", resp.Status, 200, "/m/"+slug)
	resp = chromeNavigate(t, anon, chromedp.Click(chromedp.CSS(`main a[href="`+publicPlan+`"]`)))
	arrive(anon, "08-public-plan", resp.Status, 200, publicPlan)
	chromeDo(t, anon, chromedp.WaitVisible(chromedp.CSS("#f-text")), typeText(chromedp.CSS("#f-text"), commentText))
	resp = chromeNavigate(t, anon, submitIn(publicPlan+"/comments"))
	arrive(anon, "08-commented", resp.Status, 200, publicPlan)
	flash(anon, "08-commented", "flash.comment_received")

	// 9. The coordinator changes the draft (the measure) and sends it to
	// the assembly, confirming the early end of the consultation.
	step("9. change, submit, adopt")
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+planPath))
	arrive(ctx, "09-plan", resp.Status, 200, planPath)
	if txt := chromeText(t, ctx, `section[aria-labelledby="comments-h"]`); !strings.Contains(txt, commentText) {
		fail(ctx, "09-plan", "comments %q lack the visitor's", txt)
	}
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`section[aria-labelledby="measures-h"] a[href$="/edit"]`)))
	arrive(ctx, "09-measure-edit", resp.Status, 200, "")
	_, measureEdit := idFrom(ctx, "09-measure-edit", `^/measures/(\d+)/edit$`)
	chromeDo(t, ctx, fill("#f-title", mTitle2)...)
	resp = chromeNavigate(t, ctx, submitIn(strings.TrimSuffix(measureEdit, "/edit")))
	arrive(ctx, "09-measure-changed", resp.Status, 200, planPath)
	if txt := chromeText(t, ctx, `section[aria-labelledby="measures-h"]`); !strings.Contains(txt, mTitle2) {
		fail(ctx, "09-measure-changed", "measures %q lack %q", txt, mTitle2)
	}
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#submit-plan")))
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/submit"))
	arrive(ctx, "09-submit-unconfirmed", resp.Status, 422, planPath)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#e-end_consultation")), chromedp.Click(chromedp.CSS("#f-end_consultation")))
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/submit"))
	arrive(ctx, "09-submitted", resp.Status, 200, planPath)
	flash(ctx, "09-submitted", "flash.plan_submitted")
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#record-adoption")),
		chromedp.SetValue(chromedp.CSS("#f-decided_on"), today),
		chromedp.SendKeys(chromedp.CSS("#f-decision_number"), "01-023-11/24"),
		chromedp.SendKeys(chromedp.CSS("#f-votes_for"), "19"),
	)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/adoption"))
	arrive(ctx, "09-adopted", resp.Status, 200, planPath)
	if got := chromeText(t, ctx, "main span.status"); got != msg("plandoc.status.adopted") {
		fail(ctx, "09-adopted", "plan status %q, want %q", got, msg("plandoc.status.adopted"))
	}
	if n := count(ctx, "#revise-plan"); n != 1 {
		fail(ctx, "09-adopted", "no visible revise action")
	}
	wantPact("09-pact", 5)

	// 10. A reporting period, through the navigation's Tracking.
	step("10. reporting period")
	trackingPath := planPath + "/tracking"
	section(ctx, "10-tracking", "munav.tracking", trackingPath)
	chromeDo(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#new-per")),
		typeText(chromedp.CSS("#f-label"), "2024"),
		chromedp.SetValue(chromedp.CSS("#f-start_date"), "2024-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-end_date"), "2024-12-31"),
	)
	resp = chromeNavigate(t, ctx, submitIn(planPath+"/periods"))
	arrive(ctx, "10-period", resp.Status, 200, trackingPath)

	// 11. The partner reports progress from the task on the dashboard.
	step("11. partner reports")
	resp = chromeNavigate(t, partner, chromedp.Navigate(base+"/dashboard"))
	arrive(partner, "11-partner-tasks", resp.Status, 200, "/dashboard")
	resp = chromeNavigate(t, partner, chromedp.Click(chromedp.CSS(`section[aria-labelledby="my-tasks"] a[href^="/measures/"]`)))
	arrive(partner, "11-progress-form", resp.Status, 200, "")
	_, progressPath := idFrom(partner, "11-progress-form", `^/measures/\d+/progress/(\d+)$`)
	chromeDo(t, partner, chromedp.WaitVisible(chromedp.CSS("#f-status")), chromedp.SetValue(chromedp.CSS("#f-status"), "on_track"))
	chromeDo(t, partner, fill("#f-percent_complete", "40")...)
	chromeDo(t, partner, fill("#f-b_total", "12")...)
	chromeDo(t, partner, fill("#f-b_women", "7")...)
	chromeDo(t, partner, fill("#f-b_men", "5")...)
	chromeDo(t, partner, chromedp.SetValue(chromedp.CSS("#s_source_0"), "municipal"))
	chromeDo(t, partner, fill("#s_amount_0", "4000.00")...)
	chromeDo(t, partner, fill("#f-narrative", "Dvanaest mladih je počelo praksu uz mentora.")...)
	resp = chromeNavigate(t, partner, submitIn(progressPath))
	arrive(partner, "11-progress-saved", resp.Status, 200, progressPath)
	flash(partner, "11-progress-saved", "flash.saved")
	resp = chromeNavigate(t, partner, submitIn(progressPath+"/submit"))
	arrive(partner, "11-progress-submitted", resp.Status, 200, progressPath)
	flash(partner, "11-progress-submitted", "flash.report_submit")

	// 12. The coordinator accepts the report, closes the period and
	// publishes its report.
	step("12. accept and publish")
	section(ctx, "12-tracking", "munav.tracking", trackingPath)
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main a[href="`+progressPath+`"]`)))
	arrive(ctx, "12-report", resp.Status, 200, progressPath)
	resp = chromeNavigate(t, ctx, submitIn(progressPath+"/accept"))
	arrive(ctx, "12-accepted", resp.Status, 200, progressPath)
	flash(ctx, "12-accepted", "flash.report_accept")
	section(ctx, "12-tracking-again", "munav.tracking", trackingPath)
	perID := regexp.MustCompile(`(\d+)$`).FindString(progressPath)
	resp = chromeNavigate(t, ctx, submitIn("/periods/"+perID+"/close"))
	arrive(ctx, "12-closed", resp.Status, 200, trackingPath)
	flash(ctx, "12-closed", "flash.period_closed")
	resp = chromeNavigate(t, ctx, submitIn("/periods/"+perID+"/publish"))
	arrive(ctx, "12-published", resp.Status, 200, trackingPath)
	flash(ctx, "12-published", "flash.report_published")
	wantPact("12-pact", -1)

	// 13. The public page links the report's PDF, which an anonymous
	// visitor can download.
	step("13. public report PDF")
	resp = chromeNavigate(t, anon, chromedp.Navigate(base+"/m/"+slug))
	arrive(anon, "13-public", resp.Status, 200, "/m/"+slug)
	pdf := chromeGet(t, anon, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const a = [...document.querySelectorAll('main a')].find(a => a.getAttribute('href').includes('report.pdf') && a.getAttribute('href').includes('period_id=%s'));
		return a ? a.getAttribute('href') : '' })()`, perID)))
	if pdf == "" {
		fail(anon, "13-public", "no link to the report PDF of period %s", perID)
	}
	type got struct {
		Status int
		Type   string
		Magic  string
	}
	res := chromeGet(t, anon, chromedp.Evaluate[got](fmt.Sprintf(`fetch(%q).then(async r => ({Status: r.status,
		Type: r.headers.get('content-type') || '', Magic: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))}))`, pdf),
		chromedp.EvalAwaitPromise))
	if res.Status != 200 || !strings.HasPrefix(res.Type, "application/pdf") || res.Magic != "%PDF-" {
		fail(anon, "13-public", "report PDF %s: %+v", pdf, res)
	}
	step("done")
}
