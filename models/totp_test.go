package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"pakt/models"
)

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTP(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("ana@example.org", models.RoleMember)
	a := models.Actor{UserID: u.ID, IP: "10.4.4.4"}
	if _, err := models.ConfirmTOTP(f.ctx, f.db, a, "123456"); err == nil {
		t.Fatal("confirmed without enrolling")
	}
	enr, err := models.EnableTOTP(f.ctx, f.db, u.ID, "Pakt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enr.OTPAuthURL, "otpauth://totp/Pakt:ana@example.org?") || !strings.Contains(enr.OTPAuthURL, "secret="+enr.Secret) {
		t.Fatalf("otpauth URL %q", enr.OTPAuthURL)
	}
	if on, _ := models.TOTPEnabled(f.ctx, f.db, u.ID); on {
		t.Fatal("on before confirmation")
	}
	if err := f.signIn(u.Email, testPassword, "", "10.4.4.4"); err != nil {
		t.Fatalf("an unconfirmed secret already asks for codes: %v", err)
	}
	if _, err := models.ConfirmTOTP(f.ctx, f.db, a, "000000"); field(err, "code") != "account.totp.bad_code" {
		t.Fatalf("wrong code: %v", err)
	}
	now := time.Now()
	recovery, err := models.ConfirmTOTP(f.ctx, f.db, a, code(t, enr.Secret, now))
	if err != nil || len(recovery) != models.RecoveryCodeCount {
		t.Fatalf("confirm: %v, %d recovery codes", err, len(recovery))
	}
	if _, err := models.EnableTOTP(f.ctx, f.db, u.ID, "Pakt"); err == nil {
		t.Fatal("enrolled again while on")
	}

	if err := f.signIn(u.Email, testPassword, "", "10.4.4.5"); !errors.Is(err, models.ErrSecondFactorRequired) {
		t.Fatalf("without a code: %v", err)
	}
	// The code used to confirm is spent: replaying it fails.
	if err := f.signIn(u.Email, testPassword, code(t, enr.Secret, now), "10.4.4.5"); !errors.Is(err, models.ErrBadSecondFactor) {
		t.Fatalf("replayed code: %v", err)
	}
	// The next time step's code is accepted (one step of clock skew).
	if err := f.signIn(u.Email, testPassword, code(t, enr.Secret, now.Add(30*time.Second)), "10.4.4.5"); err != nil {
		t.Fatalf("next step's code: %v", err)
	}
	// A recovery code works once, typed in upper case without dashes.
	typed := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", ""))
	if err := f.signIn(u.Email, testPassword, typed, "10.4.4.6"); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if err := f.signIn(u.Email, testPassword, recovery[3], "10.4.4.6"); !errors.Is(err, models.ErrBadSecondFactor) {
		t.Fatalf("recovery code used twice: %v", err)
	}
	// Signing needs a code too.
	if err := models.Reauthenticate(f.ctx, f.db, "10.4.4.7", u.ID, testPassword, ""); field(err, "code") != "account.totp.code_required" {
		t.Fatalf("signing without a code: %v", err)
	}
	if err := models.Reauthenticate(f.ctx, f.db, "10.4.4.7", u.ID, testPassword, recovery[4]); err != nil {
		t.Fatalf("signing with a recovery code: %v", err)
	}
	// Wrong codes count against the throttle like wrong passwords.
	for range 3 {
		f.signIn(u.Email, testPassword, "999999", "10.4.4.8")
	}
	if err := f.signIn(u.Email, testPassword, recovery[5], "10.4.4.8"); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("after three wrong codes: %v", err)
	}

	fresh, err := models.RegenerateRecoveryCodes(f.ctx, f.db, a, testPassword, recovery[6])
	if err != nil || len(fresh) != models.RecoveryCodeCount {
		t.Fatalf("new recovery codes: %v", err)
	}
	if err := f.signIn(u.Email, testPassword, recovery[7], "10.4.4.9"); !errors.Is(err, models.ErrBadSecondFactor) {
		t.Fatalf("an old recovery code after regenerating: %v", err)
	}
	if err := models.DisableTOTP(f.ctx, f.db, a, testPassword, "111111"); field(err, "code") != "account.totp.bad_code" {
		t.Fatalf("disable with a wrong code: %v", err)
	}
	if err := models.DisableTOTP(f.ctx, f.db, models.Actor{UserID: u.ID, IP: "10.4.4.10"}, testPassword, fresh[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.signIn(u.Email, testPassword, "", "10.4.4.11"); err != nil {
		t.Fatalf("after disabling: %v", err)
	}
}
