package app_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/migrations"
	"pakt/models"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// Two instances starting together migrate once, both succeed.
func TestConcurrentMigrationsAreSafe(t *testing.T) {
	t.Parallel()
	url := testkit.DatabaseURL(t)
	_, sqlDB, err := app.OpenDB(url, 4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, db, err := app.OpenDB(url, 2, time.Minute)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			_, errs[i] = app.Migrate(context.Background(), db)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
	var applied, distinct int
	sqlDB.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct)
	files, _ := fs.Glob(migrations.FS, "*.sql")
	if applied != len(files) || distinct != len(files) {
		t.Fatalf("migration rows = %d (%d distinct), want %d: each migration exactly once", applied, distinct, len(files))
	}
}

func TestRefusesNewerDatabase(t *testing.T) {
	t.Parallel()
	_, sqlDB, err := app.OpenDB(testkit.DatabaseURL(t), 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`); err != nil {
		t.Fatal(err)
	}
	_, err = app.Migrate(context.Background(), sqlDB)
	if err == nil || !strings.Contains(err.Error(), "newer pakt") {
		t.Fatalf("migrate on a newer database: %v", err)
	}
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	ctx := context.Background()
	logins, err := app.SeedDemo(ctx, db, "https://pakt.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	var munis, orgs, users int64
	db.Model(&models.Municipality{}).Count(&munis)
	db.Model(&models.Organisation{}).Count(&orgs)
	db.Model(&models.User{}).Count(&users)
	if munis != 5 || orgs != 40 || users != int64(len(logins)) {
		t.Fatalf("municipalities %d, organisations %d, users %d (logins %d)", munis, orgs, users, len(logins))
	}
	for _, l := range logins {
		if _, err := models.Authenticate(ctx, db, l.Email, app.DemoPassword); err != nil {
			t.Errorf("demo login %s: %v", l.Email, err)
		}
	}
	if _, err := app.SeedDemo(ctx, db, "https://pakt.example.org/"); err == nil {
		t.Fatal("seeding twice must refuse")
	}
	// The demo's events told its people, and their mails link absolutely.
	var told, relative int64
	db.Raw(`SELECT count(*) FROM notifications`).Scan(&told)
	db.Raw(`SELECT count(*) FROM mail_outbox WHERE text_body NOT LIKE '%https://pakt.example.org/%'`).Scan(&relative)
	if told == 0 || relative != 0 {
		t.Errorf("demo notifications %d, mails without an absolute link %d", told, relative)
	}
	// The published reports are frozen PDFs: they print the address they
	// were seeded for, not a path a reader of the paper cannot follow. Four
	// municipalities published last year's report; Vlasenica's plan is
	// still in public consultation.
	var reports []models.RegisteredDocument
	if err := db.Where("kind = ?", "report").Find(&reports).Error; err != nil || len(reports) != 4 {
		t.Fatalf("published demo reports: %d, %v", len(reports), err)
	}
	if text := pdfText(t, reports[0].Content); !strings.Contains(text, "https://pakt.example.org/verify/") {
		t.Errorf("the demo report does not print its absolute address:\n%.600s", text)
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils, which .ci/run
// installs); a missing binary fails the test.
func pdfText(t *testing.T, doc []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
