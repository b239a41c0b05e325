package models_test

import (
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"pakt/models"
)

// One notification per recipient in their language; mail per their
// setting: immediate (an outbox mail with its job and one-click
// unsubscribe), digest (waits), off (none); invited people get no mail.
func TestNotify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	f.db.Exec(`UPDATE users SET locale = 'sr' WHERE id = ?`, ana.ID)
	ben := f.user("ben@example.org", models.RoleMember)
	cem := f.user("cem@example.org", models.RoleMember)
	dora, err := models.CreateUser(f.ctx, f.db, models.Actor{}, 0, models.UserInput{Email: "dora@example.org", Name: "Dora"})
	if err != nil || dora.Status != models.UserInvited {
		t.Fatal(err)
	}
	if err := models.SetNotificationSettings(f.ctx, f.db, ben.ID, map[string]string{models.KindReportReturned: models.ModeDigest}); err != nil {
		t.Fatal(err)
	}
	if err := models.SetNotificationSettings(f.ctx, f.db, cem.ID, map[string]string{models.KindReportReturned: models.ModeOff}); err != nil {
		t.Fatal(err)
	}
	n := models.Notice{Kind: models.KindReportReturned, MunicipalityID: f.muni.ID, Title: "M1.1 Obuka",
		Path: "/measures/1/progress/2", UserIDs: []int64{ana.ID, ben.ID, cem.ID, dora.ID, ana.ID}}
	if err := models.Notify(f.ctx, f.db, base, n); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.User{ana, ben, cem, dora} {
		ns, _ := models.ListNotifications(f.ctx, f.db, u.ID, 0, 10)
		if len(ns) != 1 || ns[0].URL != "/measures/1/progress/2" || ns[0].ReadAt != nil {
			t.Fatalf("%s: %+v", u.Email, ns)
		}
	}
	ns, _ := models.ListNotifications(f.ctx, f.db, ana.ID, 0, 10)
	if ns[0].Subject != "Извештај враћен на дораду: M1.1 Obuka" {
		t.Errorf("Serbian subject %q", ns[0].Subject)
	}
	mails := f.mails("ana@example.org")
	if len(mails) != 1 || mails[0].Lang != "sr" || f.jobsFor(mails[0].ID) != 1 ||
		!strings.HasPrefix(mails[0].Unsubscribe, base+"/unsubscribe/") || !strings.Contains(mails[0].TextBody, base+"/measures/1/progress/2") {
		t.Fatalf("ana's mail %+v", mails)
	}
	for _, who := range []string{"ben@example.org", "cem@example.org"} {
		if len(f.mails(who)) != 0 {
			t.Errorf("%s got a mail", who)
		}
	}
	if len(f.mails("dora@example.org")) != 0 {
		t.Error("an invited person got a notification mail")
	}
	var digest int
	f.db.Raw(`SELECT count(*) FROM notifications WHERE user_id = ? AND mail = 'digest'`, ben.ID).Scan(&digest)
	if digest != 1 {
		t.Error("ben's notification does not wait for the summary")
	}
	if err := models.Notify(f.ctx, f.db, base, models.Notice{Kind: "gossip", UserIDs: []int64{ana.ID}}); field(err, "kind") == "" {
		t.Errorf("an unknown kind: %v", err)
	}
}

