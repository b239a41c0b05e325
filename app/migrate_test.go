package app_test

import (
	"context"
	"io/fs"
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
	db := testkit.DB(t)
	ctx := context.Background()
	logins, err := app.SeedDemo(ctx, db)
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
	if _, err := app.SeedDemo(ctx, db); err == nil {
		t.Fatal("seeding twice must refuse")
	}
}
