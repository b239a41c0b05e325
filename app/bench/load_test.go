//go:build bench

package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"pakt/app"
)

// BenchmarkLoad is `make bench`: a private PostgreSQL (unless
// TEST_DATABASE_URL is set), the national data set, the real `pakt serve`
// binary, and vegeta with 50 connections against each page. It writes
// docs/benchmarks.md. It does its work once, whatever b.N; run it with
// -benchtime 1x.
//
//	PAKT_BENCH_SCALE        data set factor (default 1 = national scale)
//	PAKT_BENCH_DURATION     measured load per page (default 20s), after a warm-up
//	PAKT_BENCH_WARMUP       unmeasured load per page first (default 3s)
//	PAKT_BENCH_CONNECTIONS  concurrent connections (default 50)
//	PAKT_BENCH_PROFILE      a directory: write a CPU profile of each page served in-process
//	PAKT_BENCH_SERVER_ENV   extra environment of pakt serve, space-separated (e.g. "GOMEMLIMIT=150MiB")
//	PAKT_BENCH_DOC          where to write the results (default docs/benchmarks.md of the module)
func BenchmarkLoad(b *testing.B) {
	if os.Getenv(ceilingAddrEnv) != "" {
		b.Skip("ceiling process")
	}
	r, err := runLoad(b.Context(), os.Stdout)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range r.pages {
		b.ReportMetric(p.p99.Seconds()*1000, "p99-ms/"+metricName(p.page.Name))
	}
	b.ReportMetric(float64(r.hwmKB)/1024, "peak-RSS-MB")
}

func metricName(s string) string {
	return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(s), "-"), "-")
}

type loadConfig struct {
	scale          float64
	duration, warm time.Duration
	conns          int
	profileDir     string
	docPath        string
	serverEnv      []string
}

func loadConfigFromEnv() (loadConfig, error) {
	c := loadConfig{scale: 1, duration: 20 * time.Second, warm: 3 * time.Second, conns: 50,
		profileDir: os.Getenv("PAKT_BENCH_PROFILE"), docPath: os.Getenv("PAKT_BENCH_DOC"),
		serverEnv: strings.Fields(os.Getenv("PAKT_BENCH_SERVER_ENV"))}
	var errs []error
	if v := os.Getenv("PAKT_BENCH_SCALE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			errs = append(errs, fmt.Errorf("PAKT_BENCH_SCALE=%q: want a positive number", v))
		}
		c.scale = f
	}
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{{"PAKT_BENCH_DURATION", &c.duration}, {"PAKT_BENCH_WARMUP", &c.warm}} {
		if v := os.Getenv(d.env); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x < 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a duration such as 20s", d.env, v))
			}
			*d.dst = x
		}
	}
	if v := os.Getenv("PAKT_BENCH_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("PAKT_BENCH_CONNECTIONS=%q: want a positive integer", v))
		}
		c.conns = n
	}
	if c.docPath == "" {
		root, err := moduleRoot()
		if err != nil {
			errs = append(errs, err)
		}
		c.docPath = filepath.Join(root, "docs", "benchmarks.md")
	}
	return c, errors.Join(errs...)
}

// pageResult is one page's numbers.
type pageResult struct {
	page                 Page
	requests, errors     uint64
	codes                map[string]int
	rps                  float64
	p50, p99, max        time.Duration
	bytes                int     // the answer, uncompressed
	wireBytes            float64 // mean bytes of the answer as sent (gzip where the server compresses)
	peakRSSKB            int64
	serverCPU, otherCPU  time.Duration // per request: pakt serve; the rest of the machine's busy time
	pgCPU, genCPU        time.Duration // per request: PostgreSQL (private cluster only), the load generator
	foreignCPU           time.Duration // per request: busy time of neither (other work on the machine)
	openRate             float64       // open loop: requests/s sent, half the closed-loop throughput
	openP50, openP99     time.Duration // … and the latencies at that rate
	openErrors           uint64
	stmts                int64         // SQL statements per request
	soloLatency, soloSQL time.Duration // one request at a time, in-process: total and in SQL (medians)
	coldStmts            int64         // the same with the page cache off
	coldLatency, coldSQL time.Duration
	firstError           string
}

