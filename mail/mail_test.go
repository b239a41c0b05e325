package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pakt/mail"
	"pakt/mail/mailtest"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	good := map[string]mail.SMTPConfig{
		"smtp://mail.example.org":                           {Host: "mail.example.org", Port: 587},
		"smtp://u:p%40ss@mail.example.org:2525":             {Host: "mail.example.org", Port: 2525, Username: "u", Password: "p@ss"},
		"smtp://mail.example.org?starttls=required":         {Host: "mail.example.org", Port: 587, TLS: mail.StartTLSRequired},
		"smtps://u:p@mail.example.org":                      {Host: "mail.example.org", Port: 465, Username: "u", Password: "p", TLS: mail.ImplicitTLS},
		"smtp://mail.example.org:25?starttls=opportunistic": {Host: "mail.example.org", Port: 25},
	}
	for raw, want := range good {
		got, err := mail.ParseSMTPURL(raw)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if got.Host != want.Host || got.Port != want.Port || got.Username != want.Username ||
			got.Password != want.Password || got.TLS != want.TLS {
			t.Errorf("%s: got %+v", raw, got)
		}
	}
	for _, raw := range []string{"http://mail.example.org", "smtp://", "smtp://mail.example.org:0",
		"smtp://mail.example.org:99999", "smtp://mail.example.org?tls=yes", "smtps://mail.example.org?starttls=required",
		"mail.example.org:587", "smtp://u:secretpw@mail.example.org?starttls=maybe"} {
		_, err := mail.ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("%s: accepted", raw)
		} else if strings.Contains(err.Error(), "secretpw") {
			t.Errorf("%s: the error repeats the password: %v", raw, err)
		}
	}
	c, _ := mail.ParseSMTPURL("smtps://u:secretpw@mail.example.org")
	if c.String() != "smtps://mail.example.org:465" {
		t.Errorf("String() = %q: names the server, without credentials", c.String())
	}
}

func TestParseFrom(t *testing.T) {
	t.Parallel()
	if a, err := mail.ParseFrom("Pakt Bratunac <pakt@bratunac.ba>"); err != nil || a.Name != "Pakt Bratunac" || a.Address != "pakt@bratunac.ba" {
		t.Fatalf("%+v, %v", a, err)
	}
	for _, bad := range []string{"", "pakt", "Pakt <pakt>", "a@b, c@d"} {
		if _, err := mail.ParseFrom(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

var expires = time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC)

// An invitation in Serbian goes out over STARTTLS with authentication: the
// recipient reads Cyrillic, in both parts, with the link, and without any
// unsubscribe header (account mail is not a newsletter).
func TestInvitationOverStartTLSWithAuth(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{Username: "pakt", Password: "s3cret", StartTLS: true})
	link := "https://pakt.example.org/invitations/TOKEN123"
	m, err := mail.ComposeInvitation(mail.Recipient{Email: "ana@example.org", Name: "Ана Петровић", Lang: "sr"},
		mail.Invitation{Inviter: "Милан", Municipality: "Зворник", Role: "member", Link: link, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	send(t, srv.Config(), m)
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if !got.TLS || !got.Auth {
		t.Errorf("delivered with TLS=%v auth=%v, want both", got.TLS, got.Auth)
	}
	if got.Subject != "Позив у Пакт: Зворник" {
		t.Errorf("subject %q", got.Subject)
	}
	if got.Header.Get("Content-Language") != "sr" || got.Header.Get("List-Unsubscribe") != "" {
		t.Errorf("headers: %v", got.Header)
	}
	for name, part := range map[string]string{"text": got.Text, "html": got.HTML} {
		for _, want := range []string{link, "Поштовани/а Ана Петровић", "Члан", "05.03.2026. 14:30 UTC"} {
			if !strings.Contains(part, want) {
				t.Errorf("%s part lacks %q:\n%s", name, want, part)
			}
		}
	}
	if !strings.Contains(got.HTML, `href="`+link+`"`) || !strings.Contains(got.HTML, `lang="sr"`) {
		t.Errorf("HTML part: %s", got.HTML)
	}
	if got.From != "pakt@example.org" || len(got.To) != 1 || got.To[0] != "ana@example.org" {
		t.Errorf("envelope %s → %v", got.From, got.To)
	}
}

// A notification carries the one-click unsubscribe headers of RFC 8058 and
// the same link in its footer.
func TestNoticeHasOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{})
	unsub := "https://pakt.example.org/unsubscribe/UNSUB456"
	m, err := mail.ComposeNotice(mail.Recipient{Email: "ana@example.org", Name: "Ana", Lang: "bs"},
		mail.Notice{Kind: "report_due", Municipality: "Bratunac", Title: "M1.2 Obuka", Due: expires,
			Link: "https://pakt.example.org/measures/3/progress/4"},
		mail.Footer{Settings: "https://pakt.example.org/me/notification-settings", Unsubscribe: unsub})
	if err != nil {
		t.Fatal(err)
	}
	send(t, srv.Config(), m)
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.Header.Get("List-Unsubscribe") != "<"+unsub+">" ||
		got.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers: %q / %q", got.Header.Get("List-Unsubscribe"), got.Header.Get("List-Unsubscribe-Post"))
	}
	if got.Subject != "Izvještaj o napretku do 05.03.2026.: M1.2 Obuka" {
		t.Errorf("subject %q", got.Subject)
	}
	for _, part := range []string{got.Text, got.HTML} {
		if !strings.Contains(part, unsub) || !strings.Contains(part, "https://pakt.example.org/measures/3/progress/4") {
			t.Errorf("part lacks the links:\n%s", part)
		}
	}
}

