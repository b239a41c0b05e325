package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// Every route the app serves must have come through the route table with a policy.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	declared := map[string]string{}
	for _, r := range w.Srv.Routes {
		if r.Policy.Name == "" {
			t.Errorf("%s %s has no policy", r.Method, r.Path)
		}
		declared[r.Method+" "+r.Path] = r.Policy.Name
	}
	served := 0
	for _, r := range w.Srv.App.GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		served++
		if _, ok := declared[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s is served without a declared policy", r.Method, r.Path)
		}
	}
	if served < 30 {
		t.Fatalf("only %d routes found; the walk is broken", served)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resp := w.Anonymous().Get("/login")
	want := map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	}
	for h, v := range want {
		if !strings.Contains(resp.Header.Get(h), v) {
			t.Errorf("%s = %q, want it to contain %q", h, resp.Header.Get(h), v)
		}
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP lacks frame-ancestors")
	}
	c := resp.Header.Values("Set-Cookie")
	if len(c) == 0 || !strings.Contains(strings.Join(c, ";"), "HttpOnly") {
		t.Errorf("session cookie not HttpOnly: %v", c)
	}
	// No inline script anywhere in the layout (the CSP would block it).
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(testkit.Body(resp)) || strings.Contains(testkit.Body(resp), " onclick=") {
		t.Error("inline script in page")
	}
}

func TestLanguageSelection(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	bs := readCatalog(t, "bs")
	// Accept-Language decides for a first visit.
	req := httptest.NewRequest("GET", "/login", nil)
	req.Header.Set("Accept-Language", "hr-HR,hr;q=0.9,en;q=0.5")
	if body := testkit.Body(w.Do(req)); !strings.Contains(body, `<html lang="bs">`) || !strings.Contains(body, bs["login.title"]) {
		t.Fatal("Accept-Language hr did not give the Bosnian catalog")
	}
	req = httptest.NewRequest("GET", "/login", nil)
	req.Header.Set("Accept-Language", "sr-Latn-RS,sr;q=0.9")
	if body := testkit.Body(w.Do(req)); !strings.Contains(body, `<html lang="sr-Latn">`) {
		t.Fatal("Accept-Language sr-Latn did not give Serbian in Latin script")
	}
	// ?lang= wins, is remembered in a cookie and in the profile.
	b := w.Login("coord.a@test.ba")
	body := testkit.Body(b.Get("/dashboard?lang=bs"))
	if !strings.Contains(body, bs["dashboard.title"]) {
		t.Fatal("?lang=bs not applied")
	}
	if b.Cookie("pakt_lang") != "bs" {
		t.Fatal("language not remembered in a cookie")
	}
	var locale string
	w.DB.Raw("SELECT locale FROM users WHERE id = ?", w.CoordA.ID).Scan(&locale)
	if locale != "bs" {
		t.Fatalf("profile locale = %q", locale)
	}
	// A new browser of the same user gets the profile language.
	if body := testkit.Body(w.Login("coord.a@test.ba").Get("/dashboard")); !strings.Contains(body, bs["dashboard.title"]) {
		t.Fatal("profile language not used at next sign-in")
	}
	// Unknown languages fall back to English.
	if body := testkit.Body(w.Anonymous().Get("/login?lang=xx")); !strings.Contains(body, `<html lang="en">`) {
		t.Fatal("unknown language did not fall back to English")
	}
}

func TestFriendlyErrorPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resp := w.Anonymous().Get("/no/such/page")
	if body := testkit.Body(resp); resp.StatusCode != 404 || !strings.Contains(body, "Page not found") || !strings.Contains(body, "<main") {
		t.Fatalf("404 page: %d", resp.StatusCode)
	}
	resp = w.API("", "GET", "/api/v1/nowhere", nil)
	var e struct {
		Error struct{ Code, Message string }
	}
	testkit.DecodeJSON(t, resp, &e)
	if resp.StatusCode != 404 || e.Error.Code != "not_found" || e.Error.Message == "" {
		t.Fatalf("API 404: %d %+v", resp.StatusCode, e)
	}
	if resp := w.Anonymous().Get("/healthz"); resp.StatusCode != 200 || !strings.Contains(testkit.Body(resp), `"ok"`) {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	if resp := w.Anonymous().Get("/static/vendor/htmx-2.0.11.min.js"); resp.StatusCode != 200 {
		t.Fatalf("vendored htmx: %d", resp.StatusCode)
	}
}

func TestDashboardShowsRoles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	body := testkit.Body(w.Login("member.a@test.ba").Get("/dashboard"))
	for _, s := range []string{"Bratunac", "Member", "Biro Bratunac"} {
		if !strings.Contains(body, s) {
			t.Errorf("dashboard lacks %q", s)
		}
	}
	if strings.Contains(body, "Zvornik") {
		t.Error("dashboard shows another municipality")
	}
	// Members see no admin navigation for municipalities they do not coordinate.
	if strings.Contains(body, "/municipalities/new") {
		t.Error("member sees admin link")
	}
}

// readCatalog merges every locales/*.<lang>.json file.
func readCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "views", "locales", "*."+lang+".json"))
	if len(files) == 0 {
		t.Fatalf("no catalog for %s", lang)
	}
	m := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]string
		if err := json.Unmarshal(raw, &part); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, v := range part {
			m[k] = v
		}
	}
	return m
}

// Every catalog has every English key, and every key a template names exists.
func TestCatalogsComplete(t *testing.T) {
	t.Parallel()
	en := readCatalog(t, "en")
	langs := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join("..", "views", "locales", "*.json"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		langs[name[strings.LastIndex(name, ".")+1:]] = true
	}
	for lang := range langs {
		cat := readCatalog(t, lang)
		for k := range en {
			if strings.TrimSpace(cat[k]) == "" && k != "role." {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	keyRe := regexp.MustCompile(`t (?:\$?\.L|\$\.L) "([a-z_.0-9]+)"`)
	tmpls, _ := filepath.Glob(filepath.Join("..", "views", "*", "*.html"))
	for _, f := range tmpls {
		raw, _ := os.ReadFile(f)
		for _, m := range keyRe.FindAllStringSubmatch(string(raw), -1) {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses unknown key %q", f, m[1])
			}
		}
	}
}
