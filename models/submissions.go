package models

// The records behind idempotent form posts and API calls (issue #8): a form
// nonce per session in form_submissions, an Idempotency-Key per user in
// api_idempotency. The kernel (web/once.go, web/once_api.go) decides when to
// claim, wait, replay or let go; these functions only keep the rows.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// ErrSessionGone means the session a form nonce would be claimed for no
// longer exists (a concurrent sign-in or sign-out replaced it).
var ErrSessionGone = errors.New("session gone")

// FormSubmission is the recorded state of one form nonce.
type FormSubmission struct {
	State    string // "pending" while the first post runs, then "done"
	Status   *int
	Location *string // where the first post redirected, if it did
}

// ClaimFormSubmission inserts the (session, nonce) row, or takes over a
// pending one older than abandonedAfter (its request died). It says whether
// the caller now owns the nonce.
func ClaimFormSubmission(ctx context.Context, db *gorm.DB, sid []byte, nonce string, abandonedAfter time.Duration) (bool, error) {
	// The []byte must not follow "(" directly: GORM would expand it as a list.
	res := db.WithContext(ctx).Exec(`INSERT INTO form_submissions (nonce, session_id) VALUES (?, ?)
		ON CONFLICT (session_id, nonce) DO UPDATE SET created_at = now(), status = NULL, location = NULL
		WHERE form_submissions.state = 'pending' AND form_submissions.created_at < now() - make_interval(secs => ?)`,
		nonce, sid, abandonedAfter.Seconds())
	if isForeignKeyViolation(res.Error) {
		return false, ErrSessionGone
	}
	return res.RowsAffected == 1, res.Error
}

// LoadFormSubmission reads the row of a nonce; nil when there is none.
func LoadFormSubmission(ctx context.Context, db *gorm.DB, sid []byte, nonce string) (*FormSubmission, error) {
	var subs []FormSubmission
	err := db.WithContext(ctx).Raw(`SELECT state, status, location FROM form_submissions
		WHERE session_id = ? AND nonce = ?`, sid, nonce).Scan(&subs).Error
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	return &subs[0], nil
}

// FinishFormSubmission records a post that succeeded: its status and, for a
// redirect, where it led ("" for none).
func FinishFormSubmission(ctx context.Context, db *gorm.DB, sid []byte, nonce string, status int, location string) error {
	var loc *string
	if location != "" {
		loc = &location
	}
	return db.WithContext(ctx).Exec(`UPDATE form_submissions SET state = 'done', status = ?, location = ?
		WHERE session_id = ? AND nonce = ?`, status, loc, sid, nonce).Error
}

// ReleaseFormSubmission lets go of a pending nonce whose post failed, so the
// corrected form can be sent again; a done one stays.
func ReleaseFormSubmission(ctx context.Context, db *gorm.DB, sid []byte, nonce string) error {
	return db.WithContext(ctx).Exec(`DELETE FROM form_submissions WHERE session_id = ? AND nonce = ? AND state = 'pending'`,
		sid, nonce).Error
}

// SweepFormSubmissions deletes the rows of nonces older than keep.
func SweepFormSubmissions(ctx context.Context, db *gorm.DB, keep time.Duration) error {
	return db.WithContext(ctx).Exec(`DELETE FROM form_submissions WHERE created_at < now() - make_interval(secs => ?)`,
		keep.Seconds()).Error
}

// APIIdempotency is the recorded state of one Idempotency-Key.
type APIIdempotency struct {
	RequestHash []byte
	State       string // "pending" while the first request runs, then "done"
	Status      *int
	ContentType *string // NULL when the answer was not kept (too large)
	Headers     *string // JSON object of the kept answer headers
	Body        []byte
}

// APIAnswer is the answer of a first API request, kept for replay. A nil
// ContentType means the answer was too large to keep.
type APIAnswer struct {
	Status      int
	ContentType *string
	Headers     *string // JSON object of the kept answer headers
	Body        []byte
}

// ClaimAPIIdempotency inserts the (user, key) row with the request's hash,
// or takes over a pending one older than abandonedAfter. It says whether the
// caller now owns the key.
func ClaimAPIIdempotency(ctx context.Context, db *gorm.DB, userID int64, key string, hash []byte, abandonedAfter time.Duration) (bool, error) {
	// The []byte must not follow "(" directly: GORM would expand it as a list.
	res := db.WithContext(ctx).Exec(`INSERT INTO api_idempotency (user_id, key, request_hash) VALUES (?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE SET created_at = now(), request_hash = EXCLUDED.request_hash
		WHERE api_idempotency.state = 'pending' AND api_idempotency.created_at < now() - make_interval(secs => ?)`,
		userID, key, hash, abandonedAfter.Seconds())
	return res.RowsAffected == 1, res.Error
}

// LoadAPIIdempotency reads the row of a key; nil when there is none.
func LoadAPIIdempotency(ctx context.Context, db *gorm.DB, userID int64, key string) (*APIIdempotency, error) {
	var rows []APIIdempotency
	err := db.WithContext(ctx).Raw(`SELECT request_hash, state, status, content_type, headers::text AS headers, body
		FROM api_idempotency WHERE user_id = ? AND key = ?`, userID, key).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// FinishAPIIdempotency records the answer of a request that succeeded.
func FinishAPIIdempotency(ctx context.Context, db *gorm.DB, userID int64, key string, a APIAnswer) error {
	return db.WithContext(ctx).Exec(`UPDATE api_idempotency SET state = 'done', status = ?, content_type = ?, headers = ?::jsonb, body = ?
		WHERE user_id = ? AND key = ?`, a.Status, a.ContentType, a.Headers, a.Body, userID, key).Error
}

// ReleaseAPIIdempotency lets go of a pending key whose request failed, so a
// retry runs again; a done one stays.
func ReleaseAPIIdempotency(ctx context.Context, db *gorm.DB, userID int64, key string) error {
	return db.WithContext(ctx).Exec(`DELETE FROM api_idempotency WHERE user_id = ? AND key = ? AND state = 'pending'`,
		userID, key).Error
}

// SweepAPIIdempotency deletes the rows of keys older than keep.
func SweepAPIIdempotency(ctx context.Context, db *gorm.DB, keep time.Duration) error {
	return db.WithContext(ctx).Exec(`DELETE FROM api_idempotency WHERE created_at < now() - make_interval(secs => ?)`,
		keep.Seconds()).Error
}

// Ping says whether the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}
