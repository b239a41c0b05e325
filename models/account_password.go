package models

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MinPasswordLength is the shortest password anyone may choose, in
// characters (not bytes: "čćđšžčćđšž" is ten).
const MinPasswordLength = 10

// maxPasswordBytes bounds the argon2 input; longer is a mistake or an attack.
const maxPasswordBytes = 1024

// commonPasswords are refused whatever their case: the first guesses of
// anyone trying passwords, including local ones, all at least 10 characters
// long (shorter ones fail the length rule anyway).
var commonPasswords = map[string]bool{
	"1234567890": true, "0123456789": true, "12345678910": true, "123456789a": true,
	"1111111111": true, "0000000000": true, "1q2w3e4r5t": true, "qwertyuiop": true,
	"qwertzuiop": true, "asdfghjkl1": true, "password12": true, "password123": true,
	"password1234": true, "passw0rd123": true, "iloveyou12": true, "abcdefghij": true,
	"abc1234567": true, "administrator": true, "admin12345": true, "welcome123": true,
	"letmein123": true, "changeme123": true, "lozinka123": true, "lozinka1234": true,
	"sifra12345": true, "šifra12345": true, "fjalekalimi": true, "fjalëkalimi": true,
	"лозинка123": true, "korisnik123": true, "sarajevo123": true, "beograd123": true,
	"prishtina123": true, "skopje1234": true, "pakt123456": true, "paktpakt12": true,
}

// CheckPasswordRule is the password rule, the same for an invitation, a
// reset and a change: at least MinPasswordLength characters (at most 1024
// bytes), not one of the common passwords, and neither the e-mail address
// nor its part before the @. A failure is a ValidationError on field.
func CheckPasswordRule(field, pw, email string) error {
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return Invalid(field, "account.password.too_short")
	case len(pw) > maxPasswordBytes:
		return Invalid(field, "account.password.too_long")
	case commonPasswords[lower]:
		return Invalid(field, "account.password.common")
	case lower == strings.ToLower(strings.TrimSpace(email)) || (local != "" && lower == local):
		return Invalid(field, "account.password.is_email")
	}
	return nil
}

// setPassword stores a new password hash for the user and activates the
// account. Callers check the rule first.
func setPassword(ctx context.Context, tx *gorm.DB, userID int64, pw string) error {
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	return tx.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"password_hash": hash, "status": UserActive, "version": gorm.Expr("version + 1"), "updated_at": time.Now()}).Error
}

// endSessions signs the user out everywhere except the session keepSession
// (its cookie value; "" ends all) and revokes every API token except
// keepToken (0 revokes all).
func endSessions(ctx context.Context, tx *gorm.DB, userID int64, keepSession string, keepToken int64) error {
	q := tx.WithContext(ctx).Where("user_id = ?", userID)
	if keepSession != "" {
		q = q.Where("id_hash <> ?", HashToken(keepSession))
	}
	if err := q.Delete(&Session{}).Error; err != nil {
		return err
	}
	return tx.WithContext(ctx).Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL AND id <> ?", userID, keepToken).
		Update("revoked_at", time.Now()).Error
}

// ChangePassword lets a signed-in user choose a new password. The current
// one is required (a ValidationError on "current_password" when wrong, and
// the attempt counts against the sign-in throttle, so a stolen session
// cannot guess it). Every other session ends and every API token is
// revoked: whoever else held them must sign in again. currentSession is the
// caller's session cookie value ("" when calling with an API token).
func ChangePassword(ctx context.Context, db *gorm.DB, a Actor, currentSession, current, next string) error {
	return changePassword(ctx, db, a, currentSession, 0, current, next)
}

// ChangePasswordByToken is ChangePassword for a caller of the API: the
// calling token (its id) stays valid, every session and other token ends.
func ChangePasswordByToken(ctx context.Context, db *gorm.DB, a Actor, tokenID int64, current, next string) error {
	return changePassword(ctx, db, a, "", tokenID, current, next)
}

func changePassword(ctx context.Context, db *gorm.DB, a Actor, keepSession string, keepToken int64, current, next string) error {
	u, err := GetUser(ctx, db, a.UserID)
	if err != nil {
		return err
	}
	if err := checkThrottle(ctx, db, a.IP, u.Email); err != nil {
		return err
	}
	if u.Status != UserActive || !CheckPassword(u.PasswordHash, current) {
		if err := RecordLoginFailure(ctx, db, a.IP, u.Email); err != nil {
			return err
		}
		return Invalid("current_password", "account.password.wrong_current")
	}
	if err := CheckPasswordRule("new_password", next, u.Email); err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := setPassword(ctx, tx, u.ID, next); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, u.ID, keepSession, keepToken); err != nil {
			return err
		}
		return Audit(ctx, tx, a, 0, "change_password", "user", u.ID, map[string]any{})
	})
}
