package pgrun

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// account is the OS user that runs initdb, pg_ctl and the server when we
// are root, because PostgreSQL refuses to run as root.
type account struct {
	name   string
	uid    uint32
	gid    uint32
	groups []uint32
}

// lookupAccount resolves an OS user name to ids, including its
// supplementary groups (they matter for directory permission checks).
func lookupAccount(name string) (*account, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("running as root, so the server must run as OS user %q, but: %v (create it, e.g. apt-get install postgresql, or run as a normal user)", name, err)
	}
	a := &account{name: name, uid: parseID(u.Uid), gid: parseID(u.Gid)}
	gids, _ := u.GroupIds()
	for _, g := range gids {
		a.groups = append(a.groups, parseID(g))
	}
	return a, nil
}

func parseID(s string) uint32 {
	n, _ := strconv.ParseUint(s, 10, 32)
	return uint32(n)
}

// credential makes a child process run as the account.
func (a *account) credential() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: a.groups}}
}

// chownTree hands path (and everything below it) to the account, touching
// only entries that are not already owned by it so reruns stay cheap.
func (a *account) chownTree(path string) error {
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		if st.Uid == a.uid && st.Gid == a.gid {
			return nil
		}
		return os.Lchown(p, int(a.uid), int(a.gid))
	})
}

// checkTraverse makes sure the account can reach dir: every ancestor must
// grant it search (x) permission, or the server fails with a vague
// "could not change directory" error.
func (a *account) checkTraverse(dir string) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !a.canSearch(fi) {
			return fmt.Errorf("directory %s (mode %04o) is not traversable by OS user %s, which must run the server: chmod o+x %s, or put the data dir elsewhere",
				p, fi.Mode().Perm(), a.name, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// canSearch applies the owner/group/other permission bits as the kernel would.
func (a *account) canSearch(fi os.FileInfo) bool {
	st := fi.Sys().(*syscall.Stat_t)
	mode := fi.Mode().Perm()
	switch {
	case st.Uid == a.uid:
		return mode&0o100 != 0
	case st.Gid == a.gid || slices.Contains(a.groups, st.Gid):
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}
