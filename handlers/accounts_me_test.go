package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"pakt/app/testkit"
	"pakt/models"
)

func TestMyAccountPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b, other := w.Login(member), w.Login(member)
	tok := w.Token(member)
	page := expect(t, b.Get("/me"), 200, "my account")
	for _, want := range []string{`href="/me/notification-settings"`, `href="/me/totp"`, `action="/me/password"`, `href="/me" aria-current="page"`} {
		if !strings.Contains(page, want) {
			t.Errorf("my account lacks %s", want)
		}
	}
	if n := strings.Count(page, `action="/me/sessions/`); n != 2 {
		t.Errorf("%d sessions listed, want 2", n)
	}
	change := func(cur, next, confirm string) string {
		return testkit.Body(b.PostForm("/me/password", url.Values{"current_password": {cur}, "new_password": {next}, "new_password_confirm": {confirm}}))
	}
	if body := change("wrong-password", newPassword, newPassword); !fieldError(body, "current_password") {
		t.Fatal("wrong current password: no error next to the field")
	}
	if body := change(testkit.Password, "short", "short"); !fieldError(body, "new_password") {
		t.Fatal("weak new password: no error next to the field")
	}
	if body := change(testkit.Password, newPassword, "something-else"); !fieldError(body, "new_password_confirm") {
		t.Fatal("mismatch: no error next to the field")
	}
	resp := b.PostForm("/me/password", url.Values{"current_password": {testkit.Password}, "new_password": {newPassword}, "new_password_confirm": {newPassword}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/me" {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	expect(t, b.Get("/me"), 200, "this session stays")
	if resp := other.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("the other session: %d", resp.StatusCode)
	}
	expect(t, w.API(tok, "GET", "/api/v1/me", nil), 401, "token after a change")
	// Not signed in.
	if resp := w.Anonymous().Get("/me"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /me: %d", resp.StatusCode)
	}
	expect(t, w.API("", "GET", "/api/v1/me/sessions", nil), 401, "anonymous API")
}

func TestAPIMyPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, otherTok, sess := w.Token(viewer), w.Token(viewer), w.Login(viewer)
	body := expect(t, w.API(tok, "PUT", "/api/v1/me/password", map[string]string{"current_password": "nope", "new_password": newPassword}), 422, "wrong current")
	if !strings.Contains(body, `"current_password"`) {
		t.Fatal(body)
	}
	body = expect(t, w.API(tok, "PUT", "/api/v1/me/password", map[string]string{"current_password": testkit.Password, "new_password": "qwertyuiop"}), 422, "common")
	if !strings.Contains(body, `"new_password"`) {
		t.Fatal(body)
	}
	expect(t, w.API(tok, "PUT", "/api/v1/me/password", map[string]string{"current_password": testkit.Password, "new_password": newPassword}), 204, "change")
	expect(t, w.API(tok, "GET", "/api/v1/me", nil), 200, "the calling token stays")
	expect(t, w.API(otherTok, "GET", "/api/v1/me", nil), 401, "the other token ends")
	if resp := sess.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("session after an API change: %d", resp.StatusCode)
	}
	// Language.
	expect(t, w.API(tok, "PATCH", "/api/v1/me", map[string]string{"locale": "xx"}), 422, "unknown language")
	if body := expect(t, w.API(tok, "PATCH", "/api/v1/me", map[string]string{"locale": "sq"}), 200, "language"); !strings.Contains(body, `"locale":"sq"`) {
		t.Fatal(body)
	}
}