type loadResult struct {
	cfg             loadConfig
	counts          Counts
	targets         Targets
	pages           []pageResult
	mixed           []mixedRow // the mixed workload, a row per write rate
	ceiling         pageResult
	hwmKB           int64
	pgVersion       string
	pgSettings      string
	started         time.Time
	total           time.Duration
	regionRows      int
	serverIdleRSSKB int64
	stealPercent    float64  // CPU steal during the load, % of all CPU time
	loadAvg         string   // /proc/loadavg at the start
	serverErrors    []string // error lines pakt serve logged, counted
}

func runLoad(ctx context.Context, out io.Writer) (*loadResult, error) {
	cfg, err := loadConfigFromEnv()
	if err != nil {
		return nil, err
	}
	res := &loadResult{cfg: cfg, started: time.Now()}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		res.loadAvg = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	logf := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }

	pg, err := startPostgres(ctx, out, true)
	if err != nil {
		return nil, err
	}
	defer pg.stop()
	dbURL, drop, err := pg.freshDatabase(ctx, "pakt_bench")
	if err != nil {
		return nil, err
	}
	defer drop()
	db, closeDB, err := migratedDB(ctx, dbURL, time.Hour)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	res.pgVersion, res.pgSettings = serverSettings(ctx, db)

	logf("generating the data set at scale %g", cfg.scale)
	if res.counts, err = Generate(ctx, db, Scale{Factor: cfg.scale, Progress: out}); err != nil {
		return nil, err
	}
	if res.targets, err = FindTargets(ctx, db); err != nil {
		return nil, err
	}
	pages := Pages(res.targets)

	tmp, err := os.MkdirTemp("", "pakt-bench-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	srv, err := startPakt(ctx, dbURL, tmp, cfg.serverEnv, out)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	auth, err := signIn(srv.base, res.targets.Coordinator)
	if err != nil {
		return nil, err
	}
	logf("signed in as %s and %s; a bearer token for the API", res.targets.Coordinator, AdminEmail)
	if os.Getenv("PAKT_BENCH_MIXED_ONLY") != "" {
		// Only the mixed workload, printed and not written to the report
		// (which needs every row): for trying a change quickly.
		if res.mixed, err = runMixed(ctx, db, srv, pg.postmasterPID(), auth, cfg, logf); err != nil {
			return nil, err
		}
		logf("\n%s", mixedMarkdown(res.mixed, cfg))
		return res, nil
	}

	// Statements and single-request latency, in-process on the same database.
	solo, err := measureInProcess(ctx, dbURL, pages, auth, cfg.profileDir)
	if err != nil {
		return nil, err
	}
	res.serverIdleRSSKB = srv.rssKB()

	steal0, all0 := machineSteal()
	var dashboardSize int
	for i, p := range pages {
		body, err := fetch(srv.base+p.Path, auth.header(p.As))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		if !strings.Contains(string(body), p.Want) {
			return nil, fmt.Errorf("%s: the answer lacks %q", p.Name, p.Want)
		}
		if p.Path == "/region" {
			// The table shows RegionPageRows municipalities a page; the
			// totals above it cover them all.
			res.regionRows = strings.Count(string(body), `/dashboard">`)
			if int64(res.regionRows) != min(res.targets.Municipalities, RegionPageRows) {
				return nil, fmt.Errorf("regional page: %d rows, want %d", res.regionRows, min(res.targets.Municipalities, RegionPageRows))
			}
		}
		if i == 1 {
			dashboardSize = len(body)
		}
		logf("load: %s (%s), %d bytes", p.Name, p.Path, len(body))
		pr := attack(srv.base+p.Path, auth.header(p.As), cfg, srv.pid, pg.postmasterPID())
		pr.page, pr.bytes, pr.stmts = p, len(body), solo[i].stmts
		pr.soloLatency, pr.soloSQL = solo[i].latency, solo[i].sql
		pr.coldStmts, pr.coldLatency, pr.coldSQL = solo[i].coldStmts, solo[i].coldLatency, solo[i].coldSQL
		logf("      %.0f req/s, p50 %s, p99 %s, errors %d, peak RSS %.0f MB", pr.rps, ms(pr.p50), ms(pr.p99), pr.errors, float64(pr.peakRSSKB)/1024)
		openLoop(&pr, srv.base+p.Path, auth.header(p.As), cfg)
		logf("      open loop at %.1f req/s: p50 %s, p99 %s, errors %d", pr.openRate, ms(pr.openP50), ms(pr.openP99), pr.openErrors)
		res.pages = append(res.pages, pr)
	}
	if res.mixed, err = runMixed(ctx, db, srv, pg.postmasterPID(), auth, cfg, logf); err != nil {
		return nil, err
	}
	res.hwmKB = srv.hwmKB()
	res.serverErrors = srv.errorSummary()

	base, cmd, err := startCeiling(dashboardSize)
	if err != nil {
		return nil, fmt.Errorf("ceiling server: %w", err)
	}
	logf("load: ceiling (fixed %d bytes, Fiber only)", dashboardSize)
	res.ceiling = attack(base+"/", nil, cfg, cmd.Process.Pid, 0)
	res.ceiling.page = Page{Name: "ceiling: fixed bytes, same Fiber config", Path: "/"}
	res.ceiling.bytes = dashboardSize
	logf("      %.0f req/s, p50 %s, p99 %s", res.ceiling.rps, ms(res.ceiling.p50), ms(res.ceiling.p99))
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if steal1, all1 := machineSteal(); all1 > all0 {
		res.stealPercent = 100 * float64(steal1-steal0) / float64(all1-all0)
	}

	res.total = time.Since(res.started)
	doc := res.markdown()
	if err := writeDoc(cfg.docPath, doc); err != nil {
		return nil, err
	}
	logf("\n%s\nwritten to %s", doc, cfg.docPath)
	return res, nil
}

