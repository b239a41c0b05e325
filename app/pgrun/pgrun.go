// Package pgrun runs a private PostgreSQL cluster from the server binaries
// installed on the machine, for `make run` (data kept under .data/) and for
// tests (a fresh temporary dir). It needs no running system service.
package pgrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Options configures Start.
type Options struct {
	Dir  string    // data directory (created if missing); absolute or relative
	Port int       // TCP port on 127.0.0.1; 0 = pick a free port
	Log  io.Writer // where to write progress lines (nil = discard)
	// Durable keeps fsync, synchronous_commit and full_page_writes on, so the
	// data survives a power cut ("make run" pilots); tests and benchmarks
	// leave it false and trade durability for speed.
	Durable bool
}

// Cluster is a running PostgreSQL server on 127.0.0.1, superuser "postgres"
// with trust authentication.
type Cluster struct {
	Dir  string // absolute data dir
	Port int

	bin     string   // dir holding initdb, pg_ctl, postgres
	logFile string   // server output, next to (not inside) the data dir
	sockDir string   // private unix socket dir
	runAs   *account // nil = run tools as the current user
	out     io.Writer
	durable bool

	mu    sync.Mutex
	owned bool // we started the server, so Stop stops it
}

// Start initialises the cluster if needed and starts it, or reuses a server
// already running on the same data dir. It returns once the server accepts
// TCP connections.
func Start(ctx context.Context, opt Options) (*Cluster, error) {
	c, err := newCluster(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(c.Dir), 0o755); err != nil {
		return nil, fmt.Errorf("pgrun: %w", err)
	}
	unlock, err := lockFile(c.Dir + ".lock")
	if err != nil {
		return nil, fmt.Errorf("pgrun: lock %s: %w", c.Dir+".lock", err)
	}
	defer unlock()
	if err := c.prepare(); err != nil {
		return nil, fmt.Errorf("pgrun: %w", err)
	}

	port, running, err := c.runningPort(ctx)
	if err != nil {
		return nil, err
	}
	if running {
		return c, c.reuse(ctx, port)
	}
	if !c.initialized() {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx, opt.Port); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		_ = c.Stop()
		return nil, fmt.Errorf("pgrun: server started but does not accept connections on 127.0.0.1:%d (%v); server log %s: %s",
			c.Port, err, c.logFile, lastLines(readFrom(c.logFile, 0), 5))
	}
	c.logf("started PostgreSQL %s on 127.0.0.1:%d (data %s, log %s)", c.version(), c.Port, c.Dir, c.logFile)
	return c, nil
}

func newCluster(opt Options) (*Cluster, error) {
	if opt.Dir == "" {
		return nil, errors.New("pgrun: Options.Dir is empty: set a data directory")
	}
	bin, err := FindBinDir()
	if err != nil {
		return nil, fmt.Errorf("pgrun: %w", err)
	}
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgrun: %w", err)
	}
	c := &Cluster{Dir: dir, bin: bin, logFile: dir + ".log", sockDir: socketDir(dir), out: opt.Log, durable: opt.Durable}
	if c.out == nil {
		c.out = io.Discard
	}
	if os.Geteuid() == 0 {
		if c.runAs, err = lookupAccount("postgres"); err != nil {
			return nil, fmt.Errorf("pgrun: %w", err)
		}
	}
	return c, nil
}

