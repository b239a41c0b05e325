package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"pakt/models"
)

func TestOwnSessionsAndTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana, ben := f.user("ana@example.org", models.RoleMember), f.user("ben@example.org", models.RoleMember)
	anaSess, _, _ := models.NewSession(f.ctx, f.db, &ana.ID)
	anaOther, _, _ := models.NewSession(f.ctx, f.db, &ana.ID)
	list, err := models.ListSessions(f.ctx, f.db, ana.ID, anaSess)
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions: %v %d", err, len(list))
	}
	current := 0
	for _, s := range list {
		if s.Current {
			current++
		}
	}
	if current != 1 {
		t.Fatalf("%d sessions marked current", current)
	}
	// Ben cannot end Ana's session, Ana can.
	h := models.SessionHandleOf(anaOther)
	if err := models.RevokeSession(f.ctx, f.db, models.Actor{UserID: ben.ID}, h); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another's session: %v", err)
	}
	if err := models.RevokeSession(f.ctx, f.db, models.Actor{UserID: ana.ID}, h); err != nil {
		t.Fatal(err)
	}
	if _, err := models.LoadVisit(f.ctx, f.db, anaOther, time.Hour); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoked session still loads: %v", err)
	}
	// Tokens: the same rule.
	_, tok, _ := models.CreateAPIToken(f.ctx, f.db, ana.ID, time.Hour)
	if err := models.RevokeOwnAPIToken(f.ctx, f.db, models.Actor{UserID: ben.ID}, tok.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another's token: %v", err)
	}
	if ts, _ := models.ListAPITokens(f.ctx, f.db, ana.ID, tok.ID); len(ts) != 1 || !ts[0].Current {
		t.Fatalf("tokens: %+v", ts)
	}
	if err := models.RevokeOwnAPIToken(f.ctx, f.db, models.Actor{UserID: ana.ID}, tok.ID); err != nil {
		t.Fatal(err)
	}
	if err := models.RevokeOwnAPIToken(f.ctx, f.db, models.Actor{UserID: ana.ID}, tok.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoked twice: %v", err)
	}
	if ts, _ := models.ListAPITokens(f.ctx, f.db, ana.ID, 0); len(ts) != 0 {
		t.Fatalf("a revoked token is listed: %+v", ts)
	}
}

func TestChangePasswordByTokenKeepsIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	clear, tok, _ := models.CreateAPIToken(f.ctx, f.db, ana.ID, time.Hour)
	other, _, _ := models.CreateAPIToken(f.ctx, f.db, ana.ID, time.Hour)
	sess, _, _ := models.NewSession(f.ctx, f.db, &ana.ID)
	if err := models.ChangePasswordByToken(f.ctx, f.db, models.Actor{UserID: ana.ID}, tok.ID, testPassword, "Nova duga lozinka"); err != nil {
		t.Fatal(err)
	}
	if _, err := models.LookupAPIToken(f.ctx, f.db, clear); err != nil {
		t.Fatalf("the calling token ended: %v", err)
	}
	if _, err := models.LookupAPIToken(f.ctx, f.db, other); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another token survived: %v", err)
	}
	if _, err := models.LoadVisit(f.ctx, f.db, sess, time.Hour); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a session survived: %v", err)
	}
}

func TestPendingTOTPAndVisitFlag(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	if _, err := models.PendingTOTP(f.ctx, f.db, ana.ID, "Pakt"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("pending before start: %v", err)
	}
	en, err := models.EnableTOTP(f.ctx, f.db, ana.ID, "Pakt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.PendingTOTP(f.ctx, f.db, ana.ID, "Pakt")
	if err != nil || p.Secret != en.Secret || p.OTPAuthURL != en.OTPAuthURL {
		t.Fatalf("pending: %v %+v vs %+v", err, p, en)
	}
	sess, _, _ := models.NewSession(f.ctx, f.db, &ana.ID)
	if v, _ := models.LoadVisit(f.ctx, f.db, sess, time.Hour); v.TOTPOn {
		t.Fatal("an unconfirmed second factor counts as on")
	}
	code, _ := totp.GenerateCode(en.Secret, time.Now())
	if _, err := models.ConfirmTOTP(f.ctx, f.db, models.Actor{UserID: ana.ID}, code); err != nil {
		t.Fatal(err)
	}
	if _, err := models.PendingTOTP(f.ctx, f.db, ana.ID, "Pakt"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("pending once on: %v", err)
	}
	if v, _ := models.LoadVisit(f.ctx, f.db, sess, time.Hour); !v.TOTPOn {
		t.Fatal("the visit does not know the second factor is on")
	}
}
