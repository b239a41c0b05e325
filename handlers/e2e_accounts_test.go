package handlers_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"pakt/app/testkit"
)

// TestBrowserAccountLifecycle walks a partner's account in a real Chromium:
// the coordinator invites them, they open the link from the mail, choose a
// password, sign in, turn on two-step sign-in by scanning (reading) the QR
// code's key, sign out and in again with a code, change their password;
// then forget it and reset it from the mailed link.
func TestBrowserAccountLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
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
		resp := chromeNavigate(t, ctx, chromedp.Navigate(base+"/login"))
		chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), email), chromedp.SendKeys(chromedp.CSS("#f-password"), password))
		resp = chromeNavigate(t, ctx, submit("/login"))
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
	link, _ := url.Parse(linkIn(t, outboxTo(t, w, partner).TextBody))
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+link.Path))
	want("invitation", resp.Status, 200, link.Path)
	axeCheck(t, ctx, "invitation")
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), "short"), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), "short"))
	resp = chromeNavigate(t, ctx, submit(link.Path))
	if resp.Status != 422 || chromeText(t, ctx, "#e-password") != msg("account.password.too_short") {
		fail("weak-password", "status %d", resp.Status)
	}
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), first), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), first))
	resp = chromeNavigate(t, ctx, submit(link.Path))
	want("accepted", resp.Status, 200, "/login")
	if chromeText(t, ctx, `main p[role="status"]`) != msg("flash.invite_accepted") {
		fail("accepted", "no flash")
	}
	signIn("partner-in", partner, first, "")

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
	secret := chromeText(t, ctx, "#totp-secret")
	code, _ := totp.GenerateCode(secret, time.Now())
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), code))
	resp = chromeNavigate(t, ctx, submit("/me/totp/confirm"))
	want("recovery-codes", resp.Status, 200, "/me/totp/confirm")
	recovery := chromeGet(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)`))
	if len(recovery) != 10 {
		fail("recovery-codes", "%d codes", len(recovery))
	}
	signOut("partner-out")

	// 4. Sign in again: the code is asked (the next time step: this one is spent).
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	signIn("partner-in-with-code", partner, first, next)

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
	reset, _ := url.Parse(linkIn(t, outboxTo(t, w, partner).TextBody))
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+reset.Path))
	want("reset-page", resp.Status, 200, reset.Path)
	axeCheck(t, ctx, "reset")
	chromeDo(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), third), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), third))
	resp = chromeNavigate(t, ctx, submit(reset.Path))
	want("reset", resp.Status, 200, "/login")
	// The second factor stays on: a recovery code signs in with the new password.
	signIn("reset-in", partner, third, recovery[0])
	// The spent link is a clear 410 page.
	resp = chromeNavigate(t, ctx, chromedp.Navigate(base+reset.Path))
	if resp.Status != 410 || chromeText(t, ctx, "main h1") != msg("account.link.gone.title") {
		fail("spent-link", "status %d", resp.Status)
	}
}
