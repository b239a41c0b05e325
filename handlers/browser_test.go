package handlers_test

// Helpers for end-to-end tests in a real headless Chromium (chromedp).
//
// A browser test serves the world's app on a real port (serveHTTP), starts
// Chromium (newChrome) and drives it with chromeDo, chromeGet and
// chromeNavigate, which fail the test on the first error. Set PAKT_SCREENSHOTS=/some/dir to get a
// full-page PNG of every screenshot() call and of the page at a failure.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is where the browser tests expect Chromium.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds a whole browser test: start, every step, screenshots.
const browserTimeout = 180 * time.Second

// stepTimeout bounds one chromeDo/chromeGet/chromeNavigate call, so a missing
// element fails fast with the step's own error instead of the whole budget.
const stepTimeout = 30 * time.Second

// serveHTTP serves the world's app on a free loopback port and returns its
// base URL ("http://127.0.0.1:PORT"). The server stops when the test ends.
func serveHTTP(t *testing.T, w *world) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- w.Srv.App.Listener(ln) }()
	t.Cleanup(func() {
		if err := w.Srv.App.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		select {
		case err := <-served:
			if err != nil && !errors.Is(err, net.ErrClosed) {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("server did not stop within 5s")
		}
	})
	return "http://" + ln.Addr().String()
}

// newChrome starts a headless Chromium with a fresh profile and returns its
// chromedp context (one tab), limited to browserTimeout overall. The browser
// is closed and its profile removed when the test ends. Without Chromium at
// chromiumPath the test fails: browser tests are never skipped.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	// Browser tests run in parallel with the others, but only two
	// browsers at once: more would fight over the machine's cores and
	// turn waits into time-outs on a loaded CI machine.
	chromeSlots <- struct{}{}
	t.Cleanup(func() { <-chromeSlots })
	if fi, err := os.Stat(chromiumPath); err != nil || fi.IsDir() {
		t.Fatalf("browser tests need Chromium at %s (%v); install it, e.g. `apt-get install chromium`", chromiumPath, err)
	}
	dir, err := os.MkdirTemp("", "pakt-chrome-")
	if err != nil {
		t.Fatalf("profile dir: %v", err)
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // we run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
	)
	tabCtx, tabCancel := chromedp.NewContext(allocCtx)
	// The first action binds the browser's life to this context, so the
	// limit covers the whole test.
	ctx, cancel := context.WithTimeout(tabCtx, browserTimeout)
	t.Cleanup(func() {
		_ = chromedp.Cancel(tabCtx) // close the browser gracefully
		cancel()
		tabCancel()
		allocCancel() // waits for the process to exit
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("remove profile %s: %v", dir, err)
		}
	})
	if err := chromedp.Do(ctx); err != nil { // start it now, so failures are clear
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return ctx
}

var chromeSlots = make(chan struct{}, 2)

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// screenshot writes a full-page PNG "<test>-<name>.png" into the directory
// named by PAKT_SCREENSHOTS; without that variable it does nothing. A failed
// screenshot is only logged.
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("PAKT_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 = PNG
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, unsafeFileChars.ReplaceAllString(t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// chromeFail ends the test after a browser error, with a screenshot and the
// current address when they can still be had.
func chromeFail(t testing.TB, ctx context.Context, what string, err error) {
	t.Helper()
	screenshot(t, ctx, "failure")
	if loc, lerr := chromedp.Run(ctx, chromedp.Location()); lerr == nil {
		what += " (at " + loc + ")"
	}
	t.Fatalf("browser: %s: %v", what, err)
}

// chromeDo runs actions in the tab and fails the test on the first error.
func chromeDo(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		chromeFail(t, ctx, "action", err)
	}
}

// chromeGet runs one action that returns a value and fails the test on error.
func chromeGet[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		chromeFail(t, ctx, "query", err)
	}
	return v
}

