package mail

import (
	"fmt"
	"time"

	"pakt/i18n"
)

// Notice is what one notification says. Its texts are the catalog keys
// mail.kind.<Kind>.subject and mail.kind.<Kind>.body, filled with the fields.
type Notice struct {
	Kind         string
	Municipality string
	Title        string    // the agreement, report, questionnaire or commitment concerned
	Role         string    // member_added: the role given
	Due          time.Time // the date the kind speaks of; zero when none
	Link         string    // absolute URL of the page to act on
}

func (n Notice) args(l *i18n.Localizer) []any {
	return []any{"Municipality", n.Municipality, "Title", n.Title, "Role", l.T("role." + n.Role), "Due", l.Date(n.Due)}
}

// Subject is the notification's one line: the mail's subject and the text of
// the in-app notification.
func (n Notice) Subject(l *i18n.Localizer) (string, error) {
	key := "mail.kind." + n.Kind + ".subject"
	s := l.T(key, n.args(l)...)
	if s == key {
		return "", fmt.Errorf("mail: no catalog text for notification kind %q", n.Kind)
	}
	return s, nil
}

// Footer links a notification mail to the recipient's choice.
type Footer struct {
	Settings    string // absolute URL of the notification settings page
	Unsubscribe string // absolute one-click unsubscribe URL
}

func (f Footer) apply(l *i18n.Localizer, b *body) {
	b.Footer = []string{l.T("mail.footer.notice")}
	b.Links = []link{{l.T("mail.settings"), f.Settings}, {l.T("mail.unsubscribe"), f.Unsubscribe}}
}

// ComposeNotice writes the mail of one notification.
func ComposeNotice(to Recipient, n Notice, f Footer) (Message, error) {
	l, err := Localizer(to.Lang)
	if err != nil {
		return Message{}, err
	}
	subject, err := n.Subject(l)
	if err != nil {
		return Message{}, err
	}
	b := start(l, to, subject)
	b.Lines = []string{l.T("mail.kind."+n.Kind+".body", n.args(l)...)}
	if n.Link != "" {
		b.Action = &link{l.T("mail.notice.action"), n.Link}
	}
	f.apply(l, &b)
	m, err := b.finish(to, n.Kind)
	m.Unsubscribe = f.Unsubscribe
	return m, err
}

// DigestItem is one notification in a summary mail.
type DigestItem struct {
	Subject string
	Link    string // absolute
}

// ComposeDigest writes the summary of notifications a recipient chose to
// get together rather than one by one.
func ComposeDigest(to Recipient, items []DigestItem, f Footer) (Message, error) {
	l, err := Localizer(to.Lang)
	if err != nil {
		return Message{}, err
	}
	b := start(l, to, l.T("mail.digest.subject"))
	b.Lines = []string{l.T("mail.digest.body")}
	for _, it := range items {
		b.Items = append(b.Items, link{it.Subject, it.Link})
	}
	f.apply(l, &b)
	m, err := b.finish(to, "digest")
	m.Unsubscribe = f.Unsubscribe
	return m, err
}
