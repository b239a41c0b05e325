// Package dbtest runs tests against a real PostgreSQL: it starts a private
// server (unless TEST_DATABASE_URL is set), migrates a template database once
// with the real migrations and gives every test its own clone, so tests run
// in parallel. It knows nothing of the web application, so the domain
// (models) is tested with it directly.
package dbtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb uses
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/goosemigrator"
	"gorm.io/gorm"

	"pakt/app/pgrun"
	"pakt/database"
	"pakt/migrations"
)

var serverURL string

// Main wraps testing.M: call it from TestMain of every package that needs PostgreSQL.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	serverURL = os.Getenv("TEST_DATABASE_URL")
	if serverURL == "" {
		cl, cleanup, err := startPrivate()
		if err != nil {
			fmt.Fprintln(os.Stderr, "testkit: cannot start PostgreSQL:", err)
			return 1
		}
		defer cleanup()
		serverURL = cl.URL("postgres")
	}
	return m.Run()
}

// ServerURL is the admin connection URL of the test PostgreSQL server.
func ServerURL() string { return serverURL }

func startPrivate() (*pgrun.Cluster, func(), error) {
	dir, err := os.MkdirTemp("", "pakt-test-")
	if err != nil {
		return nil, nil, err
	}
	// The postgres OS user must be able to reach the data directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl, err := pgrun.Start(ctx, pgrun.Options{Dir: filepath.Join(dir, "pg")})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	// Should the test binary be killed (go test -timeout, Ctrl-C), the
	// server and its data go with it.
	if err := cl.StopWithProcess(os.Getpid(), dir); err != nil {
		cl.Stop()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return cl, func() { cl.Stop(); os.RemoveAll(dir) }, nil
}

// DatabaseURL gives the test a fresh, fully migrated database and returns its URL.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("bad test database URL: %v", err)
	}
	pw, _ := u.User.Password()
	conf := pgtestdb.Config{DriverName: "pgx", Host: u.Hostname(), Port: u.Port(), User: u.User.Username(),
		Password: pw, Database: "postgres", Options: "sslmode=disable", ForceTerminateConnections: true}
	m := goosemigrator.New(".", goosemigrator.WithFS(migrations.FS))
	return pgtestdb.Custom(t, conf, m).URL()
}

// DB opens a fresh migrated database for one test; closed at cleanup.
func DB(t testing.TB) *gorm.DB {
	t.Helper()
	db, sqlDB, err := database.Open(DatabaseURL(t), 10, 30*time.Second)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db
}