// --- the server under test -------------------------------------------------

type paktServer struct {
	base, log string
	pid       int
	cmd       *exec.Cmd
}

// startPakt builds the real binary and runs `pakt serve` on the database,
// so the RSS measured is the server's alone.
func startPakt(ctx context.Context, dbURL, tmp string, extraEnv []string, out io.Writer) (*paktServer, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(tmp, "pakt")
	build := exec.CommandContext(ctx, "go", "build", "-ldflags", "-X pakt/app.Version=bench", "-o", bin, ".")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v: %s", err, b)
	}
	port, err := freeTCPPort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logPath := filepath.Join(tmp, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PAKT_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// Production defaults otherwise (pool of 20, 5 s statement timeout, info logs).
	cmd.Env = append(cmd.Env, "DATABASE_URL="+dbURL, "PAKT_ADDR="+addr, "PAKT_DATA_DIR="+filepath.Join(tmp, "files"))
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &paktServer{base: "http://" + addr, log: logPath, pid: cmd.Process.Pid, cmd: cmd}
	if err := waitHTTP(s.base+"/healthz", time.Minute); err != nil {
		s.stop()
		log, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("pakt serve did not come up: %v\n%s", err, log)
	}
	fmt.Fprintf(out, "pakt serve (pid %d) on %s, log %s\n", s.pid, addr, logPath)
	return s, nil
}

