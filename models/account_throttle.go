package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The sign-in throttle. Every wrong password or second-factor code, at
// sign-in, when signing an agreement and when changing a password, is a row
// of login_failures (ip, email). Before a password is even checked:
//
//  1. Per (e-mail, IP) pair: the first pairFree failures within pairWindow
//     cost nothing; after that each attempt from that address for that
//     account waits 2^(n-pairFree) seconds after the last failure, at most
//     pairMaxWait. A guesser at one address gets a few dozen tries an hour.
//     The owner, at another address, is not slowed at all by a stranger's
//     failures: a stranger cannot lock the owner out.
//  2. Per IP, over all accounts: ipLimit failures within ipWindow make that
//     address wait until the window has passed. The limit is high on
//     purpose: a whole office behind one NAT address mistyping passwords
//     stays far below it; one machine spraying guesses over many accounts
//     does not.
//
// Nothing is counted per account over all addresses: that would let anyone
// lock any account by failing on purpose. Distributed guessing is slowed by
// rule 1 per address, argon2's cost and the second factor.
const (
	pairFree    = 3
	pairWindow  = 24 * time.Hour
	pairMaxWait = 15 * time.Minute
	ipLimit     = 100
	ipWindow    = 15 * time.Minute
)

// ErrThrottled is the errors.Is target of a ThrottleError (API.md: 429).
var ErrThrottled = errors.New("too many attempts")

// ThrottleError says how long to wait (the Retry-After header).
type ThrottleError struct{ RetryAfter time.Duration }

func (e *ThrottleError) Error() string {
	return fmt.Sprintf("too many attempts: retry after %s", e.RetryAfter.Round(time.Second))
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottleError) Is(target error) bool { return target == ErrThrottled }

// LoginWait says how long an attempt for email from ip must still wait
// under the rules above; 0 means it may try now.
func LoginWait(ctx context.Context, db *gorm.DB, ip, email string) (time.Duration, error) {
	now := time.Now()
	var pair struct {
		N    int64
		Last *time.Time
	}
	err := db.WithContext(ctx).Raw(`SELECT count(*) AS n, max(created_at) AS last FROM login_failures
		WHERE lower(email) = lower(?) AND ip = ? AND created_at > ?`, strings.TrimSpace(email), ip, now.Add(-pairWindow)).
		Scan(&pair).Error
	if err != nil {
		return 0, err
	}
	wait := pairWait(pair.N, pair.Last, now)
	var ipRows struct {
		N     int64
		First *time.Time
	}
	err = db.WithContext(ctx).Raw(`SELECT count(*) AS n, min(created_at) AS first FROM login_failures
		WHERE ip = ? AND created_at > ?`, ip, now.Add(-ipWindow)).Scan(&ipRows).Error
	if err != nil {
		return 0, err
	}
	if ipRows.N >= ipLimit && ipRows.First != nil {
		wait = max(wait, ipRows.First.Add(ipWindow).Sub(now))
	}
	return max(wait, 0), nil
}

// pairWait is rule 1: exponential delay after the free failures.
func pairWait(n int64, last *time.Time, now time.Time) time.Duration {
	if n < pairFree || last == nil {
		return 0
	}
	delay := pairMaxWait
	if shift := n - pairFree; shift < 10 { // 2^10 s > 15 min already
		delay = min(time.Duration(1<<shift)*time.Second, pairMaxWait)
	}
	return last.Add(delay).Sub(now)
}

// checkThrottle returns a ThrottleError when the attempt must wait.
func checkThrottle(ctx context.Context, db *gorm.DB, ip, email string) error {
	wait, err := LoginWait(ctx, db, ip, email)
	if err != nil {
		return err
	}
	if wait > 0 {
		return &ThrottleError{RetryAfter: wait}
	}
	return nil
}

// clearPairFailures forgets the failures of one (e-mail, IP) pair after a
// success there; other addresses' failures stay counted.
func clearPairFailures(ctx context.Context, db *gorm.DB, ip, email string) error {
	return db.WithContext(ctx).Where("lower(email) = lower(?) AND ip = ?", strings.TrimSpace(email), ip).
		Delete(&LoginFailure{}).Error
}

