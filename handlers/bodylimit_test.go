package handlers_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// A request over the server's body limit (16 MiB) answers Pakt's own 413:
// the error page in the browser, {"error":{"code":"too_large"}} on the API.
func TestBodyOverLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	b := w.Login(coordA)
	// app.Test gives up on a refused body, so a real listener serves, and
	// the request announces a length over the limit: the server answers
	// before reading any of it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go w.Srv.App.Listener(ln)
	t.Cleanup(func() { w.Srv.App.Shutdown() })
	send := func(path string, headers ...string) (*http.Response, string) {
		t.Helper()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n%s\r\n",
			path, 17<<20, strings.Join(headers, ""))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		return resp, testkit.Body(resp)
	}

	resp, body := send(fmt.Sprintf("/api/v1/agreements/%d/attachments", a.ID), "Authorization: Bearer "+w.Token(coordA)+"\r\n")
	if resp.StatusCode != 413 || !strings.Contains(body, `"code":"too_large"`) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("API over the limit: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	resp, body = send(fmt.Sprintf("/agreements/%d/attachments", a.ID), "Cookie: pakt_session="+b.Cookie("pakt_session")+"\r\n", "Accept-Language: bs\r\n")
	if resp.StatusCode != 413 || !strings.Contains(body, "</html>") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(body, "<h1>Preveliko</h1>") || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("page over the limit: %d %v %s", resp.StatusCode, resp.Header, body)
	}
}
