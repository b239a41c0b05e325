package app

import (
	"runtime"

	"github.com/gofiber/fiber/v2"
)

// Admission: at most a few requests are handled at once; the others wait
// their turn, first come first served.
//
// Without it, under national load every request that arrives is handled at
// once, and the CPU is shared among all of them: a request that needs
// several round trips to PostgreSQL (a progress save makes about fifteen)
// waits behind every other runnable request after each of them, so the
// longer a request's work, the more its latency grows (the mixed workload
// of docs/benchmarks.md: saves at 10/s took 195 ms at p99 while their work
// is under 10 ms). Letting a few run and queueing the rest in order keeps
// each running request quick, and a queued one waits about as long as the
// mean, whatever its kind. The limit is per instance, a few per CPU: enough
// to keep the CPUs busy while some requests wait on PostgreSQL.

// activeLimit is the number of requests handled at once for a setting of
// PAKT_MAX_ACTIVE (0: 4 per CPU).
func activeLimit(setting int) int {
	if setting > 0 {
		return setting
	}
	return 4 * runtime.GOMAXPROCS(0)
}

// admission lets at most n requests past at once. A request waits for its
// turn until its own deadline (timeoutContext), then is refused as busy.
func admission(n int) fiber.Handler {
	slots := make(chan struct{}, n) // a channel wakes its waiters in order
	return func(c *fiber.Ctx) error {
		select {
		case slots <- struct{}{}:
		case <-c.UserContext().Done():
			c.Set(fiber.HeaderRetryAfter, "5")
			return fiber.ErrServiceUnavailable
		}
		defer func() { <-slots }()
		return c.Next()
	}
}
