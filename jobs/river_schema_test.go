package jobs

import (
	"flag"
	"io/fs"
	"os"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"pakt/dbtest"
	"pakt/migrations"
)

var update = flag.Bool("update-river", false, "rewrite migrations/00009_river.sql from the pinned River")

const riverMigration = "00009_river.sql"

// The River schema lives in our migrations so that tests and every
// instance build it with goose. This test ties the file to the River
// version in go.mod: upgrading River changes its SQL and fails here, and
// the upgrade then needs a new migration with River's new versions (the
// file itself, once applied somewhere, must never change).
func TestRiverMigrationIsThePinnedOne(t *testing.T) {
	t.Parallel()
	want, err := RiverMigrationFile()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("../migrations/"+riverMigration, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := fs.ReadFile(migrations.FS, riverMigration)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("migrations/%s is not River %s's schema: River was upgraded (add a migration with its new versions) "+
			"or the file was edited; go test ./jobs -run TestRiverMigrationIsThePinnedOne -update-river rewrites it", riverMigration, RiverVersion)
	}
}

// The migrated database has River's tables and River's own bookkeeping says
// every version of the pinned River is applied.
func TestRiverSchemaIsMigrated(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	var versions []int
	if err := db.Raw(`SELECT version FROM river_migration WHERE line = 'main' ORDER BY version`).Scan(&versions).Error; err != nil {
		t.Fatal(err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	all := m.AllVersions()
	if len(versions) != len(all) || versions[len(versions)-1] != all[len(all)-1].Version {
		t.Fatalf("river_migration has %v, River %s ships %d versions", versions, RiverVersion, len(all))
	}
	for _, table := range []string{"river_job", "river_leader", "river_queue"} {
		var n int
		if err := db.Raw(`SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, table).Scan(&n).Error; err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}
}

// The down section removes River's schema (and this branch's later tables)
// and the up section builds it again.
func TestRiverMigrationDownAndUp(t *testing.T) {
	t.Parallel()
	sqlDB, err := dbtest.DB(t).DB()
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := p.DownTo(ctx, 8); err != nil {
		t.Fatalf("down to 8: %v", err)
	}
	var n int
	sqlDB.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'river%'`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d river tables left after down", n)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
