package app_test

import (
	"context"
	"testing"

	"github.com/pressly/goose/v3"

	"pakt/app/testkit"
	"pakt/migrations"
)

// Migration 00025 keeps the bytes of uploads in attachment_contents, out of
// line and uncompressed, gone with their attachments row; it goes down and
// up again.
func TestAttachmentContentsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := testkit.NewEnv(t)
	m := e.Municipality("Bratunac")
	sqlDB, err := e.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	var storage string
	sqlDB.QueryRow(`SELECT attstorage FROM pg_attribute WHERE attrelid = 'attachment_contents'::regclass AND attname = 'content'`).Scan(&storage)
	if storage != "e" {
		t.Fatalf("content storage %q, want e (EXTERNAL)", storage)
	}
	var id int64
	if err := sqlDB.QueryRow(`INSERT INTO attachments (municipality_id, object_type, object_id, kind, file_name, stored_name,
		content_type, size_bytes, sha256) VALUES ($1, 'agreement', 1, 'x', 'a.pdf', 'a.pdf', 'application/pdf', 3, 'x') RETURNING id`,
		m.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`INSERT INTO attachment_contents (attachment_id, content) VALUES ($1, '\x000102')`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`INSERT INTO attachment_contents (attachment_id, content) VALUES ($1 + 1000, '\x00')`, id); err == nil {
		t.Fatal("bytes without an attachment accepted")
	}
	if _, err := sqlDB.Exec(`INSERT INTO attachment_contents (attachment_id, content) VALUES ($1, NULL)`, id+1); err == nil {
		t.Fatal("NULL content accepted")
	}
	if _, err := sqlDB.Exec(`DELETE FROM attachments WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	var n int
	sqlDB.QueryRow(`SELECT count(*) FROM attachment_contents`).Scan(&n)
	if n != 0 {
		t.Fatal("bytes outlived their attachment")
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 24); err != nil {
		t.Fatalf("down to 24: %v", err)
	}
	sqlDB.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'attachment_contents'`).Scan(&n)
	if n != 0 {
		t.Fatal("attachment_contents survived the down migration")
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
}
