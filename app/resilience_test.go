package app_test

// Resilience: several instances on one database, graceful shutdown,
// a PostgreSQL restart under a running server, and backup/restore.
// Everything waits by polling with generous deadlines (the CI machine has two
// loaded cores); nothing sleeps for a fixed time to "let things settle".

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"pakt/app"
	"pakt/app/pgrun"
	"pakt/app/testkit"
	"pakt/migrations"
	"pakt/models"
)

const rsPassword = "resilience-pass-2026"

// ---------------------------------------------------------------------------
// 1a + 1b: the real binary.

// TestServeBinary builds `pakt` once and runs it as separate processes.
func TestServeBinary(t *testing.T) {
	t.Parallel()
	bin := buildPakt(t)
	t.Run("TwoInstancesShareOneDatabase", func(t *testing.T) { testTwoInstances(t, bin) })
	t.Run("SIGTERMFinishesInFlightRequest", func(t *testing.T) { testSIGTERMDrains(t, bin) })
	t.Run("ImportsOldFilesAtStart", func(t *testing.T) { testImportAtStart(t, bin) })
}

// Two instances started together on an empty database both migrate (once,
// under the advisory lock) and come up; a session made on one works on the
// other; concurrent edits with the same If-Match through both give exactly
// one winner and lose nothing.
func testTwoInstances(t *testing.T, bin string) {
	ctx := t.Context()
	dbURL := testkit.DatabaseURL(t)
	db, sqlDB := rsOpen(t, dbURL)
	// Start from an empty schema so both instances really race to migrate.
	if _, err := sqlDB.Exec(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}

	// Both processes are started back to back, before either is waited for.
	a, b := newPakt(t, bin, dbURL), newPakt(t, bin, dbURL)
	a.start(t)
	b.start(t)
	a.waitHealthy(t)
	b.waitHealthy(t)

	var applied, distinct int
	if err := sqlDB.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(migrations.FS, "*.sql")
	if applied != len(files) || distinct != len(files) {
		t.Fatalf("after two concurrent starts: %d migration rows (%d distinct), want each of %d exactly once", applied, distinct, len(files))
	}

	muni, user := rsSeed(t, ctx, db, "two-instances@test.ba")

	// A session made by signing in on A is valid on B (sessions live in PostgreSQL).
	c := newHTTPClient(t)
	c.login(t, a.base, user.Email, rsPassword)
	resp, body := c.get(t, b.base+"/dashboard")
	if resp.StatusCode != 200 || !strings.Contains(body, user.Name) {
		t.Fatalf("GET /dashboard on instance B with A's session: %d (want 200 naming %q)", resp.StatusCode, user.Name)
	}
	// Signing out on B ends the session on A too.
	c.postForm(t, b.base+"/logout", url.Values{"_csrf": {c.csrf}})
	if resp, _ := c.get(t, a.base+"/dashboard"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /dashboard on A after logout on B: %d, want 303 to /login", resp.StatusCode)
	}

	// Concurrent stale edits through both instances.
	tok := c.token(t, a.base, user.Email, rsPassword)
	path := fmt.Sprintf("/api/v1/municipalities/%d", muni.ID)
	for round := 1; round <= 5; round++ {
		var cur struct {
			Name    string
			Version int
		}
		resp, raw := c.api(t, "GET", b.base+path, tok, nil, "")
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, raw)
		}
		_ = json.Unmarshal([]byte(raw), &cur)
		etag := resp.Header.Get("ETag")
		if etag != strconv.Quote(strconv.Itoa(cur.Version)) {
			t.Fatalf("ETag %q for version %d", etag, cur.Version)
		}
		names := [2]string{fmt.Sprintf("Via A %d", round), fmt.Sprintf("Via B %d", round)}
		bases := [2]string{a.base, b.base}
		var statuses [2]int
		var bodies [2]string
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i := range 2 {
			wg.Go(func() {
				<-gate
				r, raw := c.api(t, "PATCH", bases[i]+path, tok, map[string]any{"name": names[i]}, etag)
				statuses[i], bodies[i] = r.StatusCode, raw
			})
		}
		close(gate)
		wg.Wait()
		got := statuses
		slices.Sort(got[:])
		if got != [2]int{200, 412} {
			t.Fatalf("round %d: PATCH with the same If-Match %s via A and B: statuses %v (bodies %q), want one 200 and one 412",
				round, etag, statuses, bodies)
		}
		winner, loser := 0, 1
		if statuses[1] == 200 {
			winner, loser = 1, 0
		}
		if !strings.Contains(bodies[loser], `"code":"stale"`) {
			t.Errorf("round %d: the 412 body lacks code stale: %s", round, bodies[loser])
		}
		var stored models.Municipality
		if err := db.WithContext(ctx).First(&stored, muni.ID).Error; err != nil {
			t.Fatal(err)
		}
		if stored.Name != names[winner] || stored.Version != cur.Version+1 {
			t.Fatalf("round %d: stored %q version %d, want the winner's %q at version %d",
				round, stored.Name, stored.Version, names[winner], cur.Version+1)
		}
	}
	// Both processes are still serving.
	for _, p := range []*paktProc{a, b} {
		if resp, _ := c.get(t, p.base+"/healthz"); resp.StatusCode != 200 {
			t.Fatalf("%s /healthz: %d", p.base, resp.StatusCode)
		}
	}
}

