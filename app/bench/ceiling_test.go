//go:build bench

package bench

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The ceiling is what Fiber itself can serve on this machine: a process of
// its own (as `pakt serve` is), with the Fiber configuration of
// app.NewServer, answering every GET with a fixed byte slice the size of the
// dashboard page: no middleware, no database, no template. Each page's
// throughput is reported as a fraction of it.
//
// The bench starts it by running its own test binary again with these
// variables set; init serves and exits before any test or benchmark runs.
const (
	ceilingAddrEnv = "PAKT_BENCH_CEILING_ADDR"
	ceilingSizeEnv = "PAKT_BENCH_CEILING_SIZE"
)

func init() {
	addr := os.Getenv(ceilingAddrEnv)
	if addr == "" {
		return
	}
	size, _ := strconv.Atoi(os.Getenv(ceilingSizeEnv))
	body := bytes.Repeat([]byte("x"), size)
	app := fiber.New(fiber.Config{ // as app.NewServer, without views and error pages
		Immutable:               true,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             2 * time.Minute,
		BodyLimit:               16 << 20,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: true,
	})
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(body)
	})
	if err := app.Listen(addr); err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// startCeiling runs the ceiling server in a child process.
func startCeiling(size int) (base string, cmd *exec.Cmd, err error) {
	port, err := freeTCPPort()
	if err != nil {
		return "", nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), ceilingAddrEnv+"="+addr, ceilingSizeEnv+"="+strconv.Itoa(size))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	base = "http://" + addr
	if err := waitHTTP(base+"/", 30*time.Second); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return "", nil, err
	}
	return base, cmd, nil
}

func freeTCPPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
