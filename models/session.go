package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"gorm.io/gorm"
)

// Session is a browser session; the cookie holds a random id, the table its hash.
type Session struct {
	IDHash     []byte `gorm:"primaryKey"`
	UserID     *int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// RandomToken returns 32 random bytes, URL-safe base64 encoded.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the kernel's CSPRNG does not fail
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how session ids and API tokens are stored.
func HashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// NewSession stores a fresh session and returns its cookie value.
func NewSession(ctx context.Context, db *gorm.DB, userID *int64) (string, *Session, error) {
	id := RandomToken()
	s := &Session{IDHash: HashToken(id), UserID: userID, CSRFToken: RandomToken(),
		CreatedAt: time.Now(), LastSeenAt: time.Now()}
	return id, s, db.WithContext(ctx).Create(s).Error
}

// LoadSession finds a live session; idle ones are deleted and reported missing.
func LoadSession(ctx context.Context, db *gorm.DB, id string, idle time.Duration) (*Session, error) {
	var s Session
	err := db.WithContext(ctx).Where("id_hash = ?", HashToken(id)).First(&s).Error
	if err != nil {
		return nil, notFound(err)
	}
	if time.Since(s.LastSeenAt) > idle {
		DeleteSession(ctx, db, id)
		return nil, ErrNotFound
	}
	// Touch at most once a minute: a write per page view would be wasted.
	if time.Since(s.LastSeenAt) > time.Minute {
		db.WithContext(ctx).Model(&Session{}).Where("id_hash = ?", s.IDHash).Update("last_seen_at", time.Now())
	}
	return &s, nil
}

// DeleteSession ends a session.
func DeleteSession(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Where("id_hash = ?", HashToken(id)).Delete(&Session{}).Error
}

// PurgeIdleSessions removes sessions idle longer than idle.
func PurgeIdleSessions(ctx context.Context, db *gorm.DB, idle time.Duration) error {
	return db.WithContext(ctx).Where("last_seen_at < ?", time.Now().Add(-idle)).Delete(&Session{}).Error
}

// APIToken is a bearer token for the JSON API; only its hash is stored.
type APIToken struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	TokenHash []byte
	ExpiresAt time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

// CreateAPIToken issues a token valid for ttl and returns its clear text once.
func CreateAPIToken(ctx context.Context, db *gorm.DB, userID int64, ttl time.Duration) (string, *APIToken, error) {
	clear := "pakt_" + RandomToken()
	t := &APIToken{UserID: userID, TokenHash: HashToken(clear), ExpiresAt: time.Now().Add(ttl).UTC().Truncate(time.Second)}
	return clear, t, db.WithContext(ctx).Create(t).Error
}

// LookupAPIToken returns the live token row for a clear token.
func LookupAPIToken(ctx context.Context, db *gorm.DB, clear string) (*APIToken, error) {
	var t APIToken
	err := db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL AND expires_at > now()", HashToken(clear)).
		First(&t).Error
	return &t, notFound(err)
}

// RevokeAPIToken makes a token unusable.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, id int64) error {
	return db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", id).Update("revoked_at", time.Now()).Error
}

// LoginFailure counts one failed sign-in.
type LoginFailure struct {
	ID        int64 `gorm:"primaryKey"`
	IP        string
	Email     string
	CreatedAt time.Time
}

// RecordLoginFailure remembers a failed attempt for throttling.
func RecordLoginFailure(ctx context.Context, db *gorm.DB, ip, email string) error {
	return db.WithContext(ctx).Create(&LoginFailure{IP: ip, Email: email}).Error
}

// LoginThrottled says whether an IP or an e-mail failed max times within window.
func LoginThrottled(ctx context.Context, db *gorm.DB, ip, email string, max int, window time.Duration) (bool, error) {
	var n int64
	since := time.Now().Add(-window)
	err := db.WithContext(ctx).Raw(`SELECT greatest(
		(SELECT count(*) FROM login_failures WHERE ip = ? AND created_at > ?),
		(SELECT count(*) FROM login_failures WHERE lower(email) = lower(?) AND created_at > ?))`,
		ip, since, email, since).Scan(&n).Error
	return n >= int64(max), err
}

// ClearLoginFailures forgets failures of an e-mail after a good sign-in.
func ClearLoginFailures(ctx context.Context, db *gorm.DB, email string) error {
	return db.WithContext(ctx).Where("lower(email) = lower(?)", email).Delete(&LoginFailure{}).Error
}
