package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPasswordGateTurnsAwayWhenFull: with every slot taken for longer than
// gateWait, a check answers ErrRateLimited (429) instead of queueing; once
// a slot frees, checks run again. Not parallel: it holds the global gate.
func TestPasswordGateTurnsAwayWhenFull(t *testing.T) {
	hash, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	for range cap(passwordSlots) {
		passwordSlots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := checkPasswordGated(ctx, hash, "correct horse"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("full gate: %v, want ErrRateLimited", err)
	}
	for range cap(passwordSlots) {
		<-passwordSlots
	}
	ok, err := checkPasswordGated(context.Background(), hash, "correct horse")
	if err != nil || !ok {
		t.Fatalf("free gate: %v %v", ok, err)
	}
}
