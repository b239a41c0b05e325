package app

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

func toString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// isDBDown recognises a lost or refused database connection, answered 503.
func isDBDown(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	if errors.As(err, &ne) || errors.As(err, &ce) {
		return true
	}
	// Connection exceptions (08…) and an administrator shutdown (57P…) mean
	// the database went away, not that the request was wrong; a statement
	// cancelled by statement_timeout (57014) means it is overloaded.
	if errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || pe.Code == "57014") {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "bad connection") ||
		strings.Contains(msg, "conn closed") || strings.Contains(msg, "the database system is shutting down")
}

// dict builds a map for passing several values to a partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m, nil
}
