package models

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"pakt/mail"
)

// digestKind is the outbox kind and unsubscribe scope of a summary mail.
const digestKind = "digest"

// DigestAge is how long the oldest waiting notification of a person waits
// before their summary goes out: at most one summary a day, and nothing
// waits much longer than a day (the pass runs every PAKT_REMIND_EVERY).
const DigestAge = 24 * time.Hour

// SendDigests queues one summary mail per person whose oldest waiting
// "digest" notification is older than age. Each person's notifications are
// claimed in their own transaction (mail 'digest' → 'digested'), so two
// instances running the pass at once send one summary, not two.
func SendDigests(ctx context.Context, db *gorm.DB, base string, age time.Duration) (int, error) {
	var users []int64
	err := db.WithContext(ctx).Raw(`SELECT user_id FROM notifications WHERE mail = 'digest'
		GROUP BY user_id HAVING min(created_at) <= ? ORDER BY user_id`, time.Now().Add(-age)).Scan(&users).Error
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range users {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			ok, err := sendDigest(ctx, tx, base, id)
			if ok {
				sent++
			}
			return err
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func sendDigest(ctx context.Context, tx *gorm.DB, base string, userID int64) (bool, error) {
	var items []Notification
	err := tx.Raw(`UPDATE notifications SET mail = 'digested' WHERE user_id = ? AND mail = 'digest'
		RETURNING id, kind, subject, url, created_at`, userID).Scan(&items).Error
	if err != nil || len(items) == 0 {
		return false, err // another instance took them
	}
	slices.SortFunc(items, func(a, b Notification) int { return cmp.Compare(b.ID, a.ID) })
	var u User
	if err := tx.First(&u, userID).Error; err != nil {
		return false, err
	}
	if u.Status != UserActive {
		return false, nil
	}
	list := make([]mail.DigestItem, len(items))
	for i, n := range items {
		list[i] = mail.DigestItem{Subject: n.Subject, Link: base + n.URL}
	}
	footer, err := notificationFooter(ctx, tx, base, userID, digestKind)
	if err != nil {
		return false, err
	}
	lang, err := userLang(ctx, tx, &u)
	if err != nil {
		return false, err
	}
	m, err := mail.ComposeDigest(mail.Recipient{Email: u.Email, Name: u.Name, Lang: lang}, list, footer)
	if err != nil {
		return false, err
	}
	_, err = queueMail(ctx, tx, &u.ID, m)
	return err == nil, err
}
