package pgrun

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// errNoBinaries is returned when no server binaries can be found; it says
// what to do because it is usually the first thing a new developer sees.
var errNoBinaries = errors.New("no PostgreSQL server binaries found (initdb, pg_ctl, postgres): " +
	"install them (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing database")

// FindBinDir locates the directory holding initdb, pg_ctl and postgres.
// It tries, in order: `pg_config --bindir`, the highest version under
// /usr/lib/postgresql/*/bin (Debian's layout, which keeps the server
// binaries off PATH), and the directory of initdb found on PATH.
func FindBinDir() (string, error) {
	if dir := pgConfigBinDir(); dir != "" && hasTools(dir) {
		return dir, nil
	}
	if dir := debianBinDir(); dir != "" {
		return dir, nil
	}
	if dir := pathBinDir(); dir != "" {
		return dir, nil
	}
	return "", errNoBinaries
}

// pgConfigBinDir asks pg_config, which may belong to a client-only package
// (libpq-dev), so the caller still checks the directory has the tools.
func pgConfigBinDir() string {
	if _, err := exec.LookPath("pg_config"); err != nil {
		return ""
	}
	out, err := exec.Command("pg_config", "--bindir").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// debianBinDir returns the newest /usr/lib/postgresql/<version>/bin that
// holds the tools. Versions sort numerically so 16 beats 9.6.
func debianBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		return compareVersions(filepath.Base(filepath.Dir(b)), filepath.Base(filepath.Dir(a)))
	})
	for _, dir := range dirs {
		if hasTools(dir) {
			return dir
		}
	}
	return ""
}

// compareVersions compares dotted numeric versions ("9.6" < "15").
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// pathBinDir uses initdb from PATH. It resolves symlinks first because a
// PATH entry such as /usr/local/bin/initdb often points into the real bin
// dir, and only that dir also holds the postgres binary.
func pathBinDir() string {
	p, err := exec.LookPath("initdb")
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(p); err == nil && hasTools(filepath.Dir(real)) {
		return filepath.Dir(real)
	}
	if hasTools(filepath.Dir(p)) {
		return filepath.Dir(p)
	}
	return ""
}

// hasTools reports whether dir holds executable initdb, pg_ctl and postgres.
func hasTools(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}
