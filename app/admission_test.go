package app

import (
	"net/http"
	"net/http/httptest"
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
