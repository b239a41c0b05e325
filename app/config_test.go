package app

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c, problems := LoadConfig(env(nil))
	if len(problems) != 0 {
		t.Fatalf("problems with empty environment: %v", problems)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" || c.SessionIdle != 30*time.Minute || c.SecureCookies() ||
		c.CacheBytes != 32<<20 || c.MemoryLimit != 150<<20 {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestConfigNamesEveryBadVariable(t *testing.T) {
	t.Parallel()
	_, problems := LoadConfig(env(map[string]string{
		"DATABASE_URL":         "mysql://x",
		"PAKT_ADDR":            "8080",
		"PAKT_BASE_URL":        "pakt.example.org",
		"PAKT_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local",
		"PAKT_SESSION_IDLE":    "-5m",
		"PAKT_DB_TIMEOUT":      "soon",
		"PAKT_LOG_LEVEL":       "loud",
		"PAKT_DB_MAX_CONNS":    "1",
		"PAKT_CACHE_SIZE":      "lots",
		"PAKT_MEMORY_LIMIT":    "150MB",
		"PAKT_SMTP_URL":        "smtp://pakt:hunter2secret@mail.example.org?tls=on",
		"PAKT_MAIL_FROM":       "Pakt <nowhere>",
		"PAKT_REMIND_EVERY":    "hourly",
		"PAKT_MAX_ACTIVE":      "-1",
	}))
	for _, name := range []string{"DATABASE_URL", "PAKT_ADDR", "PAKT_BASE_URL", "PAKT_TRUSTED_PROXIES",
		"PAKT_SESSION_IDLE", "PAKT_DB_TIMEOUT", "PAKT_LOG_LEVEL", "PAKT_DB_MAX_CONNS",
		"PAKT_CACHE_SIZE", "PAKT_MEMORY_LIMIT", "PAKT_SMTP_URL", "PAKT_MAIL_FROM", "PAKT_REMIND_EVERY", "PAKT_MAX_ACTIVE"} {
		found := false
		for _, p := range problems {
			if strings.HasPrefix(p, name+": ") && !strings.Contains(p, "\n") {
				found = true
			}
		}
		if !found {
			t.Errorf("no one-line problem names %s: %v", name, problems)
		}
	}
	if strings.Contains(strings.Join(problems, "\n"), "hunter2secret") {
		t.Errorf("a problem repeats the SMTP password: %v", problems)
	}
}

// Mail: without PAKT_SMTP_URL mail stays in the outbox; with it, a sender
// address is required; the reminder pass runs hourly unless told otherwise.
func TestConfigMail(t *testing.T) {
	t.Parallel()
	c, problems := LoadConfig(env(nil))
	if len(problems) != 0 || c.SMTP != nil || c.RemindEvery != time.Hour {
		t.Fatalf("defaults: %+v %v", c, problems)
	}
	_, problems = LoadConfig(env(map[string]string{"PAKT_SMTP_URL": "smtp://mail.example.org"}))
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "PAKT_MAIL_FROM: required") {
		t.Fatalf("SMTP without a sender: %v", problems)
	}
	c, problems = LoadConfig(env(map[string]string{"PAKT_SMTP_URL": "smtps://pakt:pw@mail.example.org",
		"PAKT_MAIL_FROM": "Pakt Bratunac <pakt@bratunac.ba>", "PAKT_REMIND_EVERY": "15m"}))
	if len(problems) != 0 || c.SMTP == nil || c.SMTP.Port != 465 || c.SMTP.Password != "pw" ||
		c.MailFrom != "Pakt Bratunac <pakt@bratunac.ba>" || c.RemindEvery != 15*time.Minute {
		t.Fatalf("%+v %v", c, problems)
	}
}

func TestConfigGoodValues(t *testing.T) {
	t.Parallel()
	c, problems := LoadConfig(env(map[string]string{
		"DATABASE_URL":         "postgres://pakt:pw@db:5432/pakt?sslmode=disable",
		"PAKT_ADDR":            "0.0.0.0:9000",
		"PAKT_BASE_URL":        "https://pakt.example.org/",
		"PAKT_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1",
		"PAKT_CACHE_SIZE":      "0",
		"PAKT_MEMORY_LIMIT":    "1GiB",
		"PAKT_MAX_ACTIVE":      "12",
	}))
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if c.MaxActive != 12 || activeLimit(c.MaxActive) != 12 || activeLimit(0) < 4 {
		t.Fatalf("active requests: %d, limit %d, default %d", c.MaxActive, activeLimit(c.MaxActive), activeLimit(0))
	}
	if c.CacheBytes != 0 || c.MemoryLimit != 1<<30 {
		t.Fatalf("sizes: cache %d, memory limit %d", c.CacheBytes, c.MemoryLimit)
	}
	if c.BaseURL != "https://pakt.example.org" || !c.SecureCookies() || len(c.TrustedProxies) != 2 {
		t.Fatalf("%+v", c)
	}
}

func TestRunExitCodes(t *testing.T) {
	t.Setenv("PAKT_ADDR", "nonsense")
	if code := Run([]string{"pakt", "serve"}); code != 2 {
		t.Fatalf("bad config exit code %d, want 2", code)
	}
	t.Setenv("PAKT_ADDR", "127.0.0.1:8080")
	t.Setenv("DATABASE_URL", "")
	if code := Run([]string{"pakt", "migrate"}); code != 2 {
		t.Fatalf("missing DATABASE_URL exit code %d, want 2", code)
	}
	if code := Run([]string{"pakt", "frobnicate"}); code != 2 {
		t.Fatalf("unknown command exit code %d, want 2", code)
	}
	if code := Run([]string{"pakt", "version"}); code != 0 {
		t.Fatalf("version exit code %d", code)
	}
}
