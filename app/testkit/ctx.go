package testkit

import (
	"context"
	"testing"
)

func ctxT(t testing.TB) context.Context {
	if tt, ok := t.(*testing.T); ok {
		return tt.Context()
	}
	return context.Background()
}
