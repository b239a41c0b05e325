package models_test

import (
	"testing"

	"pakt/dbtest"
)

// TestMain starts the test PostgreSQL once for the package; every test that
// calls dbtest.DB gets its own freshly migrated clone, so all of them may
// run in parallel.
func TestMain(m *testing.M) { dbtest.Main(m) }
