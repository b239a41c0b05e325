package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"

	"pakt/database"
	"pakt/migrations"
)

// OpenDB opens the pool (see database.Open).
func OpenDB(url string, maxConns int, timeout time.Duration) (*gorm.DB, *sql.DB, error) {
	return database.Open(url, maxConns, timeout)
}

// migrationProvider runs the embedded migrations; the session locker takes a
// PostgreSQL advisory lock so two instances starting together migrate once.
func migrationProvider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithSessionLocker(locker))
}

// Migrate applies every pending migration.
func Migrate(ctx context.Context, db *sql.DB) (int64, error) {
	p, err := migrationProvider(db)
	if err != nil {
		return 0, err
	}
	if err := checkNotNewer(ctx, p); err != nil {
		return 0, err
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return p.GetDBVersion(ctx)
}

// checkNotNewer refuses a database migrated by a newer binary: this one would
// not know its tables.
func checkNotNewer(ctx context.Context, p *goose.Provider) error {
	dbv, err := p.GetDBVersion(ctx)
	if err != nil {
		return nil // no version table yet: a fresh database
	}
	var max int64
	for _, s := range p.ListSources() {
		if s.Version > max {
			max = s.Version
		}
	}
	if dbv > max {
		return fmt.Errorf("the database schema is at version %d but this pakt binary knows only up to %d: run a newer pakt", dbv, max)
	}
	return nil
}
