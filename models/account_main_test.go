package models

import (
	"testing"

	"pakt/dbtest"
)

// TestMain starts the test PostgreSQL (unless TEST_DATABASE_URL is set):
// the account, notification and outbox tests run against real databases,
// each on its own migrated clone (dbtest.DB).
func TestMain(m *testing.M) { dbtest.Main(m) }
