package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
)

// FormReplay is the page drawn for a refused form POST, kept for the
// browser session that posted it until it asks for the form's own address
// (post/redirect/get): reloading then never posts again, and nothing typed
// is lost.
type FormReplay struct {
	Status          int
	ContentType     string
	ContentEncoding string
	Body            []byte
}

// formReplayTTL bounds how long a drawn page waits for its browser.
const formReplayTTL = 10 * time.Minute

func sessionHash(sessionID string) string {
	sum := sha256.Sum256([]byte("form-replay\x00" + sessionID))
	return hex.EncodeToString(sum[:])
}

// SaveFormReplay keeps the page for the session until it gets target; an
// older page for the same target is replaced, expired ones are dropped.
func SaveFormReplay(ctx context.Context, db *gorm.DB, sessionID, target string, r FormReplay) error {
	db = db.WithContext(ctx)
	if err := db.Exec(`DELETE FROM form_replays WHERE created_at < ?`, time.Now().Add(-formReplayTTL)).Error; err != nil {
		return err
	}
	return db.Exec(`INSERT INTO form_replays (session_hash, target, status, content_type, content_encoding, body)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (session_hash, target) DO UPDATE SET status = EXCLUDED.status, content_type = EXCLUDED.content_type,
			content_encoding = EXCLUDED.content_encoding, body = EXCLUDED.body, created_at = now()`,
		sessionHash(sessionID), target, r.Status, r.ContentType, r.ContentEncoding, r.Body).Error
}

// TakeFormReplay returns (and forgets) the page waiting for the session at
// target, or nil.
func TakeFormReplay(ctx context.Context, db *gorm.DB, sessionID, target string) (*FormReplay, error) {
	var rows []FormReplay
	err := db.WithContext(ctx).Raw(`DELETE FROM form_replays WHERE session_hash = ? AND target = ? AND created_at >= ?
		RETURNING status, content_type, content_encoding, body`, sessionHash(sessionID), target, time.Now().Add(-formReplayTTL)).
		Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}
