package handlers_test

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
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

// TestLoneSurrogateRefused: "\ud800" is valid JSON but no text; it was
// silently stored as U+FFFD. It is refused like invalid UTF-8, with the field.
func TestLoneSurrogateRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token("coord.a@test.ba")
	body := fmt.Sprintf(`{"name":"Udruga \ud800","type":"ngo","municipality_id":%d}`, w.A.ID)
	resp := w.API(tok, "POST", "/api/v1/organisations", body)
	if got := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(got, `"name"`) {
		t.Fatalf("lone surrogate: %d %s", resp.StatusCode, got)
	}
	pair := fmt.Sprintf(`{"name":"Udruga \ud83d\ude00","type":"ngo","municipality_id":%d}`, w.A.ID)
	if resp := w.API(tok, "POST", "/api/v1/organisations", pair); resp.StatusCode != 201 {
		t.Fatalf("a surrogate pair is text: %d %s", resp.StatusCode, testkit.Body(resp))
	}
}

// TestUploadOverLimitIs413: an upload over its documented limit answered
// 422 up to the 16 MB body limit; it is 413, with the message next to the
// field, while a wrong kind of file stays 422.
func TestUploadOverLimitIs413(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	b := w.Login(coordA)
	path := fmt.Sprintf("/agreements/%d/attachments", a.ID)
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), models.MaxAttachmentBytes)...)
	resp := b.Send(multipartRequest(t, path, map[string]string{"_csrf": b.CSRF}, "file", "scan.pdf", big))
	if body := expect(t, resp, 413, "scan over 10 MB"); !strings.Contains(body, `id="e-file"`) {
		t.Fatal("the size error is not next to the field")
	}
	resp = b.Send(multipartRequest(t, path, map[string]string{"_csrf": b.CSRF}, "file", "fake.pdf", []byte("text")))
	expect(t, resp, 422, "not a PDF")
}

// TestAnonymousLoginPageWritesNoSession: every anonymous GET /login wrote a
// session row; the sign-in form now carries a pre-session CSRF token
// (double-submit cookie), still refused without or with a wrong token.
func TestAnonymousLoginPageWritesNoSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	count := func() int64 {
		var n int64
		if err := w.DB.Raw("SELECT count(*) FROM sessions").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	b := w.Anonymous()
	for range 3 {
		if r := b.Get("/login"); r.StatusCode != 200 {
			t.Fatalf("login page: %d", r.StatusCode)
		}
	}
	if after := count(); after != before {
		t.Fatalf("anonymous /login wrote %d session rows", after-before)
	}
	if b.CSRF == "" || b.Cookie("pakt_csrf") != b.CSRF {
		t.Fatalf("the form's token %q is not the cookie's %q", b.CSRF, b.Cookie("pakt_csrf"))
	}
	good := url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}}
	forged := b.PostForm("/login", url.Values{"_csrf": {"0123456789abcdef0123456789abcdef0123"}, "email": good["email"], "password": good["password"]})
	if forged.StatusCode != 403 {
		t.Fatalf("a forged token: %d", forged.StatusCode)
	}
	other := w.Anonymous() // a page from another browser: its token, not this cookie
	other.Get("/login")
	good.Set("_csrf", other.CSRF)
	if r := b.PostFormRaw("/login", good); r.StatusCode != 403 {
		t.Fatalf("another browser's token: %d", r.StatusCode)
	}
	wrong := b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {"nope"}})
	if body := testkit.Body(wrong); wrong.StatusCode != 401 || !strings.Contains(body, `name="_csrf" value="`+b.CSRF+`"`) {
		t.Fatalf("wrong password: %d, the form lost its token", wrong.StatusCode)
	}
	if r := b.PostForm("/login", url.Values{"email": {"coord.a@test.ba"}, "password": {testkit.Password}}); r.StatusCode != 303 {
		t.Fatalf("sign in: %d", r.StatusCode)
	}
	if b.Cookie("pakt_csrf") != "" {
		t.Error("the pre-session token outlived the sign-in")
	}
}

// TestParallelSignaturesNever503: 25 parallel signature requests by one
// signatory gave 4 × 503 (password hashing queued past the deadline). Now
// one signs, the others get 409 (already signed) or 429 (come back), and a
// user who is no pending signatory is refused before any hashing.
func TestParallelSignaturesNever503(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	mem := w.Token(member)
	path := fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID)
	statuses := make(chan int, 25)
	var wg sync.WaitGroup
	for range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- w.API(mem, "POST", path, map[string]any{"password": testkit.Password}).StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[201] != 1 || count[201]+count[409]+count[429] != 25 {
		t.Fatalf("statuses of 25 parallel signatures: %v", count)
	}
	// Not a signatory: 403 at once, even with a wrong password.
	if r := w.API(w.Token(viewer), "POST", path, map[string]any{"password": "wrong"}); r.StatusCode != 403 {
		t.Fatalf("a viewer signing: %d", r.StatusCode)
	}
	// Already signed: 409 before the password is looked at.
	if r := w.API(mem, "POST", path, map[string]any{"password": "wrong"}); r.StatusCode != 409 {
		t.Fatalf("signing twice with a wrong password: %d", r.StatusCode)
	}
}
