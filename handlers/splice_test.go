package handlers_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// getEncoded fetches path as b with the given Accept-Encoding and returns
// the response and its body as sent.
func getEncoded(b interface {
	Send(*http.Request) *http.Response
}, path, acceptEncoding string) (*http.Response, []byte) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp := b.Send(req)
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// Pages built around cached fragments go out gzip-compressed to clients
// that take it, as the same page, with the viewer's own bytes (CSRF token,
// form nonce) stored uncompressed; others get the plain page.
func TestCachedPagesSentGzipped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	for i := range 40 {
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
			measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, fmt.Sprintf("M%d", i+1), "1000.00", "250.50")), 201, "add measure")
	}
	coord := w.Login(coordA)
	for _, path := range []string{fmt.Sprintf("/plans/%d", planID), fmt.Sprintf("/municipalities/%d/dashboard", w.A.ID), "/region"} {
		plainResp, plain := getEncoded(coord, path, "")
		if plainResp.StatusCode != 200 || plainResp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s without Accept-Encoding: %d, encoding %q", path, plainResp.StatusCode, plainResp.Header.Get("Content-Encoding"))
		}
		resp, sent := getEncoded(coord, path, "gzip, deflate, br")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s with gzip: %d, encoding %q, vary %q", path, resp.StatusCode, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(sent))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		page, err := io.ReadAll(zr) // checks the CRC-32 and length too
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// The two views differ only in their form nonces.
		if got, want := planOnceRe.ReplaceAll(page, nil), planOnceRe.ReplaceAll(plain, nil); !bytes.Equal(got, want) {
			t.Errorf("%s: the gzip page (%d bytes) is not the plain page (%d bytes)", path, len(got), len(want))
		}
		if !bytes.Contains(sent, []byte(`name="_csrf" value="`+coord.CSRF+`"`)) {
			t.Errorf("%s: the CSRF token was compressed, not stored as it is", path)
		}
		t.Logf("%s: %d bytes plain, %d gzip", path, len(plain), len(sent))
	}
	path := fmt.Sprintf("/plans/%d", planID)
	if len(mustGet(t, coord, path, "gzip")) > len(mustGet(t, coord, path, ""))/3 {
		t.Error("the plan page is barely compressed")
	}
	if resp, _ := getEncoded(coord, path, "gzip;q=0, br"); resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refused it")
	}
	// The plan summary API is kept packed too: gzip to clients that take it.
	sumPath := fmt.Sprintf("/api/v1/action-plans/%d/summary", planID)
	sumReq := func(enc string) (*http.Response, []byte) {
		req := httptest.NewRequest(http.MethodGet, sumPath, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp := w.Do(req)
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	plainResp, plainJSON := sumReq("")
	gzResp, gzBody := sumReq("gzip")
	if plainResp.StatusCode != 200 || plainResp.Header.Get("Content-Encoding") != "" || gzResp.Header.Get("Content-Encoding") != "gzip" ||
		!strings.Contains(gzResp.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("summary: %d %q, gzip %q vary %q", plainResp.StatusCode, plainResp.Header.Get("Content-Encoding"),
			gzResp.Header.Get("Content-Encoding"), gzResp.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gzBody))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, plainJSON) || !bytes.HasPrefix(plainJSON, []byte("{")) {
		t.Errorf("summary: gzip gave %d bytes (%v), plain %d", len(got), err, len(plainJSON))
	}
	// Pages without cached fragments are sent as they are.
	if resp, _ := getEncoded(w.Anonymous(), "/login", "gzip"); resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
		t.Error("the login page was compressed")
	}
}

func mustGet(t *testing.T, b interface {
	Send(*http.Request) *http.Response
}, path, enc string) []byte {
	t.Helper()
	resp, body := getEncoded(b, path, enc)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	return body
}