// Rolled back with the event, the notification and its mail never existed.
func TestNotifyIsPartOfTheEventsTransaction(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	boom := errors.New("the event failed")
	err := f.db.Transaction(func(tx *gorm.DB) error {
		if err := models.Notify(f.ctx, tx, base, models.Notice{Kind: models.KindSignatureRequested, MunicipalityID: f.muni.ID,
			Title: "Protokol", Path: "/agreements/1", UserIDs: []int64{ana.ID}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var rows, jobs int
	f.db.Raw(`SELECT (SELECT count(*) FROM notifications) + (SELECT count(*) FROM mail_outbox)`).Scan(&rows)
	f.db.Raw(`SELECT count(*) FROM river_job`).Scan(&jobs)
	if rows != 0 || jobs != 0 {
		t.Fatalf("%d rows and %d jobs survived the rollback", rows, jobs)
	}
}

func TestNotificationListAndRead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	ben := f.user("ben@example.org", models.RoleMember)
	for _, title := range []string{"A", "B", "C"} {
		if err := models.Notify(f.ctx, f.db, base, models.Notice{Kind: models.KindAgreementInForce, MunicipalityID: f.muni.ID,
			Title: title, Path: "/agreements/1", UserIDs: []int64{ana.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	ns, _ := models.ListNotifications(f.ctx, f.db, ana.ID, 0, 2)
	if len(ns) != 2 || !strings.HasSuffix(ns[0].Subject, ": C") || !strings.HasSuffix(ns[1].Subject, ": B") {
		t.Fatalf("newest first, two: %+v", ns)
	}
	older, _ := models.ListNotifications(f.ctx, f.db, ana.ID, ns[1].ID, 10)
	if len(older) != 1 || !strings.HasSuffix(older[0].Subject, ": A") {
		t.Fatalf("next page: %+v", older)
	}
	if n, _ := models.UnreadCount(f.ctx, f.db, ana.ID); n != 3 {
		t.Fatalf("unread %d", n)
	}
	if err := models.MarkNotificationRead(f.ctx, f.db, ben.ID, ns[0].ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("someone else's notification: %v", err)
	}
	if err := models.MarkNotificationRead(f.ctx, f.db, ana.ID, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := models.MarkNotificationRead(f.ctx, f.db, ana.ID, ns[0].ID); err != nil {
		t.Fatalf("marking twice: %v", err)
	}
	if n, _ := models.UnreadCount(f.ctx, f.db, ana.ID); n != 2 {
		t.Fatalf("unread after one read: %d", n)
	}
	if err := models.MarkAllNotificationsRead(f.ctx, f.db, ana.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := models.UnreadCount(f.ctx, f.db, ana.ID); n != 0 {
		t.Fatalf("unread after all read: %d", n)
	}
}

func TestNotificationSettings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	modes, err := models.NotificationSettings(f.ctx, f.db, ana.ID)
	if err != nil || len(modes) != len(models.NotificationKinds) || modes[models.KindSignatureRequested] != models.ModeImmediate ||
		modes[models.KindReportPublished] != models.ModeDigest {
		t.Fatalf("defaults %v, %v", modes, err)
	}
	err = models.SetNotificationSettings(f.ctx, f.db, ana.ID, map[string]string{"gossip": "off", models.KindReportDue: "weekly"})
	if field(err, "gossip") != "account.notify.unknown_kind" || field(err, models.KindReportDue) != "account.notify.mode" {
		t.Fatalf("bad settings: %v", err)
	}
	if err := models.SetNotificationSettings(f.ctx, f.db, ana.ID, map[string]string{models.KindReportDue: models.ModeOff}); err != nil {
		t.Fatal(err)
	}
	modes, _ = models.NotificationSettings(f.ctx, f.db, ana.ID)
	if modes[models.KindReportDue] != models.ModeOff || modes[models.KindReportOverdue] != models.ModeImmediate {
		t.Fatalf("after the change: %v", modes)
	}
}

// The one-click link of a mail turns its kind off, also when used twice;
// the link of a summary turns off every kind that goes to the summary.
func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	if err := models.Notify(f.ctx, f.db, base, models.Notice{Kind: models.KindCommitmentDue, MunicipalityID: f.muni.ID,
		Title: "Obuka", Due: models.MustDate("2026-05-01"), Path: "/commitments", UserIDs: []int64{ana.ID}}); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(f.mails("ana@example.org")[0].Unsubscribe, base+"/unsubscribe/")
	for range 2 {
		got, err := models.Unsubscribe(f.ctx, f.db, token)
		if err != nil || got.UserID != ana.ID || len(got.Kinds) != 1 || got.Kinds[0] != models.KindCommitmentDue {
			t.Fatalf("unsubscribe: %+v, %v", got, err)
		}
	}
	modes, _ := models.NotificationSettings(f.ctx, f.db, ana.ID)
	if modes[models.KindCommitmentDue] != models.ModeOff {
		t.Fatal("still subscribed")
	}
	if _, err := models.Unsubscribe(f.ctx, f.db, "forged"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
}

// The summary goes out once the oldest waiting notification is a day old,
// once, however many passes run.
func TestDigest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := f.user("ana@example.org", models.RoleMember)
	for _, title := range []string{"Protokol o saradnji", "Sporazum 2"} {
		if err := models.Notify(f.ctx, f.db, base, models.Notice{Kind: models.KindAgreementInForce, MunicipalityID: f.muni.ID,
			Title: title, Path: "/agreements/7", UserIDs: []int64{ana.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := models.SendDigests(f.ctx, f.db, base, models.DigestAge); err != nil || n != 0 {
		t.Fatalf("a summary before a day passed: %d, %v", n, err)
	}
	f.db.Exec(`UPDATE notifications SET created_at = created_at - interval '25 hours'`)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			n, err := models.SendDigests(f.ctx, f.db, base, models.DigestAge)
			if err != nil {
				t.Error(err)
			}
			done <- n
		}()
	}
	if total := <-done + <-done; total != 1 {
		t.Fatalf("%d summaries from two passes, want 1", total)
	}
	mails := f.mails("ana@example.org")
	if len(mails) != 1 || mails[0].Kind != "digest" || mails[0].Subject != "Pakt: pregled obavještenja" ||
		!strings.Contains(mails[0].TextBody, "Protokol o saradnji") || !strings.Contains(mails[0].TextBody, base+"/agreements/7") {
		t.Fatalf("summary %+v", mails)
	}
	// Its link turns off every kind that goes to the summary.
	digestKinds := 0
	for _, k := range models.NotificationKinds {
		if k.Default == models.ModeDigest {
			digestKinds++
		}
	}
	got, err := models.Unsubscribe(f.ctx, f.db, strings.TrimPrefix(mails[0].Unsubscribe, base+"/unsubscribe/"))
	if err != nil || len(got.Kinds) != digestKinds {
		t.Fatalf("unsubscribe from the summary: %+v, %v", got, err)
	}
}
