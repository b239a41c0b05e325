package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"pakt/i18n"
	"pakt/mail"
)

// Notification kinds (API.md). The texts are mail.kind.<kind>.* in the
// catalogs views/locales/mail.<lang>.json.
const (
	KindSignatureRequested   = "signature_requested"
	KindAgreementInForce     = "agreement_in_force"
	KindAgreementDeclined    = "agreement_declined"
	KindQuestionnaireSent    = "questionnaire_sent"
	KindQuestionnaireDue     = "questionnaire_due"
	KindQuestionnaireOverdue = "questionnaire_overdue"
	KindReportDue            = "report_due"
	KindReportOverdue        = "report_overdue"
	KindReportReturned       = "report_returned"
	KindReportAccepted       = "report_accepted"
	KindCommitmentDue        = "commitment_due"
	KindCommitmentOverdue    = "commitment_overdue"
	KindConsultationOpened   = "consultation_opened"
	KindReportPublished      = "report_published"
	KindMemberAdded          = "member_added"
)

// How a person wants a kind by e-mail; in-app notifications are always kept.
const (
	ModeImmediate = "immediate" // one mail per notification
	ModeDigest    = "digest"    // together in a daily summary
	ModeOff       = "off"       // no mail
)

// NotificationKinds lists every kind in the order of the settings page,
// with its default mode: what asks the person to act comes at once; what
// only informs waits for the daily summary.
var NotificationKinds = []struct{ Kind, Default string }{
	{KindSignatureRequested, ModeImmediate},
	{KindQuestionnaireSent, ModeImmediate},
	{KindQuestionnaireDue, ModeImmediate},
	{KindQuestionnaireOverdue, ModeImmediate},
	{KindReportDue, ModeImmediate},
	{KindReportOverdue, ModeImmediate},
	{KindReportReturned, ModeImmediate},
	{KindReportSubmitted, ModeImmediate},
	{KindCommitmentDue, ModeImmediate},
	{KindCommitmentOverdue, ModeImmediate},
	{KindAgreementDeclined, ModeImmediate},
	{KindMemberAdded, ModeImmediate},
	{KindAgreementInForce, ModeDigest},
	{KindReportAccepted, ModeDigest},
	{KindReportPublished, ModeDigest},
	{KindConsultationOpened, ModeDigest},
	{KindPlanAdopted, ModeDigest},
}

// defaultMode is a kind's mode when the person chose none ("" = unknown kind).
func defaultMode(kind string) string {
	for _, k := range NotificationKinds {
		if k.Kind == kind {
			return k.Default
		}
	}
	return ""
}

