// Package app assembles Pakt: configuration, database, migrations, the route
// table with its authorization policy, middleware and the command line.
package app

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pakt/mail"
)

// Config is read only from environment variables, once, at start.
type Config struct {
	DatabaseURL    string
	Addr           string
	BaseURL        string
	TrustedProxies []string
	SessionIdle    time.Duration
	DBTimeout      time.Duration
	RequestTimeout time.Duration
	LogLevel       string
	DataDir        string
	DBMaxConns     int
	MaxActive      int   // requests handled at once; more wait their turn (0: 4 per CPU)
	CacheBytes     int   // rendered pages, summaries and PDFs kept in memory
	MemoryLimit    int64 // soft limit of the Go heap (runtime/debug.SetMemoryLimit); 0 = none
	// SMTP is where mail goes; nil keeps every mail in the outbox for
	// platform admins to read.
	SMTP        *mail.SMTPConfig
	MailFrom    string        // the From of every mail; required with SMTP
	RemindEvery time.Duration // how often the reminder pass runs
	// SecurityContact is security.txt's Contact (a mailto: or https: URI).
	SecurityContact string
	// WebhookAllowPrivate lets webhook deliveries reach loopback and
	// private addresses (tests, a registry on the same network); off,
	// they are refused (SSRF).
	WebhookAllowPrivate bool
}

// envVar documents one variable; README.md lists the same.
type envVar struct {
	name, def string
	parse     func(c *Config, v string) error
}

var envVars = []envVar{
	{"DATABASE_URL", "", parseDatabaseURL},
	{"PAKT_ADDR", "127.0.0.1:8080", parseAddr},
	{"PAKT_BASE_URL", "", parseBaseURL},
	{"PAKT_TRUSTED_PROXIES", "", parseProxies},
	{"PAKT_SESSION_IDLE", "30m", durationVar(func(c *Config) *time.Duration { return &c.SessionIdle })},
	{"PAKT_DB_TIMEOUT", "5s", durationVar(func(c *Config) *time.Duration { return &c.DBTimeout })},
	{"PAKT_REQUEST_TIMEOUT", "30s", durationVar(func(c *Config) *time.Duration { return &c.RequestTimeout })},
	{"PAKT_LOG_LEVEL", "info", parseLogLevel},
	{"PAKT_DATA_DIR", ".data/files", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"PAKT_DB_MAX_CONNS", "20", parseMaxConns},
	{"PAKT_MAX_ACTIVE", "0", parseMaxActive},
	{"PAKT_CACHE_SIZE", "32MiB", sizeVar(func(c *Config, n int64) { c.CacheBytes = int(n) })},
	{"PAKT_MEMORY_LIMIT", "150MiB", sizeVar(func(c *Config, n int64) { c.MemoryLimit = n })},
	{"PAKT_SMTP_URL", "", parseSMTPURL},
	{"PAKT_MAIL_FROM", "", parseMailFrom},
	{"PAKT_REMIND_EVERY", "1h", durationVar(func(c *Config) *time.Duration { return &c.RemindEvery })},
	{"PAKT_SECURITY_CONTACT", "", parseSecurityContact},
	{"PAKT_WEBHOOK_ALLOW_PRIVATE", "false", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("PAKT_WEBHOOK_ALLOW_PRIVATE: true or false")
		}
		c.WebhookAllowPrivate = b
		return nil
	}},
}

// LoadConfig reads every variable through getenv. It returns one message per
// bad value, each naming the variable and what is wrong.
func LoadConfig(getenv func(string) string) (Config, []string) {
	var c Config
	var problems []string
	for _, v := range envVars {
		val := strings.TrimSpace(getenv(v.name))
		if val == "" {
			val = v.def
		}
		if err := v.parse(&c, val); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", v.name, err))
		}
	}
	if c.BaseURL == "" && c.Addr != "" {
		c.BaseURL = "http://" + c.Addr
	}
	if c.SMTP != nil && c.MailFrom == "" {
		problems = append(problems, `PAKT_MAIL_FROM: required when PAKT_SMTP_URL is set, e.g. "Pakt <pakt@example.org>"`)
	}
	return c, problems
}

