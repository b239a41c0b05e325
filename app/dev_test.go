package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pakt/app/pgrun"
)

// The private PostgreSQL of "make run" keeps its data through a power cut:
// fsync, synchronous_commit and full_page_writes are on (issue #17).
func TestDevClusterIsDurable(t *testing.T) {
	t.Parallel()
	if _, err := pgrun.FindBinDir(); err != nil {
		t.Fatalf("the PostgreSQL server binaries are missing (.ci/run installs them): %v", err)
	}
	base, err := os.MkdirTemp("", "pakt-dev-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil { // the postgres account must reach it when run as root
		t.Fatal(err)
	}
	opt := devClusterOptions(filepath.Join(base, "postgres"), 0)
	opt.Log = nil
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl, err := pgrun.Start(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Stop() })
	conn, err := pgx.Connect(ctx, cl.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != "on" {
			t.Errorf("make run's PostgreSQL has %s = %s, want on", name, v)
		}
	}
}
