package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

func draftForm(w *world) url.Values {
	return url.Values{"title": {"Protokol 2017"}, "level": {"cooperation"}, "goal": {"Zajedno."}, "body": {"Član 1."},
		"valid_from": {"2017-01-01"}, "valid_to": {"2018-12-31"},
		"party_org_0": {fmt.Sprint(w.OrgA.ID)}, "party_signer_0": {fmt.Sprint(w.CoordA.ID)},
		"party_org_2": {fmt.Sprint(w.OrgA2.ID)}, "party_signer_2": {fmt.Sprint(w.MemA.ID)},
		"c_action_0": {"Savjetovanje"}, "c_resp_0": {fmt.Sprint(w.OrgA2.ID)}, "c_support_0": {fmt.Sprint(w.OrgA.ID)}, "c_due_0": {"2017-06-30"}}
}

func TestAgreementPages(t *testing.T) {
	t.Parallel()
	run(t, []scenario{
		{"list", viewer, "GET", p("/municipalities/%d/agreements", idA), nil, false, 200, []string{"Partnership agreements", "Partnership level"}, nil},
		{"list of other municipality", coordZ, "GET", p("/municipalities/%d/agreements", idA), nil, false, 404, nil, nil},
		{"new form explains levels", coordA, "GET", p("/municipalities/%d/agreements/new", idA), nil, false, 200,
			[]string{"joint objectives and decisions", "party_org_0", "c_support_0"}, nil},
		{"new form forbidden to member", member, "GET", p("/municipalities/%d/agreements/new", idA), nil, false, 403, nil, nil},
		{"create without csrf", coordA, "POST", p("/municipalities/%d/agreements", idA), url.Values{"title": {"x"}}, true, 403, nil, nil},
		{"create by viewer", viewer, "POST", p("/municipalities/%d/agreements", idA), url.Values{"title": {"x"}}, false, 403, nil, nil},
		{"create in other municipality", coordZ, "POST", p("/municipalities/%d/agreements", idA), url.Values{"title": {"x"}}, false, 404, nil, nil},
		{"create with errors keeps input and marks rows", coordA, "POST", p("/municipalities/%d/agreements", idA),
			url.Values{"title": {""}, "level": {"cooperation"}, "goal": {"Cilj ostaje"}, "valid_from": {"2017-13-01"}, "valid_to": {"2018-01-01"},
				"party_org_1": {"999999"}, "party_signer_1": {"999999"}, "c_action_3": {"Akcija bez roka"}},
			false, 422, []string{`id="e-title"`, `id="e-valid_from"`, `id="e-party_org_1"`, `id="e-party_signer_1"`, `id="e-c_due_3"`, `id="e-c_resp_3"`, "Cilj ostaje", "Akcija bez roka"}, nil},
	})
	t.Run("create, edit, open by form", func(t *testing.T) {
		w := newWorld(t)
		b := w.Login(coordA)
		resp := b.PostForm(fmt.Sprintf("/municipalities/%d/agreements", w.A.ID), draftForm(w))
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/agreements/") {
			t.Fatalf("create: %d %s", resp.StatusCode, testkit.Body(resp))
		}
		page := testkit.Body(b.Get(loc))
		for _, s := range []string{"Protokol 2017", "Draft", "Biro Bratunac", "Savjetovanje", "Open for signature"} {
			if !strings.Contains(page, s) {
				t.Errorf("agreement page lacks %q", s)
			}
		}
		edit := testkit.Body(b.Get(loc + "/edit"))
		if !strings.Contains(edit, `name="version" value="1"`) || !strings.Contains(edit, "Savjetovanje") {
			t.Fatal("edit form does not carry the stored draft")
		}
		stale := draftForm(w)
		stale.Set("version", "0") // 0 = no check; a real stale version:
		stale.Set("version", "7")
		if resp := b.PostForm(loc, stale); resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), "Someone else saved") {
			t.Fatalf("stale edit: %d", resp.StatusCode)
		}
		if resp := b.PostForm(loc+"/open", url.Values{}); resp.StatusCode != 303 {
			t.Fatalf("open: %d", resp.StatusCode)
		}
		if resp := b.Get(loc + "/edit"); resp.StatusCode != 409 {
			t.Fatalf("edit after open: %d", resp.StatusCode)
		}
		if resp := b.PostForm(loc, draftForm(w)); resp.StatusCode != 409 {
			t.Fatalf("update after open: %d", resp.StatusCode)
		}
		// The member sees the signature waiting on the dashboard and signs by form.
		mb := w.Login(member)
		if dash := testkit.Body(mb.Get("/dashboard")); !strings.Contains(dash, "Waiting for your signature") || !strings.Contains(dash, `href="`+loc+`"`) {
			t.Fatal("dashboard does not show the pending signature")
		}
		if resp := mb.PostForm(loc+"/sign", url.Values{"password": {"nope"}}); resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), `id="e-password"`) {
			t.Fatalf("wrong password by form: %d", resp.StatusCode)
		}
		if resp := mb.PostForm(loc+"/sign", url.Values{"password": {testkit.Password}}); resp.StatusCode != 303 {
			t.Fatalf("sign by form: %d", resp.StatusCode)
		}
		if dash := testkit.Body(mb.Get("/dashboard")); strings.Contains(dash, "Waiting for your signature") {
			t.Fatal("signed agreement still waiting on the dashboard")
		}
		vb := w.Login(viewer)
		if resp := vb.PostForm(loc+"/sign", url.Values{"password": {testkit.Password}}); resp.StatusCode != 403 {
			t.Fatalf("viewer signs: %d", resp.StatusCode)
		}
	})
}
