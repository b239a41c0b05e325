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

// TestWebhooksAPI: a coordinator registers a hook (the secret answers this
// once), lists it without the secret, and an adopted plan writes a delivery
// in its log; bad input is 422 with every field, other roles and other
// municipalities are refused (issue #19).
func TestWebhooksAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token("coord.a@test.ba")
	hooks := fmt.Sprintf("/api/v1/municipalities/%d/webhooks", w.A.ID)

	resp := w.API(tok, "POST", hooks, map[string]any{"url": "ftp://registry", "events": []string{"plan.published"}})
	expect(t, resp, 422, "bad hook")
	var bad struct {
		Error struct{ Fields map[string]string }
	}
	testkit.DecodeJSON(t, resp, &bad)
	if bad.Error.Fields["url"] == "" || bad.Error.Fields["events"] == "" {
		t.Errorf("422 fields = %v", bad.Error.Fields)
	}

	// An internal address is refused at registration, with its own reason,
	// not only later when a delivery dials it.
	for _, internal := range []string{"http://127.0.0.1:8080/hook", "https://localhost/h", "http://[::1]/h",
		"http://10.1.2.3/h", "http://169.254.169.254/latest/meta-data", "https://intranet/h", "https://db.internal/h"} {
		resp = w.API(tok, "POST", hooks, map[string]any{"url": internal, "events": []string{"plan.adopted"}})
		expect(t, resp, 422, "internal hook "+internal)
		bad.Error.Fields = nil
		testkit.DecodeJSON(t, resp, &bad)
		if bad.Error.Fields["url"] == "" || bad.Error.Fields["events"] != "" {
			t.Errorf("%s: 422 fields = %v", internal, bad.Error.Fields)
		}
	}

	resp = w.API(tok, "POST", hooks, map[string]any{"url": "https://registry.example.org/pakt", "events": []string{"plan.adopted", "report.published"}})
	expect(t, resp, 201, "create hook")
	var created struct {
		ID     int64
		Secret string
		Events []string
	}
	testkit.DecodeJSON(t, resp, &created)
	if !strings.HasPrefix(created.Secret, "whsec_") || len(created.Events) != 2 {
		t.Fatalf("created = %+v", created)
	}
	list := w.API(tok, "GET", hooks, nil)
	expect(t, list, 200, "list hooks")
	if body := testkit.Body(list); strings.Contains(body, created.Secret) || !strings.Contains(body, "registry.example.org") {
		t.Errorf("list shows the secret or lacks the hook: %s", body)
	}

	expect(t, w.API(w.Token("member.a@test.ba"), "POST", hooks, map[string]any{"url": "https://x.example.org", "events": []string{"plan.adopted"}}), 403, "member")
	expect(t, w.API(w.Token("viewer.a@test.ba"), "GET", hooks, nil), 403, "viewer")
	tokB := w.Token("coord.b@test.ba")
	expect(t, w.API(tokB, "GET", hooks, nil), 404, "other municipality's coordinator")
	expect(t, w.API(tokB, "GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", created.ID), nil), 404, "other municipality's log")
	expect(t, w.API("", "GET", hooks, nil), 401, "anonymous")

	// The event is enqueued with the adoption itself.
	planID, _, _ := adoptedPlan(t, w, tok)
	deliveries := fmt.Sprintf("/api/v1/webhooks/%d/deliveries", created.ID)
	var log struct {
		Items []struct {
			Event, Status string
			Attempts      int
		}
	}
	testkit.DecodeJSON(t, w.API(tok, "GET", deliveries, nil), &log)
	if len(log.Items) != 1 || log.Items[0].Event != models.EventPlanAdopted || log.Items[0].Status != "queued" {
		t.Fatalf("deliveries after adopting plan %d = %+v", planID, log.Items)
	}
	var body string
	w.DB.Raw(`SELECT body FROM webhook_deliveries`).Scan(&body)
	if !strings.Contains(body, fmt.Sprintf(`"plan_id":%d`, planID)) || !strings.Contains(body, `"event":"plan.adopted"`) {
		t.Errorf("delivery body = %s", body)
	}

	expect(t, w.API(tok, "DELETE", fmt.Sprintf("/api/v1/webhooks/%d", created.ID), nil), 204, "delete hook")
	expect(t, w.API(tok, "GET", deliveries, nil), 404, "log of a deleted hook")
}

// TestWebhooksPage: the coordinator's page registers a hook and shows its
// secret once, keeps the typed address next to its error on bad input,
// lists deliveries and removes the hook; others may not see it.
func TestWebhooksPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	page := fmt.Sprintf("/municipalities/%d/webhooks", w.A.ID)
	b := w.Login("coord.a@test.ba")
	resp := b.Get(page)
	if resp.StatusCode != 200 || !strings.Contains(testkit.Body(resp), `name="events"`) {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	resp = b.PostForm(page, url.Values{"url": {"not a url"}})
	body := testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="e-url"`) || !strings.Contains(body, `id="e-events"`) || !strings.Contains(body, `value="not a url"`) {
		t.Fatalf("bad input: %d", resp.StatusCode)
	}
	b.Get(page)
	resp = b.PostForm(page, url.Values{"url": {"http://192.168.1.10/hook"}, "events": {"plan.adopted"}})
	body = testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="e-url"`) || strings.Contains(body, `id="e-events"`) ||
		!strings.Contains(body, `value="http://192.168.1.10/hook"`) {
		t.Fatalf("private address: %d", resp.StatusCode)
	}
	b.Get(page)
	resp = b.PostForm(page, url.Values{"url": {"https://registry.example.org/hook"}, "events": {"agreement.in_force", "report.published"}})
	body = testkit.Body(resp)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="webhook-secret">whsec_`) {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	again := testkit.Body(b.Get(page))
	if strings.Contains(again, "whsec_") || !strings.Contains(again, "registry.example.org/hook") {
		t.Error("the secret shows again, or the hook is missing")
	}
	var hook models.Webhook
	w.DB.First(&hook)
	if got := w.Login("member.a@test.ba").Get(page).StatusCode; got != 403 {
		t.Errorf("member sees the webhooks page: %d", got)
	}
	if got := w.Login("coord.b@test.ba").Get(page).StatusCode; got != 404 {
		t.Errorf("other municipality's coordinator: %d", got)
	}
	b.Get(page)
	resp = b.PostForm(fmt.Sprintf("/webhooks/%d/delete", hook.ID), url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	var n int64
	w.DB.Model(&models.Webhook{}).Count(&n)
	if n != 0 {
		t.Errorf("%d hooks left", n)
	}
}
