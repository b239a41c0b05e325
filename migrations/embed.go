// Package migrations holds the versioned SQL schema, applied with goose.
package migrations

import "embed"

// FS holds every NNNNN_name.sql migration.
//
//go:embed *.sql
var FS embed.FS
