//go:build bench

package bench

// The mixed workload (issue #20): what a national deployment does, not one
// warm URL. cfg.conns readers request random municipalities of the whole
// data set — 40 % municipality dashboards, 25 % plan pages, 20 % the plan
// summary API, 15 % /region — while coordinators of many municipalities
// save progress reports through the real API at a fixed rate (0, 10 and 50
// per second). Reads and writes are measured separately; nothing is warmed
// up for a particular page, so misses of the page cache count as they would.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gorm.io/gorm"
)

// mixedWriteRates are the progress-report saves per second of the rows.
var mixedWriteRates = []int{0, 10, 50}

// mixedWriters is how many municipalities' coordinators save reports.
const mixedWriters = 40

// The kinds of request of the mixed workload, and their share of reads.
const (
	kindDashboard = "dashboard"
	kindPlan      = "plan page"
	kindSummary   = "summary API"
	kindRegion    = "/region"
	kindWrite     = "progress save"
)

// mixedRow is one write rate's numbers.
type mixedRow struct {
	writeRate            int
	reads, writes        uint64
	readRPS, writeRPS    float64
	readErrors, wErrors  uint64
	byKind               map[string]latency
	peakRSSKB            int64
	serverCPU, pgCPU     time.Duration  // per request (reads and writes)
	codes                map[string]int // answers other than 200 by kind and status, "summary API 401"
	firstError           string
	municipalities, urls int
	writers              int // municipalities whose coordinators save
	cache                cacheDelta
}

// cacheDelta is what the page cache did during a row: lookups that found
// their key, lookups that drew anew, and the bytes held at the end.
type cacheDelta struct {
	hits, misses   int64
	bytes, maxSize int64
}

// hitRate is the share of cache lookups that found their key.
func (d cacheDelta) hitRate() float64 {
	if d.hits+d.misses == 0 {
		return 0
	}
	return float64(d.hits) / float64(d.hits+d.misses)
}

// cacheStats reads the server's page cache counters (GET /api/v1/admin/cache).
func cacheStats(base, adminToken string) (cacheDelta, error) {
	body, err := fetch(base+"/api/v1/admin/cache", http.Header{"Authorization": {"Bearer " + adminToken}})
	if err != nil {
		return cacheDelta{}, err
	}
	var s struct {
		Hits, Misses, Bytes int64
		MaxBytes            int64 `json:"max_bytes"`
	}
	err = json.Unmarshal(body, &s)
	return cacheDelta{hits: s.Hits, misses: s.Misses, bytes: s.Bytes, maxSize: s.MaxBytes}, err
}

// warmUp reads every address of the mix once (4 at a time), as a
// deployment that has served a while has drawn each page at least once:
// the rows then measure the steady state, not the first minutes after a
// start (the cold start has its own targets and rows).
func warmUp(urls []string, base string, session http.Header, token string) (time.Duration, error) {
	start := time.Now()
	pages, api := asBrowser(session), asBrowser(http.Header{"Authorization": {"Bearer " + token}})
	work := make(chan string)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				h := pages
				if strings.Contains(u, "/api/") {
					h = api
				}
				if _, err := fetch(u, h); err != nil {
					errs <- fmt.Errorf("warm-up %s: %w", u, err)
					return
				}
			}
		}()
	}
	var err error
