package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/models"
)

// secondInstance is another Pakt instance on the same database with its own,
// empty data directory: what a load balancer's next node is.
func secondInstance(t *testing.T, w *world) *testkit.Env {
	t.Helper()
	cfg := w.Cfg
	cfg.DataDir = t.TempDir()
	srv, err := app.NewServer(cfg, w.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &testkit.Env{T: t, DB: w.DB, Srv: srv, Cfg: cfg}
}

// emptyDir fails when anything was written under dir.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			t.Errorf("written to the data directory: %s", p)
		}
		return nil
	})
}

// sameBytes checks a download: the bytes, their length and the headers.
func sameBytes(t *testing.T, what string, body string, hdr map[string]string, want []byte) {
	t.Helper()
	if body != string(want) {
		t.Fatalf("%s: %d bytes differ from the %d uploaded", what, len(body), len(want))
	}
	for k, v := range hdr {
		if v == "" {
			t.Errorf("%s: no %s header", what, k)
		}
	}
}

// A file uploaded through one instance downloads, byte for byte, through
// another: agreement scans and evidence of delivery live in PostgreSQL.
func TestStatelessAttachments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	second := secondInstance(t, w)
	coord, mem := w.Token(coordA), w.Token(member)
	a := openAgreement(t, w, coord)

	// A signed scan, through the first instance's form.
	scan := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 1, 2, 250, 'x'}, 40000)...)
	b := w.Login(coordA)
	expect(t, b.Send(multipartRequest(t, fmt.Sprintf("/agreements/%d/attachments", a.ID), map[string]string{"_csrf": b.CSRF},
		"file", "potpisano.pdf", scan)), 303, "upload scan on the first instance")
	var scanID int64
	w.DB.Raw("SELECT id FROM attachments WHERE object_type = 'agreement' AND object_id = ?", a.ID).Scan(&scanID)
	resp := second.Login(viewer).Get(fmt.Sprintf("/agreements/%d/attachments/%d", a.ID, scanID))
	body := expect(t, resp, 200, "scan from the second instance")
	sameBytes(t, "scan", body, map[string]string{"nosniff": resp.Header.Get("X-Content-Type-Options"),
		"Content-Disposition": resp.Header.Get("Content-Disposition"), "Cache-Control": resp.Header.Get("Cache-Control")}, scan)
	if resp.Header.Get("Content-Length") != strconv.Itoa(len(scan)) || resp.Header.Get("Content-Type") != "application/pdf" ||
		resp.Header.Get("X-Content-SHA256") != sha(string(scan)) {
		t.Errorf("scan headers: %v", resp.Header)
	}
	expect(t, second.Login(coordZ).Get(fmt.Sprintf("/agreements/%d/attachments/%d", a.ID, scanID)), 404, "other municipality, second instance")

	// Evidence on a commitment, through the second instance's API, read
	// through the first's.
	for _, tok := range []string{coord, mem} {
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	}
	ap := fmt.Sprintf("/api/v1/commitments/%d/attachments", a.Commitments[0].ID)
	pdf := evidencePDF(t)
	req := multipartRequest(t, ap, nil, "file", "lista.pdf", pdf)
	req.Header.Set("Authorization", "Bearer "+mem)
	var up evidenceJSON
	resp = second.Do(req)
	testkit.DecodeJSON(t, resp, &up)
	if resp.StatusCode != 201 || up.SHA256 != sha(string(pdf)) {
		t.Fatalf("evidence upload on the second instance: %d %+v", resp.StatusCode, up)
	}
	resp = w.API(w.Token(viewer), "GET", fmt.Sprintf("%s/%d", ap, up.ID), nil)
	body = expect(t, resp, 200, "evidence from the first instance")
	sameBytes(t, "evidence", body, map[string]string{"nosniff": resp.Header.Get("X-Content-Type-Options")}, pdf)
	if resp.Header.Get("Content-Length") != strconv.Itoa(len(pdf)) {
		t.Errorf("evidence Content-Length %q, want %d", resp.Header.Get("Content-Length"), len(pdf))
	}
	expect(t, second.API(w.Token(coordZ), "GET", fmt.Sprintf("%s/%d", ap, up.ID), nil), 404, "other municipality downloads evidence")
	// Refusals are the same on every instance, and leave no bytes behind.
	for _, c := range []struct {
		tok, name string
		body      []byte
		status    int
	}{
		{w.Token(viewer), "a.pdf", pdf, 403},
		{w.Token(coordZ), "a.pdf", pdf, 404},
		{mem, "a.pdf", []byte("<html>not a pdf</html>"), 422},
	} {
		req := multipartRequest(t, ap, nil, "file", c.name, c.body)
		req.Header.Set("Authorization", "Bearer "+c.tok)
		expect(t, second.Do(req), c.status, "refused upload on the second instance")
	}
	var stored int
	w.DB.Raw("SELECT count(*) FROM attachment_contents").Scan(&stored)
	if stored != 2 {
		t.Errorf("%d files stored, want the scan and the evidence", stored)
	}

	// Removed through the first, gone for the second; nothing on any disk.
	expect(t, w.API(mem, "DELETE", fmt.Sprintf("%s/%d", ap, up.ID), nil), 204, "remove")
	expect(t, second.API(mem, "GET", fmt.Sprintf("%s/%d", ap, up.ID), nil), 404, "removed file on the second instance")
	var n int
	w.DB.Raw("SELECT count(*) FROM attachment_contents WHERE attachment_id = ?", up.ID).Scan(&n)
	if n != 0 {
		t.Fatal("the removed file's bytes stayed")
	}
	emptyDir(t, w.Cfg.DataDir)
	emptyDir(t, second.Cfg.DataDir)
}

