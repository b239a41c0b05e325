package app

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"pakt/views"
	"pakt/web"
)

// TestTemplatesMatchPageTypes builds the server, which checks every page
// template against the Go type of its data, and proves the check bites: a
// misspelt field in a template stops the start.
func TestTemplatesMatchPageTypes(t *testing.T) {
	t.Parallel()
	cfg, problems := LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := NewServer(cfg, nil, log); err != nil {
		t.Fatalf("templates do not match their page types: %v", err)
	}
	assets, err := web.NewAssets(mustSub(views.FS, "static"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	engine, err := newEngine(assets)
	if err != nil {
		t.Fatal(err)
	}
	src, err := views.FS.ReadFile("pages/plans.html")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), ".Data.Plans", ".Data.Planz", 1)
	if _, err := engine.Templates.New("pages/plans").Parse(broken); err != nil {
		t.Fatal(err)
	}
	k := &web.Kernel{}
	err = k.RegisterPages(engine.Templates, pageSpecs()...)
	if err == nil || !strings.Contains(err.Error(), "Planz") {
		t.Fatalf("a misspelt field passed the start-up check: %v", err)
	}
}
