package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"pakt/app/testkit"
)

// The browser edits findings and vulnerable groups through forms (issue
// #17), with the model functions the API's PATCH uses: an Edit link next to
// each, errors next to the field with what was typed kept, 403 for a
// member, 404 for another municipality, and the refusal of a published
// analysis as the form's message.
func TestSitanEditForms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	s := mustSitan(t, w.A.ID, w, "Analiza stanja 2016")
	sp := fmt.Sprintf("/api/v1/situation-analyses/%d", s.ID)
	var f, g struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(tok, "POST", sp+"/findings", map[string]any{"statement": "Romi rijetko završe osnovnu školu.",
		"group": "roma", "barrier": "employment", "source_organisation_id": w.OrgA2.ID}), &f)
	testkit.DecodeJSON(t, w.API(tok, "POST", sp+"/vulnerable-groups", map[string]any{"group": "roma", "estimated_size": 120,
		"barriers": []string{"employment"}, "priority": 1}), &g)
	if f.ID == 0 || g.ID == 0 {
		t.Fatal("fixture not created")
	}
	fe, ge := fmt.Sprintf("/findings/%d", f.ID), fmt.Sprintf("/vulnerable-groups/%d", g.ID)

	b := w.Login(coordA)
	page := expect(t, b.Get(fmt.Sprintf("/situation-analyses/%d", s.ID)), 200, "analysis page")
	for _, link := range []string{`href="` + fe + `/edit"`, `href="` + ge + `/edit"`} {
		if !strings.Contains(page, link) {
			t.Errorf("analysis page has no %s", link)
		}
	}
	form := expect(t, b.Get(fe+"/edit"), 200, "finding edit form")
	if !strings.Contains(form, "Romi rijetko završe osnovnu školu.") || !strings.Contains(form, `value="employment" selected`) {
		t.Fatal("finding edit form does not show the finding")
	}
	// Bad input: the message next to the field, what was typed kept.
	bad := expect(t, b.PostForm(fe, url.Values{"statement": {""}, "group": {"aliens"}, "barrier": {"participation"},
		"source_organisation_id": {fmt.Sprint(w.OrgA2.ID)}}), 422, "bad finding edit")
	if !strings.Contains(bad, `id="e-statement"`) || !strings.Contains(bad, `id="e-group"`) || !strings.Contains(bad, `value="participation" selected`) {
		t.Fatalf("bad finding edit: no field errors or typed values lost:\n%s", bad)
	}
	resp := b.PostForm(fe, url.Values{"statement": {"Romska djeca rijetko završe osnovnu školu."}, "group": {"roma"},
		"barrier": {"information"}, "source_organisation_id": {fmt.Sprint(w.OrgA2.ID)}})
	expect(t, resp, 303, "edit finding")
	if loc := resp.Header.Get("Location"); loc != fmt.Sprintf("/situation-analyses/%d#finding-%d", s.ID, f.ID) {
		t.Fatalf("after the edit: Location %q", loc)
	}
	if got := expect(t, w.API(tok, "GET", sp+"/findings", nil), 200, "findings"); !strings.Contains(got, "Romska djeca") || !strings.Contains(got, `"barrier":"information"`) {
		t.Fatalf("finding not changed: %s", got)
	}

	expect(t, b.Get(ge+"/edit"), 200, "group edit form")
	bad = expect(t, b.PostForm(ge, url.Values{"group": {"roma"}, "estimated_size": {"many"}, "priority": {"1"}, "barriers": {"employment"}}), 422, "bad group edit")
	if !strings.Contains(bad, `id="e-estimated_size"`) || !strings.Contains(bad, `value="many"`) {
		t.Fatalf("bad group edit: no field error or typed value lost:\n%s", bad)
	}
	expect(t, b.PostForm(ge, url.Values{"group": {"roma"}, "estimated_size": {"150"}, "women": {"70"}, "men": {"80"}, "priority": {"2"},
		"barriers": {"employment", "participation"}}), 303, "edit group")
	if got := expect(t, w.API(tok, "GET", sp+"/vulnerable-groups", nil), 200, "groups"); !strings.Contains(got, `"estimated_size":150`) || !strings.Contains(got, `"priority":2`) {
		t.Fatalf("group not changed: %s", got)
	}

	// Wrong role, other municipality.
	mb, zb := w.Login(member), w.Login(coordZ)
	expect(t, mb.Get(fe+"/edit"), 403, "member opens finding edit")
	expect(t, mb.PostForm(fe, url.Values{"statement": {"x"}}), 403, "member edits finding")
	expect(t, zb.Get(ge+"/edit"), 404, "other municipality opens group edit")
	expect(t, zb.PostForm(ge, url.Values{"group": {"roma"}}), 404, "other municipality edits group")

	// Published: the form says why nothing changes, keeps what was typed.
	expect(t, w.API(tok, "POST", sp+"/publish", map[string]any{"confirm_unanswered": true}), 200, "publish")
	if page := expect(t, b.Get(fmt.Sprintf("/situation-analyses/%d", s.ID)), 200, "published analysis"); strings.Contains(page, fe+"/edit") {
		t.Error("a published analysis still offers Edit")
	}
	if page := expect(t, b.Get(fe+"/edit"), 200, "published finding's form"); !strings.Contains(page, `class="form-error"`) {
		t.Error("the form of a published finding does not say it can no longer change")
	}
	refused := expect(t, b.PostForm(fe, url.Values{"statement": {"Kasna izmjena"}, "group": {"roma"}, "barrier": {"employment"},
		"source_organisation_id": {fmt.Sprint(w.OrgA2.ID)}}), 409, "edit published finding")
	if !strings.Contains(refused, `class="form-error"`) || !strings.Contains(refused, "published") || !strings.Contains(refused, "Kasna izmjena") {
		t.Fatalf("refused edit: no reason or typed text lost:\n%s", refused)
	}
	expect(t, b.PostForm(ge, url.Values{"group": {"roma"}, "estimated_size": {"1"}, "priority": {"1"}, "barriers": {"employment"}}), 409, "edit published group")

	// From the browser (a Referer): post, redirect to the form's page, which
	// shows the refusal and what was typed once.
	v := url.Values{"group": {"roma"}, "estimated_size": {"777"}, "priority": {"1"}, "barriers": {"employment"}, "_csrf": {b.CSRF}}
	req := httptest.NewRequest(http.MethodPost, ge, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", ge+"/edit")
	resp = b.Send(req)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != ge+"/edit" {
		t.Fatalf("refused browser post: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if page := expect(t, b.Get(ge+"/edit"), 409, "refusal shown on the form's page"); !strings.Contains(page, `class="form-error"`) || !strings.Contains(page, `value="777"`) {
		t.Fatalf("the form's page lacks the refusal or what was typed:\n%s", page)
	}
}

// Focus groups and needs are edited by form until an adopted plan cites
// them; a stale form (changed meanwhile) is refused.
func TestFocusEditForms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	var fg struct {
		ID    int64
		Needs []struct{ ID int64 }
	}
	testkit.DecodeJSON(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/focus-groups", w.A.ID), focusBody(nil)(w)), &fg)
	if fg.ID == 0 || len(fg.Needs) != 2 {
		t.Fatalf("focus group: %+v", fg)
	}
	fp, np := fmt.Sprintf("/focus-groups/%d", fg.ID), fmt.Sprintf("/needs/%d", fg.Needs[0].ID)
	b := w.Login(coordA)
	page := expect(t, b.Get(fp), 200, "focus group page")
	if !strings.Contains(page, `href="`+fp+`/edit"`) || !strings.Contains(page, `href="`+np+`/edit"`) {
		t.Fatal("focus group page offers no Edit links")
	}
	form := expect(t, b.Get(fp+"/edit"), 200, "focus group edit form")
	vals := formValues(form)
	if vals.Get("place") == "" || vals.Get("version") == "" || vals.Get("participants_total") == "" {
		t.Fatalf("edit form not filled in: %v", vals)
	}
	vals.Set("participants_women", "99")
	bad := expect(t, b.PostForm(fp, vals), 422, "counts that do not add up")
	if !strings.Contains(bad, `class="field-error"`) || !strings.Contains(bad, `value="99"`) {
		t.Fatalf("bad focus edit: no field error or typed value lost:\n%s", bad)
	}
	vals = formValues(form)
	vals.Set("place", "Dom kulture Bratunac")
	expect(t, b.PostForm(fp, vals), 303, "edit focus group")
	if got := expect(t, b.Get(fp), 200, "focus group"); !strings.Contains(got, "Dom kulture Bratunac") {
		t.Fatal("focus group not changed")
	}
	// The same form again: the focus group changed meanwhile.
	if stale := expect(t, b.PostForm(fp, vals), 409, "stale focus edit"); !strings.Contains(stale, `class="form-error"`) {
		t.Fatal("stale edit: no message")
	}

	nform := formValues(expect(t, b.Get(np+"/edit"), 200, "need edit form"))
	nform.Set("statement", "")
	if bad := expect(t, b.PostForm(np, nform), 422, "empty need"); !strings.Contains(bad, `id="e-statement"`) {
		t.Fatalf("bad need: no field error:\n%s", bad)
	}
	nform.Set("statement", "Plaćene prakse i mentorstvo")
	expect(t, b.PostForm(np, nform), 303, "edit need")
	if got := expect(t, b.Get(fp), 200, "focus group"); !strings.Contains(got, "Plaćene prakse i mentorstvo") {
		t.Fatal("need not changed")
	}

	mb, zb := w.Login(member), w.Login(coordZ)
	expect(t, mb.Get(np+"/edit"), 403, "member opens need edit")
	expect(t, mb.PostForm(fp, url.Values{"place": {"x"}}), 403, "member edits focus group")
	expect(t, zb.Get(fp+"/edit"), 404, "other municipality opens focus edit")
	expect(t, zb.PostForm(np, url.Values{"statement": {"x"}}), 404, "other municipality edits need")

	// An adopted plan cites the need: the forms say why nothing changes.
	planID, obj := newPlan(t, w, tok)
	pp := fmt.Sprintf("/api/v1/action-plans/%d", planID)
	expect(t, w.API(tok, "POST", pp+"/measures", measureBody(obj, w.OrgA2.ID, w.OrgA.ID, fg.Needs[0].ID, "M1", "10.00")), 201, "measure citing the need")
	expect(t, w.API(tok, "POST", pp+"/submit", nil), 200, "submit")
	expect(t, w.API(tok, "POST", pp+"/adoption", map[string]any{"decided_on": "2017-04-27", "decision_number": "01-022-45/17",
		"votes_for": 21, "votes_against": 0, "votes_abstained": 0}), 200, "adopt")
	nform.Set("quote", "Kasno")
	if refused := expect(t, b.PostForm(np, nform), 409, "edit cited need"); !strings.Contains(refused, "adopted action plan cites") || !strings.Contains(refused, `value="Kasno"`) {
		t.Fatalf("refused need edit: no reason or typed text lost:\n%s", refused)
	}
	vals = formValues(expect(t, b.Get(fp+"/edit"), 200, "focus group edit form"))
	if refused := expect(t, b.PostForm(fp, vals), 409, "edit cited focus group"); !strings.Contains(refused, "adopted action plan cites") {
		t.Fatal("refused focus edit: no reason")
	}
}

// formValues reads the values the first form of main would post: inputs
// (checkboxes when checked), selected options and textareas.
func formValues(page string) url.Values {
	v := url.Values{}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return v
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var walk func(n *html.Node, inForm bool, sel string)
	done := false
	walk = func(n *html.Node, inForm bool, sel string) {
		if n.Type == html.ElementNode {
			name, _ := attr(n, "name")
			switch n.Data {
			case "form":
				if done || inForm {
					return
				}
				if m, _ := attr(n, "method"); m != "post" || strings.HasSuffix(func() string { a, _ := attr(n, "action"); return a }(), "/logout") {
					break
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, true, "")
				}
				done = true
				return
			case "input":
				if !inForm || name == "" || name == "_csrf" || name == "_once" {
					break
				}
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				if typ == "checkbox" || typ == "radio" {
					if _, on := attr(n, "checked"); on {
						v.Add(name, val)
					}
				} else {
					v.Add(name, val)
				}
			case "textarea":
				if inForm && name != "" {
					text := ""
					if n.FirstChild != nil {
						text = n.FirstChild.Data
					}
					v.Add(name, text)
				}
			case "select":
				sel = name
			case "option":
				if _, on := attr(n, "selected"); on && inForm && sel != "" {
					val, _ := attr(n, "value")
					v.Add(sel, val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inForm, sel)
		}
	}
	walk(doc, false, "")
	return v
}
