package pdf

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// More callers than slots all get their render, never more than the size
// at once; a caller whose context ends while waiting gets ErrBusy.
func TestGate(t *testing.T) {
	t.Parallel()
	g := NewGate(2)
	var running, most atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := g.Do(context.Background(), func() ([]byte, error) {
				n := running.Add(1)
				defer running.Add(-1)
				for p := most.Load(); n > p && !most.CompareAndSwap(p, n); p = most.Load() {
				}
				<-release
				return []byte("ok"), nil
			})
			if err != nil || string(out) != "ok" {
				t.Errorf("render: %q %v", out, err)
			}
		}()
	}
	waitFor(t, func() bool { return running.Load() == 2 })
	// Both slots are taken: a caller with a deadline gives up.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := g.Do(ctx, func() ([]byte, error) { t.Error("rendered without a slot"); return nil, nil })
	if !errors.Is(err, ErrBusy) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting past the deadline: %v", err)
	}
	close(release)
	wg.Wait()
	if most.Load() != 2 || g.Peak() != 2 {
		t.Fatalf("renders at once: %d (peak %d), want 2", most.Load(), g.Peak())
	}
	g.ResetPeak()
	if g.Peak() != 0 || g.Size() != 2 {
		t.Fatalf("after the renders: peak %d, size %d", g.Peak(), g.Size())
	}
	if NewGate(0).Size() != 1 {
		t.Fatal("a gate must let one render through")
	}
	// A render's error is passed on and frees the slot.
	boom := errors.New("boom")
	for i := 0; i < 3; i++ {
		if _, err := g.Do(context.Background(), func() ([]byte, error) { return nil, boom }); err != boom {
			t.Fatalf("error: %v", err)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}
