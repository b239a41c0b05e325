package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The plan's timeline is an image of its own (the plan page stays light):
// the page points at it, it draws every measure, answers 304 while the plan
// is unchanged, follows a change, and is as private as the plan.
func TestPlanTimelineImage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	b := w.Login(coordA)
	src := fmt.Sprintf("/plans/%d/timeline.svg", planID)
	page := expect(t, b.Get(fmt.Sprintf("/plans/%d", planID)), 200, "plan page")
	if !strings.Contains(page, `<img class="timeline" src="`+src+`"`) || strings.Contains(page, `<svg class="timeline"`) {
		t.Fatal("the plan page does not point at its timeline image (or still draws it inline)")
	}
	resp := b.Get(src)
	svg := expect(t, resp, 200, "timeline image")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
		t.Fatalf("timeline content type %q", ct)
	}
	if !strings.Contains(svg, `<svg class="timeline"`) || !strings.Contains(svg, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Fatalf("timeline is not a standalone SVG: %.200s", svg)
	}
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, src, nil)
	req.Header.Set("If-None-Match", etag)
	if resp := b.Send(req); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("unchanged timeline with its ETag: %d, want 304", resp.StatusCode)
	}

	// A new measure is drawn, under a new ETag.
	measure := map[string]any{"code": "M9", "title": "Javni radovi", "objective_id": obj,
		"lead_organisation_id": w.OrgA.ID, "start_date": "2017-03-01", "end_date": "2017-09-30", "groups": []string{"roma"}}
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID), measure), 201, "new measure")
	resp = b.Send(req)
	svg = expect(t, resp, 200, "changed timeline with the old ETag")
	if !strings.Contains(svg, ">M9<") || resp.Header.Get("ETag") == etag {
		t.Fatal("the timeline did not follow the new measure")
	}

	expect(t, w.Login(coordZ).Get(src), 404, "other municipality's timeline")
	expect(t, w.Anonymous().Get(src), 303, "anonymous timeline of a private plan (sent to sign in)")
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/timeline.svg", w.A.Slug, planID)), 404, "public timeline of a draft")
}

func TestPublicPlanTimelineImage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, _, _ := adoptedPlan(t, w, tok)
	src := fmt.Sprintf("/m/%s/plans/%d/timeline.svg", w.A.Slug, planID)
	page := expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)), 200, "public plan page")
	if !strings.Contains(page, `src="`+src+`"`) {
		t.Fatal("the public plan page does not point at the public timeline")
	}
	if svg := expect(t, w.Anonymous().Get(src), 200, "public timeline"); !strings.Contains(svg, "<rect") {
		t.Fatal("public timeline draws no measure")
	}
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/timeline.svg", w.B.Slug, planID)), 404, "timeline under another municipality's address")
}
