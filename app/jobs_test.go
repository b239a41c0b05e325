package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"pakt/database"
	"pakt/dbtest"
	"pakt/mail/mailtest"
	"pakt/models"
)

// "pakt serve" runs the job workers: an invitation written by the domain
// reaches the SMTP server of PAKT_SMTP_URL, from PAKT_MAIL_FROM; on
// shutdown the workers stop with the server.
func TestServeSendsMail(t *testing.T) {
	t.Parallel()
	url := dbtest.DatabaseURL(t)
	srv := mailtest.Start(t, mailtest.Options{Username: "pakt", Password: "smtp-pass"})
	addr := freeAddr(t)
	cfg, problems := LoadConfig(env(map[string]string{"DATABASE_URL": url, "PAKT_ADDR": addr,
		"PAKT_BASE_URL": "https://pakt.example.org", "PAKT_SMTP_URL": srv.URL(), "PAKT_MAIL_FROM": "Pakt <pakt@example.org>"}))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil))) }()
	waitHealthy(t, addr, done)

	db, sqlDB, err := database.Open(url, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	m, err := models.CreateMunicipality(t.Context(), db, models.Actor{}, models.MunicipalityInput{Name: "Vlasenica",
		Country: "BA", Currency: "BAM", Language: "bs"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.InviteUser(t.Context(), db, models.Actor{}, cfg.BaseURL, m.ID,
		models.InviteInput{Email: "ana@example.org", Name: "Ana", Role: models.RoleMember}); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 20*time.Second)[0]
	if got.From != "pakt@example.org" || !got.Auth || !strings.Contains(got.Text, "https://pakt.example.org/invitations/") {
		t.Fatalf("delivered from %s (auth %v):\n%s", got.From, got.Auth, got.Text)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// "pakt remind" runs one pass and exits 0.
func TestRemindCommand(t *testing.T) {
	t.Setenv("DATABASE_URL", dbtest.DatabaseURL(t))
	t.Setenv("PAKT_ADDR", "127.0.0.1:8080")
	if code := Run([]string{"pakt", "remind"}); code != 0 {
		t.Fatalf("pakt remind exited %d", code)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, addr string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if resp, err := http.Get(fmt.Sprintf("http://%s/healthz", addr)); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("serve did not come up")
}
