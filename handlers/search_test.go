package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

type searchJSON struct {
	Items []struct {
		Kind, Title, URL, Snippet string
		ID                        int64
		Municipality              struct {
			ID   int64
			Name string
		}
	}
}

// searchWorld fills municipality A with one object of every kind (names
// with accents and in Cyrillic) and B with look-alikes A must never see.
type searchWorld struct {
	*world
	planA, measureA, findingA, agreementA, commentA, planB int64
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	w := &searchWorld{world: newWorld(t)}
	tok := w.Token(coordA)
	var obj int64
	w.planA, obj = newPlan(t, w.world, tok)
	var m struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", w.planA),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "100.00")), &m)
	w.measureA = m.ID
	w.Organisation(w.A.ID, "Центар за социјални рад Братунац", "csw")
	w.Organisation(w.A.ID, "Shoqata e Grave Shqiptare për Çështjet Sociale", "ngo")
	var s, f, a struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/situation-analyses", w.A.ID),
		map[string]any{"title": "Analiza stanja 2017", "year": 2017}), &s)
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/situation-analyses/%d/findings", s.ID),
		map[string]any{"statement": "Romske porodice nemaju prevoz do centra za obuku", "group": "roma", "barrier": "participation",
			"source_organisation_id": w.OrgA.ID}), &f)
	w.findingA = f.ID
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), agreementBody(w.world)), &a)
	w.agreementA = a.ID
	if err := w.DB.Raw(`INSERT INTO plan_comments (plan_id, municipality_id, text, ip_hash) VALUES (?, ?, 'Predlažem kurs za vozačku dozvolu', 'x') RETURNING id`,
		w.planA, w.A.ID).Scan(&w.commentA).Error; err != nil {
		t.Fatal(err)
	}
	var pb struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(w.Token(coordZ), "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.B.ID),
		map[string]any{"title": "Akcioni plan zapošljavanja Zvornik – prevoz i vozačka dozvola", "period_start": "2017-01-01", "period_end": "2018-12-31"}), &pb)
	w.planB = pb.ID
	if w.measureA == 0 || w.findingA == 0 || w.agreementA == 0 || w.planB == 0 {
		t.Fatalf("set-up: %+v", w)
	}
	return w
}

func apiSearch(t *testing.T, w *searchWorld, tok, q string, status int) searchJSON {
	t.Helper()
	resp := w.API(tok, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil)
	var out searchJSON
	if resp.StatusCode != status {
		t.Fatalf("search %q: %d, want %d: %s", q, resp.StatusCode, status, testkit.Body(resp))
	}
	if status == 200 {
		testkit.DecodeJSON(t, resp, &out)
	}
	return out
}

// has says whether the answer holds the object of that kind and id.
func (s searchJSON) has(kind string, id int64) bool {
	for _, it := range s.Items {
		if it.Kind == kind && it.ID == id {
			return true
		}
	}
	return false
}