func (s *paktServer) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// errorSummary counts the errors the server logged (JSON lines at level
// ERROR) by message, most frequent first.
func (s *paktServer) errorSummary() []string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return nil
	}
	counts := map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		var e struct{ Level, Msg, Path, Err string }
		if json.Unmarshal([]byte(line), &e) != nil || e.Level != "ERROR" {
			continue
		}
		key := fmt.Sprintf("%s %s: %s", e.Msg, shortPath(e.Path), e.Err)
		counts[key]++
	}
	var out []string
	for k, n := range counts {
		out = append(out, fmt.Sprintf("%6d× %s", n, k))
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

func (s *paktServer) rssKB() int64 { return procStatusKB(s.pid, "VmRSS") }
func (s *paktServer) hwmKB() int64 { return procStatusKB(s.pid, "VmHWM") }

func waitHTTP(u string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// --- signing in ------------------------------------------------------------

type credentials struct{ coordinator, admin, token string }

func (c credentials) header(as string) http.Header {
	h := http.Header{}
	switch as {
	case AsCoordinator:
		h.Set("Cookie", "pakt_session="+c.coordinator)
	case AsAdmin:
		h.Set("Cookie", "pakt_session="+c.admin)
	case AsToken:
		h.Set("Authorization", "Bearer "+c.token)
	}
	return h
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func signIn(base, coordinator string) (credentials, error) {
	var c credentials
	var err error
	if c.coordinator, err = sessionOf(base, coordinator); err != nil {
		return c, err
	}
	if c.admin, err = sessionOf(base, AdminEmail); err != nil {
		return c, err
	}
	body, _ := json.Marshal(map[string]string{"email": coordinator, "password": Password})
	resp, err := http.Post(base+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		return c, err
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusCreated {
		return c, fmt.Errorf("token for %s: status %d %v", coordinator, resp.StatusCode, err)
	}
	c.token = tok.Token
	return c, nil
}

// sessionOf signs in through the login form, as a browser does.
func sessionOf(base, email string) (string, error) {
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Get(base + "/login")
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("login page has no CSRF token")
	}
	form := url.Values{"email": {email}, "password": {Password}, "_csrf": {string(m[1])}}
	if email == AdminEmail { // platform admins sign in with a second factor
		code, _ := totp.GenerateCode(AdminTOTPSecret, time.Now())
		form.Set("code", code)
	}
	resp, err = cl.PostForm(base+"/login", form)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("login %s: status %d", email, resp.StatusCode)
	}
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "pakt_session" {
			return ck.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: no session cookie", email)
}

func fetch(u string, h http.Header) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header = h.Clone()
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %.300s", resp.StatusCode, body)
	}
	return body, err
}

// --- in-process: statements per request, unloaded latency, profiles -----------

type soloResult struct {
	stmts        int64
	latency, sql time.Duration
	// The same with the page cache off (PAKT_CACHE_SIZE=0): what a request
	// costs the first time after a write.
	coldStmts            int64
	coldLatency, coldSQL time.Duration
}

// measureInProcess serves each page through app.NewServer on its own
// database handle with a statement counter: after a warm-up request, the
// statements of one request, then the median latency and SQL time of a few
// requests one at a time.
func measureInProcess(ctx context.Context, dbURL string, pages []Page, auth credentials, profileDir string) ([]soloResult, error) {
	db, sqlDB, err := app.OpenDB(dbURL, 4, 30*time.Second)
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	counter, err := CountStatements(db)
	if err != nil {
		return nil, err
	}
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		return nil, fmt.Errorf("config: %v", problems)
	}
	cfg.DataDir = os.TempDir()
	server := func(cacheBytes int) (func(Page) (int, error), error) {
		cfg.CacheBytes = cacheBytes
		srv, err := app.NewServer(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			return nil, err
		}
		return func(p Page) (int, error) {
			req := httptest.NewRequest(http.MethodGet, p.Path, nil)
			req.Header = asBrowser(auth.header(p.As))
			resp, err := srv.App.Test(req, -1)
			if err != nil {
				return 0, err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, nil
		}, nil
	}
	cached, err := server(32 << 20)
	if err != nil {
		return nil, err
	}
	uncached, err := server(0)
	if err != nil {
		return nil, err
	}
	out := make([]soloResult, len(pages))
	for i, p := range pages {
		if out[i].stmts, out[i].latency, out[i].sql, err = measureSolo(p, cached, counter); err != nil {
			return nil, err
		}
		if out[i].coldStmts, out[i].coldLatency, out[i].coldSQL, err = measureSolo(p, uncached, counter); err != nil {
			return nil, err
		}
		if profileDir != "" {
			if err := profilePage(profileDir, p, uncached); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// measureSolo counts the statements of one request to p after a warm-up one
// (the session touch, caches), then times 7 requests one at a time: median
// latency and median time in SQL.
func measureSolo(p Page, do func(Page) (int, error), counter *StatementCounter) (int64, time.Duration, time.Duration, error) {
	if _, err := do(p); err != nil {
		return 0, 0, 0, err
	}
	counter.Reset()
	if code, err := do(p); err != nil || code != http.StatusOK {
		return 0, 0, 0, fmt.Errorf("in-process %s: status %d %v", p.Name, code, err)
	}
	stmts := counter.Load()
	var lat, sql []time.Duration
	for range 7 {
		counter.Reset()
		t := time.Now()
		do(p)
		lat, sql = append(lat, time.Since(t)), append(sql, counter.Time())
	}
	slices.Sort(lat)
	slices.Sort(sql)
	return stmts, lat[len(lat)/2], sql[len(sql)/2], nil
}

// profilePage writes a CPU profile of about five seconds of the page
// served one request at a time.
func profilePage(dir string, p Page, do func(Page) (int, error)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, metricName(p.Name)+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	for t := time.Now(); time.Since(t) < 5*time.Second; {
		do(p)
	}
	pprof.StopCPUProfile()
	return nil
}

// --- load ------------------------------------------------------------------

// asBrowser adds the Accept-Encoding a browser sends. Set by hand, it also
// keeps Go's transport from inflating the answers in the load generator:
// a browser does that on its own machine, not on the server's.
func asBrowser(h http.Header) http.Header {
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	return h
}

// attack runs vegeta closed-loop: cfg.conns workers on cfg.conns
// keep-alive connections, each sending its next request when the last
// answer arrived (no rate limit), first for the warm-up, then measured.
func attack(u string, h http.Header, cfg loadConfig, pid, pgPID int) pageResult {
	newAttacker := func() *vegeta.Attacker {
		return vegeta.NewAttacker(vegeta.Workers(uint64(cfg.conns)), vegeta.MaxWorkers(uint64(cfg.conns)),
			vegeta.Connections(cfg.conns), vegeta.MaxConnections(cfg.conns), vegeta.KeepAlive(true),
			vegeta.Timeout(30*time.Second), vegeta.Redirects(vegeta.NoFollow), vegeta.HTTP2(false))
	}
	target := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: u, Header: asBrowser(h)})
	rate := vegeta.Rate{Freq: 0} // as fast as the workers go
	if cfg.warm > 0 {
		for range newAttacker().Attack(target, rate, cfg.warm, "warm-up") {
		}
	}
	var r pageResult
	stopRSS, peak := sampleRSS(pid) // the server's resident set, sampled
	cpu0, busy0, pg0, gen0 := procCPU(pid), machineBusy(), treeCPU(pgPID), procCPU(os.Getpid())
	var m vegeta.Metrics
	for res := range newAttacker().Attack(target, rate, cfg.duration, "load") {
		if res.Error != "" && r.firstError == "" {
			r.firstError = res.Error
		}
		res.Body = nil
		m.Add(res)
	}
	m.Close()
	close(stopRSS)
	r.peakRSSKB = <-peak
	server, busy, pgc, gen := procCPU(pid)-cpu0, machineBusy()-busy0, treeCPU(pgPID)-pg0, procCPU(os.Getpid())-gen0
	r.requests, r.rps = m.Requests, m.Throughput
	r.errors = m.Requests - uint64(float64(m.Requests)*m.Success+0.5)
	r.codes = m.StatusCodes
	r.p50, r.p99, r.max = m.Latencies.P50, m.Latencies.P99, m.Latencies.Max
	r.wireBytes = m.BytesIn.Mean
	if m.Requests > 0 {
		r.serverCPU = server / time.Duration(m.Requests)
		r.otherCPU = max(busy-server, 0) / time.Duration(m.Requests)
		r.genCPU = gen / time.Duration(m.Requests)
		if pgPID != 0 {
			r.pgCPU = pgc / time.Duration(m.Requests)
			r.foreignCPU = max(busy-server-pgc-gen, 0) / time.Duration(m.Requests)
		}
	}
	return r
}

// openLoop sends requests at a fixed rate, half the closed-loop throughput,
// for half the duration (at most cfg.conns in flight): the latency of the
// page when the server is busy but not saturated.
func openLoop(r *pageResult, u string, h http.Header, cfg loadConfig) {
	per10s := max(1, int(r.rps*0.5*10))
	r.openRate = float64(per10s) / 10
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(cfg.conns)), vegeta.MaxWorkers(uint64(cfg.conns)),
		vegeta.Connections(cfg.conns), vegeta.MaxConnections(cfg.conns), vegeta.KeepAlive(true),
		vegeta.Timeout(30*time.Second), vegeta.Redirects(vegeta.NoFollow), vegeta.HTTP2(false))
	target := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: u, Header: asBrowser(h)})
	var m vegeta.Metrics
	for res := range atk.Attack(target, vegeta.Rate{Freq: per10s, Per: 10 * time.Second}, max(cfg.duration/2, time.Second), "open") {
		res.Body = nil
		m.Add(res)
	}
	m.Close()
	r.openP50, r.openP99 = m.Latencies.P50, m.Latencies.P99
	r.openErrors = m.Requests - uint64(float64(m.Requests)*m.Success+0.5)
}

