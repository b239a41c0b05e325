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

// Migration 00013 (open data and IATI) goes down and up again on a database
// with municipalities; its identifier column refuses malformed and shared
// identifiers, and the rate counters are a table without municipality.
func TestIATIMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, sqlDB, err := app.OpenDB(testkit.DatabaseURL(t), 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`INSERT INTO municipalities (name, slug, country, currency, language, version)
		VALUES ('Bratunac', 'bratunac', 'BA', 'BAM', 'bs', 1), ('Zvornik', 'zvornik', 'BA', 'BAM', 'bs', 1)`); err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := p.DownTo(ctx, 8); return err },
		func() error { _, err := p.Up(ctx); return err },
	} {
		if err := step(); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	if _, err := sqlDB.Exec(`UPDATE municipalities SET iati_org_ref = 'BA-MUN-1101' WHERE slug = 'bratunac'`); err != nil {
		t.Fatalf("a valid identifier: %v", err)
	}
	for _, bad := range []string{`UPDATE municipalities SET iati_org_ref = 'ba-mun-1101' WHERE slug = 'zvornik'`,
		`UPDATE municipalities SET iati_org_ref = 'no identifier' WHERE slug = 'zvornik'`} {
		if _, err := sqlDB.Exec(bad); err == nil {
			t.Errorf("the database allowed: %s", bad)
		}
	}
	var n int
	if err := sqlDB.QueryRow(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'api_rate_windows'
		AND column_name = 'municipality_id'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("api_rate_windows must hold no tenant data: %d %v", n, err)
	}
}
