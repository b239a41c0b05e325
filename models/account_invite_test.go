package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pakt/models"
)

func TestCreateUserSetsNoPasswordForSomeoneElse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := models.CreateUser(f.ctx, f.db, models.Actor{UserID: f.coord.ID}, f.muni.ID,
		models.UserInput{Email: "ana@example.org", Name: "Ana", Password: "a-long-password-1"})
	if field(err, "password") != "account.password_is_personal" {
		t.Fatalf("a coordinator set someone's password: %v", err)
	}
	u, err := models.CreateUser(f.ctx, f.db, models.Actor{UserID: f.coord.ID}, f.muni.ID,
		models.UserInput{Email: "ana@example.org", Name: "Ana"})
	if err != nil || u.Status != models.UserInvited || u.PasswordHash != "" {
		t.Fatalf("without a password: %+v, %v", u, err)
	}
	if _, err := models.Authenticate(f.ctx, f.db, "ana@example.org", ""); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("an invited account signed in with an empty password: %v", err)
	}
}

func TestPasswordRule(t *testing.T) {
	t.Parallel()
	for pw, want := range map[string]string{
		"short":                   "account.password.too_short",
		"čćđšžčćđš":               "account.password.too_short", // 9 characters, 18 bytes
		"čćđšžčćđšž":              "",
		"1234567890":              "account.password.common",
		"Password123":             "account.password.common",
		"ana.petrovic":            "account.password.is_email",
		"Ana.Petrovic@pakt.ba":    "account.password.is_email",
		strings.Repeat("x", 1025): "account.password.too_long",
		"Tri konja na livadi":     "",
	} {
		err := models.CheckPasswordRule("password", pw, "ana.petrovic@pakt.ba")
		if got := field(err, "password"); got != want {
			t.Errorf("%q: %q, want %q", pw, got, want)
		}
	}
}

// A new person: an account without a password, the role at once, an
// invitation mail (in the municipality's language, queued with its River
// job) whose link works once, within 7 days, with a good password only.
func TestInviteNewPersonAndAccept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res, err := models.InviteUser(f.ctx, f.db, models.Actor{UserID: f.coord.ID, IP: "10.0.0.1"}, base, f.muni.ID,
		models.InviteInput{Email: "Ana@Example.org", Name: "Ana Petrović", OrganisationID: &f.org.ID, Role: models.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != models.InvitePending || res.User.Status != models.UserInvited || res.Invitation == nil {
		t.Fatalf("result %+v", res)
	}
	if d := time.Until(res.Invitation.ExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour {
		t.Errorf("expires in %s", d)
	}
	var role string
	f.db.Raw(`SELECT role FROM memberships WHERE user_id = ? AND municipality_id = ?`, res.User.ID, f.muni.ID).Scan(&role)
	if role != models.RoleMember {
		t.Errorf("role %q", role)
	}
	mails := f.mails("Ana@Example.org")
	if len(mails) != 1 || mails[0].Kind != "invitation" || mails[0].Lang != "bs" || !mails[0].Sensitive ||
		mails[0].Unsubscribe != "" || f.jobsFor(mails[0].ID) != 1 {
		t.Fatalf("outbox %+v", mails)
	}
	if !strings.Contains(mails[0].Subject, "Bratunac") || !strings.Contains(mails[0].TextBody, "User koordinator@example.org") {
		t.Errorf("mail: %s\n%s", mails[0].Subject, mails[0].TextBody)
	}
	token := tokenIn(t, mails[0].TextBody, "/invitations/")
	var stored models.Invitation
	f.db.First(&stored, res.Invitation.ID)
	if string(stored.TokenHash) != string(models.HashToken(token)) {
		t.Error("the invitation row does not hold the token's SHA-256")
	}

	if pending, _ := models.ListPendingInvitations(f.ctx, f.db, f.muni.ID); len(pending) != 1 || pending[0].UserID != res.User.ID {
		t.Errorf("pending invitations %+v", pending)
	}
	info, err := models.LookupInvitation(f.ctx, f.db, token)
	if err != nil || info.Email != "Ana@Example.org" || info.MunicipalityName != "Bratunac" {
		t.Fatalf("lookup %+v, %v", info, err)
	}
	if _, err := models.AcceptInvitation(f.ctx, f.db, "10.0.0.2", token, "1234567890", ""); field(err, "password") != "account.password.common" {
		t.Fatalf("weak password: %v", err)
	}
	u, err := models.AcceptInvitation(f.ctx, f.db, "10.0.0.2", token, "Moja vlastita lozinka", "Ana Petrović-Jovanović")
	if err != nil || u.Status != models.UserActive || u.Name != "Ana Petrović-Jovanović" {
		t.Fatalf("accept: %+v, %v", u, err)
	}
	if _, err := models.Authenticate(f.ctx, f.db, "ana@example.org", "Moja vlastita lozinka"); err != nil {
		t.Fatalf("sign in after accepting: %v", err)
	}
	if pending, _ := models.ListPendingInvitations(f.ctx, f.db, f.muni.ID); len(pending) != 0 {
		t.Errorf("still pending after accepting: %+v", pending)
	}
	if _, err := models.AcceptInvitation(f.ctx, f.db, "10.0.0.3", token, "Tuđa nova lozinka", ""); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("second use: %v", err)
	}
	if _, err := models.LookupInvitation(f.ctx, f.db, token); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("lookup after use: %v", err)
	}
	if _, err := models.AcceptInvitation(f.ctx, f.db, "10.0.0.3", "no-such-token", "Tuđa nova lozinka", ""); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
}

