package app

import (
	"context"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"pakt/models"
)

// serve migrates (under the advisory lock), then serves until ctx ends, then
// shuts down gracefully: in-flight requests finish.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	db, sqlDB, err := OpenDB(cfg.DatabaseURL, cfg.DBMaxConns, cfg.DBTimeout)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	v, err := Migrate(ctx, sqlDB)
	if err != nil {
		return err
	}
	setMemoryLimit(cfg, log)
	srv, err := NewServer(cfg, db, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	go purgeSessions(ctx, srv, cfg, log)
	log.Info("serving", "addr", cfg.Addr, "base_url", cfg.BaseURL, "schema_version", v, "version", Version)
	errc := make(chan error, 1)
	go func() { errc <- srv.App.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return srv.App.ShutdownWithTimeout(30 * time.Second)
}

// purgeSessions deletes idle sessions now and then; any instance may do it.
func purgeSessions(ctx context.Context, srv *Server, cfg Config, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := models.PurgeIdleSessions(ctx, srv.Handler.Kernel.DB, cfg.SessionIdle); err != nil {
				log.Warn("purging sessions failed", "err", err.Error())
			}
		}
	}
}

// setMemoryLimit applies PAKT_MEMORY_LIMIT unless GOMEMLIMIT is set (the Go
// runtime has read that already). Under load, big pages and PDFs rendered at
// once let the heap grow to several times its live size before the
// collector runs; the limit makes it collect earlier instead.
func setMemoryLimit(cfg Config, log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" || cfg.MemoryLimit <= 0 {
		return
	}
	debug.SetMemoryLimit(cfg.MemoryLimit)
	log.Info("memory limit", "bytes", cfg.MemoryLimit)
}
