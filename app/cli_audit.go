package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"time"

	"pakt/app/disclosureaudit"
)

// errLeak makes "pakt disclosure-audit" exit 1.
var errLeak = errors.New("small counts can be worked out from the public outputs")

// disclosureAuditCmd runs the attacker of the tests (app/disclosureaudit)
// on a live database: it serves the public outputs in process, reads them
// all, prints every small count that can be pinned, and fails when any can.
func disclosureAuditCmd(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	db, sqlDB, err := OpenDB(cfg.DatabaseURL, 4, time.Minute)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	srv, err := NewServer(cfg, db, log)
	if err != nil {
		return err
	}
	fetch := func(path string) ([]byte, error) { return auditGet(ctx, srv, path) }
	m, err := disclosureaudit.Collect(fetch)
	if err != nil {
		return err
	}
	return reportAudit(m, out)
}

// reportAudit prints the audit of what was read; errLeak when a small
// count can be worked out.
func reportAudit(m *disclosureaudit.Model, out io.Writer) error {
	res, err := m.Audit()
	if err != nil {
		return err
	}
	for _, l := range res.Leaks {
		fmt.Fprintf(out, "LEAK %s: %s is %.0f\n", l.Where, l.Count, l.Min)
	}
	fmt.Fprintf(out, "%d counts read, %d published as small, %d can be worked out\n", res.Counts, res.Small, len(res.Leaks))
	if len(res.Leaks) > 0 {
		return errLeak
	}
	return nil
}

// auditGet GETs a public path from the server in process; the open-data
// allowance (429) is waited out as any client would.
func auditGet(ctx context.Context, srv *Server, path string) ([]byte, error) {
	for {
		resp, err := srv.App.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 429 {
			wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(max(wait, 1)) * time.Second):
			}
			continue
		}
		if err == nil && resp.StatusCode != 200 {
			err = fmt.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		return body, err
	}
}
