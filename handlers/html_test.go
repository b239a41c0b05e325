package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// scenario is one HTML request by one person and what must come back.
type scenario struct {
	name    string
	who     string // e-mail of the signed-in user; "" = anonymous
	method  string
	path    func(w *world) string
	form    url.Values
	noCSRF  bool
	status  int
	want    []string
	notWant []string
}

func run(t *testing.T, cases []scenario) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			w := newWorld(t)
			b := w.Anonymous()
			if sc.who != "" {
				b = w.Login(sc.who)
			}
			path := sc.path(w)
			form := url.Values{}
			for k, v := range sc.form {
				form[k] = append([]string(nil), v...)
			}
			var resp *http.Response
			switch {
			case sc.method == http.MethodGet:
				resp = b.Get(path)
			case sc.noCSRF:
				resp = b.PostFormRaw(path, form)
			default:
				resp = b.PostForm(path, form)
			}
			body := testkit.Body(resp)
			if resp.StatusCode != sc.status {
				t.Fatalf("%s %s as %q: status %d, want %d\n%s", sc.method, path, sc.who, resp.StatusCode, sc.status, body)
			}
			for _, s := range sc.want {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q\n%s", s, body)
				}
			}
			for _, s := range sc.notWant {
				if strings.Contains(body, s) {
					t.Errorf("body must not contain %q", s)
				}
			}
		})
	}
}

func p(format string, f ...func(w *world) any) func(w *world) string {
	return func(w *world) string {
		args := make([]any, len(f))
		for i, g := range f {
			args[i] = g(w)
		}
		return fmt.Sprintf(format, args...)
	}
}

var (
	idA    = func(w *world) any { return w.A.ID }
	idB    = func(w *world) any { return w.B.ID }
	orgA   = func(w *world) any { return w.OrgA.ID }
	orgB   = func(w *world) any { return w.OrgB.ID }
	memA   = func(w *world) any { return w.MemA.ID }
	coordB = func(w *world) any { return w.CoordB.ID }
)

const (
	admin  = "admin@test.ba"
	coordA = "coord.a@test.ba"
	member = "member.a@test.ba"
	viewer = "viewer.a@test.ba"
	coordZ = "coord.b@test.ba"
	nobody = "nobody@test.ba"
)

