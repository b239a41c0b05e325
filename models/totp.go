package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TOTP parameters: what every authenticator app uses by default.
const (
	totpPeriod = 30
	totpSkew   = 1 // one step either side: phones' clocks drift
	// RecoveryCodeCount recovery codes are issued when TOTP is confirmed.
	RecoveryCodeCount = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: totpSkew, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// UserTOTP is a user's second factor: the shared secret (needed in clear to
// compute codes) and the time step of the last accepted code.
type UserTOTP struct {
	UserID      int64 `gorm:"primaryKey"`
	Secret      string
	ConfirmedAt *time.Time
	LastStep    int64
	CreatedAt   time.Time
}

// TableName maps UserTOTP to user_totp.
func (UserTOTP) TableName() string { return "user_totp" }

// TOTPEnrolment is what the person scans or types into an authenticator app.
type TOTPEnrolment struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
}

// EnableTOTP starts enrolment (POST /me/totp): a new secret, replacing an
// unconfirmed one. It is not used until ConfirmTOTP; with TOTP already on
// it is a StateError (disable first).
func EnableTOTP(ctx context.Context, db *gorm.DB, userID int64, issuer string) (*TOTPEnrolment, error) {
	u, err := GetUser(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	on, err := TOTPEnabled(ctx, db, userID)
	if err != nil || on {
		return nil, errors.Join(err, stateIf(on, "account.totp.already_on"))
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	err = db.WithContext(ctx).Exec(`INSERT INTO user_totp (user_id, secret) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0, created_at = now()
		WHERE user_totp.confirmed_at IS NULL`, userID, key.Secret()).Error
	return &TOTPEnrolment{Secret: key.Secret(), OTPAuthURL: key.URL()}, err
}

func stateIf(cond bool, key string) error {
	if cond {
		return &StateError{Key: key}
	}
	return nil
}

// ConfirmTOTP turns the second factor on once the person proves their app
// shows the right code (POST /me/totp/confirm), and returns the recovery
// codes, in clear this once only. A wrong code is a ValidationError on
// "code"; without EnableTOTP first, a StateError.
func ConfirmTOTP(ctx context.Context, db *gorm.DB, a Actor, code string) ([]string, error) {
	var codes []string
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t UserTOTP
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("user_id = ? AND confirmed_at IS NULL", a.UserID).First(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return &StateError{Key: "account.totp.not_enrolled"}
		}
		if err != nil {
			return err
		}
		if ok, err := useTOTPCode(ctx, tx, &t, code); err != nil || !ok {
			return errors.Join(err, invalidIf(!ok, "code", "account.totp.bad_code"))
		}
		if err := tx.Model(&t).Where("user_id = ?", a.UserID).Update("confirmed_at", time.Now()).Error; err != nil {
			return err
		}
		if codes, err = newRecoveryCodes(ctx, tx, a.UserID); err != nil {
			return err
		}
		return Audit(ctx, tx, a, 0, "enable_totp", "user", a.UserID, map[string]any{})
	})
	return codes, err
}

func invalidIf(cond bool, field, key string) error {
	if cond {
		return Invalid(field, key)
	}
	return nil
}

// TOTPEnabled says whether the user has a confirmed second factor.
func TOTPEnabled(ctx context.Context, db *gorm.DB, userID int64) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&UserTOTP{}).Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Count(&n).Error
	return n > 0, err
}

// DisableTOTP turns the second factor off; the password is asked again
// (under the throttle: ErrThrottled, or a ValidationError on "password").
func DisableTOTP(ctx context.Context, db *gorm.DB, a Actor, password, code string) error {
	if err := Reauthenticate(ctx, db, a.IP, a.UserID, password, code); err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM user_totp WHERE user_id = ?`, a.UserID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM totp_recovery_codes WHERE user_id = ?`, a.UserID).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, 0, "disable_totp", "user", a.UserID, map[string]any{})
	})
}

// secondFactor checks the code of a user with TOTP on (nil for everyone
// else): ErrSecondFactorRequired without a code, ErrBadSecondFactor for a
// wrong or already used one. A code is a TOTP code or a recovery code.
func secondFactor(ctx context.Context, db *gorm.DB, userID int64, code string) error {
	var t UserTOTP
	err := db.WithContext(ctx).Where("user_id = ? AND confirmed_at IS NOT NULL", userID).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return ErrSecondFactorRequired
	}
	ok, err := useTOTPCode(ctx, db, &t, code)
	if err == nil && !ok {
		ok, err = useRecoveryCode(ctx, db, userID, code)
	}
	if err == nil && !ok {
		err = ErrBadSecondFactor
	}
	return err
}

// useTOTPCode accepts a six-digit code of the current time step or one
// step either side, once: the step is recorded, so the same code (or an
// older one) cannot be replayed, also not by a concurrent request.
func useTOTPCode(ctx context.Context, db *gorm.DB, t *UserTOTP, code string) (bool, error) {
	code = strings.ReplaceAll(code, " ", "")
	if len(code) != 6 {
		return false, nil
	}
	now := time.Now()
	for skew := -totpSkew; skew <= totpSkew; skew++ {
		at := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(t.Secret, at, totpOpts)
		if err != nil {
			return false, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		step := at.Unix() / totpPeriod
		res := db.WithContext(ctx).Exec(`UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?`,
			step, t.UserID, step)
		return res.RowsAffected == 1, res.Error
	}
	return false, nil
}

// recoveryEncoding writes recovery codes in lower-case base32 without
// padding: no 0/O or 1/l confusion, easy to type.
var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCodes replaces the user's recovery codes with fresh ones: 80
// random bits each, written xxxx-xxxx-xxxx-xxxx; only SHA-256 is stored
// (80 bits need no salt or slow hash to resist guessing).
func newRecoveryCodes(ctx context.Context, tx *gorm.DB, userID int64) ([]string, error) {
	if err := tx.WithContext(ctx).Exec(`DELETE FROM totp_recovery_codes WHERE user_id = ?`, userID).Error; err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		s := strings.ToLower(recoveryEncoding.EncodeToString(b))
		codes[i] = s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
		err := tx.WithContext(ctx).Exec(`INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)`,
			userID, HashToken(normalRecoveryCode(codes[i]))).Error
		if err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// normalRecoveryCode drops dashes and spaces and lowers the case, so
// "ABCD-efgh ..." as typed matches.
func normalRecoveryCode(code string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
}

// useRecoveryCode spends an unused recovery code.
func useRecoveryCode(ctx context.Context, db *gorm.DB, userID int64, code string) (bool, error) {
	res := db.WithContext(ctx).Exec(`UPDATE totp_recovery_codes SET used_at = now()
		WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, userID, HashToken(normalRecoveryCode(code)))
	return res.RowsAffected == 1, res.Error
}

// RegenerateRecoveryCodes replaces the recovery codes (the old ones stop
// working) after checking the password and a current code.
func RegenerateRecoveryCodes(ctx context.Context, db *gorm.DB, a Actor, password, code string) ([]string, error) {
	on, err := TOTPEnabled(ctx, db, a.UserID)
	if err != nil || !on {
		return nil, errors.Join(err, stateIf(!on, "account.totp.not_enrolled"))
	}
	if err := Reauthenticate(ctx, db, a.IP, a.UserID, password, code); err != nil {
		return nil, err
	}
	var codes []string
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if codes, err = newRecoveryCodes(ctx, tx, a.UserID); err != nil {
			return err
		}
		return Audit(ctx, tx, a, 0, "new_recovery_codes", "user", a.UserID, map[string]any{})
	})
	return codes, err
}
