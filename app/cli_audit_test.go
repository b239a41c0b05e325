package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"pakt/app/disclosureaudit"
	"pakt/dbtest"
)

// "pakt disclosure-audit" on a live database with the demo data: every
// public output read, no small count can be worked out, exit 0.
func TestDisclosureAuditCommand(t *testing.T) {
	t.Parallel()
	url := dbtest.DatabaseURL(t)
	cfg, problems := LoadConfig(env(map[string]string{"DATABASE_URL": url, "PAKT_BASE_URL": "https://pakt.example.org"}))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cfg.DataDir = t.TempDir()
	db, sqlDB, err := OpenDB(url, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := SeedDemo(context.Background(), db, cfg.BaseURL); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := disclosureAuditCmd(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), &out); err != nil {
		t.Fatalf("audit of the demo data: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "0 can be worked out") || strings.Contains(out.String(), "LEAK") {
		t.Fatalf("output: %s", out.String())
	}
}

// A leak is listed with where it is published and makes the command fail.
func TestDisclosureAuditReportsLeaks(t *testing.T) {
	t.Parallel()
	m := disclosureaudit.NewModel()
	m.Published("total", disclosureaudit.Printed{Lo: 8, Hi: 8}, "/m/x/heard")
	m.Published("women", disclosureaudit.Printed{Lo: 0, Hi: 4, Small: true}, "/m/x/heard")
	m.Published("men", disclosureaudit.Printed{Lo: 0, Hi: 4, Small: true}, "/m/x/heard")
	m.Equal("total", "women", "men")
	var out bytes.Buffer
	if err := reportAudit(m, &out); !errors.Is(err, errLeak) {
		t.Fatalf("want errLeak, got %v", err)
	}
	if !strings.Contains(out.String(), "LEAK /m/x/heard: women is 4") || !strings.Contains(out.String(), "2 can be worked out") {
		t.Fatalf("output: %s", out.String())
	}
}