func TestMyAccountLanguageSessionsTokens(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b, second := w.Login(viewer), w.Login(viewer)
	coordSess := w.Login(coordA)
	myTok, coordTok := w.Token(viewer), w.Token(coordA)
	_ = coordSess
	// Language.
	expect(t, b.PostForm("/me/language", url.Values{"locale": {"klingon"}}), 422, "unknown language")
	resp := b.PostForm("/me/language", url.Values{"locale": {"sr"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/me?lang=sr" {
		t.Fatalf("language: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var u models.User
	w.DB.First(&u, w.ViewA.ID)
	if u.Locale != "sr" {
		t.Fatalf("locale %q", u.Locale)
	}
	// Somebody else's session and token: 404, in the browser and the API.
	coordHandle := sessionsOf(t, w, coordTok)[0].Handle
	expect(t, b.PostForm("/me/sessions/"+coordHandle+"/revoke", url.Values{}), 404, "another's session")
	expect(t, w.API(myTok, "DELETE", "/api/v1/me/sessions/"+coordHandle, nil), 404, "another's session (API)")
	coordTokID := tokenID(t, w, coordTok)
	expect(t, b.PostForm(fmt.Sprintf("/me/tokens/%d/revoke", coordTokID), url.Values{}), 404, "another's token")
	expect(t, w.API(myTok, "DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", coordTokID), nil), 404, "another's token (API)")
	expect(t, w.API(coordTok, "GET", "/api/v1/me", nil), 200, "the coordinator's token still works")
	expect(t, coordSess.Get("/dashboard"), 200, "the coordinator's session still works")
	// One's own: the other browser is signed out, the token stops working.
	handle := models.SessionHandleOf(second.Cookie("pakt_session"))
	if resp := b.PostForm("/me/sessions/"+handle+"/revoke", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("revoke own session: %d", resp.StatusCode)
	}
	if resp := second.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("revoked session: %d", resp.StatusCode)
	}
	expect(t, b.Get("/dashboard"), 200, "this session stays")
	page := expect(t, b.Get("/me"), 200, "my account")
	if !strings.Contains(page, fmt.Sprintf(`action="/me/tokens/%d/revoke"`, tokenID(t, w, myTok))) {
		t.Fatal("the token is not listed")
	}
	if resp := b.PostForm(fmt.Sprintf("/me/tokens/%d/revoke", tokenID(t, w, myTok)), url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("revoke own token: %d", resp.StatusCode)
	}
	expect(t, w.API(myTok, "GET", "/api/v1/me", nil), 401, "revoked token")
	// The API revokes too.
	t2, t3 := w.Token(viewer), w.Token(viewer)
	expect(t, w.API(t2, "DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", tokenID(t, w, t3)), nil), 204, "API revoke")
	expect(t, w.API(t3, "GET", "/api/v1/me", nil), 401, "token revoked through the API")
	expect(t, w.API(t2, "DELETE", "/api/v1/me/sessions/"+models.SessionHandleOf(b.Cookie("pakt_session")), nil), 204, "API ends a session")
	if resp := b.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("session ended through the API: %d", resp.StatusCode)
	}
}

// tokenID is the id of a clear API token.
func tokenID(t *testing.T, w *world, clear string) int64 {
	t.Helper()
	tk, err := models.LookupAPIToken(context.Background(), w.DB, clear)
	if err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

var secretRE = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)

func TestTOTPEnrolmentPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login(member)
	page := expect(t, b.Get("/me/totp"), 200, "two-step page")
	if !strings.Contains(page, `action="/me/totp"`) {
		t.Fatal("no start button")
	}
	if resp := b.PostForm("/me/totp", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("start: %d", resp.StatusCode)
	}
	resp := b.Get("/me/totp")
	page = expect(t, resp, 200, "enrolment")
	m := secretRE.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `<img src="data:image/png;base64,`) {
		t.Fatal("no QR code or secret")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:") {
		t.Fatalf("the CSP does not allow the QR code: %s", csp)
	}
	body := expect(t, b.PostForm("/me/totp/confirm", url.Values{"code": {"000000"}}), 422, "wrong code")
	if !fieldError(body, "code") || !strings.Contains(body, m[1]) {
		t.Fatal("wrong code: no error next to the field, or the QR code is gone")
	}
	code, _ := totp.GenerateCode(m[1], time.Now())
	body = expect(t, b.PostForm("/me/totp/confirm", url.Values{"code": {code}}), 200, "confirm")
	codes := regexp.MustCompile(`<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>`).FindAllStringSubmatch(body, -1)
	if len(codes) != models.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	if page := expect(t, b.Get("/me/totp"), 200, "on"); strings.Contains(page, "totp-secret") || !strings.Contains(page, `action="/me/totp/disable"`) {
		t.Fatal("the secret is shown again once on, or no way to turn it off")
	}
	// Sign-in asks for the code now.
	in := w.Anonymous()
	in.Get("/login")
	if resp := in.PostForm("/login", url.Values{"email": {member}, "password": {testkit.Password}}); resp.StatusCode != 401 {
		t.Fatalf("sign-in without the code: %d", resp.StatusCode)
	}
	// Turning it off needs the password and a code.
	body = expect(t, b.PostForm("/me/totp/disable", url.Values{"password": {"wrong-one"}, "code": {codes[0][1]}}), 422, "wrong password")
	if !fieldError(body, "password") {
		t.Fatal("wrong password: no error next to the field")
	}
	if resp := b.PostForm("/me/totp/disable", url.Values{"password": {testkit.Password}, "code": {codes[1][1]}}); resp.StatusCode != 303 {
		t.Fatalf("turn off: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	if on, _ := models.TOTPEnabled(context.Background(), w.DB, w.MemA.ID); on {
		t.Fatal("still on")
	}
	expect(t, b.PostForm("/me/totp/confirm", url.Values{"code": {code}}), 409, "confirm without starting")
}

