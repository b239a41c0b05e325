package handlers_test

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/handlers/opendata"
	"pakt/models"
)

// pageText is how a public page prints a count the JSON gives.
func pageText(c publicCount) string {
	switch c.Suppressed {
	case "small":
		return "<5"
	case "banded":
		if c.Min != nil && c.Max != nil {
			return fmt.Sprintf("%d–%d", *c.Min, *c.Max)
		}
	case "not_recorded":
		return "—"
	case "":
		if c.Value != nil {
			return strconv.FormatInt(*c.Value, 10)
		}
	}
	return "?" + c.Suppressed
}

var (
	odNumCellRe = regexp.MustCompile(`<td class="num(?: value)?">([^<]*)</td>`)
	focusRowRe  = regexp.MustCompile(`(?s)<tr data-focus-group="(\d+)">(.*?)</tr>`)
	totalsRe    = regexp.MustCompile(`(?s)<tr id="focus-totals">(.*?)</tr>`)
	indRowRe    = regexp.MustCompile(`(?s)<tr data-indicator="([a-z_]+)"[^>]*>(.*?)</tr>`)
	groupRowRe  = regexp.MustCompile(`(?s)<tr><td class="num">(\d+)</td><th scope="row">.*?</th>(.*?)</tr>`)
)

// numCells are the counts of a table row as the page prints them (numbers
// without thousands separators).
func numCells(row string) []string {
	var out []string
	for _, m := range odNumCellRe.FindAllStringSubmatch(row, -1) {
		out = append(out, strings.ReplaceAll(html.UnescapeString(m[1]), ",", ""))
	}
	return out
}

// compareCells fails on the first count the JSON gives differently from
// the page; it tallies how many small and hidden cells were compared.
func compareCells(t *testing.T, what string, page []string, data []publicCount, seen map[string]int) {
	t.Helper()
	if len(page) < len(data) {
		t.Fatalf("%s: page shows %d counts, JSON %d", what, len(page), len(data))
	}
	for i, c := range data {
		if got := pageText(c); got != page[i] {
			t.Errorf("%s, cell %d: JSON %q, public page %q", what, i, got, page[i])
		}
		seen[c.Suppressed]++
	}
}

// The open data protects small counts exactly as the public pages do: on
// the demo data, every count of every focus group, situation-analysis
// indicator and vulnerable group in the JSON reads as on the public "what
// we heard" and analysis pages ("<5" or the band "10–14"; never a number).
func TestOpenDataCountsMatchPublicPages(t *testing.T) {
	t.Parallel()
	env := demoEnv(t)
	seen := map[string]int{}
	for _, slug := range []string{"bratunac", "milici", "srebrenica", "vlasenica", "zvornik"} {
		d := getPublicMuni(t, env, slug)
		heard := testkit.Body(anonGet(env, "/m/"+slug+"/heard"))
		rows := map[string]string{}
		for _, m := range focusRowRe.FindAllStringSubmatch(heard, -1) {
			rows[m[1]] = m[2]
		}
		if len(d.FocusGroups.Groups) == 0 || len(rows) != len(d.FocusGroups.Groups) {
			t.Fatalf("%s: %d focus groups on the page, %d in the JSON", slug, len(rows), len(d.FocusGroups.Groups))
		}
		for _, g := range d.FocusGroups.Groups {
			compareCells(t, fmt.Sprintf("%s focus group %d", slug, g.ID), numCells(rows[fmt.Sprint(g.ID)]), g.Participants.cells(), seen)
		}
		totals := totalsRe.FindStringSubmatch(heard)
		if totals == nil || d.FocusGroups.Totals == nil {
			t.Fatalf("%s: no totals row", slug)
		}
		compareCells(t, slug+" focus-group totals", numCells(totals[1]), d.FocusGroups.Totals.cells(), seen)
		compareSitans(t, env, slug, d, seen)
		compareFiguresCSV(t, env, slug, d)
		compareBaselines(t, slug, d, seen)
	}
	if seen["small"] == 0 || seen["banded"] == 0 || seen[""] != 0 {
		t.Fatalf("the demo data exercised too little: %v", seen)
	}
}

// compareBaselines: a plan indicator's baseline in persons is in the count
// shape too (baseline_count), saying what its text says; other units have
// none.
func compareBaselines(t *testing.T, slug string, d publicMuni, seen map[string]int) {
	t.Helper()
	for _, p := range d.ActionPlans {
		for _, m := range p.Measures {
			for _, i := range m.Indicators {
				switch {
				case models.CountsPeople(i.Unit) && (i.BaselineCount == nil || pageText(*i.BaselineCount) != i.Baseline):
					t.Errorf("%s %s: baseline %q, baseline_count %+v", slug, m.Code, i.Baseline, i.BaselineCount)
				case !models.CountsPeople(i.Unit) && i.BaselineCount != nil:
					t.Errorf("%s %s: baseline_count for the unit %q", slug, m.Code, i.Unit)
				case i.BaselineCount != nil:
					seen["baseline "+i.BaselineCount.Suppressed]++
				}
			}
		}
	}
	if seen["baseline small"] == 0 {
		t.Errorf("%s: no baseline in persons", slug)
	}
}

