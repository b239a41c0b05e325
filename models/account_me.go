package models

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"time"

	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
)

// SessionInfo is one of a user's sessions as "My account" lists it. Handle
// names it in a revoke link: derived from the stored hash, so neither the
// cookie nor the hash the table is searched by is ever shown.
type SessionInfo struct {
	Handle     string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	Current    bool      `json:"current"`
}

// sessionHandle is the public name of a session row.
func sessionHandle(idHash []byte) string {
	h := sha256.Sum256(append([]byte("pakt-session-handle:"), idHash...))
	return hex.EncodeToString(h[:12])
}

// SessionHandleOf is the handle of the session whose cookie value is id.
func SessionHandleOf(id string) string { return sessionHandle(HashToken(id)) }

// ListSessions lists the user's sessions, most recently used first;
// current is the caller's cookie value ("" with an API token).
func ListSessions(ctx context.Context, db *gorm.DB, userID int64, current string) ([]SessionInfo, error) {
	var rows []Session
	if err := db.WithContext(ctx).Where("user_id = ?", userID).Order("last_seen_at DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	cur := ""
	if current != "" {
		cur = SessionHandleOf(current)
	}
	out := make([]SessionInfo, 0, len(rows))
	for _, s := range rows {
		h := sessionHandle(s.IDHash)
		out = append(out, SessionInfo{Handle: h, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, Current: h == cur})
	}
	return out, nil
}

// RevokeSession ends one of the user's own sessions by its handle;
// ErrNotFound when the user has no such session (somebody else's included).
func RevokeSession(ctx context.Context, db *gorm.DB, a Actor, handle string) error {
	var rows []Session
	if err := db.WithContext(ctx).Where("user_id = ?", a.UserID).Find(&rows).Error; err != nil {
		return err
	}
	for _, s := range rows {
		if sessionHandle(s.IDHash) != handle {
			continue
		}
		if err := db.WithContext(ctx).Where("id_hash = ? AND user_id = ?", s.IDHash, a.UserID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return Audit(ctx, db, a, 0, "revoke", "session", a.UserID, map[string]any{})
	}
	return ErrNotFound
}

// TokenInfo is one of a user's live API tokens (never the token itself).
type TokenInfo struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Current   bool      `json:"current"`
}

// ListAPITokens lists the user's tokens that still work, newest first;
// currentID marks the caller's own (0 in the browser).
func ListAPITokens(ctx context.Context, db *gorm.DB, userID, currentID int64) ([]TokenInfo, error) {
	var rows []APIToken
	err := db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL AND expires_at > now()", userID).
		Order("id DESC").Find(&rows).Error
	out := make([]TokenInfo, 0, len(rows))
	for _, t := range rows {
		out = append(out, TokenInfo{ID: t.ID, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, Current: t.ID == currentID})
	}
	return out, err
}

// RevokeOwnAPIToken revokes one of the user's own live tokens; ErrNotFound
// for any other id (somebody else's, or already revoked).
func RevokeOwnAPIToken(ctx context.Context, db *gorm.DB, a Actor, id int64) error {
	res := db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, a.UserID).
		Update("revoked_at", time.Now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return Audit(ctx, db, a, 0, "revoke", "api_token", id, map[string]any{})
}

// PendingTOTP is the enrolment started with EnableTOTP and not yet
// confirmed, so the page can show the same QR code again after a wrong
// code; ErrNotFound when there is none.
func PendingTOTP(ctx context.Context, db *gorm.DB, userID int64, issuer string) (*TOTPEnrolment, error) {
	var t UserTOTP
	err := db.WithContext(ctx).Where("user_id = ? AND confirmed_at IS NULL", userID).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u, err := GetUser(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(t.Secret)
	if err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod,
		Secret: raw, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: t.Secret, OTPAuthURL: key.URL()}, nil
}

// SetConfirmedTOTP turns two-step sign-in on with a given base32 secret and
// no recovery codes, without a code: for demo data (a published secret, like
// the demo password), the benchmark and tests only, never for a person.
func SetConfirmedTOTP(ctx context.Context, db *gorm.DB, userID int64, secret string) error {
	return db.WithContext(ctx).Exec(`INSERT INTO user_totp (user_id, secret, confirmed_at) VALUES (?, ?, now())
		ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, confirmed_at = now(), last_step = 0`, userID, secret).Error
}
