//go:build bench

package bench

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"pakt/app"
	"pakt/app/pgrun"
)

// pgServer is the PostgreSQL the bench runs on: a private cluster (as
// app/testkit starts one) unless TEST_DATABASE_URL names a server.
type pgServer struct {
	adminURL string
	private  bool
	dataDir  string // of the private cluster ("" otherwise)
	stop     func()
}

// postmasterPID is the private cluster's server process (0 if unknown).
func (s *pgServer) postmasterPID() int {
	if s.dataDir == "" {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(s.dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return atoi(strings.TrimSpace(line))
}

// startPostgres starts a private cluster, or uses TEST_DATABASE_URL. With
// tune, the private cluster gets shared_buffers big enough for the whole
// national data set, as a production server would have.
func startPostgres(ctx context.Context, log io.Writer, tune bool) (*pgServer, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return &pgServer{adminURL: u, stop: func() {}}, nil
	}
	dir, err := os.MkdirTemp("", "pakt-bench-")
	if err != nil {
		return nil, err
	}
	// The postgres OS user must be able to reach the data directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	opt := pgrun.Options{Dir: filepath.Join(dir, "pg"), Log: log}
	cl, err := pgrun.Start(ctx, opt)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if tune {
		err = alterSystem(ctx, cl.URL("postgres"), "shared_buffers = '1GB'", "work_mem = '16MB'",
			"effective_cache_size = '8GB'", "random_page_cost = 1.1")
		if err == nil {
			err = cl.Stop()
		}
		if err == nil {
			cl, err = pgrun.Start(ctx, opt) // the same data dir, now with the settings
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	// A run killed mid-way (Ctrl-C, -timeout) takes the server and its
	// gigabyte of data with it.
	if err := cl.StopWithProcess(os.Getpid(), dir); err != nil {
		cl.Stop()
		os.RemoveAll(dir)
		return nil, err
	}
	return &pgServer{adminURL: cl.URL("postgres"), private: true, dataDir: opt.Dir, stop: func() { cl.Stop(); os.RemoveAll(dir) }}, nil
}

func alterSystem(ctx context.Context, adminURL string, settings ...string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, s := range settings {
		if _, err := conn.Exec(ctx, "ALTER SYSTEM SET "+s); err != nil {
			return err
		}
	}
	return nil
}

// freshDatabase (re)creates database name on the server and returns its
// URL and a function that drops it.
func (s *pgServer) freshDatabase(ctx context.Context, name string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(context.Background())
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return "", nil, err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(s.adminURL)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if c, err := pgx.Connect(ctx, s.adminURL); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
			c.Close(ctx)
		}
	}
	return u.String(), drop, nil
}

// migratedDB opens a database and applies the real migrations.
func migratedDB(ctx context.Context, dbURL string, timeout time.Duration) (*gorm.DB, func(), error) {
	db, sqlDB, err := app.OpenDB(dbURL, 4, timeout)
	if err != nil {
		return nil, nil, err
	}
	if _, err := app.Migrate(ctx, sqlDB); err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	return db, func() { sqlDB.Close() }, nil
}

// serverSettings describes the PostgreSQL the numbers were taken on.
func serverSettings(ctx context.Context, db *gorm.DB) (version, settings string) {
	db.WithContext(ctx).Raw("SHOW server_version").Scan(&version)
	var rows []struct{ Name, Setting, Unit string }
	db.WithContext(ctx).Raw(`SELECT name, setting, coalesce(unit, '') AS unit FROM pg_settings WHERE name IN
		('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'fsync', 'synchronous_commit',
		'max_connections') ORDER BY name`).Scan(&rows)
	var parts []string
	for _, r := range rows {
		v := r.Setting
		if r.Unit == "8kB" {
			v = fmt.Sprintf("%dMB", atoi(r.Setting)*8/1024)
		} else if r.Unit == "kB" {
			v = fmt.Sprintf("%dMB", atoi(r.Setting)/1024)
		}
		parts = append(parts, r.Name+"="+v)
	}
	return version, strings.Join(parts, ", ")
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
