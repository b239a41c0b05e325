package handlers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// auditLogWrites makes a few writes a clerk should be able to read back: an
// organisation created and renamed, a plan retitled, a measure's budget
// changed.
func auditLogWrites(t *testing.T, w *world) (orgID, planID, measureID int64) {
	t.Helper()
	tok := w.Token(coordA)
	var o struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", "/api/v1/organisations", map[string]any{"name": "Caritas", "type": "ngo", "municipality_id": w.A.ID}), &o)
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/organisations/%d", o.ID), map[string]any{"name": "Caritas BiH"}), 200, "rename organisation")
	planID, obj := newPlan(t, w, tok)
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/action-plans/%d", planID), map[string]any{"title": "Plan zapošljavanja 2017–2018"}), 200, "retitle plan")
	var m struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M-3", "12000.00")), &m)
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/measures/%d", m.ID), map[string]any{
		"budget": []map[string]any{{"year": 2017, "source": "municipal", "funder": "UNDP", "amount": "15000.00"}}}), 200, "change budget")
	return o.ID, planID, m.ID
}

func TestAuditLogPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	orgID, planID, measureID := auditLogWrites(t, w)
	base := fmt.Sprintf("/municipalities/%d/audit", w.A.ID)
	coord := w.Login(coordA)
	page := testkit.Body(coord.Get(base))
	for _, want := range []string{
		`User coord.a@test.ba changed the organisation «<span lang="bs">Caritas BiH</span>»`,
		"<del>Caritas</del> → <ins>Caritas BiH</ins>",
		fmt.Sprintf(`href="/organisations/%d/edit"`, orgID),
		`changed the action plan «<span lang="bs">Plan zapošljavanja 2017–2018</span>»`,
		"<del>Lokalni akcioni plan zapošljavanja 2017–2018</del> → <ins>Plan zapošljavanja 2017–2018</ins>",
		fmt.Sprintf(`href="/plans/%d"`, planID),
		`changed measure «<span lang="bs">M-3 Obuka za njegovateljice – M-3</span>»`,
		fmt.Sprintf(`href="/plans/%d#measure-%d"`, planID, measureID),
		"<strong>Budget</strong>: <del>2017 · Municipal budget · UNDP: 12,000.00 KM</del> → <ins>2017 · Municipal budget · UNDP: 15,000.00 KM</ins>",
		"<strong>Target groups</strong>: <ins>Roma; Women</ins>",
		"<details><summary>Stored record (JSON)</summary>",
		"<strong>Objective</strong>: <ins>C1 Povećati zaposlenost ranjivih grupa</ins>",
		"<strong>Period starts</strong>: <ins>1 Jan 2017</ins>",
		"set the role of the user «User member.a@test.ba»</a>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if outside := regexp.MustCompile(`(?s)<details>.*?</details>`).ReplaceAllString(page, ""); strings.Contains(outside, "lead_organisation_id") ||
		strings.Contains(outside, "audit.") || strings.Contains(outside, `"from":`) {
		t.Errorf("raw keys or JSON outside the raw record: %s", outside)
	}
	// Each row leads to the history of its object.
	if want := fmt.Sprintf(`(<a href="/municipalities/%d/audit?object_id=%d&amp;object_type=organisation">all changes of this object</a>)`, w.A.ID, orgID); !strings.Contains(page, want) {
		t.Errorf("no link to the object's history: %s", want)
	}
	// Filters: a kind of object and a date range; the values stay in the form.
	page = testkit.Body(coord.Get(base + "?object_type=organisation&from=2000-01-01&to=2999-12-31"))
	if !strings.Contains(page, ">Caritas BiH</span>»") || strings.Contains(page, ">M-3 Obuka") {
		t.Error("object type filter does not filter")
	}
	for _, want := range []string{`<option value="organisation" selected>`, `value="2000-01-01"`, `value="2999-12-31"`} {
		if !strings.Contains(page, want) {
			t.Errorf("filter value not kept: %q", want)
		}
	}
	if page := testkit.Body(coord.Get(base + "?to=2000-01-01")); strings.Contains(page, "Caritas") {
		t.Error("date filter does not filter")
	}
	if page := testkit.Body(coord.Get(fmt.Sprintf("%s?user_id=%d", base, w.MemA.ID))); strings.Contains(page, "Caritas") {
		t.Error("person filter does not filter")
	}
	// Paging: newest first, an older page behind a link.
	w.DB.Exec(`INSERT INTO audit_log (municipality_id, user_id, action, object_type, object_id, changes, ip)
		SELECT ?, ?, 'update', 'organisation', ?, '{"name":{"from":"a","to":"b"}}', '127.0.0.1' FROM generate_series(1, 60)`,
		w.A.ID, w.CoordA.ID, orgID)
	page = testkit.Body(coord.Get(base))
	if !strings.Contains(page, `rel="next"`) || strings.Contains(page, ">M-3 Obuka") {
		t.Fatal("no paging of a long log")
	}
	next := between(page, `<a href="`, `" rel="next"`)
	older := testkit.Body(coord.Get(strings.ReplaceAll(next, "&amp;", "&")))
	if !strings.Contains(older, ">M-3 Obuka") || !strings.Contains(older, "Newest") {
		t.Fatal("the older page lacks the older rows")
	}
	// Bad input: the error stands next to the field, the value stays.
	resp := coord.Get(base + "?from=2026-13-45&object_id=x")
	page = testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(page, `id="e-from"`) || !strings.Contains(page, `value="2026-13-45"`) || !strings.Contains(page, `id="e-object_id"`) {
		t.Fatalf("bad filter: %d", resp.StatusCode)
	}
	// Roles: members and viewers are refused, other municipalities see nothing.
	expect(t, w.Login(member).Get(base), 403, "member")
	expect(t, w.Login(viewer).Get(base), 403, "viewer")
	expect(t, w.Login(coordZ).Get(base), 404, "other municipality")
}

