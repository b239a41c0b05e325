// Package mail composes Pakt's e-mails in the recipient's language (texts
// from views/locales/mail.<lang>.json) and sends them over SMTP with
// go-mail. It knows nothing of the database: models store composed
// messages in the outbox, the jobs package sends them.
package mail

import (
	"bytes"
	"embed"
	"html/template"
	"strings"
	"sync"
	"time"

	"pakt/i18n"
)

// Message is one composed mail, as the outbox stores it and Sender sends it.
type Message struct {
	To          string
	ToName      string
	Lang        string
	Kind        string // "invitation", "password_reset", "digest" or a notification kind
	Subject     string
	Text        string
	HTML        string
	Unsubscribe string // one-click unsubscribe URL; notification mails only
	// Sensitive mails carry a sign-in secret (invitation or reset link).
	Sensitive bool
}

// Recipient is who a mail is for; Lang picks the catalog.
type Recipient struct {
	Email string
	Name  string
	Lang  string
}

// catalogs are the embedded message catalogs, parsed once.
var catalogs = sync.OnceValues(i18n.Load)

// Localizer returns the catalog of lang, or of the default language when
// lang has none (the outbox records which one was used).
func Localizer(lang string) (*i18n.Localizer, error) {
	b, err := catalogs()
	if err != nil {
		return nil, err
	}
	return b.For(lang), nil
}

//go:embed templates/*.html
var templateFS embed.FS

var htmlTemplate = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// link is a labelled absolute URL.
type link struct {
	Label string
	URL   string
}

// body is what every mail says, in order; both the text and the HTML part
// are drawn from it so they never disagree.
type body struct {
	Lang     string
	Subject  string
	Greeting string
	Lines    []string
	Action   *link
	Items    []link
	After    []string
	Footer   []string
	Links    []link // footer links: settings, unsubscribe
}

// finish renders both parts into a Message.
func (b body) finish(to Recipient, kind string) (Message, error) {
	var html bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&html, "mail.html", b); err != nil {
		return Message{}, err
	}
	return Message{To: to.Email, ToName: to.Name, Lang: b.Lang, Kind: kind, Subject: b.Subject,
		Text: b.text(), HTML: html.String()}, nil
}

// text is the plain-text part: the same content, links written out.
func (b body) text() string {
	var s strings.Builder
	s.WriteString(b.Greeting + "\n\n")
	for _, l := range b.Lines {
		s.WriteString(l + "\n\n")
	}
	if b.Action != nil {
		s.WriteString(b.Action.Label + ":\n" + b.Action.URL + "\n\n")
	}
	for _, it := range b.Items {
		s.WriteString("- " + it.Label + "\n  " + it.URL + "\n")
	}
	if len(b.Items) > 0 {
		s.WriteString("\n")
	}
	for _, l := range b.After {
		s.WriteString(l + "\n\n")
	}
	s.WriteString("-- \n")
	for _, l := range b.Footer {
		s.WriteString(l + "\n")
	}
	for _, l := range b.Links {
		s.WriteString(l.Label + ": " + l.URL + "\n")
	}
	return s.String()
}

// start fills what every mail has: language, subject and greeting.
func start(l *i18n.Localizer, to Recipient, subject string) body {
	greeting := l.T("mail.greeting", "Name", to.Name)
	if to.Name == "" {
		greeting = l.T("mail.greeting_anonymous")
	}
	return body{Lang: l.Lang, Subject: subject, Greeting: greeting}
}

// Invitation is what an invitation mail says.
type Invitation struct {
	Inviter      string
	Municipality string
	Role         string // coordinator, member or viewer
	Link         string // {PAKT_BASE_URL}/invitations/{token}
	Expires      time.Time
}

// ComposeInvitation writes the mail that lets a new person choose a password.
func ComposeInvitation(to Recipient, in Invitation) (Message, error) {
	l, err := Localizer(to.Lang)
	if err != nil {
		return Message{}, err
	}
	b := start(l, to, l.T("mail.invite.subject", "Municipality", in.Municipality))
	b.Lines = []string{l.T("mail.invite.body", "Inviter", in.Inviter, "Municipality", in.Municipality,
		"Role", l.T("role."+in.Role))}
	b.Action = &link{l.T("mail.invite.action"), in.Link}
	b.After = []string{l.T("mail.invite.expires", "Expires", l.DateTime(in.Expires))}
	b.Footer = []string{l.T("mail.footer.account")}
	m, err := b.finish(to, "invitation")
	m.Sensitive = true
	return m, err
}

// Reset is what a password-reset mail says.
type Reset struct {
	Link    string // {PAKT_BASE_URL}/password-resets/{token}
	Expires time.Time
}

// ComposeReset writes the mail with a one-hour password-reset link.
func ComposeReset(to Recipient, r Reset) (Message, error) {
	l, err := Localizer(to.Lang)
	if err != nil {
		return Message{}, err
	}
	b := start(l, to, l.T("mail.reset.subject"))
	b.Lines = []string{l.T("mail.reset.body")}
	b.Action = &link{l.T("mail.reset.action"), r.Link}
	b.After = []string{l.T("mail.reset.expires", "Expires", l.DateTime(r.Expires))}
	b.Footer = []string{l.T("mail.footer.account")}
	m, err := b.finish(to, "password_reset")
	m.Sensitive = true
	return m, err
}
