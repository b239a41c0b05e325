package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Session is a browser session; the cookie holds a random id, the table its hash.
type Session struct {
	IDHash     []byte `gorm:"primaryKey"`
	UserID     *int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// RandomToken returns 32 random bytes, URL-safe base64 encoded.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the kernel's CSPRNG does not fail
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how session ids and API tokens are stored.
func HashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// NewSession stores a fresh session and returns its cookie value.
func NewSession(ctx context.Context, db *gorm.DB, userID *int64) (string, *Session, error) {
	id := RandomToken()
	s := &Session{IDHash: HashToken(id), UserID: userID, CSRFToken: RandomToken(),
		CreatedAt: time.Now(), LastSeenAt: time.Now()}
	return id, s, db.WithContext(ctx).Create(s).Error
}

// Visit is what every browser request needs to know about its caller: the
// session and, when signed in, the user and their memberships.
type Visit struct {
	Session     *Session
	User        *User // nil for an anonymous session
	Memberships []Membership
	TOTPOn      bool  // the user has a confirmed second factor
	Unread      int64 // the number on the notification bell
}

// LoadVisit finds a live session (idle ones are deleted and reported
// missing) with its user and memberships in one statement: one round trip to
// PostgreSQL on every page view instead of three.
func LoadVisit(ctx context.Context, db *gorm.DB, id string, idle time.Duration) (*Visit, error) {
	var row struct {
		SIDHash         []byte
		SUserID         *int64
		SCSRFToken      string `gorm:"column:s_csrf_token"`
		SCreatedAt      time.Time
		SLastSeenAt     time.Time
		User            `gorm:"embedded;embeddedPrefix:u_"`
		MembershipsJSON []byte
		TOTPOn          bool `gorm:"column:totp_on"`
		Unread          int64
	}
	res := db.WithContext(ctx).Raw(`SELECT s.id_hash AS s_id_hash, s.user_id AS s_user_id, s.csrf_token AS s_csrf_token,
		s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at,
		u.id AS u_id, u.email AS u_email, u.name AS u_name, u.password_hash AS u_password_hash, u.status AS u_status, u.locale AS u_locale,
		u.is_admin AS u_is_admin, u.organisation_id AS u_organisation_id, u.version AS u_version,
		u.created_at AS u_created_at, u.updated_at AS u_updated_at,
		`+membershipsJSON+` AS memberships_json,
		EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS totp_on,
		(SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread
		FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, HashToken(id)).Scan(&row)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	v := &Visit{Session: &Session{IDHash: row.SIDHash, UserID: row.SUserID, CSRFToken: row.SCSRFToken,
		CreatedAt: row.SCreatedAt, LastSeenAt: row.SLastSeenAt}}
	if err := touchSession(ctx, db, v.Session, id, idle); err != nil {
		return nil, err
	}
	if row.SUserID != nil && row.User.ID != 0 {
		v.User, v.TOTPOn, v.Unread = &row.User, row.TOTPOn, row.Unread
		if err := json.Unmarshal(row.MembershipsJSON, &v.Memberships); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// touchSession ends an idle session (ErrNotFound) or notes that it was seen.
func touchSession(ctx context.Context, db *gorm.DB, s *Session, id string, idle time.Duration) error {
	if time.Since(s.LastSeenAt) > idle {
		DeleteSession(ctx, db, id)
		return ErrNotFound
	}
	// Touch at most once a minute: a write per page view would be wasted.
	if time.Since(s.LastSeenAt) > time.Minute {
		db.WithContext(ctx).Model(&Session{}).Where("id_hash = ?", s.IDHash).Update("last_seen_at", time.Now())
	}
	return nil
}

// DeleteSession ends a session.
func DeleteSession(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Where("id_hash = ?", HashToken(id)).Delete(&Session{}).Error
}

// PurgeIdleSessions removes sessions idle longer than idle.
func PurgeIdleSessions(ctx context.Context, db *gorm.DB, idle time.Duration) error {
	return db.WithContext(ctx).Where("last_seen_at < ?", time.Now().Add(-idle)).Delete(&Session{}).Error
}

// APIToken is a bearer token for the JSON API; only its hash is stored.
type APIToken struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	TokenHash []byte
	ExpiresAt time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

// CreateAPIToken issues a token valid for ttl and returns its clear text once.
func CreateAPIToken(ctx context.Context, db *gorm.DB, userID int64, ttl time.Duration) (string, *APIToken, error) {
	clear := "pakt_" + RandomToken()
	t := &APIToken{UserID: userID, TokenHash: HashToken(clear), ExpiresAt: time.Now().Add(ttl).UTC().Truncate(time.Second)}
	return clear, t, db.WithContext(ctx).Create(t).Error
}

// LookupAPIToken returns the live token row for a clear token.
func LookupAPIToken(ctx context.Context, db *gorm.DB, clear string) (*APIToken, error) {
	var t APIToken
	err := db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL AND expires_at > now()", HashToken(clear)).
		First(&t).Error
	return &t, notFound(err)
}

// LookupAPITokenUser returns the live token row for a clear token with its
// user and the user's memberships, in one statement: it runs on every API
// request (GetUserAndMemberships says why one round trip matters).
func LookupAPITokenUser(ctx context.Context, db *gorm.DB, clear string) (*APIToken, *User, []Membership, error) {
	var row struct {
		User
		MembershipsJSON                []byte
		TokenID                        int64
		TokenExpiresAt, TokenCreatedAt time.Time
	}
	res := db.WithContext(ctx).Raw(`SELECT u.*, `+membershipsJSON+` AS memberships_json,
			t.id AS token_id, t.expires_at AS token_expires_at, t.created_at AS token_created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > now()`, HashToken(clear)).Scan(&row)
	if res.Error != nil {
		return nil, nil, nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, nil, nil, ErrNotFound
	}
	var ms []Membership
	if err := json.Unmarshal(row.MembershipsJSON, &ms); err != nil {
		return nil, nil, nil, err
	}
	t := &APIToken{ID: row.TokenID, UserID: row.User.ID, TokenHash: HashToken(clear), ExpiresAt: row.TokenExpiresAt, CreatedAt: row.TokenCreatedAt}
	return t, &row.User, ms, nil
}

// RevokeAPIToken makes a token unusable.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, id int64) error {
	return db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", id).Update("revoked_at", time.Now()).Error
}

// LoginFailure counts one failed sign-in.
type LoginFailure struct {
	ID        int64 `gorm:"primaryKey"`
	IP        string
	Email     string
	CreatedAt time.Time
}

// RecordLoginFailure remembers a failed attempt for throttling.
func RecordLoginFailure(ctx context.Context, db *gorm.DB, ip, email string) error {
	return db.WithContext(ctx).Create(&LoginFailure{IP: ip, Email: email}).Error
}

// LoginThrottled says whether an IP or an e-mail failed max times within window.
func LoginThrottled(ctx context.Context, db *gorm.DB, ip, email string, max int, window time.Duration) (bool, error) {
	var n int64
	since := time.Now().Add(-window)
	err := db.WithContext(ctx).Raw(`SELECT greatest(
		(SELECT count(*) FROM login_failures WHERE ip = ? AND created_at > ?),
		(SELECT count(*) FROM login_failures WHERE lower(email) = lower(?) AND created_at > ?))`,
		ip, since, email, since).Scan(&n).Error
	return n >= int64(max), err
}

// ClearLoginFailures forgets failures of an e-mail after a good sign-in.
func ClearLoginFailures(ctx context.Context, db *gorm.DB, email string) error {
	return db.WithContext(ctx).Where("lower(email) = lower(?)", email).Delete(&LoginFailure{}).Error
}
