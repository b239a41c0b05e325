package models

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"pakt/mail"
)

// Outbox statuses: queued (a job will send it), sent, kept (no SMTP server
// is configured: it stays here for platform admins to read), failed (the
// server refused it for good, or every retry failed).
const (
	OutboxQueued = "queued"
	OutboxSent   = "sent"
	OutboxKept   = "kept"
	OutboxFailed = "failed"
)

// OutboxMessage is one mail in the outbox.
type OutboxMessage struct {
	ID          int64      `json:"id" gorm:"primaryKey"`
	UserID      *int64     `json:"user_id"`
	ToEmail     string     `json:"to_email"`
	ToName      string     `json:"to_name"`
	Lang        string     `json:"lang"`
	Kind        string     `json:"kind"`
	Subject     string     `json:"subject"`
	TextBody    string     `json:"text_body"`
	HTMLBody    string     `json:"html_body" gorm:"column:html_body"`
	Unsubscribe string     `json:"-"`
	Sensitive   bool       `json:"sensitive"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error"`
	CreatedAt   time.Time  `json:"created_at"`
	SentAt      *time.Time `json:"sent_at"`
}

// TableName maps OutboxMessage to mail_outbox.
func (OutboxMessage) TableName() string { return "mail_outbox" }

// Message is the row as the mail package sends it.
func (o *OutboxMessage) Message() mail.Message {
	return mail.Message{To: o.ToEmail, ToName: o.ToName, Lang: o.Lang, Kind: o.Kind, Subject: o.Subject,
		Text: o.TextBody, HTML: o.HTMLBody, Unsubscribe: o.Unsubscribe, Sensitive: o.Sensitive}
}

// SendMailArgs is the River job that sends one outbox message.
type SendMailArgs struct {
	OutboxID int64 `json:"outbox_id"`
}

// Kind names the job in River's tables.
func (SendMailArgs) Kind() string { return "send_mail" }

// MailQueue is the River queue mail jobs run in.
const MailQueue = "mail"

// InsertOpts: mail has its own queue, so a slow SMTP server never holds up
// other jobs, and many attempts: with the retry policy of package jobs
// (at most 10 minutes apart) 200 attempts keep trying for more than a day.
func (SendMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MailQueue, MaxAttempts: 200}
}

// inserter is an insert-only River client: it writes jobs with the
// caller's database/sql transaction and holds no connection of its own.
var inserter = sync.OnceValues(func() (*river.Client[*sql.Tx], error) {
	return river.NewClient(riverdatabasesql.New(nil), &river.Config{})
})

// sqlTx is the database/sql transaction under a GORM transaction.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	t, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errors.New("models: mail is queued only inside a transaction (db.Transaction)")
	}
	return t, nil
}

// inTx runs fn in db's transaction, or in a new one when db is none.
func inTx(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	if _, ok := db.Statement.ConnPool.(*sql.Tx); ok {
		return fn(db.WithContext(ctx))
	}
	return db.WithContext(ctx).Transaction(fn)
}

// queueMail writes the outbox row and the River job that sends it, both in
// tx: if the event's transaction rolls back, no mail exists; if it commits,
// the mail will be sent, whatever happens to this process.
func queueMail(ctx context.Context, tx *gorm.DB, userID *int64, m mail.Message) (*OutboxMessage, error) {
	st, err := sqlTx(tx)
	if err != nil {
		return nil, err
	}
	o := &OutboxMessage{UserID: userID, ToEmail: m.To, ToName: m.ToName, Lang: m.Lang, Kind: m.Kind,
		Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML, Unsubscribe: m.Unsubscribe,
		Sensitive: m.Sensitive, Status: OutboxQueued}
	if err := tx.WithContext(ctx).Create(o).Error; err != nil {
		return nil, err
	}
	client, err := inserter()
	if err != nil {
		return nil, err
	}
	_, err = client.InsertTx(ctx, st, SendMailArgs{OutboxID: o.ID}, nil)
	return o, err
}

// ListOutbox lists the newest messages (without their bodies) for the
// platform admins' outbox page; status "" means all.
func ListOutbox(ctx context.Context, db *gorm.DB, status string, limit int) ([]OutboxMessage, error) {
	q := db.WithContext(ctx).Omit("text_body", "html_body").Order("id DESC").Limit(max(1, min(limit, 200)))
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var out []OutboxMessage
	return out, q.Find(&out).Error
}

// GetOutboxMessage loads one message with its bodies (platform admins only:
// a kept invitation holds a live link).
func GetOutboxMessage(ctx context.Context, db *gorm.DB, id int64) (*OutboxMessage, error) {
	var o OutboxMessage
	err := db.WithContext(ctx).First(&o, id).Error
	return &o, notFound(err)
}

// LockOutboxMessage reads a message FOR UPDATE inside tx: the sender holds
// the row while it talks to the SMTP server, so two jobs for one message
// never send it twice.
func LockOutboxMessage(ctx context.Context, tx *gorm.DB, id int64) (*OutboxMessage, error) {
	var o OutboxMessage
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).First(&o, id).Error
	return &o, notFound(err)
}

// MarkOutboxSent records the delivery, once: only a queued message turns
// sent. A sensitive message's body goes: the link in it is live and nobody
// needs to read it here again.
func MarkOutboxSent(ctx context.Context, tx *gorm.DB, id int64) (bool, error) {
	res := tx.WithContext(ctx).Exec(`UPDATE mail_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1,
		last_error = '', text_body = CASE WHEN sensitive THEN '' ELSE text_body END,
		html_body = CASE WHEN sensitive THEN '' ELSE html_body END
		WHERE id = ? AND status = 'queued'`, id)
	return res.RowsAffected == 1, res.Error
}

// MarkOutboxKept leaves a queued message in the outbox for good: no SMTP
// server is configured.
func MarkOutboxKept(ctx context.Context, db *gorm.DB, id int64) error {
	return db.WithContext(ctx).Exec(`UPDATE mail_outbox SET status = 'kept' WHERE id = ? AND status = 'queued'`, id).Error
}

// RecordOutboxFailure notes a failed attempt; final marks it failed (no
// more retries). why must not contain the message body.
func RecordOutboxFailure(ctx context.Context, db *gorm.DB, id int64, why string, final bool) error {
	status := OutboxQueued
	if final {
		status = OutboxFailed
	}
	return db.WithContext(ctx).Exec(`UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, status = ?
		WHERE id = ? AND status = 'queued'`, truncate(why, 500), status, id).Error
}
