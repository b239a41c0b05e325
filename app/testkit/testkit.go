// Package testkit builds the whole application on a fresh database for one
// test (NewEnv) and drives it like a browser or an API client. The database
// part is package dbtest.
package testkit

import (
	"testing"

	"gorm.io/gorm"

	"pakt/dbtest"
)

// Main wraps testing.M: call it from TestMain of every package that needs PostgreSQL.
func Main(m *testing.M) { dbtest.Main(m) }

// ServerURL is the admin connection URL of the test PostgreSQL server.
func ServerURL() string { return dbtest.ServerURL() }

// DatabaseURL gives the test a fresh, fully migrated database and returns its URL.
func DatabaseURL(t testing.TB) string { return dbtest.DatabaseURL(t) }

// DB opens a fresh migrated database for one test; closed at cleanup.
func DB(t testing.TB) *gorm.DB { return dbtest.DB(t) }
