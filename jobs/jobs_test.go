package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/database"
	"pakt/dbtest"
	"pakt/mail"
	"pakt/mail/mailtest"
	"pakt/models"
)

const base = "https://pakt.example.org"

// env is one test database, reachable by GORM and by River's pgx pool.
type env struct {
	t   *testing.T
	ctx context.Context
	url string
	db  *gorm.DB
	log *lockedBuffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	url := dbtest.DatabaseURL(t)
	db, sqlDB, err := database.Open(url, 10, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return &env{t: t, ctx: t.Context(), url: url, db: db, log: &lockedBuffer{}}
}

// start runs an instance of the workers (fast retries) until the test ends.
func (e *env) start(sender *mail.Sender) *Runner {
	e.t.Helper()
	r, err := Start(context.Background(), e.db, Config{DatabaseURL: e.url, BaseURL: base, Sender: sender,
		RemindEvery: time.Hour, RetryPolicy: Backoff{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond},
		Logger: slog.New(slog.NewJSONHandler(e.log, nil))})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			e.t.Errorf("stop: %v", err)
		}
	})
	return r
}

func (e *env) sender(srv *mailtest.Server) *mail.Sender {
	s, err := mail.NewSender(srv.Config(), "Pakt <pakt@example.org>")
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) municipality() *models.Municipality {
	m, err := models.CreateMunicipality(e.ctx, e.db, models.Actor{}, models.MunicipalityInput{Name: "Bratunac",
		Country: "BA", Currency: "BAM", Language: "bs"})
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *env) outbox(id int64) *models.OutboxMessage {
	e.t.Helper()
	o, err := models.GetOutboxMessage(e.ctx, e.db, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// waitFor polls cond for up to 15 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// lockedBuffer collects log lines from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The SMTP server refuses for a while (as if down for an hour), then
// recovers: the invitation arrives once, though two instances run the
// workers, and the outbox says sent, with the link gone from its body.
func TestMailDeliveredOnceAfterSMTPRecovers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := mailtest.Start(t, mailtest.Options{})
	srv.SetDown(true)
	e.start(e.sender(srv))
	e.start(e.sender(srv))
	muni := e.municipality()
	res, err := models.InviteUser(e.ctx, e.db, models.Actor{}, base, muni.ID,
		models.InviteInput{Email: "ana@example.org", Name: "Ana Petrović", Role: models.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	e.db.Raw(`SELECT id FROM mail_outbox WHERE user_id = ?`, res.User.ID).Scan(&id)
	waitFor(t, "three refused attempts", func() bool { return srv.Attempts() >= 3 })
	if o := e.outbox(id); o.Status != models.OutboxQueued || o.Attempts < 2 || !strings.Contains(o.LastError, "451") {
		t.Fatalf("while the server is down: %s, %d attempts, %q", o.Status, o.Attempts, o.LastError)
	}
	srv.SetDown(false)
	got := srv.WaitFor(t, 1, 15*time.Second)[0]
	time.Sleep(500 * time.Millisecond) // room for a second delivery, which must not come
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
	if got.Subject != "Poziv u Pakt: Bratunac" || !strings.Contains(got.Text, base+"/invitations/") || got.To[0] != "ana@example.org" {
		t.Fatalf("delivered: %s to %v\n%s", got.Subject, got.To, got.Text)
	}
	waitFor(t, "the outbox row to say sent", func() bool { return e.outbox(id).Status == models.OutboxSent })
	if o := e.outbox(id); o.SentAt == nil || o.TextBody != "" || o.HTMLBody != "" || o.LastError != "" {
		t.Fatalf("sent row %+v", o)
	}
	if logs := e.log.String(); strings.Contains(logs, "/invitations/") || !strings.Contains(logs, `"mail sent"`) {
		t.Fatalf("logs:\n%s", logs)
	}
}

// Without PAKT_SMTP_URL the mail stays in the outbox for the admins; the
// log says so and where to read it, and never shows the link.
func TestMailKeptWithoutSMTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start(nil)
	muni := e.municipality()
	if err := models.RequestPasswordReset(e.ctx, e.db, base, "10.0.0.1", "nobody@example.org"); err != nil {
		t.Fatal(err)
	}
	res, err := models.InviteUser(e.ctx, e.db, models.Actor{}, base, muni.ID,
		models.InviteInput{Email: "ana@example.org", Name: "Ana", Role: models.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	e.db.Raw(`SELECT id FROM mail_outbox WHERE user_id = ?`, res.User.ID).Scan(&id)
	waitFor(t, "the mail to be kept", func() bool { return e.outbox(id).Status == models.OutboxKept })
	o := e.outbox(id)
	if !strings.Contains(o.TextBody, base+"/invitations/") {
		t.Fatal("a kept invitation lost the link the admin must pass on")
	}
	list, err := models.ListOutbox(e.ctx, e.db, models.OutboxKept, 50)
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].TextBody != "" {
		t.Fatalf("outbox list %+v, %v", list, err)
	}
	logs := e.log.String()
	if !strings.Contains(logs, "mail kept in the outbox") || !strings.Contains(logs, base+"/admin/outbox") ||
		strings.Contains(logs, "/invitations/") {
		t.Fatalf("logs:\n%s", logs)
	}
}

// A recipient the server refuses for good (550) is not retried: the row
// says failed, with the server's answer, after one attempt.
func TestMailRefusedForGoodIsFailed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := mailtest.Start(t, mailtest.Options{Unknown: []string{"gone@example.org"}})
	e.start(e.sender(srv))
	muni := e.municipality()
	res, err := models.InviteUser(e.ctx, e.db, models.Actor{}, base, muni.ID,
		models.InviteInput{Email: "gone@example.org", Name: "Gone", Role: models.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	e.db.Raw(`SELECT id FROM mail_outbox WHERE user_id = ?`, res.User.ID).Scan(&id)
	waitFor(t, "the mail to fail", func() bool { return e.outbox(id).Status == models.OutboxFailed })
	time.Sleep(300 * time.Millisecond)
	if o := e.outbox(id); o.Attempts != 1 || !strings.Contains(o.LastError, "550") || srv.Attempts() != 1 {
		t.Fatalf("failed row: %d attempts (server saw %d), %q", o.Attempts, srv.Attempts(), o.LastError)
	}
}
