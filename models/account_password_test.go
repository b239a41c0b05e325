package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pakt/models"
)

// signedIn gives the user two browser sessions and two API tokens.
func (f *fixture) signedIn(u *models.User) (sessions []string, tokens []int64) {
	f.t.Helper()
	for range 2 {
		id, _, err := models.NewSession(f.ctx, f.db, &u.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		_, tok, err := models.CreateAPIToken(f.ctx, f.db, u.ID, time.Hour)
		if err != nil {
			f.t.Fatal(err)
		}
		sessions, tokens = append(sessions, id), append(tokens, tok.ID)
	}
	return sessions, tokens
}

func (f *fixture) sessionAlive(id string) bool {
	_, err := models.LoadVisit(f.ctx, f.db, id, time.Hour)
	return err == nil
}

func (f *fixture) liveTokens(u *models.User) int {
	var n int
	f.db.Raw(`SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL`, u.ID).Scan(&n)
	return n
}

func TestChangePasswordEndsOtherSessionsAndTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("ana@example.org", models.RoleMember)
	sessions, _ := f.signedIn(u)
	a := models.Actor{UserID: u.ID, IP: "10.1.1.1"}
	err := models.ChangePassword(f.ctx, f.db, a, sessions[0], "wrong password", "Nova duga lozinka")
	if field(err, "current_password") != "account.password.wrong_current" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := models.ChangePassword(f.ctx, f.db, a, sessions[0], testPassword, "ana@example.org"); field(err, "new_password") != "account.password.is_email" {
		t.Fatalf("weak new password: %v", err)
	}
	if !f.sessionAlive(sessions[1]) || f.liveTokens(u) != 2 {
		t.Fatal("a refused change ended sessions")
	}
	if err := models.ChangePassword(f.ctx, f.db, a, sessions[0], testPassword, "Nova duga lozinka"); err != nil {
		t.Fatal(err)
	}
	if !f.sessionAlive(sessions[0]) || f.sessionAlive(sessions[1]) || f.liveTokens(u) != 0 {
		t.Fatalf("after the change: own session %v, other session %v, live tokens %d",
			f.sessionAlive(sessions[0]), f.sessionAlive(sessions[1]), f.liveTokens(u))
	}
	if _, err := models.Authenticate(f.ctx, f.db, u.Email, "Nova duga lozinka"); err != nil {
		t.Fatal("the new password does not work")
	}
	// The wrong current password counted against the throttle.
	var failures int
	f.db.Raw(`SELECT count(*) FROM login_failures WHERE email = ? AND ip = '10.1.1.1'`, u.Email).Scan(&failures)
	if failures != 1 {
		t.Errorf("%d failures recorded", failures)
	}
}

// Same outcome for any address; a known one gets a one-hour, single-use
// link; using it ends every session and token of the account.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("ana@example.org", models.RoleMember)
	sessions, _ := f.signedIn(u)
	if err := models.RequestPasswordReset(f.ctx, f.db, base, "10.2.2.2", "nobody@example.org"); err != nil {
		t.Fatalf("unknown address: %v", err)
	}
	if len(f.mails("nobody@example.org")) != 0 {
		t.Fatal("a mail to an unknown address")
	}
	if err := models.RequestPasswordReset(f.ctx, f.db, base, "10.2.2.2", " ANA@example.org "); err != nil {
		t.Fatal(err)
	}
	mails := f.mails("ana@example.org")
	if len(mails) != 1 || mails[0].Kind != "password_reset" || mails[0].Lang != "bs" || !mails[0].Sensitive || f.jobsFor(mails[0].ID) != 1 {
		t.Fatalf("outbox %+v", mails)
	}
	token := tokenIn(t, mails[0].TextBody, "/password-resets/")
	if !strings.Contains(mails[0].TextBody, "jedan sat") {
		t.Errorf("the mail does not say how long the link works:\n%s", mails[0].TextBody)
	}
	if err := models.CheckPasswordReset(f.ctx, f.db, token); err != nil {
		t.Fatal(err)
	}
	if _, err := models.ResetPassword(f.ctx, f.db, "", token, "kratka"); field(err, "password") != "account.password.too_short" {
		t.Fatalf("weak password: %v", err)
	}
	if !f.sessionAlive(sessions[0]) {
		t.Fatal("a refused reset ended a session")
	}
	if _, err := models.ResetPassword(f.ctx, f.db, "10.2.2.3", token, "Sasvim nova lozinka"); err != nil {
		t.Fatal(err)
	}
	if f.sessionAlive(sessions[0]) || f.sessionAlive(sessions[1]) || f.liveTokens(u) != 0 {
		t.Fatal("sessions or tokens survived the reset")
	}
	if _, err := models.ResetPassword(f.ctx, f.db, "", token, "Još jedna lozinka"); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("second use: %v", err)
	}
	if err := models.CheckPasswordReset(f.ctx, f.db, "unknown"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
}

func TestPasswordResetExpires(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.user("ana@example.org", "")
	if err := models.RequestPasswordReset(f.ctx, f.db, base, "10.2.2.2", "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	token := tokenIn(t, f.mails("ana@example.org")[0].TextBody, "/password-resets/")
	f.db.Exec(`UPDATE password_resets SET expires_at = now() - interval '1 second'`)
	if _, err := models.ResetPassword(f.ctx, f.db, "", token, "Sasvim nova lozinka"); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("expired link: %v", err)
	}
}

// Per address, three mails an hour and then silence (the caller hears the
// same); per IP, twenty requests an hour and then ErrThrottled.
func TestPasswordResetThrottle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.user("ana@example.org", "")
	for i := range 5 {
		if err := models.RequestPasswordReset(f.ctx, f.db, base, "10.3.3.3", "ana@example.org"); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if n := len(f.mails("ana@example.org")); n != 3 {
		t.Fatalf("%d reset mails, want 3", n)
	}
	for i := range 15 {
		if err := models.RequestPasswordReset(f.ctx, f.db, base, "10.3.3.3", "x"+string(rune('a'+i))+"@example.org"); err != nil {
			t.Fatalf("request %d: %v", i+6, err)
		}
	}
	err := models.RequestPasswordReset(f.ctx, f.db, base, "10.3.3.3", "someone@example.org")
	var te *models.ThrottleError
	if !errors.Is(err, models.ErrThrottled) || !errors.As(err, &te) || te.RetryAfter <= 0 {
		t.Fatalf("21st request from one IP: %v", err)
	}
	if err := models.RequestPasswordReset(f.ctx, f.db, base, "10.3.3.4", "someone@example.org"); err != nil {
		t.Fatalf("another IP: %v", err)
	}
}
