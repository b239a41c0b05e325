package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// apiCase is one API request by one person and the expected answer.
type apiCase struct {
	name    string
	who     string // "" = no token
	method  string
	path    func(w *world) string
	body    func(w *world) any
	headers []string
	status  int
	want    []string
	notWant []string
}

func runAPI(t *testing.T, cases []apiCase) {
	t.Helper()
	w := newWorld(t)
	tokens := map[string]string{}
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			w.T = t
			tok := ""
			if sc.who != "" {
				if tokens[sc.who] == "" {
					tokens[sc.who] = w.Token(sc.who)
				}
				tok = tokens[sc.who]
			}
			var body any
			if sc.body != nil {
				body = sc.body(w)
			}
			resp := w.API(tok, sc.method, sc.path(w), body, sc.headers...)
			got := testkit.Body(resp)
			if resp.StatusCode != sc.status {
				t.Fatalf("%s %s as %q: %d, want %d: %s", sc.method, sc.path(w), sc.who, resp.StatusCode, sc.status, got)
			}
			if resp.StatusCode >= 400 && !strings.Contains(got, `"error":{"code":`) {
				t.Errorf("error body is not the API.md shape: %s", got)
			}
			for _, s := range sc.want {
				if !strings.Contains(got, s) {
					t.Errorf("body lacks %q: %s", s, got)
				}
			}
			for _, s := range sc.notWant {
				if strings.Contains(got, s) {
					t.Errorf("body must not contain %q: %s", s, got)
				}
			}
		})
	}
}

func js(v any) func(*world) any { return func(*world) any { return v } }