// chromeNavigate runs the steps (a click on a link or a submit button, a
// Navigate), waits until the resulting page has loaded and returns the
// response of its HTML document (after any redirects).
func chromeNavigate(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(sctx, steps...)
	if err == nil && resp == nil {
		err = errors.New("no document response")
	}
	if err != nil {
		chromeFail(t, ctx, "navigation", err)
	}
	return resp
}

// chromeText is the trimmed visible text of the first element matching css.
func chromeText(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return strings.TrimSpace(chromeGet(t, ctx, chromedp.Text(chromedp.CSS(css))))
}

// chromePath is the tab's current path and query, e.g. "/dashboard?lang=bs".
func chromePath(t testing.TB, ctx context.Context) string {
	t.Helper()
	loc := chromeGet(t, ctx, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// typeText types s into the element sel like chromedp.SendKeys, but also
// gets letters such as "ČčĆć" and Cyrillic "ЂЈЉЊ" right: chromedp's kb table
// maps those code points to special keys (Ć is "Fn", č is "Shift", see
// https://github.com/chromedp/chromedp/issues/567), so SendKeys silently drops
// them. Such runes are entered with Input.insertText, as an IME would; all
// others are sent as real key events.
func typeText[S chromedp.Selectable](sel S, s string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Focus(sel)(ctx, t); err != nil {
			return err
		}
		var keys, insert []rune
		flush := func() error {
			if len(keys) > 0 {
				if _, err := chromedp.KeyEvent(string(keys))(ctx, t); err != nil {
					return err
				}
				keys = keys[:0]
			}
			if len(insert) > 0 {
				if _, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: string(insert)}); err != nil {
					return err
				}
				insert = insert[:0]
			}
			return nil
		}
		for _, r := range s {
			k, special := kb.Keys[r]
			if r >= 0x80 && special && (!k.Print || k.Text != string(r)) {
				if len(keys) > 0 {
					if err := flush(); err != nil {
						return err
					}
				}
				insert = append(insert, r)
				continue
			}
			if len(insert) > 0 {
				if err := flush(); err != nil {
					return err
				}
			}
			keys = append(keys, r)
		}
		return flush()
	})
}

// chromeCookie is the browser's cookie name for the current page, or nil.
func chromeCookie(t testing.TB, ctx context.Context, name string) *network.Cookie {
	t.Helper()
	res := chromeGet(t, ctx, func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{})
	})
	for _, c := range res.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// xpathString quotes s as an XPath 1.0 string literal.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, `'`) {
		return `'` + s + `'`
	}
	parts := strings.Split(s, `"`)
	for i, p := range parts {
		parts[i] = `"` + p + `"`
	}
	return "concat(" + strings.Join(parts, `, '"', `) + ")"
}

// linkByText selects <a> elements whose whitespace-normalised text is exactly
// text; within is an XPath prefix for the container ("" = whole page),
// e.g. `//nav[@class="langs"]`.
func linkByText(within, text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`%s//a[normalize-space(.)=%s]`, within, xpathString(text)))
}

// browserCatalog reads the message catalog of a language from the JSON files
// views/locales/<part>.<lang>.json (or <lang>.json), merged as the server does.
func browserCatalog(t testing.TB, lang string) map[string]string {
	t.Helper()
	dir := filepath.Join("..", "views", "locales")
	files, _ := filepath.Glob(filepath.Join(dir, "*."+lang+".json"))
	if _, err := os.Stat(filepath.Join(dir, lang+".json")); err == nil {
		files = append(files, filepath.Join(dir, lang+".json"))
	}
	if len(files) == 0 {
		t.Fatalf("no catalog for %q in %s", lang, dir)
	}
	m := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("catalog: %v", err)
		}
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			t.Fatalf("catalog %s: %v", f, err)
		}
		for k, v := range part {
			if s, ok := v.(string); ok {
				m[k] = s
			}
		}
	}
	return m
}

// catalogMsg is the text of key in a catalog; a missing or empty one fails the test.
func catalogMsg(t testing.TB, catalog map[string]string, key string) string {
	t.Helper()
	s := catalog[key]
	if strings.TrimSpace(s) == "" {
		t.Fatalf("message %q is missing", key)
	}
	return s
}
