package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/views/pdf"
	"pakt/web/cache"
)

// The summary JSON is cached: byte for byte what an uncached server sends,
// new after every write to the municipality, untouched by writes elsewhere.
func TestPlanSummaryCache(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, view := w.Token(coordA), w.Token(member), w.Token(viewer)
	planID, mID, indID := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	expect(t, w.API(mem, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per), progressBody(indID, "100.00", 20, 12, 8)), 200, "report")

	for _, q := range []string{"", fmt.Sprintf("?period_id=%d", per)} {
		path := fmt.Sprintf("/api/v1/action-plans/%d/summary%s", planID, q)
		first := w.API(view, "GET", path, nil)
		cached := expect(t, first, 200, "summary")
		var again *http.Response
		expectHit(t, w, "summary again", func() { again = w.API(view, "GET", path, nil) })
		kept := w.Srv.Handler.Kernel.Cache
		w.Srv.Handler.Kernel.Cache = cache.New(0)
		plain := w.API(view, "GET", path, nil)
		w.Srv.Handler.Kernel.Cache = kept
		if got := expect(t, again, 200, "summary again"); got != cached {
			t.Errorf("%s: second answer differs from the first", path)
		}
		if got := expect(t, plain, 200, "uncached summary"); got != cached {
			t.Errorf("%s: cached JSON differs from uncached:\n%s\n%s", path, cached, got)
		}
		if a, b := first.Header.Get("Content-Type"), plain.Header.Get("Content-Type"); a != b || a != "application/json" {
			t.Errorf("%s: content type %q cached, %q uncached", path, a, b)
		}
	}

	// A new report changes the summary at once.
	path := fmt.Sprintf("/api/v1/action-plans/%d/summary?period_id=%d", planID, per)
	expect(t, w.API(mem, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per), progressBody(indID, "250.50", 20, 12, 8), "If-Match", "1"), 200, "edit report")
	if got := expect(t, w.API(view, "GET", path, nil), 200, "summary after the edit"); !strings.Contains(got, `"spent":{"municipal":"250.5"}`) {
		t.Errorf("summary is stale: %s", got)
	}
	// Writes in another municipality do not.
	tokB := w.Token(coordZ)
	expect(t, w.API(tokB, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.B.ID),
		map[string]any{"title": "Plan Zvornik", "period_start": "2017-01-01", "period_end": "2018-12-31"}), 201, "plan in B")
	expectHit(t, w, "summary after a write in B", func() { w.API(view, "GET", path, nil) })
	expect(t, w.API(tokB, "GET", path, nil), 404, "other municipality's summary")
	expect(t, w.API("", "GET", path, nil), 401, "summary without a token")
}

// The draft report PDF is cached per revision and date and follows writes;
// the published one is the registered document.
func TestReportPDFCache(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, mem, view := w.Token(coordA), w.Token(member), w.Token(viewer)
	planID, mID, indID := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)
	body := progressBody(indID, "100.00", 20, 12, 8)
	body["narrative"] = "Prva verzija izvještaja o mjeri."
	expect(t, w.API(mem, "PUT", pp, body), 200, "report")
	path := fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", planID, per)

	pdf1 := expect(t, w.API(view, "GET", path, nil), 200, "report PDF")
	var pdf2 string
	expectHit(t, w, "report PDF again", func() { pdf2 = expect(t, w.API(view, "GET", path, nil), 200, "report PDF again") })
	if pdf1 != pdf2 || !strings.Contains(sitanPDFText(t, pdf1), "Prva verzija izvještaja") {
		t.Fatal("cached report differs or lacks the narrative")
	}
	expectMiss(t, w, "report PDF in English", func() { expect(t, w.API(view, "GET", path+"&lang=en", nil), 200, "report PDF en") })

	body["narrative"] = "Druga verzija izvještaja o mjeri."
	expect(t, w.API(mem, "PUT", pp, body, "If-Match", "1"), 200, "edit report")
	if text := sitanPDFText(t, expect(t, w.API(view, "GET", path, nil), 200, "report after the edit")); !strings.Contains(text, "Druga verzija izvještaja") {
		t.Error("report PDF is stale after the progress edit")
	}
	expect(t, w.API(w.Token(coordZ), "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.B.ID),
		map[string]any{"title": "Plan Zvornik", "period_start": "2017-01-01", "period_end": "2018-12-31"}), 201, "plan in B")
	expectHit(t, w, "report after a write in B", func() { w.API(view, "GET", path, nil) })
	expect(t, w.API(w.Token(coordZ), "GET", path, nil), 404, "other municipality's report")

	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 200, "close")
	checkPublish(t, w, tok, planID, per) // the public report is the registered document, also when cached
	pub := expect(t, w.API("", "GET", path, nil), 200, "published report")
	expectHit(t, w, "published report again", func() {
		if again := expect(t, w.API("", "GET", path, nil), 200, "published report again"); again != pub {
			t.Error("published report changed")
		}
	})
}

// More PDF requests than CPUs all succeed, never more renders at once than
// CPUs; a request whose deadline passes while all slots are busy gets 503.
func TestPDFRenderGate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, indID := adoptedPlan(t, w, tok)
	per := openPeriod(t, w, tok, planID, "2017", "2017-01-01", "2017-12-31")
	expect(t, w.API(w.Token(member), "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per), progressBody(indID, "100.00", 20, 12, 8)), 200, "report")
	paths := []string{fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", planID, per), fmt.Sprintf("/api/v1/action-plans/%d/pdf", planID)}

	kept := w.Srv.Handler.Kernel.Cache
	w.Srv.Handler.Kernel.Cache = cache.New(0) // every request renders
	defer func() { w.Srv.Handler.Kernel.Cache = kept }()
	pdf.Renders.ResetPeak()
	n := 3*runtime.NumCPU() + 2
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := w.Srv.App.Test(apiRequest(tok, paths[i%2]), -1)
			if err != nil {
				t.Errorf("concurrent PDF %d: %v", i, err)
			} else if body := testkit.Body(resp); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
				t.Errorf("concurrent PDF %d: status %d %.80s", i, resp.StatusCode, body)
			}
		}()
	}
	wg.Wait()
	if peak := pdf.Renders.Peak(); peak < 1 || peak > runtime.NumCPU() || pdf.Renders.Size() != runtime.NumCPU() {
		t.Fatalf("%d renders at once with %d CPUs (gate of %d)", peak, runtime.NumCPU(), pdf.Renders.Size())
	}

	// Hold every slot; a server with a short request deadline gives up.
	cfg := w.Cfg
	cfg.RequestTimeout = 300 * time.Millisecond
	srv, err := app.NewServer(cfg, w.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	release, held := make(chan struct{}), make(chan struct{}, pdf.Renders.Size())
	var hold sync.WaitGroup
	for i := 0; i < pdf.Renders.Size(); i++ {
		hold.Add(1)
		go func() {
			defer hold.Done()
			_, _ = pdf.Renders.Do(context.Background(), func() ([]byte, error) {
				held <- struct{}{}
				<-release
				return nil, nil
			})
		}()
	}
	for i := 0; i < pdf.Renders.Size(); i++ {
		<-held
	}
	resp, err := srv.App.Test(apiRequest(tok, paths[0]), -1)
	close(release)
	hold.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(testkit.Body(resp), `"unavailable"`) {
		t.Fatalf("PDF with every slot busy: status %d %s", resp.StatusCode, testkit.Body(resp))
	}
	expect(t, w.API(tok, "GET", paths[0], nil), 200, "PDF once the slots are free")
}

func apiRequest(token, path string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}
