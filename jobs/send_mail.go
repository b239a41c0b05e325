package jobs

import (
	"context"
	"errors"
	"log/slog"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"pakt/mail"
	"pakt/models"
)

// sendMailWorker sends one outbox message. The outbox row, not the job,
// says whether a message went: a job that runs again (a retry, a second
// job for the same row) finds it sent and does nothing. The row stays
// locked while the SMTP server is talked to, so no two workers send it at
// once. The one gap left is a crash between the server's "250 OK" and the
// commit: then the message goes out a second time (at least once, never
// lost).
type sendMailWorker struct {
	river.WorkerDefaults[models.SendMailArgs]
	db     *gorm.DB
	sender *mail.Sender // nil: keep mail in the outbox
	base   string
	log    *slog.Logger
}

// Work sends the message, or keeps it when no SMTP server is configured.
// Logs name the message, its kind and recipient and where it went, never
// its body, token or link.
func (w *sendMailWorker) Work(ctx context.Context, job *river.Job[models.SendMailArgs]) error {
	id := job.Args.OutboxID
	var sendErr error
	err := w.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := models.LockOutboxMessage(ctx, tx, id)
		if errors.Is(err, models.ErrNotFound) || (err == nil && o.Status != models.OutboxQueued) {
			return nil // deleted, or sent or kept already
		}
		if err != nil {
			return err
		}
		if w.sender == nil {
			w.log.Info("mail kept in the outbox: no PAKT_SMTP_URL", "outbox_id", id, "kind", o.Kind, "to", o.ToEmail,
				"read_at", w.base+"/admin/outbox")
			return models.MarkOutboxKept(ctx, tx, id)
		}
		if sendErr = w.sender.Send(ctx, o.Message()); sendErr != nil {
			return sendErr
		}
		if _, err := models.MarkOutboxSent(ctx, tx, id); err != nil {
			return err
		}
		w.log.Info("mail sent", "outbox_id", id, "kind", o.Kind, "to", o.ToEmail, "via", w.sender.Where())
		return nil
	})
	if sendErr != nil {
		return w.failed(ctx, job, sendErr)
	}
	return err
}

// failed records the attempt on the outbox row and tells River what to do:
// retry later, or (the server refused for good) never.
func (w *sendMailWorker) failed(ctx context.Context, job *river.Job[models.SendMailArgs], err error) error {
	permanent := mail.IsPermanent(err)
	final := permanent || job.Attempt >= job.MaxAttempts
	if rerr := models.RecordOutboxFailure(ctx, w.db, job.Args.OutboxID, err.Error(), final); rerr != nil {
		w.log.Error("recording a mail failure failed", "outbox_id", job.Args.OutboxID, "err", rerr.Error())
	}
	w.log.Warn("mail not sent", "outbox_id", job.Args.OutboxID, "attempt", job.Attempt, "final", final,
		"via", w.sender.Where(), "err", err.Error())
	if permanent {
		return river.JobCancel(err)
	}
	return err
}