// --- /proc -----------------------------------------------------------------

func procStatusKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

const clockTicks = 100 // USER_HZ on Linux

// procCPU is the user+system CPU time a process has used.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from 3 (state) on
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// treeCPU is the CPU time of a process and its children (PostgreSQL's
// postmaster and its backends); 0 for pid 0.
func treeCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	total := procCPU(pid) + reapedCPU(pid) // backends that exited count with the postmaster
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", child))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			total += procCPU(child)
		}
	}
	return total
}

// reapedCPU is the CPU time of a process's children that exited and were waited for.
func reapedCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 15 {
		return 0
	}
	cut, _ := strconv.ParseInt(f[13], 10, 64)
	cst, _ := strconv.ParseInt(f[14], 10, 64)
	return time.Duration(cut+cst) * time.Second / clockTicks
}

// machineBusy is the CPU time all cores spent not idle.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)[1:]
	var busy int64
	for i, v := range f {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i != 3 && i != 4 && i < 7 { // not idle, iowait, steal; no guest (counted in user)
			busy += n
		}
	}
	return time.Duration(busy) * time.Second / clockTicks
}

// machineSteal is the CPU time the hypervisor gave to others, and all CPU time.
func machineSteal() (steal, total time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)[1:]
	var st, all int64
	for i, v := range f {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i < 8 {
			all += n
		}
		if i == 7 {
			st = n
		}
	}
	return time.Duration(st) * time.Second / clockTicks, time.Duration(all) * time.Second / clockTicks
}