func TestAPISetup(t *testing.T) {
	t.Parallel()
	newMuni := map[string]any{"name": "Srebrenica", "country": "BA", "currency": "BAM"}
	runAPI(t, []apiCase{
		{"me without token", "", "GET", p("/api/v1/me"), nil, nil, 401, []string{"unauthenticated"}, nil},
		{"me with bad token", "", "GET", p("/api/v1/me"), nil, []string{"Authorization", "Bearer nope"}, 401, nil, nil},
		{"me", coordA, "GET", p("/api/v1/me"), nil, nil, 200, []string{`"memberships":[`, `"role":"coordinator"`, `"municipality_name":"Bratunac"`}, []string{"password"}},
		{"create municipality", admin, "POST", p("/api/v1/municipalities"), js(newMuni), nil, 201, []string{`"slug":"srebrenica"`, `"version":1`}, nil},
		{"create municipality again gets a new slug", admin, "POST", p("/api/v1/municipalities"), js(newMuni), nil, 201, []string{`"slug":"srebrenica-2"`}, nil},
		{"coordinator cannot create municipality", coordA, "POST", p("/api/v1/municipalities"), js(newMuni), nil, 403, []string{`"forbidden"`}, nil},
		{"invalid municipality lists every field", admin, "POST", p("/api/v1/municipalities"), js(map[string]any{"name": "", "country": "ZZ", "currency": "USD"}), nil, 422,
			[]string{`"fields":{`, `"name":`, `"country":`, `"currency":`}, nil},
		{"malformed JSON", admin, "POST", p("/api/v1/municipalities"), js("{"), nil, 400, []string{"bad_request"}, nil},
		{"unknown field", admin, "POST", p("/api/v1/municipalities"), js(`{"name":"X","country":"BA","currency":"BAM","mayor":"x"}`), nil, 400, nil, nil},
		{"get own municipality", viewer, "GET", p("/api/v1/municipalities/%d", idA), nil, nil, 200, []string{`"name":"Bratunac"`}, nil},
		{"get other municipality is 404", coordA, "GET", p("/api/v1/municipalities/%d", idB), nil, nil, 404, []string{"not_found"}, nil},
		{"list shows only own", coordA, "GET", p("/api/v1/municipalities"), nil, nil, 200, []string{`"items":[`, "Bratunac"}, []string{"Zvornik"}},
		{"patch with stale If-Match", coordA, "PATCH", p("/api/v1/municipalities/%d", idA), js(map[string]any{"name": "Stale"}), []string{"If-Match", `"9"`}, 412, []string{"stale"}, nil},
		{"patch with current If-Match", coordA, "PATCH", p("/api/v1/municipalities/%d", idA), js(map[string]any{"name": "Bratunac Grad"}), []string{"If-Match", `"1"`}, 200, []string{`"version":2`, `"name":"Bratunac Grad"`}, nil},
		{"patch bare number If-Match now stale", coordA, "PATCH", p("/api/v1/municipalities/%d", idA), js(map[string]any{"name": "Again"}), []string{"If-Match", "1"}, 412, nil, nil},
		{"patch without If-Match applies", coordA, "PATCH", p("/api/v1/municipalities/%d", idA), js(map[string]any{"currency": "EUR"}), nil, 200, []string{`"version":3`, `"currency":"EUR"`, `"name":"Bratunac Grad"`}, nil},
		{"patch by member", member, "PATCH", p("/api/v1/municipalities/%d", idA), js(map[string]any{"name": "X"}), nil, 403, nil, nil},
		{"patch other", coordZ, "PATCH", p("/api/v1/municipalities/%d", idA), js(map[string]any{"name": "X"}), nil, 404, nil, nil},
		{"create organisation", coordA, "POST", p("/api/v1/organisations"), func(w *world) any {
			return map[string]any{"name": "Crveni krst", "type": "ngo", "municipality_id": w.A.ID}
		}, nil, 201, []string{`"type":"ngo"`}, nil},
		{"create organisation elsewhere", coordA, "POST", p("/api/v1/organisations"), func(w *world) any {
			return map[string]any{"name": "X", "type": "ngo", "municipality_id": w.B.ID}
		}, nil, 404, nil, nil},
		{"create organisation without municipality", coordA, "POST", p("/api/v1/organisations"), js(map[string]any{"name": "X", "type": "ngo"}), nil, 422, []string{`"municipality_id"`}, nil},
		{"create organisation bad type", coordA, "POST", p("/api/v1/organisations"), func(w *world) any {
			return map[string]any{"name": "", "type": "bank", "municipality_id": w.A.ID}
		}, nil, 422, []string{`"type"`, `"name"`}, nil},
		{"member cannot create organisation", member, "POST", p("/api/v1/organisations"), func(w *world) any {
			return map[string]any{"name": "X", "type": "ngo", "municipality_id": w.A.ID}
		}, nil, 403, nil, nil},
		{"get organisation", member, "GET", p("/api/v1/organisations/%d", orgA), nil, nil, 200, []string{"Općina Bratunac"}, nil},
		{"get other organisation", coordA, "GET", p("/api/v1/organisations/%d", orgB), nil, nil, 404, nil, nil},
		{"patch organisation", coordA, "PATCH", p("/api/v1/organisations/%d", orgA), js(map[string]any{"name": "Općinska uprava"}), []string{"If-Match", "1"}, 200, []string{`"version":2`}, nil},
		{"patch organisation cannot move it", coordA, "PATCH", p("/api/v1/organisations/%d", orgA), func(w *world) any {
			return map[string]any{"municipality_id": w.B.ID}
		}, nil, 422, []string{`"municipality_id"`}, nil},
		{"list organisations", viewer, "GET", p("/api/v1/municipalities/%d/organisations", idA), nil, nil, 200, []string{"Biro Bratunac"}, []string{"Zvornik"}},
		{"create user", coordA, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "new@test.ba", "name": "Nova", "organisation_id": w.OrgA2.ID}
		}, nil, 201, []string{`"email":"new@test.ba"`, `"status":"invited"`}, []string{"password", "argon2"}},
		{"create user duplicate e-mail any case", coordA, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "NEW@test.ba", "name": "Nova", "organisation_id": w.OrgA2.ID}
		}, nil, 422, []string{`"email"`}, nil},
		// Nobody sets another person's password, whoever asks.
		{"create user with a password", coordA, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "pw@test.ba", "name": "Pw", "password": "a-long-password", "organisation_id": w.OrgA2.ID}
		}, nil, 422, []string{`"password"`}, nil},
		{"admin cannot set a password either", admin, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "pw2@test.ba", "name": "Pw", "password": "a-long-password", "organisation_id": w.OrgA2.ID}
		}, nil, 422, []string{`"password"`}, nil},
		{"create user in other municipality", coordA, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "z@test.ba", "name": "Z", "organisation_id": w.OrgB.ID}
		}, nil, 404, nil, nil},
		{"create user bad fields", coordA, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "not-an-email", "name": "", "organisation_id": w.OrgA2.ID}
		}, nil, 422, []string{`"email"`, `"name"`}, nil},
		{"member cannot create user", member, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "m@test.ba", "name": "M", "organisation_id": w.OrgA2.ID}
		}, nil, 403, nil, nil},
		// An invitation belongs to a municipality: the organisation says which.
		{"admin must name an organisation too", admin, "POST", p("/api/v1/users"), js(map[string]any{"email": "ops@test.ba", "name": "Ops"}), nil, 422, []string{`"organisation_id"`}, nil},
		{"admin creates user", admin, "POST", p("/api/v1/users"), func(w *world) any {
			return map[string]any{"email": "ops@test.ba", "name": "Ops", "organisation_id": w.OrgB.ID, "role": "viewer"}
		}, nil, 201, []string{`"status":"invited"`}, nil},
		{"coordinator must name an organisation", coordA, "POST", p("/api/v1/users"), js(map[string]any{"email": "o@test.ba", "name": "O"}), nil, 422, []string{`"organisation_id"`}, nil},
		{"set role", coordA, "PUT", p("/api/v1/municipalities/%d/members/%d", idA, memA), js(map[string]any{"role": "viewer"}), nil, 200, []string{`"role":"viewer"`}, nil},
		{"set bad role", coordA, "PUT", p("/api/v1/municipalities/%d/members/%d", idA, memA), js(map[string]any{"role": "mayor"}), nil, 422, []string{`"role"`}, nil},
		{"set role of foreign user", coordA, "PUT", p("/api/v1/municipalities/%d/members/%d", idA, coordB), js(map[string]any{"role": "viewer"}), nil, 404, nil, nil},
		{"set role by member", viewer, "PUT", p("/api/v1/municipalities/%d/members/%d", idA, memA), js(map[string]any{"role": "coordinator"}), nil, 403, nil, nil},
		{"list members", coordA, "GET", p("/api/v1/municipalities/%d/members", idA), nil, nil, 200, []string{"member.a@test.ba"}, []string{"coord.b@test.ba"}},
		// One rule with the members page: people's e-mails are for coordinators.
		{"members hidden from viewer", viewer, "GET", p("/api/v1/municipalities/%d/members", idA), nil, nil, 403, nil, []string{"member.a@test.ba"}},
		{"members hidden from member", member, "GET", p("/api/v1/municipalities/%d/members", idA), nil, nil, 403, nil, []string{"coord.a@test.ba"}},
		{"remove role", coordA, "DELETE", p("/api/v1/municipalities/%d/members/%d", idA, memA), nil, nil, 204, nil, nil},
		{"remove role again is 404", coordA, "DELETE", p("/api/v1/municipalities/%d/members/%d", idA, memA), nil, nil, 404, nil, nil},
		{"unknown API path is JSON 404", coordA, "GET", p("/api/v1/nothing"), nil, nil, 404, []string{"not_found"}, nil},
	})
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resp := w.API("", "POST", "/api/v1/tokens", map[string]string{"email": "coord.a@test.ba", "password": "wrong-password"})
	if resp.StatusCode != 401 {
		t.Fatalf("bad password: %d", resp.StatusCode)
	}
	resp = w.API("", "POST", "/api/v1/tokens", map[string]string{"email": "", "password": ""})
	if resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), `"email"`) {
		t.Fatalf("empty credentials: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	tok := w.Token("COORD.A@test.ba") // e-mail matches in any case
	if !strings.HasPrefix(tok, "pakt_") {
		t.Fatalf("token %q", tok)
	}
	// Only the hash is stored.
	var n int64
	w.DB.Raw("SELECT count(*) FROM api_tokens WHERE token_hash = sha256(?::bytea)", tok).Scan(&n)
	if n != 1 {
		t.Fatalf("token hash rows = %d", n)
	}
	if resp := w.API(tok, "GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Fatalf("me: %d", resp.StatusCode)
	}
	if resp := w.API(tok, "DELETE", "/api/v1/tokens/current", nil); resp.StatusCode != 204 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if resp := w.API(tok, "GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Fatalf("revoked token still works: %d", resp.StatusCode)
	}
	// The API ignores browser cookies: a session cookie is no credential there.
	b := w.Login("coord.a@test.ba")
	req := w.API("", "GET", "/api/v1/me", nil, "Cookie", "pakt_session="+b.Cookie("pakt_session"))
	if req.StatusCode != 401 {
		t.Fatalf("cookie accepted by API: %d", req.StatusCode)
	}
}

func TestAuditRecordsWrites(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token("coord.a@test.ba")
	resp := w.API(tok, "POST", "/api/v1/organisations", map[string]any{"name": "Caritas", "type": "ngo", "municipality_id": w.A.ID},
		"X-Forwarded-For", "203.0.113.9")
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	var row struct {
		UserID  int64
		Action  string
		Changes string
		IP      string
	}
	w.DB.Raw(`SELECT user_id, action, changes::text, ip FROM audit_log
		WHERE object_type = 'organisation' AND municipality_id = ? ORDER BY id DESC LIMIT 1`, w.A.ID).Scan(&row)
	if row.UserID != w.CoordA.ID || row.Action != "create" || !strings.Contains(row.Changes, "Caritas") {
		t.Fatalf("audit row %+v", row)
	}
	// No trusted proxy is configured, so a forged X-Forwarded-For is not believed.
	if row.IP == "203.0.113.9" || row.IP == "" {
		t.Fatalf("audit IP %q", row.IP)
	}
	page := testkit.Body(w.Login("coord.a@test.ba").Get(fmt.Sprintf("/municipalities/%d/audit", w.A.ID)))
	if !strings.Contains(page, "Caritas") || !strings.Contains(page, "User coord.a@test.ba") {
		t.Fatal("audit page does not show the write and who made it")
	}
	_ = http.MethodGet
}

func TestAPIListPaging(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	for i := 0; i < 5; i++ {
		w.Organisation(w.A.ID, fmt.Sprintf("Udruženje %d", i), "ngo")
	}
	var page struct {
		Items      []struct{ ID int64 }
		NextCursor *string `json:"next_cursor"`
	}
	seen := map[int64]bool{}
	path := fmt.Sprintf("/api/v1/municipalities/%d/organisations?limit=3", w.A.ID)
	for pages := 0; pages < 5; pages++ {
		testkit.DecodeJSON(t, w.API(tok, "GET", path, nil), &page)
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Fatalf("organisation %d on two pages", it.ID)
			}
			seen[it.ID] = true
		}
		if page.NextCursor == nil {
			break
		}
		path = fmt.Sprintf("/api/v1/municipalities/%d/organisations?limit=3&cursor=%s", w.A.ID, *page.NextCursor)
	}
	if len(seen) != 7 {
		t.Fatalf("paged through %d organisations, want 7", len(seen))
	}
	for _, q := range []string{"limit=0", "limit=201", "limit=x", "cursor=-1"} {
		if resp := w.API(tok, "GET", fmt.Sprintf("/api/v1/municipalities/%d/organisations?%s", w.A.ID, q), nil); resp.StatusCode != 422 {
			t.Errorf("%s: %d", q, resp.StatusCode)
		}
	}
}