func TestImplicitTLS(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{ImplicitTLS: true})
	m, err := mail.ComposeReset(mail.Recipient{Email: "ana@example.org", Lang: "en"},
		mail.Reset{Link: "https://pakt.example.org/password-resets/T", Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	send(t, srv.Config(), m)
	if got := srv.WaitFor(t, 1, 5*time.Second)[0]; !got.TLS || got.Subject != "Reset your Pakt password" {
		t.Errorf("TLS=%v subject %q", got.TLS, got.Subject)
	}
}

// ?starttls=required never falls back to plain text.
func TestStartTLSRequiredRefusesPlainServer(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{})
	cfg := srv.Config()
	cfg.TLS = mail.StartTLSRequired
	s, err := mail.NewSender(cfg, "pakt@example.org")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := mail.ComposeReset(mail.Recipient{Email: "ana@example.org", Lang: "en"}, mail.Reset{Link: "https://x/y", Expires: expires})
	if err := s.Send(context.Background(), m); err == nil {
		t.Fatal("sent over a server without STARTTLS")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages delivered in plain text", n)
	}
}

// A 4xx answer is temporary (the worker retries), a 5xx one permanent.
func TestTemporaryRefusal(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Refuse(1)
	s, _ := mail.NewSender(srv.Config(), "pakt@example.org")
	m, _ := mail.ComposeReset(mail.Recipient{Email: "ana@example.org", Lang: "en"}, mail.Reset{Link: "https://x/y", Expires: expires})
	err := s.Send(context.Background(), m)
	if err == nil || mail.IsPermanent(err) {
		t.Fatalf("refused delivery: %v (permanent %v)", err, mail.IsPermanent(err))
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if len(srv.Messages()) != 1 {
		t.Fatal("not delivered after the refusal")
	}
}

// Every kind reads in every language: no catalog key shows through.
func TestEveryKindInEveryLanguage(t *testing.T) {
	t.Parallel()
	kinds := []string{"signature_requested", "agreement_in_force", "agreement_declined", "questionnaire_sent",
		"questionnaire_due", "questionnaire_overdue", "report_due", "report_overdue", "report_returned",
		"report_accepted", "commitment_due", "commitment_overdue", "consultation_opened", "report_published", "member_added"}
	for _, lang := range []string{"en", "bs", "sr", "sr-Latn", "sq", "mk"} {
		for _, kind := range kinds {
			m, err := mail.ComposeNotice(mail.Recipient{Email: "a@b.c", Name: "A", Lang: lang},
				mail.Notice{Kind: kind, Municipality: "M", Title: "T", Role: "member", Due: expires, Link: "https://x/y"},
				mail.Footer{Settings: "https://x/s", Unsubscribe: "https://x/u"})
			if err != nil {
				t.Fatalf("%s %s: %v", lang, kind, err)
			}
			if strings.Contains(m.Text+m.Subject, "mail.") || strings.Contains(m.Text, "role.") || m.Lang != lang {
				t.Errorf("%s %s: untranslated:\n%s\n%s", lang, kind, m.Subject, m.Text)
			}
		}
	}
	if _, err := mail.ComposeNotice(mail.Recipient{Lang: "en"}, mail.Notice{Kind: "no_such_kind"}, mail.Footer{}); err == nil {
		t.Error("an unknown kind composed")
	}
}

func send(t *testing.T, cfg mail.SMTPConfig, m mail.Message) {
	t.Helper()
	s, err := mail.NewSender(cfg, "Pakt <pakt@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// A relay on localhost without TLS may still ask for a password.
func TestAuthWithoutTLSOnLocalhost(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{Username: "pakt", Password: "s3cret"})
	m, _ := mail.ComposeReset(mail.Recipient{Email: "ana@example.org", Lang: "en"}, mail.Reset{Link: "https://x/y", Expires: expires})
	send(t, srv.Config(), m)
	if got := srv.WaitFor(t, 1, 5*time.Second)[0]; !got.Auth || got.TLS {
		t.Fatalf("auth %v, TLS %v", got.Auth, got.TLS)
	}
	cfg := srv.Config()
	cfg.Password = "wrong"
	s, _ := mail.NewSender(cfg, "pakt@example.org")
	if err := s.Send(context.Background(), m); err == nil {
		t.Fatal("sent with a wrong password")
	}
}