// --- the report ------------------------------------------------------------

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func ms(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
}

// notesMarker starts the hand-written part of docs/benchmarks.md, which a
// run keeps; everything above it is rewritten.
const notesMarker = "<!-- notes: written by hand, kept by make bench -->"

func writeDoc(path, doc string) error {
	notes := notesMarker + "\n\n## Notes\n\n(none yet)\n"
	if old, err := os.ReadFile(path); err == nil {
		if i := bytes.Index(old, []byte(notesMarker)); i >= 0 {
			notes = string(old[i:])
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(doc+"\n"+notes), 0o644)
}

func (r *loadResult) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Benchmarks")
	w("")
	w("Written by `make bench` (`BenchmarkLoad` in `app/bench`) on %s; every run rewrites this part.",
		r.started.UTC().Format("2006-01-02 15:04 MST"))
	w("")
	w("## Machine")
	w("")
	w("- CPU: %s, %d cores (`nproc`: %s)", cpuModel(), runtime.NumCPU(), nproc())
	w("- Memory: %s", memTotal())
	w("- Go %s; PostgreSQL %s (%s)", strings.TrimPrefix(runtime.Version(), "go"), r.pgVersion, r.pgSettings)
	w("- The load generator (vegeta %s, as a library), `pakt serve` and PostgreSQL share this machine. "+
		"CPU steal during the load (time the hypervisor gave to other machines): %.1f %%. "+
		"Load average at the start (1, 5, 15 min): %s — anything well above 0 means other work (say, a test suite) ran alongside and the numbers are low.",
		vegetaVersion(), r.stealPercent, r.loadAvg)
	w("")
	w("## Run")
	w("")
	w("- Data set: scale %g, loaded by `bench.Generate` in %.0f s (below).", r.cfg.scale, r.counts.Took.Seconds())
	w("- `pakt serve` is the real binary (`go build`), production defaults: pool of 20 connections, info logs to a file.")
	w("- Each page: %s warm-up, then %s of closed-loop load on %d keep-alive connections (each sends its next request when the answer arrived).",
		r.cfg.warm, r.cfg.duration, r.cfg.conns)
	w("- Signed in through the login form (session cookie) or with a bearer token (API); the login page as a first visit (no cookie: a new session row each time).")
	w("- SQL/req: GORM statements of one request (after a warm-up one), counted in-process with `app.NewServer` on the same database. " +
		"Solo: median of 7 requests one at a time in-process, and the part of it spent in SQL. " +
		"Cached: with the page cache (the load runs with it, as in production); uncached: `PAKT_CACHE_SIZE=0`, " +
		"which is what the first request after a write in the municipality costs.")
	w("- Peak RSS: the highest VmRSS of `pakt serve` sampled every 50 ms during the page's load (VmHWM at the end: %.0f MB; idle after start and sign-in: %.0f MB).",
		float64(r.hwmKB)/1024, float64(r.serverIdleRSSKB)/1024)
	w("- CPU/req: CPU time per request of `pakt serve`, of PostgreSQL (postmaster and backends), of the load generator (this test process), " +
		"and foreign: the machine's other busy time (other work running alongside; near 0 on a quiet machine). " +
		"For the ceiling, the first figure is its server process.")
	w("- Open loop: afterwards, requests at a fixed rate of half the closed-loop throughput for half as long — the latency when busy but not saturated. "+
		"In the closed loop every connection always waits for an answer, so mean latency = %d / throughput (Little's law): "+
		"a p99 of 100 ms at %d connections needs more than %d req/s.", r.cfg.conns, r.cfg.conns, r.cfg.conns*10)
	if len(r.cfg.serverEnv) > 0 {
		w("- Extra environment of `pakt serve`: `%s`.", strings.Join(r.cfg.serverEnv, " "))
	}
	w("- Requests carry a browser's `Accept-Encoding: gzip, deflate, br, zstd`. Pages drawn around cached fragments are sent as gzip " +
		"(fragments compressed once, when cached; the viewer's own bytes stored uncompressed), so bytes shows the page and what was sent. " +
		"The load generator reads the compressed answers and does not inflate them: a browser does that on its own machine.")
	w("- Ceiling: a separate process with the same Fiber configuration returning a fixed %d-byte slice (the size of the 200-measure dashboard) — no middleware, no database.", r.ceiling.bytes)
	w("")
	w("## Results (%d connections)", r.cfg.conns)
	w("")
	w("| page | req/s | p50 | p99 | p99 target | errors | peak RSS | SQL/req: cached, uncached | solo (SQL): cached; uncached | CPU/req: pakt, PostgreSQL, load gen, foreign | bytes: page, sent | of ceiling | open loop: req/s, p50, p99 |")
	w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, p := range r.pages {
		mark := "✓"
		if p.p99 > time.Duration(p.page.TargetMs)*time.Millisecond || p.errors > 0 {
			mark = "**missed**"
		}
		open := fmt.Sprintf("%.1f, %s, %s", p.openRate, ms(p.openP50), ms(p.openP99))
		if p.openErrors > 0 {
			open += fmt.Sprintf(" (%d errors)", p.openErrors)
		}
		w("| %s `%s` | %.0f | %s | %s | %d ms %s | %s | %.0f MB | %d, %d | %s (%s); %s (%s) | %s | %d, %.0f | %.1f %% | %s |",
			p.page.Name, shortPath(p.page.Path), p.rps, ms(p.p50), ms(p.p99), p.page.TargetMs, mark, errText(p),
			float64(p.peakRSSKB)/1024, p.stmts, p.coldStmts, ms(p.soloLatency), ms(p.soloSQL),
			ms(p.coldLatency), ms(p.coldSQL), r.cpuText(p), p.bytes, p.wireBytes,
			100*p.rps/max(r.ceiling.rps, 1), open)
	}
	c := r.ceiling
	w("| %s | %.0f | %s | %s | | %s | %.0f MB | | | %s | %d, %.0f | 100 %% | |", c.page.Name, c.rps, ms(c.p50), ms(c.p99),
		errText(c), float64(c.peakRSSKB)/1024, r.cpuText(c), c.bytes, c.wireBytes)
	w("")
	w("Targets: p99 ≤ 100 ms per page and ≤ 300 ms for the PDF at %d connections; RSS ≤ 200 MB.", r.cfg.conns)
	var missed []string
	for _, p := range r.pages {
		if p.p99 > time.Duration(p.page.TargetMs)*time.Millisecond {
			missed = append(missed, fmt.Sprintf("%s (p99 %s > %d ms)", p.page.Name, ms(p.p99), p.page.TargetMs))
		}
		if p.errors > 0 {
			missed = append(missed, fmt.Sprintf("%s (%d errors: %s)", p.page.Name, p.errors, p.firstError))
		}
	}
	if r.hwmKB > 200*1024 {
		missed = append(missed, fmt.Sprintf("RSS (peak %.0f MB > 200 MB)", float64(r.hwmKB)/1024))
	}
	if len(missed) == 0 {
		w("All met.")
	} else {
		w("Missed: %s.", strings.Join(missed, "; "))
	}
	if len(r.serverErrors) > 0 {
		w("")
		w("Errors `pakt serve` logged during the run (count, message, path, error):")
		w("")
		w("```")
		for i, e := range r.serverErrors {
			if i == 12 {
				w("… and %d more kinds", len(r.serverErrors)-12)
				break
			}
			w("%s", strings.TrimSpace(e))
		}
		w("```")
	}
	w("")
	b.WriteString(mixedMarkdown(r.mixed, r.cfg))
	w("## Data set")
	w("")
	z := r.counts.Sizes
	w("%d municipalities, %d organisations, %d users, %d agreements; one adopted plan per municipality with %d measures "+
		"(the first municipality's: %d); %d years of half-yearly periods, past ones closed. The regional page summed all of them and listed the first %d (a page of its table).",
		z.Municipalities, z.Organisations, z.Users, z.Agreements, z.Measures, z.BigMeasures, z.Years, r.regionRows)
	w("")
	w("| table | rows |")
	w("| --- | ---: |")
	var total int64
	for _, t := range r.counts.Tables {
		w("| %s | %d |", t.Table, t.Rows)
		total += t.Rows
	}
	w("| total | %d |", total)
	w("")
	w("Generation steps: %s.", stepsText(r.counts.Steps))
	w("")
	w("Whole run: %.0f s.", r.total.Seconds())
	return b.String()
}

