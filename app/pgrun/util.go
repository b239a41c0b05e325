package pgrun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// run executes one of the PostgreSQL tools and returns its combined output.
func (c *Cluster) run(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	// Should a forked server ever keep our output pipe open, don't hang on it.
	cmd.WaitDelay = 10 * time.Second
	if c.runAs != nil {
		cmd.SysProcAttr = c.runAs.credential()
		// Our cwd (e.g. /root) may be unreadable for postgres, which makes
		// the tools fail with "could not change directory".
		cmd.Dir = "/"
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// socketDir picks the unix socket dir. The socket path (dir +
// "/.s.PGSQL.NNNNN") must fit in sun_path (107 bytes), and the value goes
// through pg_ctl's shell and PostgreSQL's list syntax unquoted, so a long or
// unusual data dir path gets a short private /tmp dir named after it.
func socketDir(dataDir string) string {
	d := filepath.Join(dataDir, "sock")
	if len(d)+len("/.s.PGSQL.65535") <= 107 && plainPath(d) {
		return d
	}
	sum := sha256.Sum256([]byte(dataDir))
	return "/tmp/pgrun-" + hex.EncodeToString(sum[:6])
}

// plainPath reports whether p needs no quoting anywhere.
func plainPath(p string) bool {
	for _, r := range p {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+", r)
		if !ok {
			return false
		}
	}
	return true
}

// freePort asks the kernel for an unused port. It is released before the
// server binds it, so callers must tolerate losing the race.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockFile takes an exclusive flock so that concurrent Start calls on one
// data dir (e.g. parallel test binaries) never both run initdb or start.
// The returned func releases it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// readFrom returns what was appended to a file after offset (at most the
// last 64 KiB), to show the server log of this start attempt only.
func readFrom(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	offset = max(offset, fileSize(path)-64<<10)
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

// lastLines joins the last n non-blank lines of s with " | ", so error
// messages stay on one line yet show why a command failed.
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "(no output)"
	}
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