func TestInvitationExpires(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res, err := models.InviteUser(f.ctx, f.db, models.Actor{UserID: f.coord.ID}, base, f.muni.ID,
		models.InviteInput{Email: "late@example.org", Name: "Late", Role: models.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	token := tokenIn(t, f.mails("late@example.org")[0].TextBody, "/invitations/")
	f.db.Exec(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = ?`, res.Invitation.ID)
	if _, err := models.AcceptInvitation(f.ctx, f.db, "", token, "Moja vlastita lozinka", ""); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("expired invitation: %v", err)
	}
}

// Invited twice (say by two municipalities) and joined through the first
// link: the second link must not set the password again.
func TestStaleInvitationCannotSetPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other, _ := models.CreateMunicipality(f.ctx, f.db, models.Actor{}, models.MunicipalityInput{Name: "Зворник",
		Country: "BA", Currency: "BAM", Language: "sr"})
	for _, m := range []int64{f.muni.ID, other.ID} {
		if _, err := models.InviteUser(f.ctx, f.db, models.Actor{}, base, m,
			models.InviteInput{Email: "two@example.org", Name: "Two", Role: models.RoleMember}); err != nil {
			t.Fatal(err)
		}
	}
	mails := f.mails("two@example.org")
	if len(mails) != 2 || mails[1].Lang != "sr" || !strings.Contains(mails[1].Subject, "Позив") || !strings.Contains(mails[0].TextBody, "Pakt") {
		t.Fatalf("two invitations, the second in Serbian: %+v", mails)
	}
	first, second := tokenIn(t, mails[0].TextBody, "/invitations/"), tokenIn(t, mails[1].TextBody, "/invitations/")
	if _, err := models.AcceptInvitation(f.ctx, f.db, "", first, "Moja vlastita lozinka", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := models.AcceptInvitation(f.ctx, f.db, "", second, "Nečija druga lozinka", ""); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("the other link after joining: %v", err)
	}
}

// Invited again by the same municipality (the first mail went astray): the
// old link stops working, the new one works, and the pending list shows
// the person once.
func TestReinviteRetiresTheOldLink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := 0; i < 2; i++ {
		if _, err := models.InviteUser(f.ctx, f.db, models.Actor{UserID: f.coord.ID}, base, f.muni.ID,
			models.InviteInput{Email: "again@example.org", Name: "Again", Role: models.RoleMember}); err != nil {
			t.Fatal(err)
		}
	}
	mails := f.mails("again@example.org")
	if len(mails) != 2 {
		t.Fatalf("two invitation mails, got %d", len(mails))
	}
	old, fresh := tokenIn(t, mails[0].TextBody, "/invitations/"), tokenIn(t, mails[1].TextBody, "/invitations/")
	if pending, err := models.ListPendingInvitations(f.ctx, f.db, f.muni.ID); err != nil || len(pending) != 1 ||
		!pending[0].ExpiresAt.After(time.Now()) {
		t.Fatalf("pending after inviting twice: %+v, %v", pending, err)
	}
	if _, err := models.AcceptInvitation(f.ctx, f.db, "", old, "Moja vlastita lozinka", ""); !errors.Is(err, models.ErrTokenGone) {
		t.Fatalf("the retired link: %v", err)
	}
	if _, err := models.AcceptInvitation(f.ctx, f.db, "", fresh, "Moja vlastita lozinka", ""); err != nil {
		t.Fatalf("the new link: %v", err)
	}
}

// An existing account is added at once and told by a member_added
// notification mail, which (unlike an invitation) can be unsubscribed.
func TestInviteExistingAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("vesna@example.org", "")
	res, err := models.InviteUser(f.ctx, f.db, models.Actor{UserID: f.coord.ID}, base, f.muni.ID,
		models.InviteInput{Email: "VESNA@example.org", Role: models.RoleCoordinator})
	if err != nil || res.Status != models.InviteAdded || res.User.ID != u.ID || res.Invitation != nil {
		t.Fatalf("%+v, %v", res, err)
	}
	ns, _ := models.ListNotifications(f.ctx, f.db, u.ID, 0, 10)
	if len(ns) != 1 || ns[0].Kind != models.KindMemberAdded || ns[0].Subject != "Dodani ste: Bratunac" {
		t.Fatalf("notifications %+v", ns)
	}
	mails := f.mails("vesna@example.org")
	if len(mails) != 1 || mails[0].Kind != models.KindMemberAdded || mails[0].Unsubscribe == "" || mails[0].Sensitive ||
		!strings.Contains(mails[0].TextBody, "Koordinator") || !strings.Contains(mails[0].TextBody, base+"/municipalities/") {
		t.Fatalf("mail %+v", mails)
	}
	var invitations int
	f.db.Raw(`SELECT count(*) FROM invitations WHERE user_id = ?`, u.ID).Scan(&invitations)
	if invitations != 0 {
		t.Error("an existing account got an invitation link")
	}
}

func TestInviteValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other, _ := models.CreateMunicipality(f.ctx, f.db, models.Actor{}, models.MunicipalityInput{Name: "Milići",
		Country: "BA", Currency: "BAM"})
	foreign, _ := models.CreateOrganisation(f.ctx, f.db, models.Actor{}, other.ID, models.OrganisationInput{Name: "CSR", Type: "csw"})
	_, err := models.InviteUser(f.ctx, f.db, models.Actor{}, base, f.muni.ID,
		models.InviteInput{Email: "not an address", Name: "X", OrganisationID: &foreign.ID, Role: "mayor"})
	for name, key := range map[string]string{"email": "validation.email", "role": "validation.role",
		"organisation_id": "error.unknown_organisation"} {
		if field(err, name) != key {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = models.InviteUser(f.ctx, f.db, models.Actor{}, base, f.muni.ID,
		models.InviteInput{Email: "noname@example.org", Role: models.RoleMember})
	if field(err, "name") != "validation.required" {
		t.Errorf("a new person without a name: %v", err)
	}
	var n int
	f.db.Raw(`SELECT count(*) FROM mail_outbox`).Scan(&n)
	if n != 0 {
		t.Errorf("%d mails queued by refused invitations", n)
	}
}