// SecureCookies says whether the site is served over https.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

func parseDatabaseURL(c *Config, v string) error {
	c.DatabaseURL = v
	if v == "" {
		return nil // required only by commands that use the database; checked there
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" && u.Query().Get("host") == "" {
		return fmt.Errorf("must be a postgres:// URL such as postgres://pakt:secret@localhost:5432/pakt")
	}
	return nil
}

// parseSMTPURL reads PAKT_SMTP_URL; its messages never repeat the value,
// which may hold a password.
func parseSMTPURL(c *Config, v string) error {
	if v == "" {
		return nil
	}
	smtp, err := mail.ParseSMTPURL(v)
	if err != nil {
		return err
	}
	c.SMTP = &smtp
	return nil
}

func parseMailFrom(c *Config, v string) error {
	if v == "" {
		return nil
	}
	if _, err := mail.ParseFrom(v); err != nil {
		return err
	}
	c.MailFrom = v
	return nil
}

func parseAddr(c *Config, v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil || port == "" {
		return fmt.Errorf("must be host:port such as 127.0.0.1:8080, got %q", v)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("port %q is not a valid port", port)
	}
	c.Addr = net.JoinHostPort(host, port)
	return nil
}

func parseBaseURL(c *Config, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return fmt.Errorf("must be an absolute http(s) URL without query such as https://pakt.example.org, got %q", v)
	}
	c.BaseURL = strings.TrimRight(v, "/")
	return nil
}

func parseProxies(c *Config, v string) error {
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return fmt.Errorf("%q is neither an IP address nor a CIDR range", p)
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return nil
}

func durationVar(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("must be a positive duration such as 30s or 15m, got %q", v)
		}
		*field(c) = d
		return nil
	}
}

func parseLogLevel(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "debug", "info", "warn", "error":
		c.LogLevel = strings.ToLower(v)
		return nil
	}
	return fmt.Errorf("must be one of debug, info, warn, error, got %q", v)
}

func parseMaxConns(c *Config, v string) error {
	var n int
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n < 2 || n > 500 || fmt.Sprint(n) != v {
		return fmt.Errorf("must be a whole number from 2 to 500, got %q", v)
	}
	c.DBMaxConns = n
	return nil
}

func parseMaxActive(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 10000 || strconv.Itoa(n) != v {
		return fmt.Errorf("must be a whole number from 0 (4 per CPU) to 10000, got %q", v)
	}
	c.MaxActive = n
	return nil
}

// sizeVar parses a byte size: a whole number with the unit KiB, MiB or GiB
// (or B), "0" meaning off.
func sizeVar(set func(*Config, int64)) func(*Config, string) error {
	return func(c *Config, v string) error {
		if v == "0" {
			set(c, 0)
			return nil
		}
		units := []struct {
			suffix string
			mult   int64
		}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
		for _, u := range units {
			num, ok := strings.CutSuffix(v, u.suffix)
			if !ok {
				continue
			}
			var n int64
			if _, err := fmt.Sscanf(num, "%d", &n); err == nil && fmt.Sprint(n) == num && n > 0 && n <= 1<<40/u.mult {
				set(c, n*u.mult)
				return nil
			}
			break
		}
		return fmt.Errorf("must be a size such as 64MiB or 1GiB (or 0 for off), got %q", v)
	}
}

// parseSecurityContact takes a mailto: or https: URI (RFC 9116 Contact).
func parseSecurityContact(c *Config, v string) error {
	if v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "mailto:") && !strings.HasPrefix(v, "https://") {
		return fmt.Errorf("must be a mailto: or https:// URI, e.g. mailto:security@example.org")
	}
	c.SecurityContact = v
	return nil
}
