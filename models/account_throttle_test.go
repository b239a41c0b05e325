package models_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pakt/models"
)

func (f *fixture) signIn(email, password, code, ip string) error {
	_, err := models.SignIn(f.ctx, f.db, models.Credentials{Email: email, Password: password, Code: code, IP: ip})
	return err
}

// age moves every recorded failure back in time, as if d had passed.
func (f *fixture) age(d time.Duration) {
	f.db.Exec(`UPDATE login_failures SET created_at = created_at - ?::interval`, fmt.Sprintf("%d seconds", int(d.Seconds())))
}

// A stranger guessing from one address slows only that address: after
// three free failures it waits 1 s, 2 s, 4 s ... The owner, elsewhere,
// signs in at once, and a success forgets that address's failures only.
func TestThrottlePerEmailAndIP(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("ana@example.org", models.RoleMember)
	const stranger, owner = "203.0.113.9", "198.51.100.7"
	for i := range 3 {
		if err := f.signIn(u.Email, "guess", "", stranger); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	err := f.signIn(u.Email, testPassword, "", stranger)
	var te *models.ThrottleError
	if !errors.As(err, &te) || te.RetryAfter <= 0 || te.RetryAfter > time.Second {
		t.Fatalf("after 3 failures: %v, want a wait of up to 1 s", err)
	}
	if err := f.signIn(u.Email, testPassword, "", owner); err != nil {
		t.Fatalf("the owner from another address is locked out: %v", err)
	}
	f.age(2 * time.Second)
	if err := f.signIn(u.Email, "guess", "", stranger); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("after the wait: %v", err)
	}
	wait, _ := models.LoginWait(f.ctx, f.db, stranger, u.Email)
	if wait <= time.Second || wait > 2*time.Second {
		t.Fatalf("after the 4th failure the wait is %s, want 2 s", wait)
	}
	for range 20 { // a long run of failures waits at most 15 minutes
		f.db.Exec(`INSERT INTO login_failures (ip, email) VALUES (?, ?)`, stranger, u.Email)
	}
	if wait, _ := models.LoginWait(f.ctx, f.db, stranger, u.Email); wait > 15*time.Minute || wait < 14*time.Minute {
		t.Fatalf("wait after many failures: %s", wait)
	}
	f.age(25 * time.Hour)
	if wait, _ := models.LoginWait(f.ctx, f.db, stranger, u.Email); wait != 0 {
		t.Fatalf("failures older than a day still count: %s", wait)
	}
	if err := models.PurgeThrottleRows(f.ctx, f.db); err != nil {
		t.Fatal(err)
	}
	var left int
	f.db.Raw(`SELECT count(*) FROM login_failures`).Scan(&left)
	if left != 0 {
		t.Errorf("%d failures older than a day left after the purge", left)
	}
}

// One office behind one NAT address: dozens of people mistyping are not
// shut out; a hundred failures in 15 minutes from one address are.
func TestThrottlePerIP(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const office = "192.0.2.1"
	for i := range 30 { // 30 colleagues mistype once each
		f.db.Exec(`INSERT INTO login_failures (ip, email) VALUES (?, ?)`, office, fmt.Sprintf("c%d@example.org", i))
	}
	u := f.user("ana@example.org", models.RoleMember)
	if err := f.signIn(u.Email, testPassword, "", office); err != nil {
		t.Fatalf("a colleague behind the same address: %v", err)
	}
	for i := range 70 {
		f.db.Exec(`INSERT INTO login_failures (ip, email) VALUES (?, ?)`, office, fmt.Sprintf("spray%d@example.org", i))
	}
	if err := f.signIn(u.Email, testPassword, "", office); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("after 100 failures from one address: %v", err)
	}
	if err := f.signIn(u.Email, testPassword, "", "192.0.2.2"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// Signing an agreement asks for the password again under the same throttle.
func TestReauthenticate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("ana@example.org", models.RoleMember)
	if err := models.Reauthenticate(f.ctx, f.db, "10.9.9.9", u.ID, testPassword, ""); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := models.Reauthenticate(f.ctx, f.db, "10.9.9.9", u.ID, "wrong", ""); field(err, "password") != "sign.wrong_password" {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if err := models.Reauthenticate(f.ctx, f.db, "10.9.9.9", u.ID, testPassword, ""); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("after three wrong passwords: %v", err)
	}
	if err := f.signIn(u.Email, testPassword, "", "10.9.9.9"); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("the sign-in shares the throttle: %v", err)
	}
}