func TestMunicipalityPages(t *testing.T) {
	t.Parallel()
	valid := url.Values{"name": {"Bratunac Grad"}, "country": {"BA"}, "currency": {"BAM"}, "language": {"bs"}, "version": {"1"}}
	run(t, []scenario{
		{"anonymous is sent to login", "", "GET", p("/municipalities/%d", idA), nil, false, 303, nil, nil},
		{"coordinator sees own", coordA, "GET", p("/municipalities/%d", idA), nil, false, 200, []string{"Bratunac", "Biro Bratunac", "/members"}, nil},
		{"member sees own without manage links", member, "GET", p("/municipalities/%d", idA), nil, false, 200, []string{"Biro Bratunac"}, []string{"/audit"}},
		{"viewer sees own", viewer, "GET", p("/municipalities/%d", idA), nil, false, 200, []string{"Bratunac"}, nil},
		{"other municipality is 404", coordZ, "GET", p("/municipalities/%d", idA), nil, false, 404, []string{"Page not found"}, []string{"Biro Bratunac"}},
		{"user without roles gets 404", nobody, "GET", p("/municipalities/%d", idA), nil, false, 404, nil, nil},
		{"admin sees any", admin, "GET", p("/municipalities/%d", idB), nil, false, 200, []string{"Zvornik"}, nil},
		{"list shows only own", coordA, "GET", p("/municipalities"), nil, false, 200, []string{"Bratunac"}, []string{"Zvornik"}},
		{"edit form for coordinator", coordA, "GET", p("/municipalities/%d/edit", idA), nil, false, 200, []string{`name="version" value="1"`}, nil},
		{"edit form forbidden to member", member, "GET", p("/municipalities/%d/edit", idA), nil, false, 403, []string{"Not allowed"}, nil},
		{"edit form of other is 404", coordZ, "GET", p("/municipalities/%d/edit", idA), nil, false, 404, nil, nil},
		{"update saves", coordA, "POST", p("/municipalities/%d", idA), valid, false, 303, nil, nil},
		{"update without csrf is 403", coordA, "POST", p("/municipalities/%d", idA), valid, true, 403, nil, nil},
		{"update by member is 403", member, "POST", p("/municipalities/%d", idA), valid, false, 403, nil, nil},
		{"update of other is 404", coordZ, "POST", p("/municipalities/%d", idA), valid, false, 404, nil, nil},
		{"update with empty name shows error", coordA, "POST", p("/municipalities/%d", idA),
			url.Values{"name": {""}, "country": {"BA"}, "currency": {"BAM"}, "version": {"1"}}, false, 422,
			[]string{`id="e-name"`, "This field is required."}, nil},
		{"update with bad currency shows error", coordA, "POST", p("/municipalities/%d", idA),
			url.Values{"name": {"X"}, "country": {"BA"}, "currency": {"USD"}, "version": {"1"}}, false, 422,
			[]string{`id="e-currency"`}, nil},
		{"stale update is refused", coordA, "POST", p("/municipalities/%d", idA),
			url.Values{"name": {"Stale"}, "country": {"BA"}, "currency": {"BAM"}, "version": {"7"}}, false, 422,
			[]string{"Someone else saved this"}, nil},
		{"new form is admin only", coordA, "GET", p("/municipalities/new"), nil, false, 403, nil, nil},
		{"admin new form", admin, "GET", p("/municipalities/new"), nil, false, 200, []string{`name="country"`}, nil},
		{"admin creates", admin, "POST", p("/municipalities"), url.Values{"name": {"Milići"}, "country": {"BA"}, "currency": {"BAM"}}, false, 303, nil, nil},
		{"create with unknown country", admin, "POST", p("/municipalities"), url.Values{"name": {"X"}, "country": {"ZZ"}, "currency": {"BAM"}}, false, 422, []string{`id="e-country"`}, nil},
		{"coordinator cannot create", coordA, "POST", p("/municipalities"), url.Values{"name": {"X"}, "country": {"BA"}, "currency": {"BAM"}}, false, 403, nil, nil},
		{"audit log for coordinator", coordA, "GET", p("/municipalities/%d/audit", idA), nil, false, 200, []string{"Audit log", "organisation"}, nil},
		{"audit log forbidden to viewer", viewer, "GET", p("/municipalities/%d/audit", idA), nil, false, 403, nil, nil},
		{"audit log of other is 404", coordZ, "GET", p("/municipalities/%d/audit", idA), nil, false, 404, nil, nil},
		{"public page needs no account", "", "GET", p("/m/bratunac"), nil, false, 200, []string{"Bratunac", "Biro Bratunac"}, nil},
		{"unknown public page is 404", "", "GET", p("/m/nowhere"), nil, false, 404, nil, nil},
		{"bad id is 404", coordA, "GET", p("/municipalities/abc"), nil, false, 404, nil, nil},
	})
}

func TestOrganisationPages(t *testing.T) {
	t.Parallel()
	ngo := url.Values{"name": {"Udruženje žena"}, "type": {"ngo"}}
	run(t, []scenario{
		{"new form", coordA, "GET", p("/municipalities/%d/organisations/new", idA), nil, false, 200, []string{`name="type"`}, nil},
		{"create", coordA, "POST", p("/municipalities/%d/organisations", idA), ngo, false, 303, nil, nil},
		{"create without csrf", coordA, "POST", p("/municipalities/%d/organisations", idA), ngo, true, 403, nil, nil},
		{"create by member", member, "POST", p("/municipalities/%d/organisations", idA), ngo, false, 403, nil, nil},
		{"create in other municipality", coordZ, "POST", p("/municipalities/%d/organisations", idA), ngo, false, 404, nil, nil},
		{"create with bad type", coordA, "POST", p("/municipalities/%d/organisations", idA), url.Values{"name": {"X"}, "type": {"bank"}}, false, 422, []string{`id="e-type"`, "Choose an organisation type"}, nil},
		{"create with duplicate name", coordA, "POST", p("/municipalities/%d/organisations", idA), url.Values{"name": {"biro bratunac"}, "type": {"pes"}}, false, 422, []string{"already exists"}, nil},
		{"edit form", coordA, "GET", p("/organisations/%d/edit", orgA), nil, false, 200, []string{"Općina Bratunac"}, nil},
		{"edit form of other", coordA, "GET", p("/organisations/%d/edit", orgB), nil, false, 404, nil, nil},
		{"update", coordA, "POST", p("/organisations/%d", orgA), url.Values{"name": {"Općinska uprava Bratunac"}, "type": {"municipality"}, "version": {"1"}}, false, 303, nil, nil},
		{"update by viewer", viewer, "POST", p("/organisations/%d", orgA), url.Values{"name": {"X"}, "type": {"ngo"}}, false, 403, nil, nil},
		{"update empty name", coordA, "POST", p("/organisations/%d", orgA), url.Values{"name": {" "}, "type": {"ngo"}}, false, 422, []string{`id="e-name"`}, nil},
	})
}

