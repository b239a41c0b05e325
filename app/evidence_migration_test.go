package app_test

import (
	"context"
	"testing"

	"github.com/pressly/goose/v3"

	"pakt/app/testkit"
	"pakt/migrations"
)

// Migration 00022 (evidence of delivery) adds attachments.period_id and the
// trigger that freezes evidence; it goes down and up again, and agreement
// scans are untouched by the trigger.
func TestEvidenceMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := testkit.NewEnv(t)
	m := e.Municipality("Bratunac")
	sqlDB, err := e.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	insert := func(objType string) error {
		_, err := sqlDB.Exec(`INSERT INTO attachments (municipality_id, object_type, object_id, kind, file_name, stored_name,
			content_type, size_bytes, sha256) VALUES ($1, $2, 1, 'x', 'a.pdf', md5(random()::text), 'application/pdf', 1, 'x')`, m.ID, objType)
		return err
	}
	if err := insert("agreement"); err != nil {
		t.Fatalf("agreement scan refused: %v", err)
	}
	if err := insert("progress"); err == nil {
		t.Fatal("progress evidence without a period accepted")
	}
	if err := insert("commitment"); err == nil {
		t.Fatal("evidence on a missing commitment accepted")
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 21); err != nil {
		t.Fatalf("down to 21: %v", err)
	}
	var n int
	sqlDB.QueryRow(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'attachments' AND column_name = 'period_id'`).Scan(&n)
	if n != 0 {
		t.Fatal("period_id survived the down migration")
	}
	if err := insert("progress"); err != nil {
		t.Fatalf("without the trigger: %v", err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	sqlDB.QueryRow(`SELECT count(*) FROM attachments`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d attachments after down and up, want 2", n)
	}
}
