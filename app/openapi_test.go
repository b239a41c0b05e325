package app

import (
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"pakt/web/openapi"
)

// TestOpenAPICoversRouteTable: every /api/v1 route of the route table is
// described in web/openapi/openapi.yaml with its method, and every
// operation described there is served (issue #19).
func TestOpenAPICoversRouteTable(t *testing.T) {
	t.Parallel()
	cfg, _ := LoadConfig(func(string) string { return "" })
	srv, err := NewServer(cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi.Document()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, r := range srv.Routes {
		if p, ok := strings.CutPrefix(r.Path, openapi.Base+"/"); ok {
			served[r.Method+" /"+fiberToOpenAPI(p)] = true
		}
	}
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+path] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(served)) {
		if !described[k] {
			t.Errorf("%s is served but not described in web/openapi/openapi.yaml", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(described)) {
		if !served[k] {
			t.Errorf("%s is described in web/openapi/openapi.yaml but not served", k)
		}
	}
	if len(served) < 90 {
		t.Fatalf("only %d API routes found; the walk is broken", len(served))
	}
}

// fiberToOpenAPI writes Fiber's ":id" parameters as OpenAPI's "{id}".
func fiberToOpenAPI(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			rest := ""
			if j := strings.IndexAny(name, ".-"); j > 0 {
				name, rest = name[:j], name[j:]
			}
			segs[i] = "{" + name + "}" + rest
		}
	}
	return strings.Join(segs, "/")
}
