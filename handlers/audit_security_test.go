package handlers_test

import (
	"net/url"
	"testing"

	"pakt/app/testkit"
)

// TestLoginNextStaysOnSite: the outside review redirected off-site after
// login with next=/\evil.example and its encoded forms; only paths of this
// site may pass, both from the login form and from ?next= on the login page.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, next := range []string{`/\evil.example`, `/%5Cevil.example`, `/\/evil.example`, `/%2F/evil.example`, "//evil.example"} {
		b := w.Anonymous()
		b.Get("/login?next=" + url.QueryEscape(next))
		resp := b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}, "next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/dashboard" {
			t.Errorf("next=%q: %d to %q, want 303 to /dashboard", next, resp.StatusCode, loc)
		}
	}
	b := w.Anonymous()
	b.Get("/login")
	resp := b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}, "next": {"/plans"}})
	if loc := resp.Header.Get("Location"); loc != "/plans" {
		t.Errorf("a same-site next went to %q", loc)
	}
}
