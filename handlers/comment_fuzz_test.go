package handlers_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/models"
)

// commentWorld is built once per fuzz target (per process), not per input:
// municipality A with a plan in consultation (with a measure), a plan whose
// consultation has closed, a draft, and municipality B with its own plan in
// consultation; an anonymous browser session with its CSRF token.
type commentWorld struct {
	e                       *testkit.Env
	log                     *fuzzLog
	slugA, slugB            string
	open, closed, draft     int64
	openB                   int64
	measure, measureB       int64
	sessionCookie, csrf     string
	allowedHTML, allowedAPI []int
}

func newCommentWorld(f *testing.F) *commentWorld {
	f.Helper()
	// testkit.NewEnv would log server errors to f, which must not be used
	// inside the fuzz function: the log goes to the current input's t.
	log := &fuzzLog{}
	cfg, problems := app.LoadConfig(func(string) string { return "" })
	if len(problems) > 0 {
		f.Fatal(problems)
	}
	cfg.DataDir = f.TempDir()
	db := testkit.DB(f)
	srv, err := app.NewServer(cfg, db, slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		f.Fatal(err)
	}
	e := &testkit.Env{T: f, DB: db, Srv: srv, Cfg: cfg}
	a, b := e.Municipality("Bratunac"), e.Municipality("Zvornik")
	orgA, orgA2 := e.Organisation(a.ID, "Općina Bratunac", "municipality"), e.Organisation(a.ID, "Biro Bratunac", "pes")
	orgB, orgB2 := e.Organisation(b.ID, "Općina Zvornik", "municipality"), e.Organisation(b.ID, "Biro Zvornik", "pes")
	e.User("coord.a@fuzz.ba", false, &orgA.ID, a.ID, models.RoleCoordinator)
	e.User("coord.b@fuzz.ba", false, &orgB.ID, b.ID, models.RoleCoordinator)
	tokA, tokB := e.Token("coord.a@fuzz.ba"), e.Token("coord.b@fuzz.ba")
	w := &commentWorld{e: e, log: log, slugA: a.Slug, slugB: b.Slug,
		allowedHTML: []int{303, 404, 409, 422, 429}, allowedAPI: []int{201, 404, 409, 422, 429}}
	w.open, w.measure = fuzzPlan(f, e, tokA, a.ID, orgA.ID, orgA2.ID, true)
	w.closed, _ = fuzzPlan(f, e, tokA, a.ID, orgA.ID, orgA2.ID, true)
	w.draft, _ = fuzzPlan(f, e, tokA, a.ID, orgA.ID, orgA2.ID, false)
	w.openB, w.measureB = fuzzPlan(f, e, tokB, b.ID, orgB.ID, orgB2.ID, true)
	// The consultation of "closed" ended yesterday.
	if err := e.DB.Exec(`UPDATE action_plans SET consultation_closes_on = current_date - 1 WHERE id = ?`, w.closed).Error; err != nil {
		f.Fatal(err)
	}
	br := e.Anonymous()
	if resp := br.Get(fmt.Sprintf("/m/%s/plans/%d", a.Slug, w.open)); resp.StatusCode != 200 || br.CSRF == "" {
		f.Fatalf("public plan page: %d, csrf %q", resp.StatusCode, br.CSRF)
	}
	w.sessionCookie, w.csrf = br.Cookie("pakt_session"), br.CSRF
	if w.sessionCookie == "" {
		f.Fatal("the public plan page gave no session cookie")
	}
	return w
}

// fuzzPlan makes a plan with one measure through the API; open publishes it
// for consultation until 2099.
func fuzzPlan(f *testing.F, e *testkit.Env, tok string, muniID, lead, partner int64, open bool) (planID, measureID int64) {
	f.Helper()
	call := func(method, path string, body any, want int) []byte {
		resp := e.API(tok, method, path, body)
		raw := testkit.Body(resp)
		if resp.StatusCode != want {
			f.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		return []byte(raw)
	}
	var p, o, m struct{ ID int64 }
	_ = json.Unmarshal(call("POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", muniID),
		map[string]any{"title": "Lokalni akcioni plan zapošljavanja", "period_start": "2017-01-01", "period_end": "2018-12-31"}, 201), &p)
	_ = json.Unmarshal(call("POST", fmt.Sprintf("/api/v1/action-plans/%d/objectives", p.ID),
		map[string]any{"code": "C1", "title": "Povećati zaposlenost ranjivih grupa"}, 201), &o)
	_ = json.Unmarshal(call("POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", p.ID), map[string]any{
		"code": "M1", "title": "Obuka za njegovateljice", "description": "Opis", "objective_id": o.ID,
		"groups": []string{"roma", "women"}, "lead_organisation_id": lead, "partner_organisation_ids": []int64{partner},
		"start_date": "2017-03-01", "end_date": "2018-06-30",
		"indicators": []map[string]any{{"name": "Zaposlene žene", "unit": "osoba", "baseline": "0", "target": 25}},
		"budget":     []map[string]any{{"year": 2017, "source": "municipal", "funder": "UNDP", "amount": "1500.50"}}}, 201), &m)
	if open {
		call("POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", p.ID), map[string]any{"closes_on": "2099-12-31"}, 200)
	}
	return p.ID, m.ID
}

// target picks the plan a fuzz input comments on: the open plan (most of
// the time), the closed one (409), the draft (404), another municipality's
// open plan (under A's slug in the form: 404; by id in the API: fine), or a
// plan that does not exist (404).
func (w *commentWorld) target(sel uint8) (slug string, planID int64) {
	switch sel % 8 {
	case 4:
		return w.slugA, w.closed
	case 5:
		return w.slugA, w.draft
	case 6:
		return w.slugA, w.openB
	case 7:
		return w.slugB, 999999999
	}
	return w.slugA, w.open
}

