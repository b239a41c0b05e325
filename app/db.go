package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"pakt/migrations"
)

// OpenDB opens the pool. statement_timeout bounds every query server-side so a
// runaway query cannot hold a connection forever.
func OpenDB(url string, maxConns int, timeout time.Duration) (*gorm.DB, *sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	cfg.RuntimeParams["statement_timeout"] = fmt.Sprint(timeout.Milliseconds())
	cfg.RuntimeParams["timezone"] = "UTC"
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		SkipDefaultTransaction: true,
		Logger:                 logger.Default.LogMode(logger.Silent),
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	return db, sqlDB, nil
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