feed:
	for _, u := range urls {
		select {
		case work <- u:
		case err = <-errs:
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return time.Since(start), err
}

type latency struct {
	n        uint64
	p50, p99 time.Duration
}

// writeTarget is one report a coordinator may save: their token, the
// measure and its plan's open period.
type writeTarget struct {
	token           string
	measure, period int64
	municipality    int64
}

// writerMunicipalities counts the municipalities among ws.
func writerMunicipalities(ws []writeTarget) int {
	seen := map[int64]bool{}
	for _, w := range ws {
		seen[w.municipality] = true
	}
	return len(seen)
}

// mixedURLs are every municipality's dashboard and adopted plans' pages and
// summaries.
func mixedURLs(ctx context.Context, db *gorm.DB, base string) (dash, plans, sums []string, err error) {
	var munis, planIDs []int64
	if err = db.WithContext(ctx).Raw(`SELECT id FROM municipalities ORDER BY id`).Scan(&munis).Error; err != nil {
		return
	}
	if err = db.WithContext(ctx).Raw(`SELECT id FROM action_plans WHERE status = 'adopted' ORDER BY id`).Scan(&planIDs).Error; err != nil {
		return
	}
	for _, m := range munis {
		dash = append(dash, fmt.Sprintf("%s/municipalities/%d/dashboard", base, m))
	}
	for _, p := range planIDs {
		plans = append(plans, fmt.Sprintf("%s/plans/%d", base, p))
		sums = append(sums, fmt.Sprintf("%s/api/v1/action-plans/%d/summary", base, p))
	}
	if len(dash) == 0 || len(plans) == 0 {
		err = fmt.Errorf("mixed: no municipalities or adopted plans")
	}
	return
}

// mixedWriteTargets picks mixedWriters municipalities spread over the data
// set, signs their coordinators in for API tokens, and lists the measures
// of each one's adopted plan with the plan's open period.
func mixedWriteTargets(ctx context.Context, db *gorm.DB, base string) ([]writeTarget, error) {
	var rows []struct {
		Measure, Period, MunicipalityID int64
		CoordinatorEmail                string
	}
	// md5 of the id spreads the writers over the data set, the same ones
	// every run.
	err := db.WithContext(ctx).Raw(`WITH picked AS (
			SELECT id FROM municipalities ORDER BY md5(id::text) LIMIT ?)
		SELECT m.id AS measure, rp.id AS period, p.municipality_id,
			(SELECT u.email FROM memberships ms JOIN users u ON u.id = ms.user_id
			  WHERE ms.municipality_id = p.municipality_id AND ms.role = 'coordinator' ORDER BY u.id LIMIT 1) AS coordinator_email
		FROM picked JOIN action_plans p ON p.municipality_id = picked.id AND p.status = 'adopted'
		JOIN plan_measures m ON m.plan_id = p.id
		JOIN reporting_periods rp ON rp.plan_id = p.id AND rp.status = 'open'
		LEFT JOIN progress_reports pr ON pr.measure_id = m.id AND pr.period_id = rp.id
		WHERE pr.id IS NULL OR pr.review IN ('draft', 'returned') -- submitted and accepted reports are read-only
		ORDER BY p.municipality_id, m.id`, mixedWriters).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	tokens := map[string]string{}
	var out []writeTarget
	for _, r := range rows {
		if r.CoordinatorEmail == "" {
			continue
		}
		tok, ok := tokens[r.CoordinatorEmail]
		if !ok {
			if tok, err = apiToken(base, r.CoordinatorEmail); err != nil {
				return nil, err
			}
			tokens[r.CoordinatorEmail] = tok
		}
		out = append(out, writeTarget{token: tok, measure: r.Measure, period: r.Period, municipality: r.MunicipalityID})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("mixed: no measure with an open period to report on")
	}
	return out, nil
}

// apiToken signs email in through the API and returns a bearer token.
func apiToken(base, email string) (string, error) {
	req := map[string]string{"email": email, "password": Password}
	if email == AdminEmail {
		// Platform admins sign in with a second factor. The session made by
		// sessionOf spent this time step's code; the next step's is
		// accepted too (one step of clock skew) and not spent yet.
		code, err := totp.GenerateCode(AdminTOTPSecret, time.Now().Add(30*time.Second))
		if err != nil {
			return "", err
		}
		req["code"] = code
	}
	body, _ := json.Marshal(req)
	resp, err := http.Post(base+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("token for %s: status %d %v", email, resp.StatusCode, err)
	}
	return tok.Token, nil
}

// readTargeter picks a random read of the mix for each request, as the
// platform admin (who may read every municipality): pages with the admin's
// session, the API with the admin's token.
func readTargeter(dash, plans, sums []string, base string, session http.Header, token string) vegeta.Targeter {
	pages := asBrowser(session)
	api := asBrowser(http.Header{"Authorization": {"Bearer " + token}})
	return func(t *vegeta.Target) error {
		var u string
		switch x := rand.IntN(100); {
		case x < 40:
			u = dash[rand.IntN(len(dash))]
		case x < 65:
			u = plans[rand.IntN(len(plans))]
		case x < 85:
			u = sums[rand.IntN(len(sums))]
		default:
			u = base + "/region"
		}
		h := pages
		if strings.Contains(u, "/api/") {
			h = api
		}
		*t = vegeta.Target{Method: http.MethodGet, URL: u, Header: h}
		return nil
	}
}

// writeTargeter saves a random report of a random writer: a new status,
// percentage and beneficiaries each time, as partners do.
func writeTargeter(base string, ws []writeTarget) vegeta.Targeter {
	statuses := []string{"on_track", "delayed", "on_track", "completed"}
	return func(t *vegeta.Target) error {
		w := ws[rand.IntN(len(ws))]
		total := rand.IntN(40)
		women := rand.IntN(total + 1)
		body, _ := json.Marshal(map[string]any{
			"status": statuses[rand.IntN(len(statuses))], "percent_complete": rand.IntN(101),
			"narrative":     "Bench: work goes on as planned.",
			"beneficiaries": map[string]any{"total": total, "women": women, "men": total - women},
			"outcomes":      map[string]any{"employed": rand.IntN(total + 1)},
		})
		h := http.Header{}
		h.Set("Authorization", "Bearer "+w.token)
		h.Set("Content-Type", "application/json")
		*t = vegeta.Target{Method: http.MethodPut, URL: fmt.Sprintf("%s/api/v1/measures/%d/progress/%d", base, w.measure, w.period),
			Body: body, Header: h}
		return nil
	}
}

// kindOf names the kind of request a result was.
func kindOf(r *vegeta.Result) string {
	switch {
	case r.Method == http.MethodPut:
		return kindWrite
	case strings.HasSuffix(r.URL, "/region"):
		return kindRegion
	case strings.Contains(r.URL, "/summary"):
		return kindSummary
	case strings.Contains(r.URL, "/plans/"):
		return kindPlan
	default:
		return kindDashboard
	}
}

// runMixed runs each write rate for cfg.duration, readers and writers at
// once, and returns a row per rate.
func runMixed(ctx context.Context, db *gorm.DB, srv *paktServer, pgPID int, auth credentials, cfg loadConfig,
	logf func(string, ...any)) ([]mixedRow, error) {
	dash, plans, sums, err := mixedURLs(ctx, db, srv.base)
	if err != nil {
		return nil, err
	}
	writers, err := mixedWriteTargets(ctx, db, srv.base)
	if err != nil {
		return nil, err
	}
	adminToken, err := apiToken(srv.base, AdminEmail)
	if err != nil {
		return nil, err
	}
	reads := readTargeter(dash, plans, sums, srv.base, auth.header(AsAdmin), adminToken)
	all := append(append(append(slices.Clone(dash), plans...), sums...), srv.base+"/region")
	took, err := warmUp(all, srv.base, auth.header(AsAdmin), adminToken)
	if err != nil {
		return nil, err
	}
	logf("mixed: warmed up by reading each of %d addresses once in %s", len(all), took.Round(time.Millisecond))
	var rows []mixedRow
	for _, rate := range mixedWriteRates {
		logf("mixed: %d readers over %d municipalities, %d progress saves/s", cfg.conns, len(dash), rate)
		before, err := cacheStats(srv.base, adminToken)
		if err != nil {
			return nil, err
		}
		row := mixedRun(srv, pgPID, cfg, reads, writeTargeter(srv.base, writers), rate)
		after, err := cacheStats(srv.base, adminToken)
		if err != nil {
			return nil, err
		}
		row.cache = cacheDelta{hits: after.hits - before.hits, misses: after.misses - before.misses, bytes: after.bytes, maxSize: after.maxSize}
		row.municipalities, row.urls, row.writers = len(dash), len(all), writerMunicipalities(writers)
		logf("      reads %.0f/s (errors %d), writes %.1f/s (errors %d), dashboard p99 %s, plan p99 %s, summary p99 %s, region p99 %s, write p50 %s p99 %s, cache hits %.1f %%, peak RSS %.0f MB",
			row.readRPS, row.readErrors, row.writeRPS, row.wErrors, ms(row.byKind[kindDashboard].p99), ms(row.byKind[kindPlan].p99),
			ms(row.byKind[kindSummary].p99), ms(row.byKind[kindRegion].p99), ms(row.byKind[kindWrite].p50),
			ms(row.byKind[kindWrite].p99), 100*row.cache.hitRate(), float64(row.peakRSSKB)/1024)
		rows = append(rows, row)
	}
	return rows, nil
}

// mixedRun is one row: closed-loop readers and open-loop writers together.
func mixedRun(srv *paktServer, pgPID int, cfg loadConfig, reads, writes vegeta.Targeter, rate int) mixedRow {
	row := mixedRow{writeRate: rate, byKind: map[string]latency{}, codes: map[string]int{}}
	newAttacker := func(n int) *vegeta.Attacker {
		return vegeta.NewAttacker(vegeta.Workers(uint64(n)), vegeta.MaxWorkers(uint64(n)),
			vegeta.Connections(n), vegeta.MaxConnections(n), vegeta.KeepAlive(true),
			vegeta.Timeout(30*time.Second), vegeta.Redirects(vegeta.NoFollow), vegeta.HTTP2(false))
	}
	metrics := map[string]*vegeta.Metrics{}
	var mu sync.Mutex
	collect := func(ch <-chan *vegeta.Result) {
		for res := range ch {
			res.Body = nil
			k := kindOf(res)
			mu.Lock()
			if metrics[k] == nil {
				metrics[k] = &vegeta.Metrics{}
			}
			metrics[k].Add(res)
			if res.Code != http.StatusOK {
				row.codes[fmt.Sprintf("%s %d", k, res.Code)]++
			}
			if res.Error != "" && row.firstError == "" {
				row.firstError = k + ": " + res.Error
			}
			mu.Unlock()
		}
	}
	stopRSS, peak := sampleRSS(srv.pid)
	cpu0, pg0 := procCPU(srv.pid), treeCPU(pgPID)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		collect(newAttacker(cfg.conns).Attack(reads, vegeta.Rate{Freq: 0}, cfg.duration, "reads"))
	}()
	if rate > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			collect(newAttacker(rate).Attack(writes, vegeta.Rate{Freq: rate, Per: time.Second}, cfg.duration, "writes"))
		}()
	}
	wg.Wait()
	close(stopRSS)
	row.peakRSSKB = <-peak
	server, pgc := procCPU(srv.pid)-cpu0, treeCPU(pgPID)-pg0
	for k, m := range metrics {
		m.Close()
		errs := m.Requests - uint64(float64(m.Requests)*m.Success+0.5)
		row.byKind[k] = latency{n: m.Requests, p50: m.Latencies.P50, p99: m.Latencies.P99}
		if k == kindWrite {
			row.writes, row.wErrors = m.Requests, errs
		} else {
			row.reads += m.Requests
			row.readErrors += errs
		}
	}
	row.readRPS = float64(row.reads) / cfg.duration.Seconds()
	row.writeRPS = float64(row.writes) / cfg.duration.Seconds()
	if n := row.reads + row.writes; n > 0 {
		row.serverCPU, row.pgCPU = server/time.Duration(n), pgc/time.Duration(n)
	}
	return row
}

