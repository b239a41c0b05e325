package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"pakt/jobs"
	"pakt/models"
)

const usage = `usage: pakt [command]

commands:
  serve          migrate, then serve HTTP on PAKT_ADDR (default)
  migrate        apply database migrations and exit
  create-admin   --email E --name N --password P: create a platform admin
  seed-demo      load the Birac-region demo data into an empty database
  remind         run one pass of the reminders (deadlines, pending signatures,
                 daily summaries) and exit; "serve" runs it every PAKT_REMIND_EVERY
  disclosure-audit  read every public output of the database and exit 1, listing
                 them, when a count of fewer than five people can be worked out
                 (docs/disclosure.md)
  healthcheck    exit 0 when the running server answers /healthz
  dev            what "make run" does: private PostgreSQL unless DATABASE_URL is set,
                 migrate, demo data on an empty database, serve
  version        print the version
`

// Run is the whole program; it returns the exit code (2 = bad configuration or usage).
func Run(args []string) int {
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
		args = args[2:]
	} else {
		args = nil
	}
	if cmd == "version" || cmd == "-version" || cmd == "--version" {
		fmt.Println("pakt", Version)
		return 0
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Print(usage)
		return 0
	}
	cfg, problems := LoadConfig(os.Getenv)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "configuration error:", p)
		}
		return 2
	}
	log := newLogger(cfg.LogLevel, os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd {
	case "serve":
		err = needDB(cfg, func() error { return serve(ctx, cfg, log) })
	case "migrate":
		err = needDB(cfg, func() error { return migrateCmd(ctx, cfg, log) })
	case "create-admin":
		err = needDB(cfg, func() error { return createAdminCmd(ctx, cfg, args) })
	case "seed-demo":
		err = needDB(cfg, func() error { return seedCmd(ctx, cfg, log) })
	case "remind":
		err = needDB(cfg, func() error { return remindCmd(ctx, cfg, log) })
	case "disclosure-audit":
		err = needDB(cfg, func() error { return disclosureAuditCmd(ctx, cfg, log, os.Stdout) })
	case "healthcheck":
		err = healthcheck(cfg)
	case "dev":
		err = dev(ctx, cfg, log)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var ue usageError
		fmt.Fprintln(os.Stderr, "pakt:", err)
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func needDB(cfg Config, f func() error) error {
	if cfg.DatabaseURL == "" {
		return usageError{"DATABASE_URL is not set: set it to a postgres:// URL (or use \"make run\", which starts a private PostgreSQL)"}
	}
	return f()
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func migrateCmd(ctx context.Context, cfg Config, log *slog.Logger) error {
	_, sqlDB, err := OpenDB(cfg.DatabaseURL, 2, time.Minute)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	v, err := Migrate(ctx, sqlDB)
	if err == nil {
		log.Info("database migrated", "version", v)
	}
	return err
}

func createAdminCmd(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("create-admin", flag.ContinueOnError)
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "full name")
	password := fs.String("password", "", "password (at least 10 characters)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	switch {
	case !strings.Contains(*email, "@"):
		return usageError{"--email must be an e-mail address"}
	case strings.TrimSpace(*name) == "":
		return usageError{"--name is required"}
	case len(*password) < 10:
		return usageError{"--password must have at least 10 characters"}
	}
	db, sqlDB, err := OpenDB(cfg.DatabaseURL, 2, time.Minute)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	u, err := models.CreateUser(ctx, db, models.Actor{IP: "cli"}, 0, models.UserInput{
		Email: *email, Name: strings.TrimSpace(*name), Password: *password, IsAdmin: true})
	if err != nil {
		return err
	}
	fmt.Printf("created platform admin %s (id %d)\n", u.Email, u.ID)
	return nil
}

func seedCmd(ctx context.Context, cfg Config, log *slog.Logger) error {
	db, sqlDB, err := OpenDB(cfg.DatabaseURL, 4, time.Minute)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	if _, err := Migrate(ctx, sqlDB); err != nil {
		return err
	}
	logins, err := SeedDemo(ctx, db, cfg.BaseURL)
	if err != nil {
		return err
	}
	printLogins(os.Stdout, logins)
	return nil
}

// remindCmd runs one reminder pass. Its mails are queued in the outbox; a
// running "pakt serve" sends them.
func remindCmd(ctx context.Context, cfg Config, log *slog.Logger) error {
	db, sqlDB, err := OpenDB(cfg.DatabaseURL, 4, time.Minute)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	if _, err := Migrate(ctx, sqlDB); err != nil {
		return err
	}
	p, err := jobs.RemindOnce(ctx, db, cfg.BaseURL)
	if err != nil {
		return err
	}
	log.Info("reminder pass", "reminded", p.Reminded, "digests", p.Digests)
	fmt.Printf("reminded %d, daily summaries %d; the mails are in the outbox, sent by a running \"pakt serve\"\n",
		p.Reminded, p.Digests)
	return nil
}

// healthcheck asks the running server on PAKT_ADDR; used by Docker.
func healthcheck(cfg Config) error {
	addr := cfg.Addr
	if strings.HasPrefix(addr, "0.0.0.0:") {
		addr = "127.0.0.1:" + strings.TrimPrefix(addr, "0.0.0.0:")
	}
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %s", resp.Status)
	}
	return nil
}