// prepare creates the data dir and log file. As root it also hands them to
// the postgres account, which must be able to reach them.
func (c *Cluster) prepare() error {
	if err := os.Mkdir(c.Dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	// Refuse a populated non-cluster dir: initdb would fail anyway, and as
	// root we would otherwise chown someone's files to postgres.
	if !c.initialized() {
		if entries, err := os.ReadDir(c.Dir); err != nil {
			return err
		} else if len(entries) > 0 {
			return fmt.Errorf("data dir %s is not empty but holds no PG_VERSION (not a PostgreSQL cluster, maybe an interrupted initdb): remove it or choose another dir", c.Dir)
		}
	}
	f, err := os.OpenFile(c.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	f.Close()
	if c.runAs == nil {
		return nil
	}
	c.logf("running as root: PostgreSQL runs as OS user %s", c.runAs.name)
	if err := c.runAs.checkTraverse(c.Dir); err != nil {
		return err
	}
	if err := c.runAs.chownTree(c.Dir); err != nil {
		return err
	}
	return c.runAs.chownTree(c.logFile)
}

// runningPort reports whether a server already runs on the data dir and,
// if so, its port (line 4 of postmaster.pid).
func (c *Cluster) runningPort(ctx context.Context) (int, bool, error) {
	data, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil || !c.serverRunning(ctx) {
		// No pid file, or a stale one: pg_ctl start deals with the latter.
		return 0, false, nil
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) >= 4 {
		if port, err := strconv.Atoi(strings.TrimSpace(lines[3])); err == nil {
			return port, true, nil
		}
	}
	return 0, false, fmt.Errorf("pgrun: a server is running on %s but its postmaster.pid has no port line", c.Dir)
}

// serverRunning asks pg_ctl, which checks that the pid in postmaster.pid is alive.
func (c *Cluster) serverRunning(ctx context.Context) bool {
	_, err := c.run(ctx, "pg_ctl", "status", "-D", c.Dir)
	return err == nil
}

// reuse adopts a server started by someone else (e.g. a previous `make
// run` still alive); it is not ours to stop.
func (c *Cluster) reuse(ctx context.Context, port int) error {
	c.Port, c.owned = port, false
	if err := c.waitReady(ctx); err != nil {
		return fmt.Errorf("pgrun: %s/postmaster.pid says a server is running on port %d, but 127.0.0.1:%d does not accept connections (%v); stop that server, or remove postmaster.pid if none is running",
			c.Dir, port, port, err)
	}
	c.logf("reusing PostgreSQL already running on 127.0.0.1:%d (data %s)", c.Port, c.Dir)
	return nil
}

func (c *Cluster) initialized() bool {
	_, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION"))
	return err == nil
}

func (c *Cluster) version() string {
	v, _ := os.ReadFile(filepath.Join(c.Dir, "PG_VERSION"))
	return strings.TrimSpace(string(v))
}

// initdb creates the cluster: superuser postgres, trust auth (it only
// listens on loopback and a private socket), UTF-8. --no-sync because the
// server runs with fsync=off anyway and it makes test setup much faster
// (a durable cluster syncs its files).
func (c *Cluster) initdb(ctx context.Context) error {
	c.logf("initialising PostgreSQL cluster in %s", c.Dir)
	args := []string{"-D", c.Dir, "-U", "postgres", "--auth=trust", "-E", "UTF8"}
	if !c.durable {
		args = append(args, "--no-sync")
	}
	out, err := c.run(ctx, "initdb", append(args, "--locale=C.UTF-8")...)
	if err != nil && strings.Contains(out, "locale") {
		// C.UTF-8 is not installed everywhere; the C locale still stores UTF-8.
		out, err = c.run(ctx, "initdb", append(args, "--no-locale")...)
	}
	if err != nil {
		return fmt.Errorf("pgrun: initdb -D %s failed (%v): %s", c.Dir, err, lastLines(out, 5))
	}
	return nil
}

// start runs pg_ctl start -w. With a picked port another process may bind
// it before the server does, so then it retries with a new port.
func (c *Cluster) start(ctx context.Context, want int) error {
	if err := c.makeSockDir(); err != nil {
		return fmt.Errorf("pgrun: %w", err)
	}
	for attempt := 1; ; attempt++ {
		port := want
		if port == 0 {
			p, err := freePort()
			if err != nil {
				return fmt.Errorf("pgrun: pick a free port: %w", err)
			}
			port = p
		}
		from := fileSize(c.logFile)
		out, err := c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.Dir, "-l", c.logFile, "-o", c.serverOptions(port))
		if err == nil {
			c.Port, c.owned = port, true
			return nil
		}
		serverLog := readFrom(c.logFile, from)
		if want == 0 && attempt < 3 && strings.Contains(serverLog, "already in use") {
			continue
		}
		return fmt.Errorf("pgrun: pg_ctl start -D %s failed (%v): %s; server log %s: %s",
			c.Dir, err, lastLines(out, 3), c.logFile, lastLines(serverLog, 5))
	}
}

// serverOptions are passed on the command line rather than written to
// postgresql.conf, so a reused data dir can take a different port each run.
// Durability is traded for speed unless Options.Durable: a test database.
func (c *Cluster) serverOptions(port int) string {
	speed := " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	if c.durable {
		speed = " -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
	}
	return fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s"+
		speed+" -c max_connections=200", port, c.sockDir)
}

// makeSockDir creates the socket dir after initdb, since initdb wants an
// empty data dir and the socket dir may live inside it.
func (c *Cluster) makeSockDir() error {
	if err := os.MkdirAll(c.sockDir, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(c.sockDir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("socket dir %s is not a directory", c.sockDir)
	}
	if c.runAs != nil {
		return os.Lchown(c.sockDir, int(c.runAs.uid), int(c.runAs.gid))
	}
	return nil
}

// waitReady connects the way clients will (TCP, user postgres): pg_ctl -w
// only waits for the postmaster to say it is ready.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		err := ping(ctx, c.URL("postgres"))
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func ping(ctx context.Context, dbURL string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

// URL returns a connection URL for database dbname on this cluster.
func (c *Cluster) URL(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, url.PathEscape(dbname))
}

// EnsureDatabase creates database name unless it already exists.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("pgrun: EnsureDatabase: empty database name")
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgrun: connect to 127.0.0.1:%d: %w", c.Port, err)
	}
	defer conn.Close(context.Background())
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		return fmt.Errorf("pgrun: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" {
		return nil // created concurrently by someone else: fine
	}
	if err != nil {
		return fmt.Errorf("pgrun: CREATE DATABASE %q: %w", name, err)
	}
	c.logf("created database %s", name)
	return nil
}

// Stop stops the server if this Cluster started it; a reused server is
// left alone. Calling it again is a no-op.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.owned {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := c.run(ctx, "pg_ctl", "stop", "-D", c.Dir, "-m", "fast", "-w")
	// A server that someone else already stopped counts as stopped.
	if err != nil && c.serverRunning(ctx) {
		return fmt.Errorf("pgrun: pg_ctl stop -D %s failed (%v): %s", c.Dir, err, lastLines(out, 5))
	}
	c.owned = false
	c.logf("stopped PostgreSQL in %s", c.Dir)
	return nil
}

func (c *Cluster) logf(format string, args ...any) {
	fmt.Fprintf(c.out, "pgrun: "+format+"\n", args...)
}
