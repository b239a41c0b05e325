// Package views holds the templates, message catalogs and vendored static files.
package views

import "embed"

// FS is everything the server renders or serves.
//
//go:embed layouts pages partials static locales
var FS embed.FS
