package handlers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// cacheCounts reads the page cache's hit and miss counters.
func cacheCounts(w *world) (hits, misses int64) {
	s := w.Srv.Handler.Kernel.Cache.Stats()
	return s.Hits, s.Misses
}

// expectHit runs get and fails unless every cache lookup it made was a hit.
func expectHit(t *testing.T, w *world, what string, get func()) {
	t.Helper()
	h0, m0 := cacheCounts(w)
	get()
	h1, m1 := cacheCounts(w)
	if m1 != m0 || h1 == h0 {
		t.Errorf("%s: %d cache hits, %d misses; want only hits", what, h1-h0, m1-m0)
	}
}

// expectMiss runs get and fails unless it rendered something anew.
func expectMiss(t *testing.T, w *world, what string, get func()) {
	t.Helper()
	_, m0 := cacheCounts(w)
	get()
	if _, m1 := cacheCounts(w); m1 == m0 {
		t.Errorf("%s: served from the cache", what)
	}
}

var planOnceRe = regexp.MustCompile(`name="_once" value="([^"]+)"`)

// The plan page caches the plan's content, never a viewer's form tokens or
// a coordinator's edit links, and shows every write on the next view.
func TestPlanPageCache(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	var m struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "1000.00")), &m)
	path := fmt.Sprintf("/plans/%d", planID)
	edit := fmt.Sprintf(`href="/measures/%d/edit"`, m.ID)
	coord, admin, view := w.Login(coordA), w.Login("admin@test.ba"), w.Login(viewer)

	page := testkit.Body(coord.Get(path))
	for _, s := range []string{"Obuka za njegovateljice – M1", "Biro Bratunac", edit, `name="_csrf" value="` + coord.CSRF + `"`} {
		if !strings.Contains(page, s) {
			t.Errorf("coordinator's page lacks %q", s)
		}
	}
	// Another coordinator gets the same cached content with their own form tokens.
	var again string
	expectHit(t, w, "second coordinator", func() { again = testkit.Body(admin.Get(path)) })
	if !strings.Contains(again, edit) || !strings.Contains(again, `value="`+admin.CSRF+`"`) || strings.Contains(again, coord.CSRF) {
		t.Error("admin's page: edit link missing or another user's CSRF token")
	}
	if a, b := planOnceRe.FindStringSubmatch(page), planOnceRe.FindStringSubmatch(again); a != nil && b != nil && a[1] == b[1] {
		t.Error("two views share a form nonce")
	}
	// A viewer gets no edit links, and does not take them away from the coordinator.
	if got := testkit.Body(view.Get(path)); strings.Contains(got, edit) || !strings.Contains(got, "Obuka za njegovateljice – M1") {
		t.Error("viewer's page: edit link shown or content missing")
	}
	if !strings.Contains(testkit.Body(coord.Get(path)), edit) {
		t.Error("coordinator lost the edit links after a viewer's visit")
	}

	// Edits of the draft show on the next view.
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/measures/%d", m.ID), map[string]any{"title": "Mentorstvo u prvoj godini rada"}), 200, "edit measure")
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/organisations/%d", w.OrgA2.ID), map[string]any{"name": "Zavod za zapošljavanje Bratunac"}), 200, "rename organisation")
	expectMiss(t, w, "after the edits", func() { page = testkit.Body(view.Get(path)) })
	if !strings.Contains(page, "Mentorstvo u prvoj godini rada") || !strings.Contains(page, "Zavod za zapošljavanje Bratunac") ||
		strings.Contains(page, "Obuka za njegovateljice – M1") || strings.Contains(page, "Biro Bratunac") {
		t.Error("plan page is stale after editing the measure and renaming its organisation")
	}

	// Writes in another municipality leave this one's pages cached.
	w.Organisation(w.B.ID, "Centar za socijalni rad Zvornik", "csw")
	expect(t, w.API(w.Token(coordZ), "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.B.ID),
		map[string]any{"title": "Plan Zvornik", "period_start": "2017-01-01", "period_end": "2018-12-31"}), 201, "plan in B")
	expectHit(t, w, "after writes in another municipality", func() { view.Get(path) })

	// Access rules are checked before the cache is.
	expect(t, w.Login(coordZ).Get(path), 404, "other municipality's plan page")
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)), 404, "public page of a draft")
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.A.Slug, planID)), 404, "public PDF of a draft")
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d", w.B.Slug, planID)), 404, "plan under another municipality's slug")

	// The PDF is cached too, and follows the writes.
	pdfPath := fmt.Sprintf("/api/v1/action-plans/%d/pdf", planID)
	pdf1 := expect(t, w.API(tok, "GET", pdfPath, nil), 200, "plan PDF")
	var pdf2 string
	expectHit(t, w, "plan PDF again", func() { pdf2 = expect(t, w.API(tok, "GET", pdfPath, nil), 200, "plan PDF again") })
	if pdf1 != pdf2 {
		t.Error("cached plan PDF differs")
	}
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/organisations/%d", w.OrgA2.ID), map[string]any{"name": "JU Biro Bratunac"}), 200, "rename again")
	if text := sitanPDFText(t, expect(t, w.API(tok, "GET", pdfPath, nil), 200, "plan PDF after rename")); !strings.Contains(text, "JU Biro Bratunac") {
		t.Error("plan PDF is stale after renaming the organisation")
	}
	expect(t, w.API(w.Token(coordZ), "GET", pdfPath, nil), 404, "other municipality's plan PDF")
}

// The public page shares nothing with the staff page's forms and follows writes.
func TestPublicPlanPageCache(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, _, _ := adoptedPlan(t, w, tok)
	path := fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)
	page := expect(t, w.Anonymous().Get(path), 200, "public page")
	if !strings.Contains(page, "Biro Bratunac") || strings.Contains(page, "/edit\"") {
		t.Error("public page: lead organisation missing or edit links shown")
	}
	expectHit(t, w, "public page again", func() { w.Anonymous().Get(path) })
	expect(t, w.API(tok, "PATCH", fmt.Sprintf("/api/v1/organisations/%d", w.OrgA2.ID), map[string]any{"name": "Zavod Bratunac"}), 200, "rename")
	if page := testkit.Body(w.Anonymous().Get(path)); !strings.Contains(page, "Zavod Bratunac") {
		t.Error("public page is stale after renaming the organisation")
	}
	// The adopted plan's PDF is its registered document: frozen at
	// adoption, it keeps the names of that day.
	if text := sitanPDFText(t, expect(t, w.Anonymous().Get(path+"/pdf"), 200, "public PDF")); !strings.Contains(text, "Biro Bratunac") || strings.Contains(text, "Zavod Bratunac") {
		t.Error("the registered PDF of the adopted plan changed after its adoption")
	}
}