// measureFor resolves the fuzzed measure_id: "$m" is the plan's own measure,
// "$b" a measure of another plan; anything else is sent as it is.
func (w *commentWorld) measureFor(s string) string {
	switch s {
	case "$m":
		return strconv.FormatInt(w.measure, 10)
	case "$b":
		return strconv.FormatInt(w.measureB, 10)
	}
	return s
}

// fuzzLog sends the server's log to the test of the input being run.
type fuzzLog struct {
	mu sync.Mutex
	t  *testing.T
}

func (l *fuzzLog) set(t *testing.T) {
	l.mu.Lock()
	l.t = t
	l.mu.Unlock()
}

func (l *fuzzLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.t != nil {
		l.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

// FuzzPublicComment posts fuzzed comments through the public form and the
// public API, end to end against PostgreSQL: the answer is never a 5xx, only
// 201/303 (stored, exactly as sent), 404, 409, 422 or 429; a stored comment
// is pending moderation and holds the trimmed text and name.
func FuzzPublicComment(f *testing.F) {
	// Fuzz workers are separate processes that run TestMain again; let them
	// reuse this process's PostgreSQL instead of each starting its own.
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" && os.Getenv("TEST_DATABASE_URL") == "" {
		f.Setenv("TEST_DATABASE_URL", testkit.ServerURL())
	}
	f.Add("Trebalo bi uključiti i prevoz.", "Amra", "$m", false, uint8(0))
	f.Add("Trebalo bi uključiti i prevoz.", "", "", true, uint8(0))
	f.Add("Ђорђе: план не спомиње повратнике", "Ђорђе", "$m", true, uint8(1))
	f.Add("", "Niko", "", false, uint8(0))
	f.Add("   ", "   ", "0", true, uint8(0))
	f.Add(strings.Repeat("ž", 3001), "x", "", false, uint8(0))
	f.Add("ok", strings.Repeat("n", 101), "", true, uint8(0))
	f.Add("mjera druge općine", "", "$b", false, uint8(0))
	f.Add("mjera druge općine", "", "$b", true, uint8(0))
	f.Add("zatvoreno", "", "", false, uint8(4))
	f.Add("nacrt", "", "", true, uint8(5))
	f.Add("tuđi plan", "", "$m", false, uint8(6))
	f.Add("nema plana", "", "", true, uint8(7))
	f.Add("<script>alert(1)</script>", "=cmd|' /C calc'!A0", "-1", false, uint8(0))
	f.Add("a&_csrf=x&measure_id=1", "b", "9223372036854775807", false, uint8(0))
	f.Add("a", "b", "99999999999999999999", true, uint8(0))
	w := newCommentWorld(f)
	f.Fuzz(func(t *testing.T, text, name, measure string, viaAPI bool, sel uint8) {
		w.log.set(t)
		defer w.log.set(nil)
		// Each input starts below the per-address limit (5 an hour).
		if err := w.e.DB.Exec(`DELETE FROM plan_comments`).Error; err != nil {
			t.Fatal(err)
		}
		slug, planID := w.target(sel)
		measure = w.measureFor(measure)
		var req *http.Request
		allowed := w.allowedHTML
		if viaAPI {
			allowed = w.allowedAPI
			body := map[string]any{"text": text, "name": name}
			if n, err := strconv.ParseInt(measure, 10, 64); err == nil {
				body["measure_id"] = n
			}
			raw, _ := json.Marshal(body)
			// encoding/json sends invalid UTF-8 as U+FFFD: that is what the server gets.
			_ = json.Unmarshal(raw, &body)
			text, name = body["text"].(string), body["name"].(string)
			path := fmt.Sprintf("/api/v1/public/action-plans/%d/comments", planID)
			if sel%8 == 7 {
				path = "/api/v1/public/action-plans/999999999/comments"
			}
			req = httptest.NewRequest("POST", path, strings.NewReader(string(raw)))
			req.Header.Set("Content-Type", "application/json")
		} else {
			form := url.Values{"text": {text}, "name": {name}, "measure_id": {measure}, "_csrf": {w.csrf}}
			req = httptest.NewRequest("POST", fmt.Sprintf("/m/%s/plans/%d/comments", slug, planID), strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "pakt_session", Value: w.sessionCookie})
		}
		resp, err := w.e.Srv.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !slices.Contains(allowed, resp.StatusCode) {
			t.Fatalf("api=%v plan=%d text=%q name=%q measure_id=%q: status %d, want one of %v\n%.500s",
				viaAPI, planID, text, name, measure, resp.StatusCode, allowed, raw)
		}
		if resp.StatusCode != 201 && resp.StatusCode != 303 {
			return
		}
		// The form checks the slug; the API addresses the plan by id only.
		ownMeasure := map[int64]int64{w.open: w.measure}
		if viaAPI {
			ownMeasure[w.openB] = w.measureB
		}
		want, ok := ownMeasure[planID]
		if !ok {
			t.Fatalf("a comment on plan %d (not open for comments here) was accepted: %d", planID, resp.StatusCode)
		}
		var got []models.Comment
		if err := w.e.DB.Where("plan_id = ?", planID).Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("accepted (%d) but %d comments stored", resp.StatusCode, len(got))
		}
		c := got[0]
		if c.Text != strings.TrimSpace(text) || c.Name != strings.TrimSpace(name) || c.Moderation != "pending" {
			t.Fatalf("stored text %q name %q moderation %s; sent text %q name %q", c.Text, c.Name, c.Moderation, text, name)
		}
		if c.MeasureID != nil && *c.MeasureID != want {
			t.Fatalf("stored measure %d, which is not a measure of the plan", *c.MeasureID)
		}
	})
}
