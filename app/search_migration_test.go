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

// Migration 00021 (search) goes down and up again on a database with an
// organisation in it: down removes the folding function and its indexes,
// up builds them over the rows already there.
func TestSearchMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, sqlDB, err := app.OpenDB(testkit.DatabaseURL(t), 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`WITH m AS (INSERT INTO municipalities (name, slug, country, currency, language, version)
		VALUES ('Зворник', 'zvornik', 'BA', 'BAM', 'sr', 1) RETURNING id)
		INSERT INTO organisations (municipality_id, name, type) SELECT id, 'Центар за социјални рад', 'csw' FROM m`); err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	count := func() (fns, idx int) {
		t.Helper()
		if err := sqlDB.QueryRow(`SELECT (SELECT count(*) FROM pg_proc WHERE proname = 'search_fold'),
			(SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%\_search\_idx')`).Scan(&fns, &idx); err != nil {
			t.Fatal(err)
		}
		return fns, idx
	}
	if fns, idx := count(); fns != 1 || idx != 6 {
		t.Fatalf("after up: %d functions, %d indexes", fns, idx)
	}
	if _, err := p.DownTo(ctx, 19); err != nil {
		t.Fatalf("down: %v", err)
	}
	if fns, idx := count(); fns != 0 || idx != 0 {
		t.Fatalf("after down: %d functions, %d indexes", fns, idx)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	var name string
	if err := sqlDB.QueryRow(`SELECT name FROM organisations WHERE search_fold(name) LIKE '%socijalni%'`).Scan(&name); err != nil ||
		name != "Центар за социјални рад" {
		t.Fatalf("search after up again: %q %v", name, err)
	}
}
