package pgrun

import (
	"os/exec"
	"strconv"
	"syscall"
)

// watchScript waits for process $1 to end, then shuts the server of data dir
// $2 down at once (SIGQUIT to the postmaster, as pg_ctl -m immediate does)
// and removes dir $3 when given. A clean shutdown removes postmaster.pid,
// so after a normal Stop there is nothing to signal.
const watchScript = `while [ -d "/proc/$1" ]; do sleep 1; done
pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null)
if [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null; then
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
fi
[ -n "$3" ] && rm -rf "$3"
exit 0`

// StopWithProcess leaves a small watcher behind that stops the server and
// removes remove (when not empty) once process pid has ended, however it
// ended. For throwaway clusters of tests and benchmarks: a run killed
// mid-way (Ctrl-C, go test -timeout, kill) leaves no server and no data
// behind. The watcher runs in a session of its own, holds none of our
// output, and has nothing to do after a normal Stop.
func (c *Cluster) StopWithProcess(pid int, remove string) error {
	cmd := exec.Command("/bin/sh", "-c", watchScript, "pgrun-watch", strconv.Itoa(pid), c.Dir, remove)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Dir = "/"
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
