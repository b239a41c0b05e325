//go:build audit

package handlers_test

// Lighthouse's best-practices category on every main page of the audit
// (issue #16), signed in as the person who uses it, run by `make audit`
// (tag audit: Lighthouse is a pinned npm tool, installed by `npm ci`, and it
// takes seconds a page, too slow for make test). Lighthouse starts its own
// Chromium; the signed-in pages get the session cookie the test's sign-in
// made, as an extra request header.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"pakt/web"
)

const lighthouseBin = "../node_modules/.bin/lighthouse"

// lighthouseResult is the part of Lighthouse's JSON report the test reads.
type lighthouseResult struct {
	Categories map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Title        string   `json:"title"`
		Score        *float64 `json:"score"`
		ScoreDisplay string   `json:"scoreDisplayMode"`
		Details      struct {
			Items []json.RawMessage `json:"items"`
		} `json:"details"`
	} `json:"audits"`
	RuntimeError *struct {
		Code, Message string
	} `json:"runtimeError"`
}

// TestLighthouseBestPractices requires a best-practices score of 100 on
// every page of the audit, and lists each failing audit with its items.
func TestLighthouseBestPractices(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(lighthouseBin); err != nil {
		t.Fatalf("%s is missing: run npm ci", lighthouseBin)
	}
	f := newAuditFixture(t)
	base := serveHTTP(t, f.w)
	for _, r := range auditRoles(f) {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel() // one Lighthouse (and Chromium) per role, at most -parallel at once
			cookie := ""
			if r.who != "" {
				cookie = web.SessionCookie + "=" + f.w.Login(r.who).Cookie(web.SessionCookie)
			}
			for _, p := range r.pages {
				if p.width != 0 || p.dark {
					continue // the same document as at 1280 px, light
				}
				start := time.Now()
				res := runLighthouse(t, base+p.path, cookie)
				t.Logf("%s: %s", p.name, time.Since(start).Round(time.Second))
				if bad := lighthouseFailures(res); len(bad) > 0 {
					t.Errorf("%s (%s): best practices below 100:\n  %s", p.name, p.path, strings.Join(bad, "\n  "))
				}
			}
		})
	}
}

// runLighthouse audits one URL for best practices in a fresh headless
// Chromium and returns the parsed report.
func runLighthouse(t *testing.T, url, cookie string) *lighthouseResult {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	args := []string{url, "--only-categories=best-practices", "--output=json", "--output-path=" + out,
		"--quiet", "--preset=desktop", "--max-wait-for-load=30000",
		"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run " +
			"--disable-background-networking --disable-component-update --disable-sync"}
	if cookie != "" {
		headers, _ := json.Marshal(map[string]string{"Cookie": cookie})
		args = append(args, "--extra-headers="+string(headers))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, lighthouseBin, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromiumPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lighthouse %s: %v\n%s", url, err, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res lighthouseResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("lighthouse report of %s: %v", url, err)
	}
	if res.RuntimeError != nil && res.RuntimeError.Code != "" {
		t.Fatalf("lighthouse %s: %s: %s", url, res.RuntimeError.Code, res.RuntimeError.Message)
	}
	return &res
}

// lighthouseFailures names each weighted best-practices audit that did not
// pass, or a missing score.
func lighthouseFailures(res *lighthouseResult) []string {
	cat, ok := res.Categories["best-practices"]
	if !ok || cat.Score == nil {
		return []string{"no best-practices score"}
	}
	var bad []string
	for _, ref := range cat.AuditRefs {
		a := res.Audits[ref.ID]
		if a.ScoreDisplay == "notApplicable" || a.ScoreDisplay == "informative" || a.ScoreDisplay == "manual" {
			continue
		}
		if a.Score != nil && *a.Score >= 1 {
			continue
		}
		line := fmt.Sprintf("%s (%s, weight %g)", ref.ID, a.Title, ref.Weight)
		for _, it := range a.Details.Items {
			line += "\n    " + string(it)
		}
		bad = append(bad, line)
	}
	sort.Strings(bad)
	if len(bad) == 0 && *cat.Score < 1 {
		bad = append(bad, fmt.Sprintf("score %.2f with no failing audit listed", *cat.Score))
	}
	return bad
}
