package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/migrations"
)

// Migration 00023 (aggregates, the revision raised at commit) goes down and
// up again on a database with a municipality; down, every statement raises
// the revision again (migration 00008's triggers), up, a transaction raises
// it once however many statements it runs.
func TestAggregatesMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, sqlDB, err := app.OpenDB(testkit.DatabaseURL(t), 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	var muni int64
	if err := sqlDB.QueryRow(`INSERT INTO municipalities (name, slug, country, currency, language, version)
		VALUES ('Bratunac', 'bratunac', 'BA', 'BAM', 'bs', 1) RETURNING id`).Scan(&muni); err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	rev := func() (n int64) {
		t.Helper()
		if err := sqlDB.QueryRow(`SELECT rev FROM municipality_revisions WHERE municipality_id = $1`, muni).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	twoWrites := func(suffix string) {
		t.Helper()
		tx, err := sqlDB.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Biro", "Centar"} {
			if _, err := tx.Exec(`INSERT INTO organisations (municipality_id, name, type) VALUES ($1, $2, 'pes')`, muni, name+suffix); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.DownTo(ctx, 22); err != nil {
		t.Fatalf("down: %v", err)
	}
	before := rev()
	twoWrites(" 1")
	if got := rev(); got != before+2 {
		t.Fatalf("down: two statements raised the revision %d → %d, want +2", before, got)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	before = rev()
	twoWrites(" 2")
	if got := rev(); got != before+1 {
		t.Fatalf("up: one transaction raised the revision %d → %d, want +1", before, got)
	}
}
