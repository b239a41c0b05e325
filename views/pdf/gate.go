package pdf

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
)

// Gate bounds how many documents are rendered at once. Rendering is CPU
// bound, so more renders than CPUs only add memory (tens of MB each) and
// latency for all of them; queued requests wait for a slot instead, as long
// as their context allows.
type Gate struct {
	slots    chan struct{}
	inFlight atomic.Int64
	peak     atomic.Int64
}

// ErrBusy is returned when the context ended before a slot was free.
var ErrBusy = errors.New("pdf: no render slot free")

// NewGate lets n renders run at once (at least one).
func NewGate(n int) *Gate {
	return &Gate{slots: make(chan struct{}, max(n, 1))}
}

// Renders is the gate every PDF of the portal is rendered through.
var Renders = NewGate(runtime.NumCPU())

// Do runs render when a slot is free. If ctx ends first it returns an
// error matching both ErrBusy and the context's error, without rendering.
func (g *Gate) Do(ctx context.Context, render func() ([]byte, error)) ([]byte, error) {
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%w: %w", ErrBusy, context.Cause(ctx))
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", ErrBusy, context.Cause(ctx))
	}
	defer func() { <-g.slots }()
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return render()
}

// Size is the number of renders allowed at once.
func (g *Gate) Size() int { return cap(g.slots) }

// Peak is the most renders that ran at the same time since the last
// ResetPeak (for tests and diagnostics).
func (g *Gate) Peak() int { return int(g.peak.Load()) }

// ResetPeak starts counting Peak anew.
func (g *Gate) ResetPeak() { g.peak.Store(g.inFlight.Load()) }
