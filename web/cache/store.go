// Package cache keeps rendered bytes (page fragments, JSON, PDFs) in
// memory, bounded by their total size, and renders each missing key once
// however many requests ask for it at the same moment.
//
// Keys must name everything the bytes depend on. Pakt builds them from a
// municipality's content revision (models.RevisionOf), which the database
// raises on every write, so an entry is never stale: a write makes a new key
// and the old entry ages out. That is also why several instances can each
// keep their own cache.
package cache

import (
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/sync/singleflight"
)

// Cache is safe for concurrent use. The zero value is not; use New.
type Cache struct {
	mu       sync.Mutex
	lru      *lru.LRU[string, []byte]
	bytes    int
	maxBytes int
	maxEntry int
	group    singleflight.Group

	hits, misses atomic.Int64
}

// New makes a cache holding at most maxBytes of values; a value larger than
// an eighth of that is never kept (it would evict too much). maxBytes 0
// disables caching: Do always renders.
func New(maxBytes int) *Cache {
	c := &Cache{maxBytes: maxBytes, maxEntry: maxBytes / 8}
	// The entry count is bounded by bytes, not by this number.
	c.lru, _ = lru.NewLRU[string, []byte](1<<20, func(_ string, v []byte) { c.bytes -= len(v) })
	return c
}

// Get returns the cached bytes of key. Callers must not modify them.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.lru.Get(key)
	return v, ok
}

// Do returns the bytes of key, calling render when they are not cached.
// Concurrent calls for the same missing key share one render. Errors are
// not cached.
func (c *Cache) Do(key string, render func() ([]byte, error)) ([]byte, error) {
	if v, ok := c.Get(key); ok {
		c.hits.Add(1)
		return v, nil
	}
	c.misses.Add(1)
	v, err, _ := c.group.Do(key, func() (any, error) {
		if v, ok := c.Get(key); ok {
			return v, nil
		}
		b, err := render()
		if err != nil {
			return nil, err
		}
		c.put(key, b)
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

func (c *Cache) put(key string, b []byte) {
	if len(b) > c.maxEntry {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.lru.Peek(key); ok {
		c.bytes -= len(old)
	}
	c.lru.Add(key, b)
	c.bytes += len(b)
	for c.bytes > c.maxBytes {
		c.lru.RemoveOldest()
	}
}

// Stats are the cache's counters since the start.
type Stats struct {
	Hits     int64 `json:"hits"`      // Do calls that found their key
	Misses   int64 `json:"misses"`    // Do calls that rendered
	Entries  int   `json:"entries"`   // entries held
	Bytes    int   `json:"bytes"`     // bytes held
	MaxBytes int   `json:"max_bytes"` // the size it may grow to (PAKT_CACHE_SIZE)
}

// Stats tells how many Do calls found their key and how many rendered, and
// what is held.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Entries: c.lru.Len(), Bytes: c.bytes, MaxBytes: c.maxBytes}
}
