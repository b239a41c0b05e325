// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 for tests: mail travels over TCP with the real protocol, and
// tests read what arrived, decoded: subject, headers, text and HTML parts.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"pakt/mail"
)

// Options shape the server.
type Options struct {
	Username, Password string // require AUTH PLAIN with these
	StartTLS           bool   // offer STARTTLS with a certificate for 127.0.0.1
	ImplicitTLS        bool   // speak TLS from the first byte (smtps)
	// Unknown lists recipients refused for good (550 no such user).
	Unknown []string
}

// Server is an SMTP server that keeps what it receives.
type Server struct {
	opts    Options
	srv     *smtp.Server
	addr    *net.TCPAddr
	clientT *tls.Config

	mu       sync.Mutex
	received []Received
	refuse   int  // answer the next this many MAIL commands with 451
	down     bool // answer every MAIL command with 451
	attempts int
}

// Received is one delivered message, decoded.
type Received struct {
	From    string
	To      []string
	Header  netmail.Header
	Subject string
	Text    string
	HTML    string
	TLS     bool // the message came over an encrypted connection
	Auth    bool // the client authenticated
	Raw     []byte
}

// Start listens on 127.0.0.1 (a free port) until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "mailtest.local"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	if opts.StartTLS || opts.ImplicitTLS {
		server, client, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		s.srv.TLSConfig, s.clientT = server, client
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	if opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.srv.TLSConfig)
	}
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// Config is an SMTPConfig that reaches this server.
func (s *Server) Config() mail.SMTPConfig {
	c := mail.SMTPConfig{Host: "127.0.0.1", Port: s.addr.Port, Username: s.opts.Username,
		Password: s.opts.Password, TLSConfig: s.clientT, Timeout: 5 * time.Second}
	if s.opts.ImplicitTLS {
		c.TLS = mail.ImplicitTLS
	}
	return c
}

// URL is the PAKT_SMTP_URL of this server.
func (s *Server) URL() string {
	u := "smtp://"
	if s.opts.Username != "" {
		u += s.opts.Username + ":" + s.opts.Password + "@"
	}
	return u + s.addr.String()
}

// Refuse answers the next n deliveries with a temporary error (451).
func (s *Server) Refuse(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// SetDown makes every delivery fail temporarily until SetDown(false).
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// Attempts counts MAIL commands, refused or not.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Messages returns what was delivered so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// WaitFor waits until n messages arrived (or fails the test after timeout).
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: %d messages after %s, want %d", len(msgs), timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// session is one SMTP connection.
type session struct {
	s    *Server
	conn *smtp.Conn
	from string
	to   []string
	auth bool
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.opts.Username || password != ss.s.opts.Password {
			return errors.New("invalid credentials")
		}
		ss.auth = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.opts.Username != "" && !ss.auth {
		return smtp.ErrAuthRequired
	}
	if s.down || s.refuse > 0 {
		if s.refuse > 0 {
			s.refuse--
		}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if slices.Contains(ss.s.opts.Unknown, to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec, err := Parse(raw)
	if err != nil {
		return err
	}
	_, rec.TLS = ss.conn.TLSConnectionState()
	rec.From, rec.To, rec.Auth = ss.from, ss.to, ss.auth
	ss.s.mu.Lock()
	ss.s.received = append(ss.s.received, rec)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// Parse decodes a raw message: the subject (RFC 2047) and the text and HTML
// parts of a multipart/alternative body (quoted-printable or base64).
func Parse(raw []byte) (Received, error) {
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	rec := Received{Header: m.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if rec.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return Received{}, err
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return Received{}, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return rec, errors.New("mailtest: not a multipart message: " + mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return rec, nil
		}
		if err != nil {
			return Received{}, err
		}
		if err := readPart(&rec, p); err != nil {
			return Received{}, err
		}
	}
}

// readPart stores a text or HTML part; multipart.Reader has already undone
// quoted-printable, base64 is undone here.
func readPart(rec *Received, p *multipart.Part) error {
	var r io.Reader = p
	if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
		r = newBase64Reader(p)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
	switch mt {
	case "text/plain":
		rec.Text = string(b)
	case "text/html":
		rec.HTML = string(b)
	}
	return nil
}

// selfSigned makes a certificate for 127.0.0.1 and a client config that
// trusts exactly it.
func selfSigned() (server, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client, nil
}

// newBase64Reader decodes a base64 body (the decoder skips line breaks).
func newBase64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }
