package handlers_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// mailPath is the path of the invitation or reset link in the newest mail
// to an address.
func mailPath(t *testing.T, w *world, email string) string {
	t.Helper()
	u, err := url.Parse(linkIn(t, outboxTo(t, w, email).TextBody))
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// invite has the coordinator of A invite a new person through the API and
// returns the path of the link in the mail.
func invite(t *testing.T, w *world, email string) string {
	t.Helper()
	resp := w.API(w.Token(coordA), "POST", fmt.Sprintf("/api/v1/municipalities/%d/invitations", w.A.ID),
		map[string]any{"email": email, "name": "Ajla Hodžić", "organisation_id": w.OrgA2.ID, "role": "member"})
	expect(t, resp, 201, "invite "+email)
	return mailPath(t, w, email)
}

func fieldError(body, field string) bool { return strings.Contains(body, `id="e-`+field+`"`) }

const newPassword = "Nova-duga-lozinka-7"

func TestAcceptInvitationPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	path := invite(t, w, "ajla@test.ba")
	coord := w.Login(coordA)
	members := fmt.Sprintf("/municipalities/%d/members", w.A.ID)
	if page := testkit.Body(coord.Get(members)); !strings.Contains(page, `id="pending-h"`) || !strings.Contains(page, "ajla@test.ba") {
		t.Fatal("the members page does not list the pending invitation")
	}
	b := w.Anonymous()
	page := expect(t, b.Get(path), 200, "invitation page")
	for _, want := range []string{"Bratunac", "Biro Bratunac", "User coord.a@test.ba", "ajla@test.ba", `name="password"`} {
		if !strings.Contains(page, want) {
			t.Errorf("invitation page lacks %q", want)
		}
	}
	if resp := b.PostFormRaw(path, url.Values{"password": {newPassword}, "password_confirm": {newPassword}}); resp.StatusCode != 403 {
		t.Fatalf("without the CSRF token: %d", resp.StatusCode)
	}
	body := expect(t, b.PostForm(path, url.Values{"password": {"short"}, "password_confirm": {"short"}}), 422, "weak password")
	if !fieldError(body, "password") {
		t.Fatal("weak password: no error next to the field")
	}
	body = expect(t, b.PostForm(path, url.Values{"password": {newPassword}, "password_confirm": {"other-password-1"}}), 422, "mismatch")
	if !fieldError(body, "password_confirm") {
		t.Fatal("mismatch: no error next to the field")
	}
	resp := b.PostForm(path, url.Values{"name": {"Ajla H."}, "password": {newPassword}, "password_confirm": {newPassword}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login" {
		t.Fatalf("accept: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The person signs in with their own password.
	in := w.Anonymous()
	in.Get("/login")
	if resp := in.PostForm("/login", url.Values{"email": {"ajla@test.ba"}, "password": {newPassword}}); resp.StatusCode != 303 {
		t.Fatalf("sign in with the chosen password: %d", resp.StatusCode)
	}
	if page := testkit.Body(coord.Get(members)); strings.Contains(page, `id="pending-h"`) {
		t.Fatal("an accepted invitation is still listed as pending")
	}
	// The link is spent: a clear page, 410.
	if body := expect(t, w.Anonymous().Get(path), 410, "used link"); !strings.Contains(body, "/password-resets") {
		t.Error("used link page offers no way on")
	}
	expect(t, b.PostForm(path, url.Values{"password": {newPassword}, "password_confirm": {newPassword}}), 410, "used link posted")
	expect(t, w.Anonymous().Get("/invitations/not-a-token"), 404, "unknown link")

	// An expired link is gone too.
	exp := invite(t, w, "expired@test.ba")
	w.DB.Exec(`UPDATE invitations SET expires_at = now() - interval '1 hour' WHERE email = 'expired@test.ba'`)
	expect(t, w.Anonymous().Get(exp), 410, "expired link")
}

func TestAPIAcceptInvitation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	token := strings.TrimPrefix(invite(t, w, "ajla@test.ba"), "/invitations/")
	info := expect(t, w.API("", "GET", "/api/v1/invitations/"+token, nil), 200, "invitation info")
	if !strings.Contains(info, `"municipality_name":"Bratunac"`) || !strings.Contains(info, `"organisation_name":"Biro Bratunac"`) {
		t.Fatalf("info: %s", info)
	}
	accept := "/api/v1/invitations/" + token + "/accept"
	body := expect(t, w.API("", "POST", accept, map[string]string{"password": "1234567890"}), 422, "common password")
	if !strings.Contains(body, `"password"`) {
		t.Fatalf("422 without the field: %s", body)
	}
	expect(t, w.API("", "POST", accept, `{"password":`), 400, "malformed")
	body = expect(t, w.API("", "POST", accept, map[string]string{"password": newPassword, "name": "Ajla"}), 201, "accept")
	if !strings.Contains(body, `"status":"active"`) || strings.Contains(body, "password") {
		t.Fatalf("accepted user: %s", body)
	}
	expect(t, w.API("", "POST", accept, map[string]string{"password": newPassword}), 410, "accept twice")
	expect(t, w.API("", "GET", "/api/v1/invitations/"+token, nil), 410, "info of a used link")
	expect(t, w.API("", "POST", "/api/v1/invitations/nope/accept", map[string]string{"password": newPassword}), 404, "unknown")
	if resp := w.API("", "POST", "/api/v1/tokens", map[string]string{"email": "ajla@test.ba", "password": newPassword}); resp.StatusCode != 201 {
		t.Fatalf("token with the chosen password: %d", resp.StatusCode)
	}
	exp := strings.TrimPrefix(invite(t, w, "late@test.ba"), "/invitations/")
	w.DB.Exec(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'late@test.ba'`)
	expect(t, w.API("", "POST", "/api/v1/invitations/"+exp+"/accept", map[string]string{"password": newPassword}), 410, "expired")
}

var sentRE = regexp.MustCompile(`<p role="status">[^<]+</p>`)

func TestForgotPasswordPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Anonymous()
	if login := testkit.Body(b.Get("/login")); !strings.Contains(login, `href="/password-resets"`) {
		t.Fatal("the login page has no forgot-password link")
	}
	expect(t, b.Get("/password-resets"), 200, "request page")
	body := expect(t, b.PostForm("/password-resets", url.Values{"email": {""}}), 422, "no address")
	if !fieldError(body, "email") {
		t.Fatal("no address: no error next to the field")
	}
	known := expect(t, b.PostForm("/password-resets", url.Values{"email": {member}}), 200, "known address")
	unknown := expect(t, b.PostForm("/password-resets", url.Values{"email": {"nobody-here@test.ba"}}), 200, "unknown address")
	if sentRE.FindString(known) == "" || sentRE.FindString(known) != sentRE.FindString(unknown) {
		t.Fatalf("the answers differ: %q vs %q", sentRE.FindString(known), sentRE.FindString(unknown))
	}
	var n int64
	w.DB.Model(&models.OutboxMessage{}).Where("to_email = ?", "nobody-here@test.ba").Count(&n)
	if n != 0 {
		t.Fatal("a mail went to an address without an account")
	}
	old := w.Login(member)
	tok := w.Token(member)
	path := mailPath(t, w, member)
	expect(t, w.Anonymous().Get(path), 200, "reset page")
	r := w.Anonymous()
	r.Get(path)
	body = expect(t, r.PostForm(path, url.Values{"password": {"member"}, "password_confirm": {"member"}}), 422, "weak")
	if !fieldError(body, "password") {
		t.Fatal("weak: no error next to the field")
	}
	resp := r.PostForm(path, url.Values{"password": {newPassword}, "password_confirm": {newPassword}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login" {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	// Every session and token of the account ended.
	if resp := old.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("old session after a reset: %d", resp.StatusCode)
	}
	if resp := w.API(tok, "GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Fatalf("old token after a reset: %d", resp.StatusCode)
	}
	expect(t, w.Anonymous().Get(path), 410, "used reset link")
	expect(t, r.PostForm(path, url.Values{"password": {newPassword}, "password_confirm": {newPassword}}), 410, "used link posted")
	expect(t, w.Anonymous().Get("/password-resets/unknown-token"), 404, "unknown link")
	in := w.Anonymous()
	in.Get("/login")
	if resp := in.PostForm("/login", url.Values{"email": {member}, "password": {newPassword}}); resp.StatusCode != 303 {
		t.Fatalf("sign in with the new password: %d", resp.StatusCode)
	}
}

func TestAPIPasswordResets(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	expect(t, w.API("", "POST", "/api/v1/password-resets", map[string]string{"email": viewer}), 202, "known")
	expect(t, w.API("", "POST", "/api/v1/password-resets", map[string]string{"email": "who@test.ba"}), 202, "unknown")
	expect(t, w.API("", "POST", "/api/v1/password-resets", map[string]string{}), 422, "no e-mail")
	token := strings.TrimPrefix(mailPath(t, w, viewer), "/password-resets/")
	tok := w.Token(viewer)
	reset := "/api/v1/password-resets/" + token
	expect(t, w.API("", "POST", reset, map[string]string{"password": "viewer.a@test.ba"}), 422, "the e-mail as password")
	expect(t, w.API("", "POST", reset, map[string]string{"password": newPassword}), 204, "reset")
	expect(t, w.API(tok, "GET", "/api/v1/me", nil), 401, "token after reset")
	expect(t, w.API("", "POST", reset, map[string]string{"password": newPassword}), 410, "reset twice")
	// An expired link.
	expect(t, w.API("", "POST", "/api/v1/password-resets", map[string]string{"email": member}), 202, "member")
	late := strings.TrimPrefix(mailPath(t, w, member), "/password-resets/")
	w.DB.Exec(`UPDATE password_resets SET expires_at = now() - interval '1 minute'`)
	expect(t, w.API("", "POST", "/api/v1/password-resets/"+late, map[string]string{"password": newPassword}), 410, "expired")
	// One address asking for many: 429 with Retry-After, in the API and the browser.
	var resp = w.API("", "POST", "/api/v1/password-resets", map[string]string{"email": "x@test.ba"})
	for i := 0; i < 30 && resp.StatusCode == 202; i++ {
		resp = w.API("", "POST", "/api/v1/password-resets", map[string]string{"email": fmt.Sprintf("x%d@test.ba", i)})
	}
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("throttle: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	b := w.Anonymous()
	b.Get("/password-resets")
	resp = b.PostForm("/password-resets", url.Values{"email": {member}})
	if body := testkit.Body(resp); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !fieldError(body, "email") {
		t.Fatalf("browser throttle: %d", resp.StatusCode)
	}
}

// sessionsOf lists a user's session handles through the API.
func sessionsOf(t *testing.T, w *world, tok string) []models.SessionInfo {
	t.Helper()
	var out struct{ Items []models.SessionInfo }
	resp := w.API(tok, "GET", "/api/v1/me/sessions", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("sessions: %d", resp.StatusCode)
	}
	testkit.DecodeJSON(t, resp, &out)
	return out.Items
}
