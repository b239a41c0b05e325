package handlers_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestStaticFilesCompressedAndCached: the audit found static files sent
// uncompressed, without validators and with a one-hour cache.
func TestStaticFilesCompressedAndCached(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	page := w.Anonymous().Get("/login")
	body := readAll(t, page)
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the layout links app.css without its version: %.500s", body)
	}
	for _, tc := range []struct{ path, cache string }{
		{m[1], "public, max-age=31536000, immutable"},
		{"/static/vendor/pico-2.1.1.min.css", "public, max-age=31536000, immutable"},
		{"/static/app.css", "public, no-cache"},
		{"/static/app.css?v=stale", "public, no-cache"},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp := w.Do(req)
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != tc.cache {
			t.Errorf("%s: %d, Cache-Control %q, want %q", tc.path, resp.StatusCode, resp.Header.Get("Cache-Control"), tc.cache)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Last-Modified") == "" {
			t.Errorf("%s: Content-Encoding %q, Last-Modified %q", tc.path, resp.Header.Get("Content-Encoding"), resp.Header.Get("Last-Modified"))
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if css, _ := io.ReadAll(zr); !strings.Contains(string(css), "{") {
			t.Errorf("%s: not CSS after gunzip", tc.path)
		}
		etag := resp.Header.Get("ETag")
		again := httptest.NewRequest("GET", tc.path, nil)
		again.Header.Set("If-None-Match", etag)
		if r := w.Do(again); etag == "" || r.StatusCode != 304 {
			t.Errorf("%s: ETag %q, revalidation answered %d", tc.path, etag, r.StatusCode)
		}
	}
}

// TestWellKnownFiles: favicon, robots.txt and security.txt exist.
func TestWellKnownFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Anonymous()
	if r := b.Get("/favicon.ico"); r.StatusCode != 301 || !strings.HasPrefix(r.Header.Get("Location"), "/static/favicon.svg?v=") {
		t.Errorf("/favicon.ico: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := b.Get("/static/favicon.svg"); r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/svg+xml") {
		t.Errorf("favicon.svg: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if body := readAll(t, b.Get("/robots.txt")); !strings.Contains(body, "Disallow: /api/") || !strings.Contains(body, "Allow: /m/") {
		t.Errorf("robots.txt: %q", body)
	}
	sec := readAll(t, b.Get("/.well-known/security.txt"))
	if !regexp.MustCompile(`(?m)^Contact: mailto:security@127\.0\.0\.1$`).MatchString(sec) ||
		!regexp.MustCompile(`(?m)^Expires: \d{4}-\d\d-\d\dT`).MatchString(sec) {
		t.Errorf("security.txt: %q", sec)
	}
	if body := readAll(t, b.Get("/login")); !strings.Contains(body, `rel="icon"`) || !strings.Contains(body, `name="htmx-config"`) {
		t.Errorf("the layout lacks the icon or the htmx config")
	}
}

// TestPrivateAnswersAreNotStored: signed-in pages, API answers and private
// PDFs say no-store; public pages vary with the language headers and name
// their other languages.
func TestPrivateAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Login("coord.a@test.ba")
	for _, path := range []string{"/dashboard", fmt.Sprintf("/municipalities/%d", w.A.ID)} {
		if r := coord.Get(path); r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s signed in: Cache-Control %q", path, r.Header.Get("Cache-Control"))
		}
	}
	tok := w.Token("coord.a@test.ba")
	if r := w.API(tok, "GET", fmt.Sprintf("/api/v1/municipalities/%d", w.A.ID), nil); r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("API: Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	if r := w.API("", "GET", "/api/v1/me", nil); r.StatusCode != 401 || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("API 401: %d, Cache-Control %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	anon := w.Anonymous()
	r := anon.Get("/m/" + w.A.Slug)
	body := readAll(t, r)
	if r.Header.Get("Cache-Control") == "no-store" || !strings.Contains(r.Header.Get("Vary"), "Accept-Language") ||
		!strings.Contains(r.Header.Get("Vary"), "Cookie") {
		t.Errorf("public page: Cache-Control %q, Vary %q", r.Header.Get("Cache-Control"), r.Header.Get("Vary"))
	}
	want := fmt.Sprintf(`<link rel="alternate" hreflang="bs" href="http://127.0.0.1:8080/m/%s?lang=bs">`, w.A.Slug)
	if !strings.Contains(body, want) {
		t.Errorf("public page lacks %s", want)
	}
}

func readAll(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
