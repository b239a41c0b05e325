package web

import (
	"testing"
	"time"
)

// A pending form post or API call is taken over only once its request has
// surely ended, however long PAKT_REQUEST_TIMEOUT lets requests run.
func TestOnceAbandonedAfterOutlivesRequests(t *testing.T) {
	for timeout, want := range map[time.Duration]time.Duration{
		30 * time.Second: 2 * time.Minute,
		time.Minute:      2 * time.Minute,
		5 * time.Minute:  10 * time.Minute,
	} {
		if got := (&Kernel{RequestTimeout: timeout}).abandonedAfter(); got != want {
			t.Errorf("request timeout %s: taken over after %s, want %s", timeout, got, want)
		}
	}
}
