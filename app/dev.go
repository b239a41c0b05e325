package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"pakt/app/pgrun"
)

// devPort is the private PostgreSQL's port for "make run".
const devPort = 55432

// devClusterOptions are the private PostgreSQL's for "make run": durable,
// since a pilot on "make run" must survive a power cut (issue #17).
func devClusterOptions(dir string, port int) pgrun.Options {
	return pgrun.Options{Dir: dir, Port: port, Log: os.Stdout, Durable: true}
}

// dev is "make run": a private PostgreSQL under .data/ unless DATABASE_URL is
// set, migrations, demo data on an empty database, then serve. On Ctrl-C the
// server stops first, then the private PostgreSQL.
func dev(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		if _, err := pgrun.FindBinDir(); err != nil {
			return usageError{err.Error()}
		}
		dir, _ := filepath.Abs(filepath.Join(".data", "postgres"))
		fmt.Println("starting private PostgreSQL in", dir)
		cl, err := pgrun.Start(ctx, devClusterOptions(dir, freeOr(devPort)))
		if err != nil {
			return err
		}
		defer func() {
			fmt.Println("stopping private PostgreSQL")
			if err := cl.Stop(); err != nil {
				log.Error("stopping PostgreSQL failed", "err", err.Error())
			}
		}()
		if err := cl.EnsureDatabase(ctx, "pakt"); err != nil {
			return err
		}
		cfg.DatabaseURL = cl.URL("pakt")
	}
	if err := seedIfEmpty(ctx, cfg); err != nil {
		return err
	}
	fmt.Printf("\nPakt is at %s (Ctrl-C stops it)\n", cfg.BaseURL)
	if cfg.SMTP == nil {
		fmt.Printf("No PAKT_SMTP_URL: mail (invitations, password resets, notifications) is kept in the outbox;\n"+
			"platform admins read it at %s\n", OutboxURL(cfg))
	}
	fmt.Println()
	return serve(ctx, cfg, log)
}

// freeOr returns port when nothing listens on it, else 0 (any free port):
// another PostgreSQL on the machine must not stop "make run".
func freeOr(port int) int {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0
	}
	ln.Close()
	return port
}

func seedIfEmpty(ctx context.Context, cfg Config) error {
	db, sqlDB, err := OpenDB(cfg.DatabaseURL, 4, time.Minute)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	if _, err := Migrate(ctx, sqlDB); err != nil {
		return err
	}
	var users int64
	if err := db.WithContext(ctx).Table("users").Count(&users).Error; err != nil {
		return err
	}
	if users == 0 {
		fmt.Println("empty database: loading the Birac-region demo data")
		if _, err := SeedDemo(ctx, db, cfg.BaseURL); err != nil {
			return err
		}
	}
	printLogins(os.Stdout, DemoLogins())
	return nil
}
