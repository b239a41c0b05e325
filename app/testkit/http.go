package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/app"
	"pakt/models"
)

// Env is one test's server on its own fresh database.
type Env struct {
	T   testing.TB
	DB  *gorm.DB
	Srv *app.Server
	Cfg app.Config
}

// Password is what every account made by the helpers uses.
const Password = "correct-horse-battery"

// NewEnv builds the whole app on a fresh database.
func NewEnv(t testing.TB) *Env {
	t.Helper()
	db := DB(t)
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatalf("config: %v", problems)
	}
	cfg.DataDir = t.TempDir() // uploads of one test stay in that test
	// A loaded CI machine must not turn slow into failed: statement and
	// request limits are tested where they matter, not by every test.
	cfg.DBTimeout = 30 * time.Second
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := app.NewServer(cfg, db, log)
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	return &Env{T: t, DB: db, Srv: srv, Cfg: cfg}
}

// Do sends a request through app.Test without a time limit; an API request
// and its answer must match the OpenAPI document (checkContract).
func (e *Env) Do(req *http.Request) *http.Response {
	e.T.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := e.Srv.App.Test(req, -1)
	if err != nil {
		e.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	if problem := checkContract(req, reqBody, resp); problem != "" {
		e.T.Errorf("%s %s does not match web/openapi/openapi.yaml:\n%s", req.Method, req.URL.RequestURI(), clip(problem, 4000))
	}
	return resp
}

// Municipality creates a municipality directly through the model.
func (e *Env) Municipality(name string) *models.Municipality {
	e.T.Helper()
	m, err := models.CreateMunicipality(ctxT(e.T), e.DB, models.Actor{}, models.MunicipalityInput{Name: name, Country: "BA", Currency: "BAM", Language: "bs"})
	if err != nil {
		e.T.Fatal(err)
	}
	return m
}

// Organisation creates a partner in a municipality.
func (e *Env) Organisation(muniID int64, name, typ string) *models.Organisation {
	e.T.Helper()
	o, err := models.CreateOrganisation(ctxT(e.T), e.DB, models.Actor{}, muniID, models.OrganisationInput{Name: name, Type: typ})
	if err != nil {
		e.T.Fatal(err)
	}
	return o
}

// User creates an account; with muniID != 0 it gets role there.
func (e *Env) User(email string, admin bool, orgID *int64, muniID int64, role string) *models.User {
	e.T.Helper()
	u, err := models.CreateUser(ctxT(e.T), e.DB, models.Actor{}, 0, models.UserInput{Email: email, Name: "User " + email,
		Password: Password, IsAdmin: admin, OrganisationID: orgID})
	if err != nil {
		e.T.Fatal(err)
	}
	if muniID != 0 {
		if err := models.SetRole(ctxT(e.T), e.DB, models.Actor{}, muniID, u.ID, role); err != nil {
			e.T.Fatal(err)
		}
	}
	// Platform admins must have two-step sign-in; Login and Token below
	// sign them in without a code.
	if admin {
		if err := models.SetConfirmedTOTP(ctxT(e.T), e.DB, u.ID, AdminTOTPSecret); err != nil {
			e.T.Fatal(err)
		}
	}
	return u
}

// AdminTOTPSecret is the second factor of the admins User makes.
const AdminTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// withTOTP returns the user of email when it has two-step sign-in on.
func (e *Env) withTOTP(email string) *models.User {
	var u models.User
	err := e.DB.Where("lower(email) = lower(?) AND id IN (SELECT user_id FROM user_totp WHERE confirmed_at IS NOT NULL)", email).
		Limit(1).Find(&u).Error
	if err != nil {
		e.T.Fatal(err)
	}
	if u.ID == 0 {
		return nil
	}
	return &u
}

// Browser is a signed-in (or anonymous) browser: cookies and the CSRF token.
type Browser struct {
	e       *Env
	cookies map[string]string
	CSRF    string
}

// Anonymous returns a browser without a session.
func (e *Env) Anonymous() *Browser { return &Browser{e: e, cookies: map[string]string{}} }

// Login signs in through the form and returns the browser.
func (e *Env) Login(email string) *Browser {
	e.T.Helper()
	b := e.Anonymous()
	if u := e.withTOTP(email); u != nil {
		// A code is good once per 30 s: tests signing in often get a
		// session as the login would make it.
		id, _, err := models.NewSession(ctxT(e.T), e.DB, &u.ID)
		if err != nil {
			e.T.Fatal(err)
		}
		b.SetCookie("pakt_session", id)
		b.Get("/dashboard")
		return b
	}
	b.Get("/login")
	resp := b.PostForm("/login", url.Values{"email": {email}, "password": {Password}})
	if resp.StatusCode != http.StatusSeeOther {
		e.T.Fatalf("login %s: status %d", email, resp.StatusCode)
	}
	b.Get("/dashboard")
	return b
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Send performs a request with the browser's cookies and remembers new ones
// and the CSRF token of any page.
func (b *Browser) Send(req *http.Request) *http.Response {
	b.e.T.Helper()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp := b.e.Do(req)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if m := csrfRe.FindSubmatch(body); m != nil {
		b.CSRF = string(m[1])
	}
	// A pointer printed into a catalog key ("status.0xc000…") is a template bug.
	if m := pointerRe.Find(body); m != nil {
		b.e.T.Errorf("%s %s: page prints a pointer: %q", req.Method, req.URL.Path, m)
	}
	if key := untranslated(body); key != "" {
		b.e.T.Errorf("%s %s: page shows the untranslated key %q", req.Method, req.URL.Path, key)
	}
	return resp
}

var (
	textNodeRe = regexp.MustCompile(`>([^<]+)<`)
	keyTokenRe = regexp.MustCompile(`\b([a-z]+)\.[a-z_][a-z0-9_.-]*[a-z0-9_]\b`)
)

// untranslated finds a catalog-key-like token ("plan.status.foo") in the text
// of a page: the localizer returns the key itself when a message is missing.
func untranslated(body []byte) string {
	prefixes := keyPrefixes()
	for _, m := range textNodeRe.FindAllSubmatch(body, -1) {
		for _, tok := range keyTokenRe.FindAllSubmatch(m[1], -1) {
			if prefixes[string(tok[1])] {
				return string(tok[0])
			}
		}
	}
	return ""
}

var pointerRe = regexp.MustCompile(`[a-z_]\.0x[0-9a-f]{8,}`)

// Get fetches a page.
func (b *Browser) Get(path string) *http.Response {
	return b.Send(httptest.NewRequest(http.MethodGet, path, nil))
}

// PostForm submits a form with the CSRF token added.
func (b *Browser) PostForm(path string, v url.Values) *http.Response {
	if v.Get("_csrf") == "" && b.CSRF != "" {
		v.Set("_csrf", b.CSRF)
	}
	return b.PostFormRaw(path, v)
}

// PostFormRaw submits a form exactly as given (no CSRF token added).
func (b *Browser) PostFormRaw(path string, v url.Values) *http.Response {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Send(req)
}

// Cookie returns a cookie the browser holds.
func (b *Browser) Cookie(name string) string { return b.cookies[name] }

// SetCookie plants a cookie (e.g. a session made by another server).
func (b *Browser) SetCookie(name, value string) { b.cookies[name] = value }

// Token gets an API token by e-mail and password.
func (e *Env) Token(email string) string {
	e.T.Helper()
	if u := e.withTOTP(email); u != nil {
		clear, _, err := models.CreateAPIToken(ctxT(e.T), e.DB, u.ID, 24*time.Hour)
		if err != nil {
			e.T.Fatal(err)
		}
		return clear
	}
	resp := e.API("", http.MethodPost, "/api/v1/tokens", map[string]string{"email": email, "password": Password})
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("token for %s: %d %s", email, resp.StatusCode, Body(resp))
	}
	var out struct{ Token string }
	DecodeJSON(e.T, resp, &out)
	return out.Token
}

// API sends a JSON request with an optional bearer token; body may be a
// string (sent as is) or any value (marshalled).
func (e *Env) API(token, method, path string, body any, headers ...string) *http.Response {
	e.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Do(req)
}

// Body reads a response body as a string (repeatable).
func Body(resp *http.Response) string {
	raw, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	return string(raw)
}

// DecodeJSON reads a JSON body into v.
func DecodeJSON(t testing.TB, resp *http.Response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(Body(resp)), v); err != nil {
		t.Fatalf("decode %q: %v", Body(resp), err)
	}
}

// tlog sends server warnings and errors to the test's log, shown on failure.
type tlog struct{ t testing.TB }

func (l tlog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
