package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"pakt/app"
	"pakt/app/testkit"
)

func TestLoginRegeneratesSessionAndLogoutEndsIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Anonymous()
	// An anonymous session from a public form (verification by upload), as
	// an attacker could plant one: it must not survive the sign-in.
	b.Get("/verify")
	b.Get("/login")
	before := b.Cookie("pakt_session")
	if before == "" || b.CSRF == "" {
		t.Fatal("no anonymous session or CSRF token")
	}
	resp := b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}, "next": {"/municipalities"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/municipalities" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	after := b.Cookie("pakt_session")
	if after == "" || after == before {
		t.Fatal("session id was not regenerated at login")
	}
	// The pre-login session id is worthless now.
	old := w.Anonymous()
	old.SetCookie("pakt_session", before)
	if resp := old.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("old session still valid: %d", resp.StatusCode)
	}
	if resp := b.Get("/dashboard"); resp.StatusCode != 200 {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	if resp := b.PostForm("/logout", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	stale := w.Anonymous()
	stale.SetCookie("pakt_session", after)
	if resp := stale.Get("/dashboard"); resp.StatusCode != 303 {
		t.Fatalf("session survived logout: %d", resp.StatusCode)
	}
}

func TestLoginErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Anonymous()
	b.Get("/login")
	resp := b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {"wrong"}})
	body := testkit.Body(resp)
	if resp.StatusCode != 401 || !strings.Contains(body, `id="e-password"`) || !strings.Contains(body, "not correct") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `value="coord.a@test.ba"`) {
		t.Fatal("the typed e-mail was lost")
	}
	resp = b.PostForm("/login", url.Values{"email": {""}, "password": {""}})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-email"`) {
		t.Fatalf("empty form: %d", resp.StatusCode)
	}
	// Without the CSRF token the form is refused.
	resp = w.Anonymous().PostFormRaw("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}})
	if resp.StatusCode != 403 {
		t.Fatalf("login without CSRF: %d", resp.StatusCode)
	}
	// An open redirect through ?next= is not possible.
	resp = b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}, "next": {"//evil.example/x"}})
	if resp.Header.Get("Location") != "/dashboard" {
		t.Fatalf("next went to %q", resp.Header.Get("Location"))
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Anonymous()
	b.Get("/login")
	status := 0
	for i := 0; i < 11; i++ {
		status = b.PostForm("/login", url.Values{"email": {"viewer.a@test.ba"}, "password": {"guess"}}).StatusCode
	}
	if status != 429 {
		t.Fatalf("after 11 failures: %d", status)
	}
	// Even the right password is refused while throttled.
	if s := b.PostForm("/login", url.Values{"email": {"viewer.a@test.ba"}, "password": {testkit.Password}}).StatusCode; s != 429 {
		t.Fatalf("throttled correct login: %d", s)
	}
	// The API shares the same throttle.
	resp := w.API("", "POST", "/api/v1/tokens", map[string]string{"email": "viewer.a@test.ba", "password": testkit.Password})
	if resp.StatusCode != 429 || !strings.Contains(testkit.Body(resp), "too_many_requests") {
		t.Fatalf("API while throttled: %d", resp.StatusCode)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login("coord.a@test.ba")
	w.DB.Exec("UPDATE sessions SET last_seen_at = now() - interval '2 hours'")
	resp := b.Get("/dashboard")
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("idle session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// A session made by one server process works on another one on the same database.
func TestSessionSharedBetweenServers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login("coord.a@test.ba")
	other, err := app.NewServer(w.Cfg, w.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/dashboard", nil)
	req.AddCookie(&http.Cookie{Name: "pakt_session", Value: b.Cookie("pakt_session")})
	resp, err := other.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if body := testkit.Body(resp); resp.StatusCode != 200 || !strings.Contains(body, "Bratunac") {
		t.Fatalf("second server: %d", resp.StatusCode)
	}
}
