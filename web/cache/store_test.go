package cache

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoRendersOnceAndKeeps(t *testing.T) {
	t.Parallel()
	c := New(1 << 20)
	var renders atomic.Int32
	render := func() ([]byte, error) {
		renders.Add(1)
		return []byte("page"), nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := c.Do("k", render)
			if err != nil || string(b) != "page" {
				t.Errorf("Do = %q, %v", b, err)
			}
		}()
	}
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Fatalf("rendered %d times, want 1", n)
	}
	if _, ok := c.Get("k"); !ok {
		t.Fatal("value not kept")
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	t.Parallel()
	c := New(1 << 20)
	boom := errors.New("boom")
	if _, err := c.Do("k", func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	b, err := c.Do("k", func() ([]byte, error) { return []byte("ok"), nil })
	if err != nil || string(b) != "ok" {
		t.Fatalf("after an error: %q, %v", b, err)
	}
}

func TestBoundedByBytes(t *testing.T) {
	t.Parallel()
	c := New(8000)
	for i := range 100 {
		key := fmt.Sprint(i)
		if _, err := c.Do(key, func() ([]byte, error) { return bytes.Repeat([]byte("x"), 900), nil }); err != nil {
			t.Fatal(err)
		}
	}
	held := c.Stats().Bytes
	if held > 8000 {
		t.Fatalf("holds %d bytes, bound 8000", held)
	}
	if _, ok := c.Get("99"); !ok {
		t.Fatal("the newest entry was evicted")
	}
	if _, ok := c.Get("0"); ok {
		t.Fatal("the oldest entry was kept")
	}
	// Larger than an eighth of the bound: served but not kept.
	big, _ := c.Do("big", func() ([]byte, error) { return make([]byte, 2000), nil })
	if len(big) != 2000 {
		t.Fatal("big value not returned")
	}
	if _, ok := c.Get("big"); ok {
		t.Fatal("a value over the entry bound was kept")
	}
}

func TestDisabled(t *testing.T) {
	t.Parallel()
	c := New(0)
	n := 0
	for range 3 {
		if _, err := c.Do("k", func() ([]byte, error) { n++; return []byte("x"), nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n != 3 {
		t.Fatalf("disabled cache rendered %d times, want 3", n)
	}
}
