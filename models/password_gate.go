package models

import (
	"context"
	"runtime"
	"time"
)

// Checking a password costs 19 MiB and tens of milliseconds of one core
// (argon2id, password.go). Without a bound, a burst of sign-ins or
// signatures queues every request behind the others until they all pass
// their deadline (the outside review saw 503s from 25 parallel signature
// requests). At most one check per core runs at once; a request that
// cannot get a turn within gateWait is told to come back (429) instead of
// waiting past its deadline.
var passwordSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

const gateWait = 2 * time.Second

// checkPasswordGated is CheckPassword within the bound.
func checkPasswordGated(ctx context.Context, hash, pw string) (bool, error) {
	wait, cancel := context.WithTimeout(ctx, gateWait)
	defer cancel()
	select {
	case passwordSlots <- struct{}{}:
	case <-wait.Done():
		return false, ErrRateLimited
	}
	defer func() { <-passwordSlots }()
	return CheckPassword(hash, pw), nil
}