func TestAPITOTP(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	var en models.TOTPEnrolment
	resp := w.API(tok, "POST", "/api/v1/me/totp", nil)
	if resp.StatusCode != 201 {
		t.Fatalf("start: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	testkit.DecodeJSON(t, resp, &en)
	if en.Secret == "" || !strings.HasPrefix(en.OTPAuthURL, "otpauth://totp/") {
		t.Fatalf("enrolment: %+v", en)
	}
	expect(t, w.API(tok, "POST", "/api/v1/me/totp/confirm", map[string]string{"code": "123"}), 422, "wrong code")
	code, _ := totp.GenerateCode(en.Secret, time.Now())
	var out struct {
		RecoveryCodes []string `json:"recovery_codes"`
	}
	resp = w.API(tok, "POST", "/api/v1/me/totp/confirm", map[string]string{"code": code})
	if resp.StatusCode != 200 {
		t.Fatalf("confirm: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	testkit.DecodeJSON(t, resp, &out)
	if len(out.RecoveryCodes) != models.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(out.RecoveryCodes))
	}
	expect(t, w.API(tok, "POST", "/api/v1/me/totp", nil), 409, "start again while on")
	body := expect(t, w.API(tok, "POST", "/api/v1/me/totp/recovery-codes", map[string]string{"password": testkit.Password, "code": out.RecoveryCodes[0]}), 200, "new codes")
	if strings.Contains(body, out.RecoveryCodes[1]) {
		t.Fatal("old codes returned")
	}
	expect(t, w.API(tok, "DELETE", "/api/v1/me/totp", map[string]string{"password": testkit.Password, "code": out.RecoveryCodes[1]}), 422, "an old recovery code")
	next, _ := totp.GenerateCode(en.Secret, time.Now().Add(30*time.Second))
	expect(t, w.API(tok, "DELETE", "/api/v1/me/totp", map[string]string{"password": testkit.Password, "code": next}), 204, "turn off")
	expect(t, w.API("", "POST", "/api/v1/me/totp", nil), 401, "anonymous")
}

// A platform admin without two-step sign-in has no admin powers: every
// page but their own account sends them to the enrolment page, the API
// answers 403 totp_required; once it is on, everything works.
func TestAdminMustEnableTOTP(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := models.CreateUser(ctx, w.DB, models.Actor{}, 0, models.UserInput{Email: "ops@test.ba", Name: "Ops",
		Password: testkit.Password, IsAdmin: true}); err != nil {
		t.Fatal(err)
	}
	b := w.Login("ops@test.ba") // no second factor yet: the password alone signs in
	for _, path := range []string{"/dashboard", "/municipalities/new", fmt.Sprintf("/municipalities/%d", w.B.ID)} {
		if resp := b.Get(path); resp.StatusCode != 303 || resp.Header.Get("Location") != "/me/totp" {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	b.Get("/me") // the session's CSRF token
	if resp := b.PostForm("/municipalities", url.Values{"name": {"Milići"}, "country": {"BA"}, "currency": {"BAM"}}); resp.StatusCode != 303 || resp.Header.Get("Location") != "/me/totp" {
		t.Fatalf("POST as admin without TOTP: %d", resp.StatusCode)
	}
	var n int64
	w.DB.Model(&models.Municipality{}).Where("name = ?", "Milići").Count(&n)
	if n != 0 {
		t.Fatal("an admin without TOTP created a municipality")
	}
	if page := expect(t, b.Get("/me/totp"), 200, "enrolment page"); !strings.Contains(page, `role="alert"`) {
		t.Fatal("the enrolment page does not say it is required")
	}
	expect(t, b.Get("/me"), 200, "own account")
	tok := w.Token("ops@test.ba")
	body := expect(t, w.API(tok, "GET", "/api/v1/municipalities", nil), 403, "API without TOTP")
	if !strings.Contains(body, `"code":"totp_required"`) {
		t.Fatalf("API error: %s", body)
	}
	expect(t, w.API(tok, "POST", "/api/v1/municipalities", map[string]string{"name": "Milići", "country": "BA", "currency": "BAM"}), 403, "create without TOTP")
	expect(t, w.API(tok, "GET", "/api/v1/me", nil), 200, "own account in the API")
	// Enrol in the browser; then the admin may do everything.
	b.PostForm("/me/totp", url.Values{})
	m := secretRE.FindStringSubmatch(testkit.Body(b.Get("/me/totp")))
	if m == nil {
		t.Fatal("no secret")
	}
	code, _ := totp.GenerateCode(m[1], time.Now())
	expect(t, b.PostForm("/me/totp/confirm", url.Values{"code": {code}}), 200, "confirm")
	expect(t, b.Get("/municipalities/new"), 200, "admin page with TOTP on")
	expect(t, w.API(tok, "POST", "/api/v1/municipalities", map[string]string{"name": "Milići", "country": "BA", "currency": "BAM"}), 201, "create with TOTP on")
	if resp := b.PostForm("/logout", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
}
