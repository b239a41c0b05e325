package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"gorm.io/gorm"

	"pakt/jobs"
	"pakt/mail"
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
	if err := ImportAttachmentFiles(ctx, db, cfg.DataDir, log); err != nil {
		log.Error("importing old uploaded files failed; the next start tries again", "err", err.Error())
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
	runner, err := startJobs(ctx, cfg, db, log)
	if err != nil {
		ln.Close()
		return err
	}
	go purgeSessions(ctx, srv, cfg, log)
	log.Info("serving", "addr", cfg.Addr, "base_url", cfg.BaseURL, "schema_version", v, "version", Version)
	errc := make(chan error, 1)
	go func() { errc <- srv.App.Listener(ln) }()
	select {
	case err := <-errc:
		return errors.Join(err, stopJobs(runner, log))
	case <-ctx.Done():
	}
	log.Info("shutting down")
	err = srv.App.ShutdownWithTimeout(30 * time.Second)
	return errors.Join(err, stopJobs(runner, log))
}

// startJobs starts the River workers: the mail outbox and the periodic
// reminder pass. Every instance runs them; River gives each job to one.
func startJobs(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger) (*jobs.Runner, error) {
	var sender *mail.Sender
	if cfg.SMTP != nil {
		s, err := mail.NewSender(*cfg.SMTP, cfg.MailFrom)
		if err != nil {
			return nil, err
		}
		sender = s
		log.Info("mail goes out over SMTP", "server", cfg.SMTP.String())
	} else {
		log.Warn("no PAKT_SMTP_URL: mail is kept in the outbox for platform admins", "read_at", OutboxURL(cfg))
	}
	return jobs.Start(ctx, db, jobs.Config{DatabaseURL: cfg.DatabaseURL, BaseURL: cfg.BaseURL, Sender: sender,
		RemindEvery: cfg.RemindEvery, WebhookAllowPrivate: cfg.WebhookAllowPrivate, Logger: log})
}

// stopJobs lets running jobs finish (a mail being sent, a reminder pass)
// for up to 30 seconds.
func stopJobs(r *jobs.Runner, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := r.Stop(ctx)
	if err != nil {
		log.Error("stopping the job workers failed", "err", err.Error())
	}
	return err
}

// OutboxURL is where platform admins read the mail kept without SMTP.
func OutboxURL(cfg Config) string { return cfg.BaseURL + "/admin/outbox" }

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
