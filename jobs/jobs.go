// Package jobs runs Pakt's background work on River, a job queue in
// PostgreSQL: sending the mail outbox and the periodic reminder pass.
// Several instances may run it at once; River hands each job to one of
// them, and only the elected leader schedules the periodic pass.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"pakt/mail"
	"pakt/models"
)

// Config is what the runner needs besides the database.
type Config struct {
	DatabaseURL string        // River's own pgx pool connects here
	BaseURL     string        // PAKT_BASE_URL: links in mails are absolute
	Sender      *mail.Sender  // nil: mail stays in the outbox (status kept)
	RemindEvery time.Duration // PAKT_REMIND_EVERY
	// WebhookAllowPrivate lets deliveries reach loopback and private
	// addresses (PAKT_WEBHOOK_ALLOW_PRIVATE; tests). Off, they are refused.
	WebhookAllowPrivate bool
	// RetryPolicy decides when a failed job runs again; nil is Backoff.
	RetryPolicy river.ClientRetryPolicy
	Logger      *slog.Logger
}

// Runner is a started River client with its connection pool.
type Runner struct {
	client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
}

// Start starts the workers: sending mail (queue "mail") and the reminder
// pass (default queue), which the leader schedules every RemindEvery and
// once at its start.
func Start(ctx context.Context, db *gorm.DB, cfg Config) (*Runner, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RemindEvery <= 0 {
		cfg.RemindEvery = time.Hour
	}
	if cfg.RetryPolicy == nil {
		cfg.RetryPolicy = Backoff{Base: 5 * time.Second, Max: 10 * time.Minute}
	}
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), riverConfig(db, cfg))
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	// Cancelling Start's context would cancel running jobs mid-way (a mail
	// half sent); shutdown goes through Stop instead.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{client: client, pool: pool}, nil
}

func riverConfig(db *gorm.DB, cfg Config) *river.Config {
	workers := river.NewWorkers()
	river.AddWorker(workers, &sendMailWorker{db: db, sender: cfg.Sender, base: cfg.BaseURL, log: cfg.Logger})
	river.AddWorker(workers, &remindWorker{db: db, base: cfg.BaseURL, log: cfg.Logger})
	river.AddWorker(workers, newWebhookWorker(db, cfg.WebhookAllowPrivate, cfg.Logger))
	remind := river.NewPeriodicJob(river.PeriodicInterval(cfg.RemindEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
		&river.PeriodicJobOpts{ID: "remind", RunOnStart: true})
	return &river.Config{
		Queues: map[string]river.QueueConfig{
			river.QueueDefault:  {MaxWorkers: 2},
			models.MailQueue:    {MaxWorkers: 4},
			models.WebhookQueue: {MaxWorkers: 4},
		},
		Workers:      workers,
		PeriodicJobs: []*river.PeriodicJob{remind},
		RetryPolicy:  cfg.RetryPolicy,
		Logger:       cfg.Logger,
		// A job still running after this is cancelled; sending one mail
		// or a reminder pass takes far less.
		JobTimeout: 5 * time.Minute,
	}
}

// Stop lets running jobs finish (until ctx ends, then cancels them) and
// closes the pool: "pakt serve" calls it on SIGTERM.
func (r *Runner) Stop(ctx context.Context) error {
	defer r.pool.Close()
	err := r.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return r.client.StopAndCancel(stopCtx)
	}
	return err
}

// Backoff retries after Base, 2×Base, 4×Base ... at most Max apart, with
// ±10% jitter so many failed jobs do not all retry in the same second. An
// SMTP server down for an hour gets its mail at most Max after it returns.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// NextRetry implements river.ClientRetryPolicy.
func (b Backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := b.Max
	if n := len(job.Errors); n < 30 {
		d = min(b.Base<<n, b.Max)
	}
	jitter := time.Duration(float64(d) * 0.1 * (2*rand.Float64() - 1))
	return time.Now().Add(d + jitter)
}
