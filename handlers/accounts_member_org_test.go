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

// A member's organisation is what they sign and report for, so the
// coordinator can change it after joining, on the members page and through
// the API; an organisation of another municipality is refused, and a person
// who represents one there is not taken from it.
func TestMemberOrganisation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token("coord.a@test.ba")
	put := func(tok string, uid int64, body map[string]any) *http.Response {
		return w.API(tok, "PUT", fmt.Sprintf("/api/v1/municipalities/%d/members/%d", w.A.ID, uid), body)
	}
	orgOf := func(uid int64) *int64 {
		u, err := models.GetUser(t.Context(), w.DB, uid)
		if err != nil {
			t.Fatal(err)
		}
		return u.OrganisationID
	}

	resp := put(tok, w.MemA.ID, map[string]any{"role": "member", "organisation_id": w.OrgA.ID})
	expect(t, resp, 200, "move the member to the municipality's own organisation")
	if o := orgOf(w.MemA.ID); o == nil || *o != w.OrgA.ID {
		t.Fatalf("organisation after PUT: %v", o)
	}
	expect(t, put(tok, w.MemA.ID, map[string]any{"role": "member"}), 200, "role only")
	if o := orgOf(w.MemA.ID); o == nil || *o != w.OrgA.ID {
		t.Fatalf("a PUT without organisation_id changed it: %v", o)
	}
	bad := put(tok, w.MemA.ID, map[string]any{"role": "member", "organisation_id": w.OrgB.ID})
	expect(t, bad, 422, "another municipality's organisation")
	if !strings.Contains(testkit.Body(bad), `"organisation_id"`) {
		t.Errorf("422 without the field: %s", testkit.Body(bad))
	}
	expect(t, put(w.Token("member.a@test.ba"), w.MemA.ID, map[string]any{"role": "member", "organisation_id": nil}), 403, "member")
	expect(t, put(w.Token("coord.b@test.ba"), w.MemA.ID, map[string]any{"role": "member", "organisation_id": nil}), 404, "other municipality's coordinator")

	// Coordinator B gives its coordinator a role in A too: A may not move them.
	if err := models.SetRole(t.Context(), w.DB, models.Actor{}, w.A.ID, w.CoordB.ID, models.RoleViewer); err != nil {
		t.Fatal(err)
	}
	expect(t, put(tok, w.CoordB.ID, map[string]any{"role": "viewer", "organisation_id": w.OrgA2.ID}), 422, "person of another municipality")
	if o := orgOf(w.CoordB.ID); o == nil || *o != w.OrgB.ID {
		t.Fatalf("B's coordinator was moved: %v", o)
	}

	// The page: the row's select changes the organisation; B's person is
	// only named.
	b := w.Login("coord.a@test.ba")
	page := fmt.Sprintf("/municipalities/%d/members", w.A.ID)
	body := testkit.Body(b.Get(page))
	if !strings.Contains(body, fmt.Sprintf(`id="org-%d"`, w.MemA.ID)) || strings.Contains(body, fmt.Sprintf(`id="org-%d"`, w.CoordB.ID)) {
		t.Fatalf("members page selects: %s", body)
	}
	resp = b.PostForm(fmt.Sprintf("/municipalities/%d/members/%d", w.A.ID, w.MemA.ID),
		url.Values{"role": {"member"}, "organisation_id": {fmt.Sprint(w.OrgA2.ID)}})
	if resp.StatusCode != 303 {
		t.Fatalf("members form: %d", resp.StatusCode)
	}
	if o := orgOf(w.MemA.ID); o == nil || *o != w.OrgA2.ID {
		t.Fatalf("organisation after the form: %v", o)
	}
	b.Get(page)
	resp = b.PostForm(fmt.Sprintf("/municipalities/%d/members/%d", w.A.ID, w.MemA.ID),
		url.Values{"role": {"member"}, "organisation_id": {fmt.Sprint(w.OrgB.ID)}})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `class="form-error"`) {
		t.Fatalf("another municipality's organisation in the form: %d", resp.StatusCode)
	}
}

// Adding an existing account with an organisation sets it (it used to be
// ignored, leaving a partner who could neither sign nor report).
func TestInviteExistingAccountWithOrganisation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	loose := w.User("loose@test.ba", false, nil, 0, "")
	resp := w.API(w.Token("coord.a@test.ba"), "POST", fmt.Sprintf("/api/v1/municipalities/%d/invitations", w.A.ID),
		map[string]any{"email": "loose@test.ba", "name": "Loose", "organisation_id": w.OrgA2.ID, "role": "member"})
	expect(t, resp, 200, "add an existing account")
	u, err := models.GetUser(t.Context(), w.DB, loose.ID)
	if err != nil || u.OrganisationID == nil || *u.OrganisationID != w.OrgA2.ID {
		t.Fatalf("organisation of the added account: %+v, %v", u, err)
	}
}