// SIGTERM while a request is in flight: the listener closes at once, the
// request (whose body is still being sent) completes and is committed, and
// the process then exits with code 0.
func testSIGTERMDrains(t *testing.T, bin string) {
	ctx := t.Context()
	dbURL := testkit.DatabaseURL(t)
	db, _ := rsOpen(t, dbURL)
	muni, user := rsSeed(t, ctx, db, "sigterm@test.ba")
	p := newPakt(t, bin, dbURL)
	p.logLevel = "info" // to see "shutting down"
	p.start(t)
	p.waitHealthy(t)
	c := newHTTPClient(t)
	tok := c.token(t, p.base, user.Email, rsPassword)

	// A PATCH over a raw connection. Expect: 100-continue makes the server
	// confirm it has read the headers and is now waiting for the body, so
	// the request is provably in flight when the signal arrives.
	body := []byte(`{"name": "Renamed during shutdown", "currency": "EUR"}`)
	conn, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(90 * time.Second))
	fmt.Fprintf(conn, "PATCH /api/v1/municipalities/%d HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nIf-Match: \"1\"\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		muni.ID, p.addr, tok, len(body))
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
		t.Fatalf("want 100 Continue, got %q (%v)", line, err)
	}
	if blank, _ := br.ReadString('\n'); blank != "\r\n" {
		t.Fatalf("100 Continue not followed by a blank line: %q", blank)
	}
	if _, err := conn.Write(body[:10]); err != nil {
		t.Fatal(err)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once the listener refuses new connections.
	waitFor(t, 30*time.Second, "the listener to close after SIGTERM", func() bool {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})
	if p.exited() {
		t.Fatalf("process exited while a request was in flight; log:\n%s", p.log())
	}
	// The rest of the body, in small pieces.
	for rest := body[10:]; len(rest) > 0; {
		n := min(7, len(rest))
		if _, err := conn.Write(rest[:n]); err != nil {
			t.Fatalf("sending the body after SIGTERM: %v", err)
		}
		rest = rest[n:]
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the response of the in-flight request: %v; log:\n%s", err, p.log())
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !strings.Contains(string(raw), `"name":"Renamed during shutdown"`) {
		t.Fatalf("in-flight PATCH: %d %s (%v), want 200 with the new name", resp.StatusCode, raw, err)
	}
	code := p.wait(t, 60*time.Second)
	if code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0; log:\n%s", code, p.log())
	}
	if !strings.Contains(p.log(), "shutting down") {
		t.Errorf("log does not say it is shutting down:\n%s", p.log())
	}
	var stored models.Municipality
	if err := db.WithContext(ctx).First(&stored, muni.ID).Error; err != nil {
		t.Fatal(err)
	}
	if stored.Name != "Renamed during shutdown" || stored.Currency != "EUR" || stored.Version != 2 {
		t.Fatalf("stored %q %s version %d: the in-flight write was not committed", stored.Name, stored.Currency, stored.Version)
	}
}