// GET /api/v1/search finds every kind, ignores case, accents and the
// script, and never answers another municipality's objects.
func TestSearchAPI(t *testing.T) {
	t.Parallel()
	w := newSearchWorld(t)
	tokA, tokB, view := w.Token(coordA), w.Token(coordZ), w.Token(viewer)
	for _, c := range []struct {
		q    string
		kind string
		id   int64
	}{
		{"ZAPOSLJAVANJA", "action_plan", w.planA},
		{"njegovateljice", "measure", w.measureA},
		{"romske porodice", "finding", w.findingA},
		{"protokol o saradnji", "agreement", w.agreementA},
		{"братунац", "agreement", w.agreementA}, // Cyrillic query, Cyrillic title
		{"najteze zaposljive", "agreement", w.agreementA},
		{"vozacku", "comment", w.commentA},
	} {
		got := apiSearch(t, w, view, c.q, 200)
		if !got.has(c.kind, c.id) {
			t.Errorf("%q: no %s %d in %+v", c.q, c.kind, c.id, got.Items)
		}
		for _, it := range got.Items {
			if it.Municipality.ID != w.A.ID || it.Municipality.Name != "Bratunac" {
				t.Errorf("%q: %s %d of municipality %+v leaked to A", c.q, it.Kind, it.ID, it.Municipality)
			}
		}
	}
	// Latin finds Cyrillic and Cyrillic finds Latin; č ć đ š ž ë ç fold.
	if got := apiSearch(t, w, tokA, "socijalni rad", 200); len(got.Items) != 1 || got.Items[0].Kind != "organisation" ||
		got.Items[0].Title != "Центар за социјални рад Братунац" || got.Items[0].URL != fmt.Sprintf("/municipalities/%d#orgs", w.A.ID) {
		t.Errorf("Latin query, Cyrillic name: %+v", got.Items)
	}
	if got := apiSearch(t, w, tokA, "ОПЋИНА", 200); len(got.Items) != 1 || got.Items[0].ID != w.OrgA.ID {
		t.Errorf("Cyrillic query, Latin name (and not Općina Zvornik): %+v", got.Items)
	}
	if got := apiSearch(t, w, tokA, "ceshtjet sociale", 200); len(got.Items) != 1 {
		t.Errorf("Albanian ë ç: %+v", got.Items)
	}
	m := apiSearch(t, w, tokA, "njegovateljice", 200)
	if len(m.Items) != 1 || m.Items[0].URL != fmt.Sprintf("/plans/%d#measure-%d", w.planA, m.Items[0].ID) ||
		!strings.HasPrefix(m.Items[0].Title, "M1 ") || m.Items[0].Snippet != "Opis" {
		t.Errorf("measure hit: %+v", m.Items[0])
	}
	// B's plan shares words with A's comment and plan: neither side sees the other's.
	if got := apiSearch(t, w, tokA, "VOZAČK", 200); got.has("action_plan", w.planB) || !got.has("comment", w.commentA) {
		t.Errorf("A: %+v", got.Items)
	}
	got := apiSearch(t, w, tokB, "zapošljavanja", 200)
	if len(got.Items) != 1 || !got.has("action_plan", w.planB) || got.Items[0].Municipality.Name != "Zvornik" {
		t.Errorf("B sees: %+v", got.Items)
	}
	for _, q := range []string{"bratunac", "vozacku", "njegovateljice", "romske", "socijalni"} {
		for _, it := range apiSearch(t, w, tokB, q, 200).Items {
			if it.Municipality.ID != w.B.ID {
				t.Errorf("B found A's %s %d for %q", it.Kind, it.ID, q)
			}
		}
	}
	// Someone with no role anywhere finds nothing; a platform admin finds both.
	w.User("alone@test.ba", false, nil, 0, "")
	if got := apiSearch(t, w, w.Token("alone@test.ba"), "zapošljavanja", 200); len(got.Items) != 0 {
		t.Errorf("no role, yet found %+v", got.Items)
	}
	if got := apiSearch(t, w, w.Token(admin), "zapošljavanja", 200); !got.has("action_plan", w.planA) || !got.has("action_plan", w.planB) {
		t.Errorf("admin: %+v", got.Items)
	}
	// Bad input: 422 with fields.q; no sign-in: 401.
	for _, q := range []string{"", "a", " ž ", strings.Repeat("ž", 201)} {
		resp := w.API(tokA, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil)
		if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `"q"`) {
			t.Errorf("q=%q: %d %s", q, resp.StatusCode, body)
		}
	}
	apiSearch(t, w, tokA, strings.Repeat("ž", 200), 200) // 200 letters are fine
	expect(t, w.API("", "GET", "/api/v1/search?q=plan", nil), 401, "anonymous")
	// LIKE wildcards are literal.
	if got := apiSearch(t, w, tokA, "%%", 200); len(got.Items) != 0 {
		t.Errorf("wildcards: %+v", got.Items)
	}
}

// The /search page: a hint without a query, the error next to the field
// for a short one, results grouped by kind with their municipality, and
// never another municipality's objects; the header carries the box.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	w := newSearchWorld(t)
	a := w.Login(coordA)
	body := expect(t, a.Get("/dashboard"), 200, "dashboard")
	if !strings.Contains(body, `action="/search" role="search"`) || !strings.Contains(body, `id="header-q" name="q"`) {
		t.Fatal("no search box in the header")
	}
	body = expect(t, a.Get("/search"), 200, "empty query")
	if !strings.Contains(body, `class="hint"`) || strings.Contains(body, "field-error") {
		t.Errorf("empty query: no hint: %s", body)
	}
	body = expect(t, a.Get("/search?q=%C5%BE"), 422, "one letter")
	if !strings.Contains(body, `id="e-q" class="field-error">Type at least 2 characters.`) || !strings.Contains(body, `aria-invalid="true"`) ||
		!strings.Contains(body, `value="ž"`) {
		t.Errorf("one letter: no error next to the field: %s", body)
	}
	expect(t, a.Get("/search?q="+strings.Repeat("x", 201)), 422, "too long")
	body = expect(t, a.Get("/search?q="+url.QueryEscape("VOZAČK")), 200, "results")
	for _, want := range []string{`id="kind-comment"`, "Consultation comments", fmt.Sprintf(`href="/plans/%d#comments-h"`, w.planA),
		"· Bratunac", `<small lang="bs">Predlažem kurs za vozačku dozvolu`, `id="search-count"`} {
		if !strings.Contains(body, want) {
			t.Errorf("results lack %q", want)
		}
	}
	if strings.Contains(body, "Zvornik") || strings.Contains(body, fmt.Sprintf("/plans/%d", w.planB)) {
		t.Error("A's results show B's plan")
	}
	body = expect(t, a.Get("/search?q=bratunac"), 200, "several kinds")
	if i, j := strings.Index(body, `id="kind-agreement"`), strings.Index(body, `id="kind-organisation"`); i < 0 || j < 0 || i > j {
		t.Errorf("groups missing or out of order: %d %d", i, j)
	}
	body = expect(t, w.Login(coordZ).Get("/search?q=bratunac"), 200, "B searches A's name")
	if !strings.Contains(body, "Nothing found.") || strings.Contains(body, "Братунац") {
		t.Errorf("B sees A: %s", body)
	}
	body = expect(t, w.Login(viewer).Get("/search?q=njegovateljice&lang=sr"), 200, "viewer, Serbian")
	if !strings.Contains(body, "Мере") || !strings.Contains(body, "M1 Obuka") {
		t.Errorf("viewer in Serbian: %s", body)
	}
	if resp := w.Anonymous().Get("/search?q=bratunac"); resp.StatusCode != 303 || strings.Contains(testkit.Body(resp), "Bratunac") {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
}