// countEvents counts throttle_events of scope and key since a time.
func countEvents(ctx context.Context, db *gorm.DB, scope, key string, since time.Time) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Table("throttle_events").Where("scope = ? AND key = ? AND created_at > ?", scope, key, since).
		Count(&n).Error
	return n, err
}

func recordEvent(ctx context.Context, db *gorm.DB, scope, key string) error {
	return db.WithContext(ctx).Exec(`INSERT INTO throttle_events (scope, key) VALUES (?, ?)`, scope, key).Error
}

// PurgeThrottleRows deletes failures and events too old to count any more,
// and reset links long expired; the hourly job calls it.
func PurgeThrottleRows(ctx context.Context, db *gorm.DB) error {
	day := time.Now().Add(-pairWindow)
	for _, q := range []string{`DELETE FROM login_failures WHERE created_at < ?`,
		`DELETE FROM throttle_events WHERE created_at < ?`, `DELETE FROM password_resets WHERE expires_at < ?`} {
		if err := db.WithContext(ctx).Exec(q, day).Error; err != nil {
			return err
		}
	}
	return nil
}

// Sign-in outcomes besides ErrThrottled and ErrNotFound (wrong e-mail or
// password, API.md 401).
var (
	// ErrSecondFactorRequired: the password is right and the account has
	// TOTP on; ask for a code (or a recovery code) and call again.
	ErrSecondFactorRequired = errors.New("second factor required")
	// ErrBadSecondFactor: the code was wrong or already used.
	ErrBadSecondFactor = errors.New("wrong second-factor code")
)

// Credentials are what a person types to sign in; IP is where from.
type Credentials struct {
	Email    string
	Password string
	Code     string // TOTP or recovery code; empty on the first step
	IP       string
}

// SignIn checks credentials under the throttle: ErrThrottled (a
// *ThrottleError) before anything else, ErrNotFound for a wrong e-mail or
// password, ErrSecondFactorRequired / ErrBadSecondFactor for the code.
// Wrong passwords and codes count as failures; success clears the pair's.
func SignIn(ctx context.Context, db *gorm.DB, c Credentials) (*User, error) {
	if err := checkThrottle(ctx, db, c.IP, c.Email); err != nil {
		return nil, err
	}
	u, err := Authenticate(ctx, db, c.Email, c.Password)
	if errors.Is(err, ErrNotFound) {
		return nil, failed(ctx, db, c, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if err := secondFactor(ctx, db, u.ID, c.Code); err != nil {
		if errors.Is(err, ErrBadSecondFactor) {
			return nil, failed(ctx, db, c, err)
		}
		return nil, err
	}
	return u, clearPairFailures(ctx, db, c.IP, c.Email)
}

// failed records a failure and returns why.
func failed(ctx context.Context, db *gorm.DB, c Credentials, why error) error {
	if err := RecordLoginFailure(ctx, db, c.IP, strings.TrimSpace(c.Email)); err != nil {
		return err
	}
	return why
}

// Reauthenticate confirms that the signed-in user is at the keyboard before
// a signature: the password and, with TOTP on, a code, under the same
// throttle as the sign-in (ErrThrottled: 429). Wrong input is a
// ValidationError on "password" or "code" (422).
func Reauthenticate(ctx context.Context, db *gorm.DB, ip string, userID int64, password, code string) error {
	u, err := GetUser(ctx, db, userID)
	if err != nil {
		return err
	}
	c := Credentials{Email: u.Email, Password: password, Code: code, IP: ip}
	_, err = SignIn(ctx, db, c)
	switch {
	case errors.Is(err, ErrNotFound):
		return Invalid("password", "sign.wrong_password")
	case errors.Is(err, ErrSecondFactorRequired):
		return Invalid("code", "account.totp.code_required")
	case errors.Is(err, ErrBadSecondFactor):
		return Invalid("code", "account.totp.bad_code")
	}
	return err
}
