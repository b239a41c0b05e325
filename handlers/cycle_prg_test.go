package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// postFrom submits a form from page from, as a browser does (with its Referer).
func postFrom(b *testkit.Browser, from, path string, v url.Values) *http.Response {
	if v.Get("_csrf") == "" {
		v.Set("_csrf", b.CSRF)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", "http://example.com"+from)
	return b.Send(req)
}

// A refused form answers with a redirect to the form's own page, which shows
// the errors and what was typed once; reloading it posts nothing (issue #17).
func TestRefusedFormRedirectsToItsPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	b := w.Login(coordA)
	formPage := fmt.Sprintf("/plans/%d/measures/new", planID)
	b.Get(formPage)
	bad := amountsMeasureForm(w, obj, "1")
	bad.Set("code", "")
	bad.Set("title", "Naslov koji se ne gubi")
	resp := postFrom(b, formPage, fmt.Sprintf("/plans/%d/measures", planID), bad)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != formPage {
		t.Fatalf("refused form: %d to %q, want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), formPage)
	}
	resp = b.Get(formPage)
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-code"`) || !strings.Contains(body, "Naslov koji se ne gubi") {
		t.Fatalf("form page after the refusal: %d", resp.StatusCode)
	}
	// Shown once: reloading draws the empty form, and nothing was saved.
	if body := testkit.Body(b.Get(formPage)); strings.Contains(body, "Naslov koji se ne gubi") {
		t.Fatal("the refused form is shown again on reload")
	}
	var n int
	w.DB.Raw("SELECT count(*) FROM plan_measures WHERE plan_id = ?", planID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d measures saved by a refused form", n)
	}
	// Another session does not see it.
	other := w.Login(coordA)
	other.Get(formPage)
	if resp := postFrom(b, formPage, fmt.Sprintf("/plans/%d/measures", planID), bad); resp.StatusCode != 303 {
		t.Fatalf("refused form again: %d, want 303 to its page", resp.StatusCode)
	}
	if body := testkit.Body(other.Get(formPage)); strings.Contains(body, "Naslov koji se ne gubi") {
		t.Fatal("another session sees the refused form")
	}
	// A good form still goes where it goes; refusals by role or municipality are error pages.
	good := amountsMeasureForm(w, obj, "1")
	if resp := postFrom(b, formPage, fmt.Sprintf("/plans/%d/measures", planID), good); resp.StatusCode != 303 || resp.Header.Get("Location") != fmt.Sprintf("/plans/%d", planID) {
		t.Fatalf("saved form: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	mb := w.Login(member)
	expect(t, postFrom(mb, formPage, fmt.Sprintf("/plans/%d/measures", planID), amountsMeasureForm(w, obj, "1")), 403, "member posts")
	zb := w.Login(coordZ)
	expect(t, postFrom(zb, formPage, fmt.Sprintf("/plans/%d/measures", planID), amountsMeasureForm(w, obj, "1")), 404, "other municipality posts")
	// The API answers as always.
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), map[string]any{"code": ""}, "Referer", "http://example.com"+formPage), 422, "API")
}

// "Save and add another" goes back to an empty form after saving
// (measures, organisations, findings; issue #17).
func TestSaveAndAddAnother(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, obj := newPlan(t, w, w.Token(coordA))
	b := w.Login(coordA)
	form := fmt.Sprintf("/plans/%d/measures/new", planID)
	if !strings.Contains(testkit.Body(b.Get(form)), `name="then" value="another"`) {
		t.Fatal("measure form has no save-and-add-another button")
	}
	v := amountsMeasureForm(w, obj, "1")
	v.Set("then", "another")
	resp := b.PostForm(fmt.Sprintf("/plans/%d/measures", planID), v)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != form {
		t.Fatalf("measure saved with another: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if body := testkit.Body(b.Get(form)); !strings.Contains(body, "Add the next one below.") || strings.Contains(body, `value="Javni radovi"`) {
		t.Fatal("the next form is not empty, or says nothing")
	}
	orgs := fmt.Sprintf("/municipalities/%d/organisations", w.A.ID)
	b.Get(orgs + "/new")
	resp = b.PostForm(orgs, url.Values{"name": {"Dom zdravlja Bratunac"}, "type": {"health"}, "then": {"another"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != orgs+"/new" {
		t.Fatalf("organisation saved with another: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = b.PostForm(orgs, url.Values{"name": {""}, "type": {"health"}, "then": {"another"}})
	expect(t, resp, 422, "empty organisation with another")
	expect(t, w.Login(member).PostForm(orgs, url.Values{"name": {"X"}, "type": {"ngo"}, "then": {"another"}}), 403, "member adds organisation")
	expect(t, w.Login(coordZ).PostForm(orgs, url.Values{"name": {"X"}, "type": {"ngo"}, "then": {"another"}}), 404, "other municipality adds organisation")
}