func TestMemberPages(t *testing.T) {
	t.Parallel()
	newUser := func(w *world) url.Values {
		return url.Values{"name": {"Amra"}, "email": {"amra@test.ba"},
			"organisation_id": {fmt.Sprint(w.OrgA2.ID)}, "role": {"member"}}
	}
	cases := []scenario{
		{"members page", coordA, "GET", p("/municipalities/%d/members", idA), nil, false, 200, []string{"member.a@test.ba"}, []string{"coord.b@test.ba"}},
		{"members page forbidden to member", member, "GET", p("/municipalities/%d/members", idA), nil, false, 403, nil, nil},
		{"set role", coordA, "POST", p("/municipalities/%d/members/%d", idA, memA), url.Values{"role": {"viewer"}}, false, 303, nil, nil},
		{"set bad role", coordA, "POST", p("/municipalities/%d/members/%d", idA, memA), url.Values{"role": {"king"}}, false, 422, []string{"Choose a role"}, nil},
		{"cannot grab user of other municipality", coordA, "POST", p("/municipalities/%d/members/%d", idA, coordB), url.Values{"role": {"viewer"}}, false, 404, nil, nil},
		{"remove role", coordA, "POST", p("/municipalities/%d/members/%d", idA, memA), url.Values{"role": {"none"}}, false, 303, nil, nil},
	}
	run(t, cases)
	t.Run("create user", func(t *testing.T) {
		w := newWorld(t)
		b := w.Login(coordA)
		resp := b.PostForm(fmt.Sprintf("/municipalities/%d/users", w.A.ID), newUser(w))
		if resp.StatusCode != 303 {
			t.Fatalf("status %d: %s", resp.StatusCode, testkit.Body(resp))
		}
		if body := testkit.Body(b.Get(fmt.Sprintf("/municipalities/%d/members", w.A.ID))); !strings.Contains(body, "amra@test.ba") {
			t.Fatal("new user not listed")
		}
		// Invited, not given a password: the invitation mail is in the outbox.
		if m := outboxTo(t, w, "amra@test.ba"); m.Kind != "invitation" || !strings.Contains(m.TextBody, "/invitations/") {
			t.Fatalf("invitation mail: %+v", m)
		}
		// The same e-mail in another letter case is the same person: invited
		// again, with a fresh link (issue #14).
		v := newUser(w)
		v.Set("email", "AMRA@test.ba")
		resp = b.PostForm(fmt.Sprintf("/municipalities/%d/users", w.A.ID), v)
		if resp.StatusCode != 303 {
			t.Fatalf("invite again: %d %s", resp.StatusCode, testkit.Body(resp))
		}
		var accounts int64
		w.DB.Model(&models.User{}).Where("lower(email) = 'amra@test.ba'").Count(&accounts)
		if accounts != 1 {
			t.Fatalf("%d accounts for one address", accounts)
		}
		// An address with an account is added at once and told (issue #14).
		v = newUser(w)
		v.Set("email", coordZ)
		v.Set("role", "viewer")
		if resp := b.PostForm(fmt.Sprintf("/municipalities/%d/users", w.A.ID), v); resp.StatusCode != 303 {
			t.Fatalf("existing account: %d %s", resp.StatusCode, testkit.Body(resp))
		}
		if body := testkit.Body(b.Get(fmt.Sprintf("/municipalities/%d/members", w.A.ID))); !strings.Contains(body, "already has an account") {
			t.Fatal("no flash saying the person was added")
		}
		if outboxTo(t, w, coordZ).Kind != "member_added" {
			t.Fatal("the added person was not told")
		}
		// The form has no password field: nobody chooses another's password.
		if body := testkit.Body(b.Get(fmt.Sprintf("/municipalities/%d/members", w.A.ID))); strings.Contains(body, `name="password"`) {
			t.Fatal("members page still asks for a password")
		}
		// A bad e-mail is refused next to the field.
		v = newUser(w)
		v.Set("email", "not-an-address")
		resp = b.PostForm(fmt.Sprintf("/municipalities/%d/users", w.A.ID), v)
		if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-email"`) {
			t.Fatalf("bad e-mail: %d", resp.StatusCode)
		}
		// An organisation of another municipality is refused.
		v = newUser(w)
		v.Set("email", "x@test.ba")
		v.Set("organisation_id", fmt.Sprint(w.OrgB.ID))
		resp = b.PostForm(fmt.Sprintf("/municipalities/%d/users", w.A.ID), v)
		if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-organisation_id"`) {
			t.Fatalf("foreign organisation: %d", resp.StatusCode)
		}
	})
}
