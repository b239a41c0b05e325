package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// TestOpenAPIDocumentAndReference: the OpenAPI document is served without a
// token as OpenAPI 3.1 JSON, the reference page draws every tag and
// operation from it, and the footer of every page links the page (issue #19).
func TestOpenAPIDocumentAndReference(t *testing.T) {
	t.Parallel()
	e := testkit.NewEnv(t)
	resp := e.API("", http.MethodGet, "/api/v1/openapi.json", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]any
	}
	testkit.DecodeJSON(t, resp, &doc)
	if doc.OpenAPI != "3.1.0" || doc.Paths["/action-plans/{id}"]["get"] == nil {
		t.Fatalf("document: openapi %q, %d paths", doc.OpenAPI, len(doc.Paths))
	}
	// The page is read as raw HTML: its text is full of paths like
	// "report.pdf" that the browser helper would take for catalog keys.
	for _, lang := range []string{"en", "sr"} {
		req := httptest.NewRequest(http.MethodGet, "/api?lang="+lang, nil)
		resp := e.Do(req)
		body := testkit.Body(resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/api: %d", resp.StatusCode)
		}
		for _, want := range []string{`href="/api/v1/openapi.json"`, `id="tag-agreements"`, "POST /api/v1/agreements/{id}/signatures",
			`href="#schema-Agreement"`, `id="schema-Error"`, "open_for_signature", "Idempotency-Key",
			`id="event-plan.adopted"`, `id="tag-webhooks"`} {
			if !strings.Contains(body, want) {
				t.Errorf("/api?lang=%s lacks %q", lang, want)
			}
		}
	}
	home := testkit.Body(e.Do(httptest.NewRequest(http.MethodGet, "/login", nil)))
	if !strings.Contains(home, `<a href="/api">`) {
		t.Error("the footer does not link the API reference")
	}
	raw, _ := json.Marshal(doc.Paths)
	if strings.Contains(string(raw), "/api/v1/") {
		t.Error("paths are relative to the server /api/v1")
	}
}