// between is the text after the last start before end.
func between(s, start, end string) string {
	i := strings.Index(s, end)
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(s[:i], start)
	if j < 0 {
		return ""
	}
	return s[j+len(start) : i]
}

func TestAuditLogAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	orgID, _, measureID := auditLogWrites(t, w)
	tok := w.Token(coordA)
	path := fmt.Sprintf("/api/v1/municipalities/%d/audit", w.A.ID)
	var page struct {
		Items []struct {
			ID         int64
			User       *struct{ ID int64 }
			Action     string
			ObjectType string `json:"object_type"`
			ObjectID   int64  `json:"object_id"`
			Summary    string
			Changes    []struct {
				Field         string
				Before, After any
			}
		}
		NextCursor *string `json:"next_cursor"`
	}
	testkit.DecodeJSON(t, w.API(tok, "GET", fmt.Sprintf("%s?object_type=organisation&object_id=%d&user_id=%d&from=2000-01-01", path, orgID, w.CoordA.ID), nil), &page)
	if len(page.Items) != 2 || page.Items[0].Action != "update" || page.Items[0].User == nil || page.Items[0].User.ID != w.CoordA.ID {
		t.Fatalf("filtered list: %+v", page)
	}
	ch := page.Items[0].Changes
	if len(ch) != 1 || ch[0].Field != "name" || ch[0].Before != "Caritas" || ch[0].After != "Caritas BiH" ||
		!strings.Contains(page.Items[0].Summary, "changed the organisation «Caritas BiH»") {
		t.Fatalf("changes: %+v", page.Items[0])
	}
	// The measure's edit lists only what changed, before and after.
	testkit.DecodeJSON(t, w.API(tok, "GET", fmt.Sprintf("%s?object_type=measure&object_id=%d", path, measureID), nil), &page)
	if len(page.Items) != 2 || len(page.Items[0].Changes) != 1 || page.Items[0].Changes[0].Field != "budget" {
		t.Fatalf("measure edit: %+v", page.Items)
	}
	// A new role is audited with the one it replaces.
	expect(t, w.API(tok, "PUT", fmt.Sprintf("/api/v1/municipalities/%d/members/%d", w.A.ID, w.MemA.ID), map[string]any{"role": "viewer"}), 200, "set role")
	testkit.DecodeJSON(t, w.API(tok, "GET", fmt.Sprintf("%s?object_type=user&object_id=%d", path, w.MemA.ID), nil), &page)
	if len(page.Items) == 0 || len(page.Items[0].Changes) != 1 || page.Items[0].Changes[0].Before != "member" || page.Items[0].Changes[0].After != "viewer" {
		t.Fatalf("role change: %+v", page.Items)
	}
	// Paging with limit and cursor.
	testkit.DecodeJSON(t, w.API(tok, "GET", path+"?limit=1", nil), &page)
	if len(page.Items) != 1 || page.NextCursor == nil {
		t.Fatal("no next cursor")
	}
	first := page.Items[0].ID
	testkit.DecodeJSON(t, w.API(tok, "GET", path+"?limit=1&cursor="+*page.NextCursor, nil), &page)
	if len(page.Items) != 1 || page.Items[0].ID >= first {
		t.Fatal("cursor does not page to older entries")
	}
	got := expect(t, w.API(tok, "GET", path+"?from=yesterday&limit=500&user_id=-1", nil), 422, "bad filter")
	for _, f := range []string{`"from"`, `"limit"`, `"user_id"`} {
		if !strings.Contains(got, f) {
			t.Errorf("no error for %s: %s", f, got)
		}
	}
	expect(t, w.API(w.Token(member), "GET", path, nil), 403, "member")
	expect(t, w.API(w.Token(viewer), "GET", path, nil), 403, "viewer")
	expect(t, w.API(w.Token(coordZ), "GET", path, nil), 404, "other municipality")
}
