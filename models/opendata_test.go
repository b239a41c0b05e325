package models_test

import (
	"sort"
	"sync"
	"testing"
	"time"

	"pakt/models"
)

// Concurrent requests of one client, as from several instances, each count
// exactly once in the shared window; other clients have their own.
func TestHitRateCountsOnceAcrossConnections(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const n = 24
	hits := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := models.HitRate(w.ctx, w.db, "client-a", time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			hits[i] = r.Hits
			if until := time.Until(r.Reset); until <= 0 || until > time.Minute {
				t.Errorf("window ends in %v", until)
			}
		}()
	}
	wg.Wait()
	sort.Ints(hits)
	for i, h := range hits {
		if h != i+1 {
			t.Fatalf("counts %v, want 1..%d each once", hits, n)
		}
	}
	r, err := models.HitRate(w.ctx, w.db, "client-b", time.Minute)
	if err != nil || r.Hits != 1 {
		t.Fatalf("another client: %+v %v", r, err)
	}
}