// sampleRSS samples the resident set of pid every 50 ms until stop is
// closed, then sends the highest on peak.
func sampleRSS(pid int) (stop chan struct{}, peak chan int64) {
	stop, peak = make(chan struct{}), make(chan int64)
	go func() {
		var max int64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := procStatusKB(pid, "VmRSS"); kb > max {
				max = kb
			}
			select {
			case <-stop:
				peak <- max
				return
			case <-t.C:
			}
		}
	}()
	return stop, peak
}

// mixedMarkdown is the mixed workload's section of docs/benchmarks.md.
func mixedMarkdown(rows []mixedRow, cfg loadConfig) string {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("## Mixed workload: many municipalities read while partners write")
	w("")
	w("%d closed-loop readers, signed in as the platform admin, each request a random one of %d addresses over all %d municipalities: "+
		"40 %% municipality dashboards, 25 %% plan pages, 20 %% the plan summary API, 15 %% `/region`. At the same time, "+
		"coordinators of %d municipalities save random progress reports of their plans' open periods through the API "+
		"(`PUT /api/v1/measures/{id}/progress/{period_id}`, a new status, percentage and beneficiaries each time) at a fixed rate. "+
		"%s a row, `pakt serve` with its default settings (page cache of %s). Before the first row every address is read once, "+
		"as a deployment that has served a while has drawn each page at least once (the first requests after a start have "+
		"their own targets: the cold column of the table above). A read is served from the cache only when the same page was "+
		"drawn since the last write that changed it and is still held; a save makes its municipality's pages drawn anew, and "+
		"`/region` too when a total it shows changed. The cache column is the share of the row's cache lookups that found "+
		"their page (the rest were drawn, each its full cost in SQL and templates), and the bytes it held at the end.",
		cfg.conns, rows[0].urls, rows[0].municipalities, rows[0].writers, cfg.duration, mib(rows[0].cache.maxSize))
	w("")
	w("| writes/s (done) | reads/s | read errors | dashboard p50 / p99 | plan p99 | summary p99 | region p99 | write p50 / p99 | write errors | cache: hits, held | CPU/req: pakt, PostgreSQL | peak RSS |")
	w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rows {
		write := "–"
		if r.writeRate > 0 {
			write = fmt.Sprintf("%s / %s", ms(r.byKind[kindWrite].p50), ms(r.byKind[kindWrite].p99))
		}
		w("| %d (%.1f) | %.0f | %d | %s / %s | %s | %s | %s | %s | %d | %.1f %% of %d, %s | %s, %s | %.0f MB |", r.writeRate, r.writeRPS, r.readRPS, r.readErrors,
			ms(r.byKind[kindDashboard].p50), ms(r.byKind[kindDashboard].p99), ms(r.byKind[kindPlan].p99),
			ms(r.byKind[kindSummary].p99), ms(r.byKind[kindRegion].p99), write, r.wErrors,
			100*r.cache.hitRate(), r.cache.hits+r.cache.misses, mib(r.cache.bytes),
			ms(r.serverCPU), ms(r.pgCPU), float64(r.peakRSSKB)/1024)
	}
	w("")
	w("Targets (issue #20): reads p99 ≤ 100 ms at 0 and 10 writes/s, ≤ 250 ms at 50 writes/s; a save p99 ≤ 100 ms at 10 writes/s; RSS ≤ 200 MB; no errors.")
	var missed []string
	for _, r := range rows {
		limit := 100 * time.Millisecond
		if r.writeRate >= 50 {
			limit = 250 * time.Millisecond
		}
		for _, k := range []string{kindDashboard, kindPlan, kindSummary, kindRegion} {
			if p := r.byKind[k].p99; p > limit {
				missed = append(missed, fmt.Sprintf("%s at %d writes/s (p99 %s)", k, r.writeRate, ms(p)))
			}
		}
		if r.writeRate == 10 && r.byKind[kindWrite].p99 > 100*time.Millisecond {
			missed = append(missed, fmt.Sprintf("saves at 10 writes/s (p99 %s)", ms(r.byKind[kindWrite].p99)))
		}
		if r.readErrors+r.wErrors > 0 {
			missed = append(missed, fmt.Sprintf("%d errors at %d writes/s (%s; first: %s)", r.readErrors+r.wErrors, r.writeRate, codesText(r.codes), r.firstError))
		}
		if r.peakRSSKB > 200*1024 {
			missed = append(missed, fmt.Sprintf("RSS at %d writes/s (%.0f MB)", r.writeRate, float64(r.peakRSSKB)/1024))
		}
	}
	if len(missed) == 0 {
		w("All met.")
	} else {
		w("Missed: %s.", strings.Join(missed, "; "))
	}
	w("")
	return b.String()
}

// mib formats bytes as MiB.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// codesText lists answers other than 200: "summary API 401×3, progress save 409×1".
func codesText(codes map[string]int) string {
	var out []string
	for k, n := range codes {
		out = append(out, fmt.Sprintf("%s×%d", k, n))
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
