package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"pakt/dbtest"
	"pakt/jobs"
	"pakt/mail"
	"pakt/mail/mailtest"
)

// deliverMail runs the job workers of "pakt serve" on the world's database
// with an SMTP server of the test: mail written by the app goes over real
// SMTP (TCP) and the test reads what arrived. Both stop with the test.
func deliverMail(t *testing.T, w *world) *mailtest.Server {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	sender, err := mail.NewSender(srv.Config(), "Pakt <pakt@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	r, err := jobs.Start(context.Background(), w.DB, jobs.Config{DatabaseURL: worldDatabaseURL(t, w),
		BaseURL: w.Cfg.BaseURL, Sender: sender, RemindEvery: time.Hour,
		RetryPolicy: jobs.Backoff{Base: 50 * time.Millisecond, Max: 500 * time.Millisecond},
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop the job workers: %v", err)
		}
	})
	return srv
}

// worldDatabaseURL is the URL of the world's own database (River connects
// with its own pool): the test server's URL with that database's name.
func worldDatabaseURL(t *testing.T, w *world) string {
	t.Helper()
	var name string
	if err := w.DB.Raw(`SELECT current_database()`).Scan(&name).Error; err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dbtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// receivedMail waits for the first message received for an address with
// a subject (other mails, such as a request to sign, go to the same person).
func receivedMail(t *testing.T, srv *mailtest.Server, to, subject string) mailtest.Received {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var subjects []string
		for _, m := range srv.Messages() {
			if len(m.To) != 1 || !strings.EqualFold(m.To[0], to) {
				continue
			}
			if m.Subject == subject {
				return m
			}
			subjects = append(subjects, m.Subject)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail %q to %s arrived; got %q", subject, to, subjects)
		}
		time.Sleep(25 * time.Millisecond) // polling the server, not waiting blind
	}
}

// checkAccountMail waits for an invitation or reset to arrive with its
// subject and checks its language, an absolute link under the base URL in the text and the HTML,
// and no List-Unsubscribe (these mails are not optional). It returns the
// link's path.
func checkAccountMail(t *testing.T, srv *mailtest.Server, to, base, subject, lang, kind string) string {
	t.Helper()
	m := receivedMail(t, srv, to, subject)
	if got := m.Header.Get("Content-Language"); got != lang {
		t.Errorf("%s: Content-Language %q, want %q", kind, got, lang)
	}
	if got := m.Header.Get("List-Unsubscribe"); got != "" {
		t.Errorf("%s: List-Unsubscribe %q on a mail one cannot unsubscribe from", kind, got)
	}
	link := linkIn(t, m.Text)
	if !strings.HasPrefix(link, base+"/"+kind+"/") {
		t.Fatalf("%s: link %q is not under %s/%s/", kind, link, base, kind)
	}
	if !strings.Contains(m.HTML, `href="`+link+`"`) {
		t.Errorf("%s: the HTML part has no link to %s", kind, link)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// totpClock hands out codes of increasing time steps: the model takes a
// step only once and accepts one step either side of now (models/totp.go).
type totpClock struct {
	secret string
	last   int64 // the step of the last code handed out
}

func (c *totpClock) next(t *testing.T) string {
	t.Helper()
	now := time.Now().Unix()
	step := now / 30
	use := max(step, c.last+1)
	// The step before is still good while this one has well over 10 s
	// left: using it first leaves two fresh steps for later codes.
	if c.last < step-1 && now%30 < 20 {
		use = step - 1
	}
	if use > step+1 {
		// Every step near now is spent: only the clock can help.
		time.Sleep(time.Until(time.Unix((use-1)*30, 0)))
	}
	c.last = use
	code, err := totp.GenerateCode(c.secret, time.Unix(use*30, 0))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongCode is a six-digit code valid at no step near now.
func (c *totpClock) wrongCode(t *testing.T) string {
	t.Helper()
	for _, wrong := range []string{"000000", "111111", "222222"} {
		ok := false
		for d := -1; d <= 1; d++ {
			if code, _ := totp.GenerateCode(c.secret, time.Now().Add(time.Duration(d*30)*time.Second)); code == wrong {
				ok = true
			}
		}
		if !ok {
			return wrong
		}
	}
	t.Fatal("no wrong code found")
	return ""
}
