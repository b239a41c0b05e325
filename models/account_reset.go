package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"pakt/mail"
)

// PasswordResetTTL is how long a reset link works.
const PasswordResetTTL = time.Hour

// Reset requests are limited per e-mail address (a mailbox is not flooded:
// over the limit nothing more is sent, and the caller is told the same as
// always) and per IP (a machine asking for many addresses is answered
// ErrThrottled, which says nothing about any address).
const (
	resetPerEmail = 3
	resetPerIP    = 20
	resetWindow   = time.Hour
)

// PasswordReset is one reset link; only the SHA-256 of its token is kept.
type PasswordReset struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	TokenHash []byte
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// RequestPasswordReset answers "forgot my password". The outcome is the
// same whether the e-mail has an account or not (nil); a known, active
// account gets a mail with the link {base}/password-resets/{token}, valid
// PasswordResetTTL, once. Only ErrThrottled (per IP) or a database error
// comes back.
func RequestPasswordReset(ctx context.Context, db *gorm.DB, base, ip, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	since := time.Now().Add(-resetWindow)
	byIP, err := countEvents(ctx, db, "reset_ip", ip, since)
	if err != nil {
		return err
	}
	if byIP >= resetPerIP {
		return &ThrottleError{RetryAfter: resetWindow}
	}
	byEmail, err := countEvents(ctx, db, "reset_email", email, since)
	if err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := recordEvent(ctx, tx, "reset_ip", ip); err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, "reset_email", email); err != nil {
			return err
		}
		if byEmail >= resetPerEmail {
			return nil
		}
		return mailReset(ctx, tx, base, email)
	})
}

// mailReset stores a link and queues its mail when email has an active account.
func mailReset(ctx context.Context, tx *gorm.DB, base, email string) error {
	var u User
	err := tx.Where("lower(email) = ? AND status = ?", email, UserActive).Limit(1).Find(&u).Error
	if err != nil || u.ID == 0 {
		return err
	}
	token := RandomToken()
	r := &PasswordReset{UserID: u.ID, TokenHash: HashToken(token), ExpiresAt: time.Now().Add(PasswordResetTTL).UTC()}
	if err := tx.Omit("UsedAt").Create(r).Error; err != nil {
		return err
	}
	lang, err := userLang(ctx, tx, &u)
	if err != nil {
		return err
	}
	m, err := mail.ComposeReset(mail.Recipient{Email: u.Email, Name: u.Name, Lang: lang},
		mail.Reset{Link: base + "/password-resets/" + token, Expires: r.ExpiresAt})
	if err != nil {
		return err
	}
	_, err = queueMail(ctx, tx, &u.ID, m)
	return err
}

// CheckPasswordReset tells the reset page whether to show the form:
// ErrNotFound for an unknown token, ErrTokenGone when used or expired.
func CheckPasswordReset(ctx context.Context, db *gorm.DB, token string) error {
	var r PasswordReset
	err := db.WithContext(ctx).Where("token_hash = ?", HashToken(token)).First(&r).Error
	if err != nil {
		return notFound(err)
	}
	if r.UsedAt != nil || time.Now().After(r.ExpiresAt) {
		return ErrTokenGone
	}
	return nil
}

// ResetPassword sets a new password from a reset link and ends ALL
// sessions and API tokens of the account: whoever knew the old password is
// out. ErrNotFound, ErrTokenGone as CheckPasswordReset; a ValidationError
// on "password" for a weak one. Every other open reset link of the account
// is spent too, and its failed sign-ins are forgotten.
func ResetPassword(ctx context.Context, db *gorm.DB, ip, token, password string) (*User, error) {
	var u *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r PasswordReset
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", HashToken(token)).First(&r).Error
		if err != nil {
			return notFound(err)
		}
		if r.UsedAt != nil || time.Now().After(r.ExpiresAt) {
			return ErrTokenGone
		}
		if u, err = lockUser(tx, r.UserID); err != nil {
			return err
		}
		return reset(ctx, tx, ip, u, password)
	})
	if err != nil {
		return nil, err
	}
	return GetUser(ctx, db, u.ID)
}

func reset(ctx context.Context, tx *gorm.DB, ip string, u *User, password string) error {
	if err := CheckPasswordRule("password", password, u.Email); err != nil {
		return err
	}
	if err := setPassword(ctx, tx, u.ID, password); err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE password_resets SET used_at = now() WHERE user_id = ? AND used_at IS NULL`, u.ID).Error; err != nil {
		return err
	}
	if err := endSessions(ctx, tx, u.ID, "", 0); err != nil {
		return err
	}
	if err := ClearLoginFailures(ctx, tx, u.Email); err != nil {
		return err
	}
	return Audit(ctx, tx, Actor{UserID: u.ID, IP: ip}, 0, "reset_password", "user", u.ID, map[string]any{})
}
