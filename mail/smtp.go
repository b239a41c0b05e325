package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode int

const (
	// StartTLSOpportunistic upgrades with STARTTLS whenever the server offers it.
	StartTLSOpportunistic TLSMode = iota
	// StartTLSRequired refuses to send unless STARTTLS succeeds.
	StartTLSRequired
	// ImplicitTLS speaks TLS from the first byte (smtps://, port 465).
	ImplicitTLS
)

// SMTPConfig is where mail goes, read from PAKT_SMTP_URL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
	// TLSConfig overrides the default (system roots, the host's name);
	// tests use it to trust their own certificate.
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// ParseSMTPURL reads smtp://[user:pass@]host[:port][?starttls=required] or
// smtps://[user:pass@]host[:port]. The error says what is wrong in words an
// operator can act on, never repeating the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, errors.New("must be a URL such as smtp://user:password@mail.example.org:587")
	}
	c := SMTPConfig{Host: u.Hostname(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.TLS = 465, ImplicitTLS
	default:
		return SMTPConfig{}, fmt.Errorf("scheme must be smtp:// (STARTTLS when offered) or smtps:// (implicit TLS), got %q", u.Scheme)
	}
	if c.Host == "" {
		return SMTPConfig{}, errors.New("has no host: use smtp://mail.example.org:587")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if err := c.readQuery(u); err != nil {
		return SMTPConfig{}, err
	}
	return c, nil
}

func (c *SMTPConfig) readQuery(u *url.URL) error {
	for k, vs := range u.Query() {
		if k != "starttls" || len(vs) != 1 || (vs[0] != "required" && vs[0] != "opportunistic") {
			return fmt.Errorf("the only option is ?starttls=required (or opportunistic, the default), got %q", u.RawQuery)
		}
		if u.Scheme == "smtps" {
			return errors.New("starttls does not apply to smtps://, which is TLS from the start")
		}
		if vs[0] == "required" {
			c.TLS = StartTLSRequired
		}
	}
	return nil
}

// String names the server without credentials, for logs.
func (c SMTPConfig) String() string {
	scheme := "smtp"
	if c.TLS == ImplicitTLS {
		scheme = "smtps"
	}
	return fmt.Sprintf("%s://%s:%d", scheme, c.Host, c.Port)
}

// ParseFrom reads PAKT_MAIL_FROM: "Pakt <pakt@example.org>" or a bare address.
func ParseFrom(v string) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(v)
	if err != nil {
		return nil, fmt.Errorf("must be an e-mail address such as \"Pakt <pakt@example.org>\", got %q", v)
	}
	return a, nil
}

// Sender delivers composed messages over SMTP, one connection per message:
// mail is rare (invitations, resets, notifications) and a fresh connection
// recovers by itself from a restarted server.
type Sender struct {
	cfg  SMTPConfig
	from *netmail.Address
}

// NewSender checks the sender address and returns a Sender.
func NewSender(cfg SMTPConfig, from string) (*Sender, error) {
	a, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	return &Sender{cfg: cfg, from: a}, nil
}

// Where names the server for logs.
func (s *Sender) Where() string { return s.cfg.String() }

// Send delivers one message; an error may be temporary (see IsPermanent).
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}

func (s *Sender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case StartTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.cfg.TLSConfig))
	}
	if s.cfg.Username != "" {
		// SCRAM when offered, else PLAIN or LOGIN, which go-mail sends only
		// over TLS or to a relay on localhost; failing all, the strongest
		// mechanism the server offers.
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
			gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// build turns a Message into a multipart/alternative mail: text first, HTML
// second (clients show the last part they understand).
func (s *Sender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.from.Name, s.from.Address); err != nil {
		return nil, err
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageID()
	msg.SetDate()
	msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	msg.SetGenHeaderPreformatted("Auto-Submitted", "auto-generated")
	if m.Unsubscribe != "" {
		msg.SetGenHeaderPreformatted("List-Unsubscribe", "<"+m.Unsubscribe+">")
		msg.SetGenHeaderPreformatted("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// IsPermanent says whether the server refused the message for good (a 5xx
// answer such as an unknown recipient): retrying cannot help. Connection
// failures and 4xx answers are temporary.
func IsPermanent(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	return se.ErrorCode() >= 500 && se.ErrorCode() < 600
}
