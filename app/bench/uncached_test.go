//go:build bench

package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gorm.io/gorm"

	"pakt/app"
	"pakt/models"
)

// BenchmarkUncached times pages built without the page cache (cache size 0:
// what every request costs right after a write), one request at a time, as
// a browser asks for them (gzip), on
// the bench data set (PAKT_BENCH_SCALE, default 1 = 520 municipalities), in
// process; and the first requests after a restart of `pakt serve`. Issue
// #20's targets: /region ≤ 10 ms and the 200-measure dashboard ≤ 8 ms
// uncached; the first /region and the first 200-measure plan page after a
// restart ≤ 150 ms. Run it short on a shared machine:
//
//	go test -tags bench ./app/bench -run '^$' -bench Uncached -benchtime 20x
func BenchmarkUncached(b *testing.B) {
	if os.Getenv(ceilingAddrEnv) != "" {
		b.Skip("ceiling process")
	}
	e := uncachedSetup(b)
	for _, p := range Pages(e.targets) {
		if p.Name == "login page" || strings.HasPrefix(p.Name, "report PDF") {
			continue
		}
		b.Run(metricName(p.Name), func(b *testing.B) {
			// The answer is checked once, uncompressed; then requested as a
			// browser does (gzip), and not inflated: a browser does that on
			// its own machine.
			if body, err := fetch(e.base+p.Path, e.auth.header(p.As)); err != nil || !strings.Contains(string(body), p.Want) {
				b.Fatalf("%s: %v, the answer lacks %q", p.Path, err, p.Want)
			}
			h := asBrowser(e.auth.header(p.As))
			e.counter.Reset()
			b.ResetTimer()
			for b.Loop() {
				if body, err := fetch(e.base+p.Path, h); err != nil || len(body) == 0 {
					b.Fatalf("%s: %v", p.Path, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64(e.counter.Time().Microseconds())/1000/float64(b.N), "sql-ms/op")
			b.ReportMetric(float64(e.counter.Load())/float64(b.N), "stmts/op")
		})
	}
	// The model functions behind those pages alone: their SQL and scanning.
	today := models.Today()
	for _, q := range []struct {
		name string
		run  func() error
	}{
		{"sql-regional-overview", func() error { _, err := models.RegionalOverview(e.ctx, e.db, nil); return err }},
		{"sql-plan-summary-200", func() error {
			_, err := models.PlanSummaryOf(e.ctx, e.db, e.targets.BigMunicipalityID, e.targets.BigPlanID, nil)
			return err
		}},
		{"sql-late-flags-200", func() error {
			_, err := models.LateFlagsOf(e.ctx, e.db, e.targets.BigMunicipalityID, e.targets.BigPlanID, today)
			return err
		}},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if err := q.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
	// A progress save through the API (the mixed load's writes): the
	// request and its commit, where the aggregates and revisions are kept.
	b.Run("progress-save", func(b *testing.B) {
		ws, err := mixedWriteTargets(e.ctx, e.db, e.base)
		if err != nil {
			b.Fatal(err)
		}
		next := writeTargeter(e.base, ws)
		e.counter.Reset()
		// CPU of this process (the in-process server, and the client
		// sending the requests) and of PostgreSQL, per save.
		self0, pg0 := procCPU(os.Getpid()), treeCPU(e.pgPID)
		b.ResetTimer()
		for b.Loop() {
			var t vegeta.Target
			next(&t)
			req, _ := http.NewRequest(t.Method, t.URL, bytes.NewReader(t.Body))
			req.Header = t.Header
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("PUT %s: %d", t.URL, resp.StatusCode)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		b.ReportMetric(float64(e.counter.Time().Microseconds())/1000/float64(b.N), "sql-ms/op")
		b.ReportMetric(float64(e.counter.Load())/float64(b.N), "stmts/op")
		b.ReportMetric(float64((procCPU(os.Getpid())-self0).Microseconds())/1000/float64(b.N), "pakt-cpu-ms/op")
		b.ReportMetric(float64((treeCPU(e.pgPID)-pg0).Microseconds())/1000/float64(b.N), "pg-cpu-ms/op")
	})
	b.Run("cold-start", func(b *testing.B) {
		pages := Pages(e.targets)
		var region, plan time.Duration
		for b.Loop() {
			srv, err := startPakt(e.ctx, e.dbURL, e.tmp, nil, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range []Page{pages[4], pages[3]} { // /region, then the 200-measure plan page
				t := time.Now()
				body, err := fetch(srv.base+p.Path, e.auth.header(p.As))
				d := time.Since(t)
				if err != nil || !strings.Contains(string(body), p.Want) {
					srv.stop()
					b.Fatalf("%s after a restart: %v, the answer lacks %q", p.Path, err, p.Want)
				}
				if p.Path == "/region" {
					region += d
				} else {
					plan += d
				}
			}
			srv.stop()
		}
		b.ReportMetric(float64(region.Microseconds())/1000/float64(b.N), "region-first-ms")
		b.ReportMetric(float64(plan.Microseconds())/1000/float64(b.N), "plan200-first-ms")
	})
}

type uncachedEnv struct {
	ctx     context.Context
	dbURL   string
	tmp     string
	base    string
	targets Targets
	auth    credentials
	counter *StatementCounter // on the in-process server's pool
	db      *gorm.DB
	pgPID   int // PostgreSQL's postmaster
}

var (
	uncachedOnce sync.Once
	uncached     *uncachedEnv
	uncachedErr  error
)

// uncachedSetup starts PostgreSQL, generates the data set and serves it in
// process with the page cache off, once for every sub-benchmark; it lives
// until the test binary exits.
func uncachedSetup(b *testing.B) *uncachedEnv {
	b.Helper()
	uncachedOnce.Do(func() { uncached, uncachedErr = startUncached(os.Stdout) })
	if uncachedErr != nil {
		b.Fatal(uncachedErr)
	}
	return uncached
}

func startUncached(out io.Writer) (*uncachedEnv, error) {
	cfg, err := loadConfigFromEnv()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	pg, err := startPostgres(ctx, out, true)
	if err != nil {
		return nil, err
	}
	dbURL, _, err := pg.freshDatabase(ctx, "pakt_uncached")
	if err != nil {
		return nil, err
	}
	db, _, err := migratedDB(ctx, dbURL, time.Hour)
	if err != nil {
		return nil, err
	}
	t := time.Now()
	if _, err := Generate(ctx, db, Scale{Factor: cfg.scale}); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "bench: data set at scale %g generated in %s\n", cfg.scale, time.Since(t).Round(time.Second))
	e := &uncachedEnv{ctx: ctx, dbURL: dbURL, pgPID: pg.postmasterPID()}
	if e.targets, err = FindTargets(ctx, db); err != nil {
		return nil, err
	}
	if e.tmp, err = os.MkdirTemp("", "pakt-uncached-"); err != nil {
		return nil, err
	}
	acfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		return nil, fmt.Errorf("config: %v", problems)
	}
	acfg.DataDir, acfg.CacheBytes = e.tmp, 0
	// The server's own pool, as pakt serve opens it.
	sdb, _, err := app.OpenDB(dbURL, acfg.DBMaxConns, 30*time.Second)
	if err != nil {
		return nil, err
	}
	if e.counter, err = CountStatements(sdb); err != nil {
		return nil, err
	}
	e.db = sdb
	srv, err := app.NewServer(acfg, sdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go srv.App.Listener(l) //nolint:errcheck // lives as long as the benchmark
	e.base = "http://" + l.Addr().String()
	if err := waitHTTP(e.base+"/healthz", time.Minute); err != nil {
		return nil, err
	}
	if e.auth, err = signIn(e.base, e.targets.Coordinator); err != nil {
		return nil, err
	}
	return e, nil
}