// ---------------------------------------------------------------------------
// 1c: PostgreSQL goes away and comes back while the server runs.

func TestPostgresRestartWhileServing(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	base, err := os.MkdirTemp("", "pakt-pgrestart-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	// The postgres OS user (when we are root) must reach the data dir.
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(base, "pg")
	cl, err := pgrun.Start(ctx, pgrun.Options{Dir: dataDir, Log: tWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Stop() }) // cl is replaced after the restart
	if err := cl.EnsureDatabase(ctx, "pakt"); err != nil {
		t.Fatal(err)
	}
	db, sqlDB, err := app.OpenDB(cl.URL("pakt"), 10, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	if _, err := app.Migrate(ctx, sqlDB); err != nil {
		t.Fatal(err)
	}
	muni, user := rsSeed(t, ctx, db, "restart@test.ba")
	srvBase := rsServe(t, db)

	c := newHTTPClient(t)
	c.login(t, srvBase, user.Email, rsPassword)
	tok := c.token(t, srvBase, user.Email, rsPassword)
	probe := newHTTPClient(t) // no cookies, like a load balancer's health check
	apiPath := fmt.Sprintf("%s/api/v1/municipalities/%d", srvBase, muni.ID)
	allOK := func() (string, bool) {
		if r, _ := probe.get(t, srvBase+"/healthz"); r.StatusCode != 200 {
			return fmt.Sprintf("/healthz %d", r.StatusCode), false
		}
		if r, _ := c.get(t, srvBase+"/dashboard"); r.StatusCode != 200 {
			return fmt.Sprintf("/dashboard %d", r.StatusCode), false
		}
		if r, raw := c.api(t, "GET", apiPath, tok, nil, ""); r.StatusCode != 200 || !strings.Contains(raw, muni.Name) {
			return fmt.Sprintf("API %d %s", r.StatusCode, raw), false
		}
		return "", true
	}
	if what, ok := allOK(); !ok {
		t.Fatalf("before the restart: %s", what)
	}

	port := cl.Port
	if err := cl.Stop(); err != nil {
		t.Fatal(err)
	}
	// Every kind of request answers 503 cleanly, several times over (the
	// first attempts go through pooled connections the server closed).
	for i := range 3 {
		r, raw := probe.get(t, srvBase+"/healthz")
		if r.StatusCode != 503 || !strings.Contains(raw, `"unavailable"`) {
			t.Fatalf("#%d /healthz with PostgreSQL down: %d%s %.300s", i, r.StatusCode, hint500(r), raw)
		}
		r, raw = c.get(t, srvBase+"/dashboard")
		if r.StatusCode != 503 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(raw, "cannot reach its database") {
			t.Fatalf("#%d /dashboard with PostgreSQL down: %d%s %s %.300s", i, r.StatusCode, hint500(r), r.Header.Get("Content-Type"), raw)
		}
		r, raw = probe.get(t, srvBase+"/login") // no cookie: no session row, so no database needed
		if r.StatusCode != 200 {
			t.Fatalf("#%d /login with PostgreSQL down: %d%s %.300s", i, r.StatusCode, hint500(r), raw)
		}
		r, raw = c.api(t, "GET", apiPath, tok, nil, "")
		var e struct {
			Error struct{ Code, Message string }
		}
		if r.StatusCode != 503 || json.Unmarshal([]byte(raw), &e) != nil || e.Error.Code != "unavailable" || e.Error.Message == "" {
			t.Fatalf("#%d API with PostgreSQL down: %d%s %s, want 503 with error code unavailable", i, r.StatusCode, hint500(r), raw)
		}
	}

	// Same data dir, same port: the server recovers without a restart.
	cl, err = pgrun.Start(ctx, pgrun.Options{Dir: dataDir, Port: port, Log: tWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	polls, firstFailure := 0, ""
	waitFor(t, 20*time.Second, "requests to succeed after PostgreSQL came back", func() bool {
		polls++
		what, ok := allOK()
		if !ok && firstFailure == "" {
			firstFailure = what
		}
		return ok
	})
	t.Logf("recovered %v after PostgreSQL accepted connections again (%d polls; first failure: %q)",
		time.Since(started).Round(time.Millisecond), polls, firstFailure)
	// The session made before the outage is still valid, and writes work.
	if r, raw := c.api(t, "PATCH", apiPath, tok, map[string]any{"name": "After the restart"}, `"1"`); r.StatusCode != 200 {
		t.Fatalf("PATCH after recovery: %d %s", r.StatusCode, raw)
	}
}

// hint500 explains a 500 where a 503 was expected.
func hint500(r *http.Response) string {
	if r.StatusCode != 500 {
		return ""
	}
	return " (500, not 503: the error handler did not recognise the database error in the log above as " +
		"\"database down\"; see isDBDown in app/util.go)"
}

// ---------------------------------------------------------------------------
// 1d: pg_dump -Fc of a seeded database, pg_restore into an empty one, serve.

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	binDir, err := pgrun.FindBinDir()
	if err != nil {
		t.Fatal(err)
	}
	pgDump, pgRestore := filepath.Join(binDir, "pg_dump"), filepath.Join(binDir, "pg_restore")
	for _, tool := range []string{pgDump, pgRestore} {
		if fi, err := os.Stat(tool); err != nil || fi.Mode().Perm()&0o111 == 0 {
			t.Fatalf("%s is missing next to initdb (%v): the backup procedure needs pg_dump and pg_restore "+
				"(Debian: apt-get install postgresql-client, or the postgresql package)", tool, err)
		}
	}

	srcURL := testkit.DatabaseURL(t)
	src, _ := rsOpen(t, srcURL)
	if _, err := app.SeedDemo(ctx, src, "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	// A registered document (the seeded assembly reports) and a signed agreement.
	var doc models.RegisteredDocument
	if err := src.WithContext(ctx).Order("sha256").First(&doc).Error; err != nil {
		t.Fatalf("the demo data has no registered document: %v", err)
	}
	var signedSHA string
	src.WithContext(ctx).Raw(`SELECT sha256 FROM agreements WHERE sha256 IS NOT NULL ORDER BY id LIMIT 1`).Scan(&signedSHA)
	if signedSHA == "" {
		t.Fatal("the demo data has no signed agreement")
	}

	// As in docs/backup.md for docker compose: the dump goes through a pipe
	// to a file and is restored from a pipe (no seeking in the archive).
	dump := filepath.Join(t.TempDir(), "pakt.dump")
	out, err := os.Create(dump)
	if err != nil {
		t.Fatal(err)
	}
	rsRun(t, ctx, nil, struct{ io.Writer }{out}, pgDump, "--format=custom", "--dbname="+srcURL)
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	rsRun(t, ctx, rsReader(t, dump), io.Discard, pgRestore, "--list")

	dstURL := rsEmptyDatabase(t, ctx)
	rsRun(t, ctx, rsReader(t, dump), nil, pgRestore, "--exit-on-error", "--no-owner", "--no-privileges", "--dbname="+dstURL)

	dst, dstSQL := rsOpen(t, dstURL)
	// Every table holds the same number of rows; the main ones are not empty.
	var tables []string
	if err := src.WithContext(ctx).Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables in the source database: %v", len(tables), tables)
	}
	counts := func(db *gorm.DB, table string) int64 {
		var n int64
		if err := db.WithContext(ctx).Raw(`SELECT count(*) FROM ` + pgx.Identifier{table}.Sanitize()).Scan(&n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		return n
	}
	for _, table := range tables {
		if s, d := counts(src, table), counts(dst, table); s != d {
			t.Errorf("table %s: %d rows in the source, %d restored", table, s, d)
		}
	}
	for _, table := range []string{"municipalities", "organisations", "agreements", "action_plans", "progress_reports", "registered_documents"} {
		if !slices.Contains(tables, table) {
			t.Errorf("table %s does not exist", table)
		} else if n := counts(dst, table); n == 0 {
			t.Errorf("table %s is empty in the restored database", table)
		}
	}
	// The restored schema is current: serve does not try to migrate it again.
	srcV, err := app.Migrate(ctx, dstSQL)
	if err != nil {
		t.Fatalf("migrate the restored database: %v", err)
	}
	var files int64
	dst.WithContext(ctx).Raw(`SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&files)
	if all, _ := fs.Glob(migrations.FS, "*.sql"); int(files) != len(all) || srcV == 0 {
		t.Errorf("restored database: version %d, %d applied migrations, want %d", srcV, files, len(all))
	}
	// The stored PDF bytes survived: they still hash to their registered sum.
	if sum, ok, err := models.IsRegisteredDocument(ctx, dst, doc.Content); err != nil || !ok || sum != doc.SHA256 {
		t.Errorf("registered document %s after restore: sum %s ok %v err %v", doc.SHA256, sum, ok, err)
	}

	// Serve from the restored database.
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cfg.DataDir = t.TempDir()
	srv, err := app.NewServer(cfg, dst, slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	env := &testkit.Env{T: t, DB: dst, Srv: srv, Cfg: cfg}
	br := env.Anonymous()
	br.Get("/login")
	// Signing in writes a session and an audit row: the sequences were restored too.
	code, _ := totp.GenerateCode(app.DemoAdminTOTPSecret, time.Now()) // platform admins have two-step sign-in
	if resp := br.PostForm("/login", url.Values{"email": {"admin@pakt.demo"}, "password": {app.DemoPassword}, "code": {code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo admin login on the restored database: %d", resp.StatusCode)
	}
	if resp := br.Get("/dashboard"); resp.StatusCode != 200 || !strings.Contains(testkit.Body(resp), "Platform Admin") {
		t.Fatalf("dashboard on the restored database: %d", resp.StatusCode)
	}
	if resp := br.Get("/municipalities"); resp.StatusCode != 200 || !strings.Contains(testkit.Body(resp), "Srebrenica") {
		t.Fatalf("municipality list on the restored database: %d", resp.StatusCode)
	}
	for sha, want := range map[string]string{doc.SHA256: "final document registered by Pakt", signedSHA: "signed text of an agreement"} {
		resp := env.Anonymous().Get("/verify/" + sha)
		if body := testkit.Body(resp); resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("/verify/%s on the restored database: %d, want 200 saying %q", sha, resp.StatusCode, want)
		}
	}
	if resp := env.Anonymous().Get("/verify/" + strings.Repeat("0", 64)); resp.StatusCode != 404 {
		t.Errorf("/verify of an unknown hash: %d, want 404", resp.StatusCode)
	}
}

// ---------------------------------------------------------------------------
// Helpers.

// buildPakt builds the binary from the repository root into the test's temp dir.
func buildPakt(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pakt")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// paktProc is one `pakt serve` process.
type paktProc struct {
	bin, dbURL string
	dataDir    string
	logLevel   string
	addr, base string
	cmd        *exec.Cmd
	out        *syncBuffer
	done       chan struct{}
	waitErr    error
}

func newPakt(t *testing.T, bin, dbURL string) *paktProc {
	return &paktProc{bin: bin, dbURL: dbURL, dataDir: t.TempDir(), logLevel: "warn"}
}

// start launches the process on a free port (picked now, so another process
// might take it first: waitHealthy retries on "address already in use").
func (p *paktProc) start(t *testing.T) {
	t.Helper()
	port := freePort(t)
	p.addr = fmt.Sprintf("127.0.0.1:%d", port)
	p.base = "http://" + p.addr
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PAKT_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	p.cmd = exec.Command(p.bin, "serve")
	p.cmd.Env = append(env, "DATABASE_URL="+p.dbURL, "PAKT_ADDR="+p.addr, "PAKT_DATA_DIR="+p.dataDir, "PAKT_LOG_LEVEL="+p.logLevel)
	p.out = &syncBuffer{}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.done = make(chan struct{})
	cmd, done := p.cmd, p.done
	go func() { p.waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		if !p.exitedCmd(done) {
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("pakt on %s logged:\n%s", p.addr, p.out.String())
		}
	})
}

func (p *paktProc) exitedCmd(done chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

func (p *paktProc) exited() bool { return p.exitedCmd(p.done) }

func (p *paktProc) log() string { return p.out.String() }

// waitHealthy polls /healthz until it answers 200.
func (p *paktProc) waitHealthy(t *testing.T) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(2 * time.Minute)
	for attempt := 1; ; {
		resp, err := client.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if p.exited() {
			if strings.Contains(p.log(), "address already in use") && attempt < 3 {
				attempt++
				p.start(t)
				continue
			}
			t.Fatalf("pakt serve exited before it was healthy (%v):\n%s", p.waitErr, p.log())
		}
		if time.Now().After(deadline) {
			t.Fatalf("pakt serve on %s not healthy after 2 minutes:\n%s", p.addr, p.log())
		}
		time.Sleep(100 * time.Millisecond) // poll interval
	}
}

// wait returns the exit code once the process ends.
func (p *paktProc) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(limit):
		t.Fatalf("pakt did not exit within %v after SIGTERM:\n%s", limit, p.log())
	}
	var ee *exec.ExitError
	if errors.As(p.waitErr, &ee) {
		return ee.ExitCode()
	}
	if p.waitErr != nil {
		t.Fatal(p.waitErr)
	}
	return 0
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls cond every 100 ms until it holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond) // poll interval
	}
}

// rsOpen opens a pool on url, closed at cleanup.
func rsOpen(t *testing.T, dbURL string) (*gorm.DB, *sql.DB) {
	t.Helper()
	db, sqlDB, err := app.OpenDB(dbURL, 4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db, sqlDB
}

// rsSeed makes a municipality with a coordinator who signs in with rsPassword.
func rsSeed(t *testing.T, ctx context.Context, db *gorm.DB, email string) (*models.Municipality, *models.User) {
	t.Helper()
	m, err := models.CreateMunicipality(ctx, db, models.Actor{}, models.MunicipalityInput{Name: "Bratunac", Country: "BA", Currency: "BAM", Language: "bs"})
	if err != nil {
		t.Fatal(err)
	}
	org, err := models.CreateOrganisation(ctx, db, models.Actor{}, m.ID, models.OrganisationInput{Name: "Općina Bratunac", Type: "municipality"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := models.CreateUser(ctx, db, models.Actor{}, 0, models.UserInput{Email: email, Name: "Koordinatorica Resilience",
		Password: rsPassword, OrganisationID: &org.ID, Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetRole(ctx, db, models.Actor{}, m.ID, u.ID, models.RoleCoordinator); err != nil {
		t.Fatal(err)
	}
	return m, u
}

// rsServe runs the app in process on a real listener and returns its base URL.
func rsServe(t *testing.T, db *gorm.DB) string {
	t.Helper()
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cfg.DataDir = t.TempDir()
	srv, err := app.NewServer(cfg, db, slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = srv.App.Listener(ln); close(done) }()
	t.Cleanup(func() {
		_ = srv.App.ShutdownWithTimeout(10 * time.Second)
		<-done
	})
	return "http://" + ln.Addr().String()
}

// rsEmptyDatabase creates an empty database on the test server (dropped at
// cleanup) and returns its URL.
func rsEmptyDatabase(t *testing.T, ctx context.Context) string {
	t.Helper()
	admin, err := pgx.Connect(ctx, testkit.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	name := fmt.Sprintf("pakt_restore_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if c, err := pgx.Connect(ctx, testkit.ServerURL()); err == nil {
			_, _ = c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			c.Close(ctx)
		}
	})
	u, err := url.Parse(testkit.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// rsRun runs a PostgreSQL client tool and fails the test with its output.
// A stdin or stdout that is not an *os.File reaches the tool as a pipe.
func rsRun(t *testing.T, ctx context.Context, stdin io.Reader, stdout io.Writer, name string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=30")
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, &stderr
	if stdout == nil {
		cmd.Stdout = &stderr
	}
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(redactURLs(args), " "), err, stderr.String())
	}
}

// rsReader opens a file as a plain reader (so a child gets it through a pipe).
func rsReader(t *testing.T, path string) io.Reader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return struct{ io.Reader }{f}
}

var passwordInURL = regexp.MustCompile(`://([^:/@]+):[^@]*@`)

func redactURLs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = passwordInURL.ReplaceAllString(a, "://$1:***@")
	}
	return out
}

// httpClient is a browser-like client: a cookie jar shared by every
// instance on 127.0.0.1 (cookies ignore the port, as behind a load
// balancer), redirects not followed, the last CSRF token remembered.
type httpClient struct {
	c    *http.Client
	csrf string
}

func newHTTPClient(t *testing.T) *httpClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &httpClient{c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (h *httpClient) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := h.c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	if m := csrfField.FindSubmatch(raw); m != nil {
		h.csrf = string(m[1])
	}
	return resp, string(raw)
}

func (h *httpClient) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return h.do(t, req)
}

func (h *httpClient) postForm(t *testing.T, u string, v url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.do(t, req)
}

// api sends JSON without cookies' help (the API ignores them) and a bearer token.
func (h *httpClient) api(t *testing.T, method, u, tok string, body any, ifMatch string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, u, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	return h.do(t, req)
}

// login signs in through the form on base.
func (h *httpClient) login(t *testing.T, base, email, password string) {
	t.Helper()
	if resp, _ := h.get(t, base+"/login"); resp.StatusCode != 200 || h.csrf == "" {
		t.Fatalf("GET /login: %d, csrf %q", resp.StatusCode, h.csrf)
	}
	resp, body := h.postForm(t, base+"/login", url.Values{"email": {email}, "password": {password}, "_csrf": {h.csrf}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /login: %d %.300s", resp.StatusCode, body)
	}
	// Pick up the new session's CSRF token.
	if resp, _ := h.get(t, base+"/dashboard"); resp.StatusCode != 200 {
		t.Fatalf("GET /dashboard after login: %d", resp.StatusCode)
	}
}

// token gets an API token.
func (h *httpClient) token(t *testing.T, base, email, password string) string {
	t.Helper()
	resp, raw := h.api(t, "POST", base+"/api/v1/tokens", "", map[string]string{"email": email, "password": password}, "")
	var out struct{ Token string }
	if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(raw), &out) != nil || out.Token == "" {
		t.Fatalf("POST /api/v1/tokens: %d %s", resp.StatusCode, raw)
	}
	return out.Token
}

// tWriter sends log lines to the test log.
type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// `pakt serve` imports the uploaded files an older version kept under
// PAKT_DATA_DIR/attachments into PostgreSQL before serving, and names in a
// warning the attachment whose file is missing.
func testImportAtStart(t *testing.T, bin string) {
	ctx := t.Context()
	dbURL := testkit.DatabaseURL(t)
	db, _ := rsOpen(t, dbURL)
	muni, _ := rsSeed(t, ctx, db, "import-at-start@test.ba")
	p := newPakt(t, bin, dbURL)
	if err := os.MkdirAll(filepath.Join(p.dataDir, "attachments"), 0o750); err != nil {
		t.Fatal(err)
	}
	content := []byte("%PDF-1.4\nstari sken")
	row := func(stored string) (id int64) {
		db.Raw(`INSERT INTO attachments (municipality_id, object_type, object_id, kind, file_name, stored_name,
			content_type, size_bytes, sha256) VALUES (?, 'agreement', 1, 'wet_ink', 'sken.pdf', ?, 'application/pdf', ?, ?) RETURNING id`,
			muni.ID, stored, len(content), models.SHA256Hex(content)).Scan(&id)
		return id
	}
	oldID, missingID := row("old.pdf"), row("gone.pdf")
	if err := os.WriteFile(filepath.Join(p.dataDir, "attachments", "old.pdf"), content, 0o640); err != nil {
		t.Fatal(err)
	}
	p.start(t)
	p.waitHealthy(t)
	var got []byte
	db.Raw(`SELECT content FROM attachment_contents WHERE attachment_id = ?`, oldID).Row().Scan(&got)
	if string(got) != string(content) {
		t.Fatalf("imported bytes %q", got)
	}
	if !strings.Contains(p.log(), fmt.Sprintf(`"attachment_id":%d,`, missingID)) {
		t.Fatalf("no warning naming attachment %d:\n%s", missingID, p.log())
	}
}