// Notification is one in-app notification of one person.
type Notification struct {
	ID        int64      `json:"id" gorm:"primaryKey"`
	UserID    int64      `json:"-"`
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	URL       string     `json:"url" gorm:"column:url"`
	Mail      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// Notice is an event to tell people about. The handler that makes the
// event calls Notify with it inside the event's transaction.
type Notice struct {
	Kind           string
	MunicipalityID int64   // the pact concerned: its name goes into the text
	Title          string  // the agreement, report, questionnaire, commitment
	Role           string  // member_added: the role given
	Due            Date    // the date the kind speaks of, if any
	Path           string  // where to act, relative to PAKT_BASE_URL: "/agreements/12"
	UserIDs        []int64 // recipients
}

// recipient is what Notify needs to know of a person.
type recipient struct {
	ID     int64
	Email  string
	Name   string
	Locale string
	Status string
	Mode   string
}

// Notify writes, in db's transaction (or its own), one in-app notification
// per recipient in the recipient's language and, per the recipient's
// setting for the kind, an outbox mail with its River job (immediate), a
// place in the next daily summary (digest) or nothing (off). base is
// PAKT_BASE_URL: links in mails are absolute.
func Notify(ctx context.Context, db *gorm.DB, base string, n Notice) error {
	if defaultMode(n.Kind) == "" {
		return Invalid("kind", "account.notify.unknown_kind")
	}
	return inTx(ctx, db, func(tx *gorm.DB) error {
		var muni Municipality
		if n.MunicipalityID != 0 {
			if err := tx.First(&muni, n.MunicipalityID).Error; err != nil {
				return notFound(err)
			}
		}
		rs, err := recipients(ctx, tx, n.Kind, n.UserIDs)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := notifyOne(ctx, tx, base, n, &muni, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// recipients loads the people with their mode for the kind.
func recipients(ctx context.Context, tx *gorm.DB, kind string, ids []int64) ([]recipient, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var rs []recipient
	err := tx.WithContext(ctx).Raw(`SELECT u.id, u.email, u.name, u.locale, u.status, coalesce(s.mode, ?) AS mode
		FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id AND s.kind = ?
		WHERE u.id IN ? ORDER BY u.id`, defaultMode(kind), kind, ids).Scan(&rs).Error
	return rs, err
}

// recipientLang is the language a person reads: their own choice, else the
// municipality's, else the default.
func recipientLang(locale string, muni *Municipality) string {
	switch {
	case locale != "":
		return locale
	case muni != nil && muni.Language != "":
		return muni.Language
	}
	return i18n.Default
}

// userLang is the language of a mail not about one municipality: the
// person's choice, else the language of their first municipality.
func userLang(ctx context.Context, tx *gorm.DB, u *User) (string, error) {
	if u.Locale != "" {
		return u.Locale, nil
	}
	var langs []string
	err := tx.WithContext(ctx).Raw(`SELECT mu.language FROM memberships m JOIN municipalities mu ON mu.id = m.municipality_id
		WHERE m.user_id = ? ORDER BY m.created_at, mu.id LIMIT 1`, u.ID).Scan(&langs).Error
	if err != nil || len(langs) == 0 {
		return i18n.Default, err
	}
	return recipientLang("", &Municipality{Language: langs[0]}), nil
}

func notifyOne(ctx context.Context, tx *gorm.DB, base string, n Notice, muni *Municipality, r recipient) error {
	to := mail.Recipient{Email: r.Email, Name: r.Name, Lang: recipientLang(r.Locale, muni)}
	mn := mail.Notice{Kind: n.Kind, Municipality: muni.Name, Title: n.Title, Role: n.Role, Due: n.Due.Time}
	if n.Path != "" {
		mn.Link = base + n.Path
	}
	l, err := mail.Localizer(to.Lang)
	if err != nil {
		return err
	}
	subject, err := mn.Subject(l)
	if err != nil {
		return err
	}
	// An invited person has not agreed to mail from us yet: the in-app
	// notification waits for them, no mail goes out.
	mode := r.Mode
	if r.Status != UserActive {
		mode = ModeOff
	}
	row := &Notification{UserID: r.ID, Kind: n.Kind, Subject: truncate(subject, 500), URL: n.Path,
		Mail: map[string]string{ModeImmediate: "sent", ModeDigest: "digest", ModeOff: "none"}[mode]}
	if err := tx.WithContext(ctx).Omit("ReadAt").Create(row).Error; err != nil {
		return err
	}
	if mode != ModeImmediate {
		return nil
	}
	footer, err := notificationFooter(ctx, tx, base, r.ID, n.Kind)
	if err != nil {
		return err
	}
	m, err := mail.ComposeNotice(to, mn, footer)
	if err != nil {
		return err
	}
	_, err = queueMail(ctx, tx, &r.ID, m)
	return err
}

// UnsubscribeToken is the SHA-256 of a mail's one-click unsubscribe token
// and what it turns off.
type UnsubscribeToken struct {
	TokenHash []byte `gorm:"primaryKey"`
	UserID    int64
	Kind      string
	CreatedAt time.Time
}

// notificationFooter links a mail to the settings page and to a fresh
// one-click unsubscribe token for the kind.
func notificationFooter(ctx context.Context, tx *gorm.DB, base string, userID int64, kind string) (mail.Footer, error) {
	token := RandomToken()
	err := tx.WithContext(ctx).Create(&UnsubscribeToken{TokenHash: HashToken(token), UserID: userID, Kind: kind}).Error
	return mail.Footer{Settings: base + "/me/notification-settings", Unsubscribe: base + "/unsubscribe/" + token}, err
}

// ListNotifications returns a person's notifications, newest first, older
// than the id before (0: from the newest), at most limit (1..200).
func ListNotifications(ctx context.Context, db *gorm.DB, userID, before int64, limit int) ([]Notification, error) {
	q := db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(max(1, min(limit, 200)))
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	out := []Notification{}
	return out, q.Find(&out).Error
}

// UnreadCount is the number on the notification bell.
func UnreadCount(ctx context.Context, db *gorm.DB, userID int64) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// MarkNotificationRead marks one of the person's notifications read;
// another person's is ErrNotFound. Marking twice is fine.
func MarkNotificationRead(ctx context.Context, db *gorm.DB, userID, id int64) error {
	res := db.WithContext(ctx).Exec(`UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = ? AND user_id = ?`, id, userID)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// MarkAllNotificationsRead empties the bell.
func MarkAllNotificationsRead(ctx context.Context, db *gorm.DB, userID int64) error {
	return db.WithContext(ctx).Exec(`UPDATE notifications SET read_at = now() WHERE user_id = ? AND read_at IS NULL`, userID).Error
}

// NotificationSettings returns the mode of every kind for the person,
// defaults filled in.
func NotificationSettings(ctx context.Context, db *gorm.DB, userID int64) (map[string]string, error) {
	var rows []struct{ Kind, Mode string }
	if err := db.WithContext(ctx).Raw(`SELECT kind, mode FROM notification_settings WHERE user_id = ?`, userID).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(NotificationKinds))
	for _, k := range NotificationKinds {
		out[k.Kind] = k.Default
	}
	for _, r := range rows {
		if _, known := out[r.Kind]; known {
			out[r.Kind] = r.Mode
		}
	}
	return out, nil
}

// SetNotificationSettings stores the modes given (kinds not named keep
// theirs). Unknown kinds and modes are a ValidationError keyed by kind.
func SetNotificationSettings(ctx context.Context, db *gorm.DB, userID int64, modes map[string]string) error {
	bad := map[string]string{}
	for kind, mode := range modes {
		switch {
		case defaultMode(kind) == "":
			bad[kind] = "account.notify.unknown_kind"
		case mode != ModeImmediate && mode != ModeDigest && mode != ModeOff:
			bad[kind] = "account.notify.mode"
		}
	}
	if len(bad) > 0 {
		return &ValidationError{Fields: bad}
	}
	return inTx(ctx, db, func(tx *gorm.DB) error {
		for kind, mode := range modes {
			if err := setMode(ctx, tx, userID, kind, mode); err != nil {
				return err
			}
		}
		return nil
	})
}

func setMode(ctx context.Context, tx *gorm.DB, userID int64, kind, mode string) error {
	return tx.WithContext(ctx).Exec(`INSERT INTO notification_settings (user_id, kind, mode) VALUES (?, ?, ?)
		ON CONFLICT (user_id, kind) DO UPDATE SET mode = EXCLUDED.mode`, userID, kind, mode).Error
}

// Unsubscribed is what a one-click unsubscribe turned off.
type Unsubscribed struct {
	UserID int64
	Kinds  []string
}

// Unsubscribe applies the token of a mail's unsubscribe link (RFC 8058
// one-click, no sign-in): the kind of that mail is turned off, or, for a
// daily summary, every kind the person gets as a summary. Unknown tokens
// are ErrNotFound; the token stays valid, as mail clients may post twice.
func Unsubscribe(ctx context.Context, db *gorm.DB, token string) (*Unsubscribed, error) {
	var row UnsubscribeToken
	if err := db.WithContext(ctx).Where("token_hash = ?", HashToken(token)).First(&row).Error; err != nil {
		return nil, notFound(err)
	}
	kinds := []string{row.Kind}
	if row.Kind == digestKind {
		modes, err := NotificationSettings(ctx, db, row.UserID)
		if err != nil {
			return nil, err
		}
		kinds = kinds[:0]
		for _, k := range NotificationKinds {
			if modes[k.Kind] == ModeDigest {
				kinds = append(kinds, k.Kind)
			}
		}
	}
	off := map[string]string{}
	for _, k := range kinds {
		off[k] = ModeOff
	}
	return &Unsubscribed{UserID: row.UserID, Kinds: kinds}, SetNotificationSettings(ctx, db, row.UserID, off)
}