// cpuText is the CPU per request: pakt, PostgreSQL, load generator, foreign
// (with PostgreSQL unknown: pakt, then the rest of the machine).
func (r *loadResult) cpuText(p pageResult) string {
	if p.pgCPU == 0 && p.foreignCPU == 0 {
		return fmt.Sprintf("%s; rest %s", ms(p.serverCPU), ms(p.otherCPU))
	}
	return fmt.Sprintf("%s, %s, %s, %s", ms(p.serverCPU), ms(p.pgCPU), ms(p.genCPU), ms(p.foreignCPU))
}

func shortPath(p string) string {
	return regexp.MustCompile(`/\d+`).ReplaceAllString(p, "/:id")
}

func errText(p pageResult) string {
	if p.errors == 0 {
		return "0"
	}
	var codes []string
	for code, n := range p.codes {
		if code != "200" {
			codes = append(codes, fmt.Sprintf("%s×%d", code, n))
		}
	}
	slices.Sort(codes)
	return fmt.Sprintf("%d (%s)", p.errors, strings.Join(codes, ", "))
}

func stepsText(steps []Step) string {
	var parts []string
	for _, s := range steps {
		parts = append(parts, fmt.Sprintf("%s %.1f s", s.Name, s.Took.Seconds()))
	}
	return strings.Join(parts, ", ")
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func nproc() string {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

func memTotal() string {
	kb := procStatusFileKB("/proc/meminfo", "MemTotal")
	return fmt.Sprintf("%.1f GiB", float64(kb)/(1024*1024))
}

func procStatusFileKB(path, field string) int64 {
	b, _ := os.ReadFile(path)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func vegetaVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/tsenart/vegeta/v12" {
				return d.Version
			}
		}
	}
	return "v12"
}
