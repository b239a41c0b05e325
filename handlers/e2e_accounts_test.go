package handlers_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pakt/app/testkit"
)

// TestBrowserAccountLifecycle walks a partner's account in a real Chromium:
// the coordinator invites them, they open the link from the mail received
// over SMTP, choose a password, sign in, turn on two-step sign-in by
// scanning (reading) the QR code's key, sign out and in again with a code,
// sign an agreement with their password and a code, change their password;
// then forget it and reset it from the received link.
func TestBrowserAccountLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	smtpSrv := deliverMail(t, w)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	const partner, first, second, third = "partner@test.ba", "Prva-lozinka-123", "Druga-lozinka-456", "Treca-lozinka-789"
	fail := func(step, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, step)
		t.Fatalf(step+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}
	want := func(step string, status, wantStatus int64, wantPath string) {
		t.Helper()
		if status != wantStatus || chromePath(t, ctx) != wantPath {
			fail(step, "status %d, want %d at %s", status, wantStatus, wantPath)
		}
		screenshot(t, ctx, step)
	}
	submit := func(form string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`main form[action="` + form + `"] button[type="submit"]`))
	}
	signIn := func(step, email, password, code string) {
		t.Helper()
		chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
		chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), email), chromedp.SendKeys(chromedp.CSS("#f-password"), password))
		resp := chromeNavigate(t, ctx, submit("/login"))
		if code != "" {
			if resp.Status != 401 {
				fail(step, "the code was not asked: %d", resp.Status)
			}
			chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), password), chromedp.SendKeys(chromedp.CSS("#f-code"), code))
			resp = chromeNavigate(t, ctx, submit("/login"))
		}
		want(step, resp.Status, 200, "/dashboard")
	}
	signOut := func(step string) {
		t.Helper()
		resp := chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
		want(step, resp.Status, 200, "/login")
	}

	// 1. The coordinator invites a partner on the members page.
	signIn("coordinator-in", coordA, testkit.Password, "")
	members := fmt.Sprintf("/municipalities/%d/members", w.A.ID)
	chromeNavigate(t, ctx, chromedp.Navigate(base+members))
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-name"), "Partner Partnerić"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), partner),
		chromedp.SetValue(chromedp.CSS("#f-organisation_id"), strconv.FormatInt(w.OrgA2.ID, 10)))
	resp := chromeNavigate(t, ctx, submit(fmt.Sprintf("/municipalities/%d/users", w.A.ID)))
	want("invited", resp.Status, 200, members)
	signOut("coordinator-out")

	// 2. The partner opens the link from the mail and chooses a password.
	// The invitation is in the municipality's language (the partner has none yet).
	invSubject := strings.ReplaceAll(catalogMsg(t, browserCatalog(t, w.A.Language), "mail.invite.subject"), "{{.Municipality}}", w.A.Name)
	link := checkAccountMail(t, smtpSrv, partner, w.Cfg.BaseURL, invSubject, w.A.Language, "invitations")
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+link))
	want("invitation", resp.Status, 200, link)
	axeCheck(t, ctx, "invitation")
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), "short"), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), "short"))
	resp = chromeNavigate(t, ctx, submit(link))
	if resp.Status != 422 || chromeText(t, ctx, "#e-password") != msg("account.password.too_short") {
		fail("weak-password", "status %d", resp.Status)
	}
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), first), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), first))
	resp = chromeNavigate(t, ctx, submit(link))
	want("accepted", resp.Status, 200, "/login")
	if chromeText(t, ctx, `main p[role="status"]`) != msg("flash.invite_accepted") {
		fail("accepted", "no flash")
	}
	signIn("partner-in", partner, first, "")
	// The coordinator opens an agreement the partner signs for Biro Bratunac.
	ag := openPartnerAgreement(t, w, partner)

	// 3. My account → two-step sign-in: the QR code shows (the CSP lets the
	// data URL through), the key is read from the page, a code confirms.
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//header", msg("nav.account"))))
	want("my-account", resp.Status, 200, "/me")
	axeCheck(t, ctx, "my-account")
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("account.totp.title"))))
	want("totp-page", resp.Status, 200, "/me/totp")
	resp = chromeNavigate(t, ctx, submit("/me/totp"))
	want("totp-started", resp.Status, 200, "/me/totp")
	if wid := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelector('main img').naturalWidth`)); wid == 0 {
		fail("qr", "the QR code image did not load")
	}
	axeCheck(t, ctx, "totp-qr")
	codes := &totpClock{secret: chromeText(t, ctx, "#totp-secret")}
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), codes.next(t)))
	resp = chromeNavigate(t, ctx, submit("/me/totp/confirm"))
	// Drawn once at the form's own page (post/redirect/get, web/prg.go).
	want("recovery-codes", resp.Status, 200, "/me/totp")
	recovery := chromeGet(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)`))
	if len(recovery) != 10 {
		fail("recovery-codes", "%d codes", len(recovery))
	}
	signOut("partner-out")

	// 4. Sign in again: the code is asked (of a later time step: that one is spent).
	signIn("partner-in-with-code", partner, first, codes.next(t))

	// 4b. Sign the agreement: password and code; a wrong code signs nothing.
	agPath := fmt.Sprintf("/agreements/%d", ag)
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+agPath))
	want("agreement", resp.Status, 200, agPath)
	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("section.sign-box #f-code")))
	axeCheck(t, ctx, "sign-with-code")
	signForm := func(password, code string) {
		t.Helper()
		// A refused form keeps what was typed: empty the fields first.
		chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-code")))
		chromeGet(t, ctx, chromedp.Evaluate[bool](`['#f-password', '#f-code'].every(s => { document.querySelector(s).value = ''; return true })`))
		chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), password), chromedp.SendKeys(chromedp.CSS("#f-code"), code))
		resp = chromeNavigate(t, ctx, submit(agPath+"/sign"))
	}
	signForm(first, codes.wrongCode(t))
	codeErr := chromeGet(t, ctx, chromedp.Evaluate[string](`document.querySelector('#f-code').getAttribute('aria-describedby') || ''`))
	if resp.Status != 422 || codeErr != "e-code" || chromeText(t, ctx, "#e-code") != msg("account.totp.bad_code") {
		fail("sign-wrong-code", "status %d", resp.Status)
	}
	if n := partnerSignatures(t, w, ag); n != 0 || chromeText(t, ctx, "main span.status") != msg("agreement.status.open_for_signature") {
		fail("sign-wrong-code", "%d signatures after a wrong code", n)
	}
	screenshot(t, ctx, "sign-wrong-code")
	signForm(first, codes.next(t))
	want("signed", resp.Status, 200, agPath)
	if chromeText(t, ctx, `main p[role="status"]`) != msg("flash.signed") || partnerSignatures(t, w, ag) != 1 {
		fail("signed", "not signed")
	}
	if n := chromeGet(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('section.sign-box').length`)); n != 0 {
		fail("signed", "the sign box is still offered after signing")
	}

	// 5. Change the password on My account.
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/me"))
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-current_password"), first),
		chromedp.SendKeys(chromedp.CSS("#f-new_password"), second), chromedp.SendKeys(chromedp.CSS("#f-new_password_confirm"), second))
	resp = chromeNavigate(t, ctx, submit("/me/password"))
	want("password-changed", resp.Status, 200, "/me")
	if chromeText(t, ctx, `main p[role="status"]`) != msg("flash.password_changed") {
		fail("password-changed", "no flash")
	}
	signOut("changed-out")

	// 6. Forgot it: the login page's link, the mailed one-hour link, a new password.
	chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
	resp = chromeNavigate(t, ctx, chromedp.Click(linkByText("//main", msg("login.forgot"))))
	want("forgot", resp.Status, 200, "/password-resets")
	axeCheck(t, ctx, "forgot")
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), partner))
	resp = chromeNavigate(t, ctx, submit("/password-resets"))
	if resp.Status != 200 || chromeText(t, ctx, `main p[role="status"]`) != msg("account.reset.request.sent") {
		fail("forgot-sent", "status %d", resp.Status)
	}
	lang := partnerLang(t, w, partner)
	reset := checkAccountMail(t, smtpSrv, partner, w.Cfg.BaseURL,
		catalogMsg(t, browserCatalog(t, lang), "mail.reset.subject"), lang, "password-resets")
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+reset))
	want("reset-page", resp.Status, 200, reset)
	axeCheck(t, ctx, "reset")
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), third), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), third))
	resp = chromeNavigate(t, ctx, submit(reset))
	want("reset", resp.Status, 200, "/login")
	// The second factor stays on: a recovery code signs in with the new password.
	signIn("reset-in", partner, third, recovery[0])
	// The spent link is a clear 410 page.
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+reset))
	if resp.Status != 410 || chromeText(t, ctx, "main h1") != msg("account.link.gone.title") {
		fail("spent-link", "status %d", resp.Status)
	}
}

// openPartnerAgreement has the coordinator open, through the API, an
// agreement of the municipality (the coordinator signs) and Biro Bratunac
// (the partner of email signs); it returns its id.
func openPartnerAgreement(t *testing.T, w *world, email string) int64 {
	t.Helper()
	var partnerID int64
	if err := w.DB.Raw(`SELECT id FROM users WHERE lower(email) = lower(?)`, email).Scan(&partnerID).Error; err != nil || partnerID == 0 {
		t.Fatalf("no user %s: %v", email, err)
	}
	body := agreementBody(w)
	body["parties"] = []map[string]any{
		{"organisation_id": w.OrgA.ID, "signatory_user_id": w.CoordA.ID},
		{"organisation_id": w.OrgA2.ID, "signatory_user_id": partnerID},
	}
	tok := w.Token(coordA)
	resp := w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), body)
	expect(t, resp, 201, "create the agreement")
	a := decodeAgreement(t, resp)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/agreements/%d/open", a.ID), nil), 200, "open the agreement")
	return a.ID
}

// partnerSignatures counts the signatures of an agreement.
func partnerSignatures(t *testing.T, w *world, agreementID int64) int64 {
	t.Helper()
	var n int64
	if err := w.DB.Raw(`SELECT count(*) FROM agreement_signatures WHERE agreement_id = ?`, agreementID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// partnerLang is the language of mails to a user not about one
// municipality: their own, else their municipality's (Bratunac: bs).
func partnerLang(t *testing.T, w *world, email string) string {
	t.Helper()
	var locale string
	if err := w.DB.Raw(`SELECT coalesce(locale, '') FROM users WHERE lower(email) = lower(?)`, email).Scan(&locale).Error; err != nil {
		t.Fatal(err)
	}
	if locale != "" {
		return locale
	}
	return w.A.Language
}