// Files of a deployment from before PostgreSQL held them are imported from
// PAKT_DATA_DIR/attachments at start: checked against their sha256, once,
// with a warning naming each attachment that could not be.
func TestImportOldAttachmentFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	dir := filepath.Join(w.Cfg.DataDir, "attachments")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	// Rows and files the old way: one good, one missing, one altered.
	old := func(stored string, content []byte, onDisk []byte) int64 {
		var id int64
		w.DB.Raw(`INSERT INTO attachments (municipality_id, object_type, object_id, kind, file_name, stored_name,
			content_type, size_bytes, sha256) VALUES (?, 'agreement', ?, 'wet_ink', ?, ?, 'application/pdf', ?, ?) RETURNING id`,
			w.A.ID, a.ID, "stari "+stored, stored, len(content), models.SHA256Hex(content)).Scan(&id)
		if onDisk != nil {
			if err := os.WriteFile(filepath.Join(dir, stored), onDisk, 0o640); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	good := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("stari sken "), 500)...)
	goodID := old("a1b2.pdf", good, good)
	missingID := old("c3d4.pdf", good, nil)
	alteredID := old("e5f6.pdf", good, append([]byte("%PDF-1.4\nchanged"), good[9:]...))
	dl := func(id int64) string { return fmt.Sprintf("/agreements/%d/attachments/%d", a.ID, id) }
	v := w.Login(viewer)
	expect(t, v.Get(dl(goodID)), 404, "old file before the import")

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if err := app.ImportAttachmentFiles(context.Background(), w.DB, w.Cfg.DataDir, log); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{missingID, alteredID} {
		if !strings.Contains(logs.String(), fmt.Sprintf("attachment_id=%d ", id)) {
			t.Errorf("no warning for attachment %d: %s", id, logs.String())
		}
	}
	if strings.Contains(logs.String(), fmt.Sprintf("attachment_id=%d ", goodID)) || !strings.Contains(logs.String(), "imported=1 skipped=2") {
		t.Errorf("import log: %s", logs.String())
	}
	resp := v.Get(dl(goodID))
	if body := expect(t, resp, 200, "old file after the import"); body != string(good) || resp.Header.Get("X-Content-SHA256") != sha(string(good)) {
		t.Fatal("imported file differs")
	}
	expect(t, v.Get(dl(missingID)), 404, "missing old file")
	expect(t, v.Get(dl(alteredID)), 404, "altered old file")
	// The disk file stays; a second run (another instance, the next start)
	// changes nothing and imports nothing twice.
	if _, err := os.Stat(filepath.Join(dir, "a1b2.pdf")); err != nil {
		t.Errorf("old file removed: %v", err)
	}
	logs.Reset()
	if err := app.ImportAttachmentFiles(context.Background(), w.DB, w.Cfg.DataDir, log); err != nil {
		t.Fatal(err)
	}
	var n int
	w.DB.Raw("SELECT count(*) FROM attachment_contents").Scan(&n)
	if n != 1 || strings.Contains(logs.String(), "imported=1") {
		t.Fatalf("second run: %d content rows, log %s", n, logs.String())
	}
	// A missing file found later (restored from a backup) is imported then.
	os.WriteFile(filepath.Join(dir, "c3d4.pdf"), good, 0o640)
	if err := app.ImportAttachmentFiles(context.Background(), w.DB, w.Cfg.DataDir, log); err != nil {
		t.Fatal(err)
	}
	expect(t, v.Get(dl(missingID)), 200, "restored old file")
}
