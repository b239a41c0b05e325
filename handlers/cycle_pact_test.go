package handlers_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

type pactAnswer struct {
	Steps []struct {
		Key     string
		Status  string
		DoneAt  *string `json:"done_at"`
		NextURL *string `json:"next_url"`
	}
	PartnershipLevel string `json:"partnership_level"`
}

func getPact(t *testing.T, e *testkit.Env, tok string, muniID int64) pactAnswer {
	t.Helper()
	var p pactAnswer
	if err := json.Unmarshal([]byte(expect(t, e.API(tok, "GET", fmt.Sprintf("/api/v1/municipalities/%d/pact", muniID), nil), 200, "pact")), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != len(models.PactStepKeys) {
		t.Fatalf("steps: %+v", p.Steps)
	}
	for i, s := range p.Steps {
		if s.Key != models.PactStepKeys[i] {
			t.Fatalf("step %d is %q, want %q", i, s.Key, models.PactStepKeys[i])
		}
		if (s.Status == models.StepDone) != (s.DoneAt != nil) || (s.Status == models.StepDone) == (s.NextURL != nil) {
			t.Fatalf("step %s: status %s, done_at %v, next_url %v", s.Key, s.Status, s.DoneAt, s.NextURL)
		}
	}
	return p
}

// A new municipality has nothing done; a viewer may read the pact, another
// municipality's coordinator may not (issue #17).
func TestPactNewMunicipality(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	struga := w.Municipality("Струга")
	w.User("coord.struga@test.mk", false, nil, struga.ID, models.RoleCoordinator)
	p := getPact(t, w.Env, w.Token("coord.struga@test.mk"), struga.ID)
	for _, s := range p.Steps {
		if s.Status != models.StepNotStarted {
			t.Fatalf("new municipality: step %s is %s", s.Key, s.Status)
		}
	}
	if p.Steps[0].NextURL == nil || *p.Steps[0].NextURL != fmt.Sprintf("/municipalities/%d/organisations/new", struga.ID) {
		t.Fatalf("commission's next action: %v", p.Steps[0].NextURL)
	}
	if p.PartnershipLevel != "cooperation" {
		t.Fatalf("level %q", p.PartnershipLevel)
	}
	// Bratunac has two organisations: the commission is set up.
	if p := getPact(t, w.Env, w.Token(viewer), w.A.ID); p.Steps[0].Status != models.StepDone {
		t.Fatalf("two organisations: commission %s", p.Steps[0].Status)
	}
	expect(t, w.API(w.Token(coordZ), "GET", fmt.Sprintf("/api/v1/municipalities/%d/pact", w.A.ID), nil), 404, "other municipality's pact")
}

// The demo municipalities have done several steps.
func TestPactDemo(t *testing.T) {
	t.Parallel()
	e := demoEnv(t)
	var id int64
	if err := e.DB.Raw(`SELECT id FROM municipalities WHERE slug = 'bratunac'`).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	p := getPact(t, e, demoToken(t, e, "pregled.bratunac@pakt.demo"), id)
	done := map[string]bool{}
	for _, s := range p.Steps {
		done[s.Key] = s.Status == models.StepDone
	}
	for _, k := range []string{"commission", "agreements", "situation_analysis", "focus_groups", "action_plan"} {
		if !done[k] {
			t.Errorf("demo Bratunac: %s not done: %+v", k, p.Steps)
		}
	}
	if p.PartnershipLevel == "cooperation" {
		t.Errorf("demo Bratunac has an adopted plan, level %q", p.PartnershipLevel)
	}
}

// The municipality page shows the steps and the ladder; the next action is
// a link for the coordinator only; the public page has no private links.
func TestPactPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	next := fmt.Sprintf(`href="/municipalities/%d/agreements"`, w.A.ID)
	page := testkit.Body(w.Login(coordA).Get(fmt.Sprintf("/municipalities/%d", w.A.ID)))
	for _, want := range []string{`class="pact-steps"`, `aria-current="step"`, `class="ladder"`, `aria-current="true"`, next, "Protocols of cooperation"} {
		if !strings.Contains(page, want) {
			t.Fatalf("coordinator's municipality page lacks %q", want)
		}
	}
	if page := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/municipalities/%d", w.A.ID))); !strings.Contains(page, "Prepare a protocol of cooperation") ||
		strings.Contains(page, next+">Prepare") {
		t.Fatal("viewer: next action missing, or a link")
	}
	pub := testkit.Body(w.Anonymous().Get("/m/" + w.A.Slug))
	if !strings.Contains(pub, `class="pact-steps"`) || !strings.Contains(pub, `aria-current="true"`) {
		t.Fatal("public page lacks the pact")
	}
	if strings.Contains(pub, `href="/municipalities/`) || strings.Contains(pub, "Prepare a protocol") {
		t.Fatal("public page shows a private link or action")
	}
}
