package app

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Admission: at most a few requests are handled at once; the others wait
// their turn, first come first served, changes before reads.
//
// Without it, under national load every request that arrives is handled at
// once, and the CPU is shared among all of them: a request that needs
// several round trips to PostgreSQL (a progress save makes about a dozen)
// waits behind every other runnable request after each of them, so the
// longer a request's work, the more its latency grows (the mixed workload
// of docs/benchmarks.md: saves at 10/s took 195 ms at p99 while their work
// is under 10 ms). Letting a few run and queueing the rest keeps each
// running request quick, and a queued one waits about as long as the mean,
// whatever its kind. The limit is per instance, a few per CPU: enough to
// keep the CPUs busy while some requests wait on PostgreSQL.
//
// A change (POST, PUT, PATCH, DELETE) waiting for a turn goes before the
// reads waiting: someone pressed save and waits for it, changes are few
// next to reads (people type them), and the sooner a change commits the
// sooner the pages it changes are drawn anew.

// activeLimit is the number of requests handled at once for a setting of
// PAKT_MAX_ACTIVE (0: 4 per CPU).
func activeLimit(setting int) int {
	if setting > 0 {
		return setting
	}
	return 4 * runtime.GOMAXPROCS(0)
}

// turns hands out n slots: to the waiting changes first, then to the
// waiting reads, each in the order they came.
type turns struct {
	mu             sync.Mutex
	free           int
	changes, reads []chan struct{} // waiting; a slot is handed over by closing
}

// take waits for a slot until ctx ends; false when it ended first.
func (t *turns) take(ctx context.Context, change bool) bool {
	t.mu.Lock()
	if t.free > 0 {
		t.free--
		t.mu.Unlock()
		return true
	}
	ch := make(chan struct{})
	queue := &t.reads
	if change {
		queue = &t.changes
	}
	*queue = append(*queue, ch)
	t.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		t.mu.Lock()
		i := slices.Index(*queue, ch)
		if i >= 0 {
			*queue = slices.Delete(*queue, i, i+1)
		}
		t.mu.Unlock()
		if i < 0 { // handed a slot as the wait ended: pass it on
			t.give()
		}
		return false
	}
}

// give returns a slot: to the next waiting change, else the next read.
func (t *turns) give() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, queue := range []*[]chan struct{}{&t.changes, &t.reads} {
		if len(*queue) > 0 {
			close((*queue)[0])
			*queue = (*queue)[1:]
			return
		}
	}
	t.free++
}

// admission lets at most n requests past at once. A request waits for its
// turn until its own deadline (timeoutContext), then is refused as busy.
func admission(n int) fiber.Handler {
	t := &turns{free: n}
	return func(c *fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			if !t.take(c.UserContext(), false) {
				return busy(c)
			}
		default:
			if !t.take(c.UserContext(), true) {
				return busy(c)
			}
		}
		defer t.give()
		return c.Next()
	}
}

func busy(c *fiber.Ctx) error {
	c.Set(fiber.HeaderRetryAfter, "5")
	return fiber.ErrServiceUnavailable
}
