package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// At most n requests are handled at once: the next one waits for a turn
// and is handled when one ends; one whose deadline passes while it waits is
// refused as busy (503, Retry-After), and nothing of it ran.
func TestAdmissionTakesTurns(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var mu sync.Mutex
	ran := map[string]bool{}
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error {
		wait := 2 * time.Second
		if c.Query("patient") == "" {
			wait = 100 * time.Millisecond
		}
		return timeoutContext(wait)(c)
	}, admission(1))
	app.Get("/", func(c *fiber.Ctx) error {
		mu.Lock()
		ran[c.Query("name")] = true
		mu.Unlock()
		if c.Query("hold") != "" {
			<-release
		}
		return c.SendString("ok")
	})
	get := func(q string) *http.Response {
		resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/?"+q, nil), -1)
		if err != nil {
			t.Error(err)
			return &http.Response{}
		}
		return resp
	}
	first := make(chan *http.Response)
	go func() { first <- get("name=first&hold=1&patient=1") }()
	for { // the first request holds the only slot
		mu.Lock()
		started := ran["first"]
		mu.Unlock()
		if started {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if resp := get("name=hasty"); resp.StatusCode != fiber.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a request that waited past its deadline: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	second := make(chan *http.Response)
	go func() { second <- get("name=second&patient=1") }()
	time.Sleep(20 * time.Millisecond)
	mu.Lock()
	early := ran["second"]
	mu.Unlock()
	close(release)
	if r1, r2 := <-first, <-second; r1.StatusCode != 200 || r2.StatusCode != 200 {
		t.Errorf("queued requests: %d, %d", r1.StatusCode, r2.StatusCode)
	}
	if early || ran["hasty"] {
		t.Errorf("ran while the slot was taken: second %v, hasty %v", early, ran["hasty"])
	}
}

// A change waiting for a turn goes before the reads that were waiting
// already; reads keep their order.
func TestAdmissionChangesFirst(t *testing.T) {
	t.Parallel()
	tr := &turns{free: 1}
	ctx := context.Background()
	if !tr.take(ctx, false) {
		t.Fatal("the free slot was refused")
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	waiting := 0
	wait := func(name string, change bool) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if tr.take(ctx, change) {
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
				tr.give()
			}
		}()
		waiting++
		for { // queued before the next one comes
			tr.mu.Lock()
			n := len(tr.reads) + len(tr.changes)
			tr.mu.Unlock()
			if n == waiting {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	wait("read 1", false)
	wait("read 2", false)
	wait("change", true)
	tr.give()
	wg.Wait()
	if got := strings.Join(order, ", "); got != "change, read 1, read 2" {
		t.Errorf("turns went to %s", got)
	}
	// A wait that ends while queued leaves the queue, and the slot count
	// stays right.
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if !tr.take(ctx, false) || tr.take(short, true) {
		t.Fatal("a second request got the only slot")
	}
	tr.give()
	if tr.free != 1 || len(tr.changes)+len(tr.reads) != 0 {
		t.Errorf("after the wait ended: %d free, %d waiting", tr.free, len(tr.changes)+len(tr.reads))
	}
}
