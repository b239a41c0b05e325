package pgrun

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// logWriter sends progress lines to the test log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// testDir makes a dir the postgres OS user can traverse when we run as
// root; t.TempDir() is 0700 and would not do.
func testDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp(os.TempDir(), "pgrun-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(base, "data")
}

func selectOne(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var n int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&n)
}

func TestFindBinDir(t *testing.T) {
	t.Parallel()
	dir, err := FindBinDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
		t.Fatalf("FindBinDir() = %s, which has no initdb: %v", dir, err)
	}
}

func TestStartReuseStop(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := testDir(t)

	c1, err := Start(ctx, Options{Dir: dir, Log: logWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c1.Stop() }) // runs before the dir is removed
	if c1.Dir != dir || c1.Port == 0 {
		t.Fatalf("Cluster Dir=%q Port=%d, want Dir=%q and a port", c1.Dir, c1.Port, dir)
	}
	if _, err := os.Stat(dir + ".log"); err != nil {
		t.Errorf("server log next to the data dir: %v", err)
	}

	for range 2 { // the second call must find the database and do nothing
		if err := c1.EnsureDatabase(ctx, "pakt_x"); err != nil {
			t.Fatal(err)
		}
	}
	if err := selectOne(ctx, c1.URL("pakt_x")); err != nil {
		t.Fatalf("SELECT 1 on pakt_x: %v", err)
	}

	// A second Start on the same dir reuses the server and must not own it.
	c2, err := Start(ctx, Options{Dir: dir, Log: logWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Port != c1.Port {
		t.Errorf("reused cluster port %d, want %d", c2.Port, c1.Port)
	}
	if err := c2.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := selectOne(ctx, c1.URL("pakt_x")); err != nil {
		t.Fatalf("server gone after stopping the reusing Cluster: %v", err)
	}

	if err := c1.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := c1.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if err := selectOne(ctx, c1.URL("postgres")); err == nil {
		t.Fatal("server still accepts connections after Stop")
	}
}

func TestSocketDirFitsSunPath(t *testing.T) {
	t.Parallel()
	long := "/tmp/" + strings.Repeat("x", 120) + "/data"
	for _, dir := range []string{"/work/main/.data/pg", long, "/tmp/with space/data"} {
		s := socketDir(dir)
		if len(s)+len("/.s.PGSQL.65535") > 107 || !plainPath(s) {
			t.Errorf("socketDir(%q) = %q: too long or needs quoting", dir, s)
		}
	}
}

func TestLastLinesIsOneLine(t *testing.T) {
	t.Parallel()
	got := lastLines("a\n\nb\nc\nd\n", 2)
	if got != "c | d" {
		t.Errorf("lastLines = %q, want %q", got, "c | d")
	}
}

// A cluster handed to StopWithProcess goes away with its owner, and so does
// the directory named with it.
func TestStopWithProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := testDir(t)
	c, err := Start(ctx, Options{Dir: dir, Log: logWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	owner := exec.Command("sleep", "1")
	if err := owner.Start(); err != nil {
		t.Fatal(err)
	}
	if err := c.StopWithProcess(owner.Process.Pid, filepath.Dir(dir)); err != nil {
		t.Fatal(err)
	}
	if err := selectOne(ctx, c.URL("postgres")); err != nil {
		t.Fatalf("server gone before its owner ended: %v", err)
	}
	owner.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, statErr := os.Stat(filepath.Dir(dir))
		if selectOne(ctx, c.URL("postgres")) != nil && os.IsNotExist(statErr) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after its owner ended: server still up or %s still there", filepath.Dir(dir))
		}
		time.Sleep(200 * time.Millisecond)
	}
}
