package models_test

import (
	"testing"

	"pakt/app/testkit"
)

// TestMain starts the test PostgreSQL once for the package; every test that
// calls testkit.DB gets its own freshly migrated clone, so all of them may
// run in parallel.
func TestMain(m *testing.M) { testkit.Main(m) }