// compareFiguresCSV checks the figures CSV says of each focus group what
// the JSON says, value or reason.
func compareFiguresCSV(t *testing.T, env *testkit.Env, slug string, d publicMuni) {
	t.Helper()
	rows := readCSV(t, env, "/api/v1/public/municipalities/"+slug+"/figures.csv")
	got := map[string]publicCount{}
	for _, r := range rows[1:] {
		if r[0] == "focus_group" && r[5] == "participants_total" {
			c := publicCount{Suppressed: r[7]}
			if v, err := strconv.ParseInt(r[6], 10, 64); err == nil {
				c.Value = &v
			}
			if lo, err := strconv.ParseInt(r[8], 10, 64); err == nil {
				c.Min = &lo
			}
			if hi, err := strconv.ParseInt(r[9], 10, 64); err == nil {
				c.Max = &hi
			}
			got[r[1]] = c
		}
	}
	for _, g := range d.FocusGroups.Groups {
		if c, ok := got[fmt.Sprint(g.ID)]; !ok || pageText(c) != pageText(g.Participants.Total) {
			t.Errorf("%s figures.csv, focus group %d: %q, JSON %q", slug, g.ID, pageText(c), pageText(g.Participants.Total))
		}
	}
}

func compareSitans(t *testing.T, env *testkit.Env, slug string, d publicMuni, seen map[string]int) {
	t.Helper()
	if len(d.SituationAnalyses) == 0 {
		t.Fatalf("%s: no published analysis", slug)
	}
	for _, s := range d.SituationAnalyses {
		page := testkit.Body(anonGet(env, fmt.Sprintf("/m/%s/situation-analyses/%d", slug, s.ID)))
		inds := map[string]string{}
		for _, m := range indRowRe.FindAllStringSubmatch(page, -1) {
			inds[m[1]] = m[2]
		}
		if len(inds) != len(s.Indicators) {
			t.Fatalf("%s analysis %d: %d indicators on the page, %d in the JSON", slug, s.ID, len(inds), len(s.Indicators))
		}
		for _, i := range s.Indicators {
			compareCells(t, slug+" "+i.Indicator, numCells(inds[i.Indicator]), []publicCount{i.Value, i.Women, i.Men}, seen)
		}
		groups := groupRowRe.FindAllStringSubmatch(page, -1)
		if len(groups) != len(s.VulnerableGroups) {
			t.Fatalf("%s analysis %d: %d groups on the page, %d in the JSON", slug, s.ID, len(groups), len(s.VulnerableGroups))
		}
		for i, g := range s.VulnerableGroups {
			compareCells(t, fmt.Sprintf("%s group %d", slug, g.Rank), numCells(groups[i][2]), []publicCount{g.Size, g.Women, g.Men}, seen)
		}
	}
}

// Each client address may make opendata.RateLimit requests a minute,
// counted in PostgreSQL: the next one is 429 with Retry-After, also on
// another instance serving the same database.
func TestOpenDataRateLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	path := "/api/v1/public/municipalities"
	// The window is a fixed minute: start well inside one, and count most
	// of the allowance in PostgreSQL at once, so a loaded machine cannot
	// carry the requests over into the next window.
	if left := opendata.RateEvery - time.Duration(time.Now().UnixNano())%opendata.RateEvery; left < 10*time.Second {
		time.Sleep(left + 100*time.Millisecond)
	}
	if resp := anonGet(w.Env, path); resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(opendata.RateLimit-1) {
		t.Fatalf("first request: %d, remaining %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
	const counted = 5
	if err := w.DB.Exec(`UPDATE api_rate_windows SET hits = ?`, opendata.RateLimit-counted).Error; err != nil {
		t.Fatal(err)
	}
	for i := opendata.RateLimit - counted + 1; i <= opendata.RateLimit; i++ {
		resp := anonGet(w.Env, path)
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
		if i == opendata.RateLimit && resp.Header.Get("X-RateLimit-Remaining") != "0" {
			t.Errorf("last allowed request: X-RateLimit-Remaining %q", resp.Header.Get("X-RateLimit-Remaining"))
		}
	}
	resp := anonGet(w.Env, path+"/"+w.A.Slug)
	body := testkit.Body(resp)
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || err != nil || retry < 1 || retry > 60 || !strings.Contains(body, `"too_many_requests"`) {
		t.Fatalf("over the limit: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// A second instance on the same database counts against the same allowance.
	second, err := app.NewServer(w.Cfg, w.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err = second.App.Test(httptest.NewRequest("GET", path, nil), -1)
	if err != nil || resp.StatusCode != 429 {
		t.Fatalf("second instance: %v %v", resp.StatusCode, err)
	}
	var hits int
	w.DB.Raw(`SELECT max(hits) FROM api_rate_windows`).Scan(&hits)
	if hits != opendata.RateLimit+2 {
		t.Errorf("counter in PostgreSQL: %d, want %d", hits, opendata.RateLimit+2)
	}
	// Pages and the private API are not counted.
	if resp := w.Login(coordA).Get(fmt.Sprintf("/municipalities/%d", w.A.ID)); resp.StatusCode != 200 {
		t.Errorf("private page after the public limit: %d", resp.StatusCode)
	}
	var stored []string
	w.DB.Model(&struct{ Bucket string }{}).Table("api_rate_windows").Pluck("bucket", &stored)
	for _, b := range stored {
		if strings.Contains(b, "0.0.0.0") || strings.Contains(b, "127.0.0.1") {
			t.Errorf("an address is stored: %q", b)
		}
	}
}
