package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pressly/goose/v3"

	"pakt/app/testkit"
	"pakt/migrations"
	"pakt/models"
)

// Migration 00012 gives registered documents the hash their PDF prints: a
// final agreement registered before it gets its signed text's hash; unknown
// kinds and malformed hashes are refused; it goes down and up again.
func TestDocumentsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := testkit.NewEnv(t)
	m := e.Municipality("Bratunac")
	org := e.Organisation(m.ID, "Općina Bratunac", "municipality")
	pes := e.Organisation(m.ID, "Biro Bratunac", "pes")
	coord := e.User("coord@test.ba", false, &org.ID, m.ID, models.RoleCoordinator)
	mem := e.User("pes@test.ba", false, &pes.ID, m.ID, models.RoleMember)
	tok := e.Token("coord@test.ba")
	var ag struct {
		ID     int64
		SHA256 string
	}
	body := map[string]any{"title": "Protokol", "level": "cooperation", "goal": "Cilj", "body": "Tekst",
		"valid_from": "2017-01-01", "valid_to": "2018-12-31", "parties": []map[string]any{{"organisation_id": org.ID, "signatory_user_id": coord.ID}, {"organisation_id": pes.ID, "signatory_user_id": mem.ID}},
		"commitments": []map[string]any{{"action": "Savjetovanje", "responsible_organisation_id": org.ID, "due_date": "2017-06-30"}}}
	for _, step := range []struct {
		path   string
		body   any
		status int
	}{
		{fmt.Sprintf("/api/v1/municipalities/%d/agreements", m.ID), body, 201},
		{"/api/v1/agreements/%d/open", nil, 200},
		{"/api/v1/agreements/%d/signatures", map[string]any{"password": testkit.Password}, 201},
	} {
		path := step.path
		if ag.ID != 0 {
			path = fmt.Sprintf(step.path, ag.ID)
		}
		resp := e.API(tok, "POST", path, step.body)
		if resp.StatusCode != step.status {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, testkit.Body(resp))
		}
		if ag.ID == 0 || step.status == 200 {
			testkit.DecodeJSON(t, resp, &ag)
		}
	}
	if resp := e.API(e.Token("pes@test.ba"), "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", ag.ID), map[string]any{"password": testkit.Password}); resp.StatusCode != 201 {
		t.Fatalf("second signature: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	if resp := e.API(tok, "GET", fmt.Sprintf("/api/v1/agreements/%d/pdf", ag.ID), nil); resp.StatusCode != 200 || len(ag.SHA256) != 64 {
		t.Fatalf("final PDF: %d, text hash %q", resp.StatusCode, ag.SHA256)
	}

	sqlDB, err := e.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 11); err != nil {
		t.Fatalf("down to 11: %v", err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	var content string
	sqlDB.QueryRow(`SELECT content_sha256 FROM registered_documents WHERE kind = 'agreement' AND object_id = $1`, ag.ID).Scan(&content)
	if content != ag.SHA256 {
		t.Fatalf("final agreement's content hash %q, want the signed text's %q", content, ag.SHA256)
	}
	for _, q := range []string{
		`INSERT INTO registered_documents (sha256, municipality_id, kind, object_id, content) VALUES ('x1', $1, 'memo', 1, '')`,
		`INSERT INTO registered_documents (sha256, municipality_id, kind, object_id, content, content_sha256) VALUES ('x2', $1, 'plan', 1, '', 'ABC')`,
		`UPDATE registered_documents SET content_sha256 = NULL WHERE municipality_id = $1`,
	} {
		if _, err := sqlDB.Exec(q, m.ID); err == nil {
			t.Errorf("database allowed: %s", q)
		}
	}
}
