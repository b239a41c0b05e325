package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"pakt/models"
)

// RemindArgs is the periodic job of the reminder pass.
type RemindArgs struct{}

// Kind names the job in River's tables.
func (RemindArgs) Kind() string { return "remind" }

// Pass is what one reminder pass did.
type Pass struct {
	Reminded int // people reminded of a deadline or a pending signature
	Digests  int // daily summaries queued
}

// RemindOnce runs one pass: time-based reminders as of today (each item,
// threshold and recipient once, however many instances run the pass at the
// same time), the daily summaries that are due, and the purge of old
// throttle rows. Mails are queued in the outbox; a running "pakt serve"
// sends them. base is PAKT_BASE_URL.
func RemindOnce(ctx context.Context, db *gorm.DB, base string) (Pass, error) {
	var p Pass
	var err error
	if p.Reminded, err = models.SendReminders(ctx, db, base, models.Today()); err != nil {
		return p, err
	}
	if p.Digests, err = models.SendDigests(ctx, db, base, models.DigestAge); err != nil {
		return p, err
	}
	return p, models.PurgeThrottleRows(ctx, db)
}

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	db   *gorm.DB
	base string
	log  *slog.Logger
}

func (w *remindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	p, err := RemindOnce(ctx, w.db, w.base)
	if err != nil {
		return err
	}
	w.log.Info("reminder pass", "reminded", p.Reminded, "digests", p.Digests)
	return nil
}
