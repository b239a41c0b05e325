package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// Webhook events (docs/webhooks.md).
const (
	EventAgreementInForce = "agreement.in_force"
	EventPlanAdopted      = "plan.adopted"
	EventReportPublished  = "report.published"
)

// WebhookEvents are the events a hook may ask for.
var WebhookEvents = []string{EventAgreementInForce, EventPlanAdopted, EventReportPublished}

// Delivery states.
const (
	DeliveryQueued    = "queued"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookQueue is the River queue deliveries run in: a slow receiver never
// holds up mail.
const WebhookQueue = "webhooks"

// Webhook is a registered receiver of one municipality's events. Secret is
// answered only once, when the hook is made (Fresh).
type Webhook struct {
	ID             int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID int64     `json:"municipality_id"`
	URL            string    `json:"url"`
	Secret         string    `json:"-"`
	Events         CodeList  `json:"events" gorm:"type:text[]"`
	CreatedBy      *int64    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	Version        int       `json:"version"`
}

// WebhookInput is what a coordinator registers.
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	// AllowPrivate accepts loopback and private addresses
	// (PAKT_WEBHOOK_ALLOW_PRIVATE); set by the server, never by the caller.
	AllowPrivate bool `json:"-"`
}

// WebhookDelivery is one event sent (or being sent) to one hook.
type WebhookDelivery struct {
	ID             int64      `json:"id" gorm:"primaryKey"`
	WebhookID      int64      `json:"webhook_id"`
	MunicipalityID int64      `json:"-"`
	Event          string     `json:"event"`
	Body           string     `json:"-"`
	Status         string     `json:"status"`
	Attempts       int        `json:"attempts"`
	ResponseStatus *int       `json:"response_status"`
	LastError      *string    `json:"last_error"`
	CreatedAt      time.Time  `json:"created_at"`
	DeliveredAt    *time.Time `json:"delivered_at"`
}

// DeliverWebhookArgs is the River job that posts one delivery.
type DeliverWebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (DeliverWebhookArgs) Kind() string { return "deliver_webhook" }

// InsertOpts: with the retry policy of package jobs (at most 10 minutes
// apart) 25 attempts keep trying for about three hours.
func (DeliverWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: WebhookQueue, MaxAttempts: 25}
}

func (in WebhookInput) validate() error {
	f := map[string]string{}
	u, err := url.Parse(strings.TrimSpace(in.URL))
	switch {
	case strings.TrimSpace(in.URL) == "":
		f["url"] = "validation.required"
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(in.URL) > 2000:
		f["url"] = "webhook.url_invalid"
	case !in.AllowPrivate && InternalHost(u.Hostname()):
		f["url"] = "webhook.url_private"
	}
	if len(in.Events) == 0 {
		f["events"] = "validation.required"
	}
	for _, e := range in.Events {
		if !slices.Contains(WebhookEvents, e) {
			f["events"] = "validation.oneof"
		}
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// CreateWebhook registers a hook with a fresh random secret; the secret is
// returned here and never again.
func CreateWebhook(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in WebhookInput) (*Webhook, string, error) {
	if err := in.validate(); err != nil {
		return nil, "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	secret := "whsec_" + hex.EncodeToString(raw)
	events := slices.Compact(slices.Sorted(slices.Values(in.Events)))
	h := &Webhook{MunicipalityID: muniID, URL: strings.TrimSpace(in.URL), Secret: secret, Events: events, Version: 1}
	if a.UserID != 0 {
		h.CreatedBy = &a.UserID
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(h).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "webhook", h.ID, map[string]any{"url": h.URL, "events": events})
	})
	if err != nil {
		return nil, "", err
	}
	return h, secret, nil
}

// ListWebhooks lists a municipality's hooks, oldest first.
func ListWebhooks(ctx context.Context, db *gorm.DB, muniID int64) ([]Webhook, error) {
	var out []Webhook
	return out, db.WithContext(ctx).Where("municipality_id = ?", muniID).Order("id").Find(&out).Error
}

// MunicipalityOfWebhook is the municipality a hook belongs to.
func MunicipalityOfWebhook(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	var h Webhook
	if err := db.WithContext(ctx).Select("municipality_id").First(&h, id).Error; err != nil {
		return 0, notFound(err)
	}
	return h.MunicipalityID, nil
}

// DeleteWebhook removes a hook and its delivery log; queued deliveries
// find nothing and stop.
func DeleteWebhook(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND municipality_id = ?", id, muniID).Delete(&Webhook{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, a, muniID, "delete", "webhook", id, map[string]any{})
	})
}

// ListDeliveries is a hook's delivery log, newest first (at most 200).
func ListDeliveries(ctx context.Context, db *gorm.DB, muniID, hookID int64) ([]WebhookDelivery, error) {
	var out []WebhookDelivery
	err := db.WithContext(ctx).Omit("body").Where("webhook_id = ? AND municipality_id = ?", hookID, muniID).
		Order("id DESC").Limit(200).Find(&out).Error
	return out, err
}

// WebhookPayload is the JSON body of every delivery.
type WebhookPayload struct {
	Event          string    `json:"event"`
	DeliveryID     int64     `json:"delivery_id"`
	OccurredAt     time.Time `json:"occurred_at"`
	MunicipalityID int64     `json:"municipality_id"`
	Object         any       `json:"object"`
}

// EnqueueWebhookEvent writes, in the event's own transaction tx, one
// delivery and its River job for every hook of the municipality that asked
// for the event: if the event rolls back, nothing is sent; if it commits,
// the deliveries will be attempted whatever happens to this process.
// object is the small public description of what happened (ids, title,
// status, links), never a personal detail.
func EnqueueWebhookEvent(ctx context.Context, tx *gorm.DB, muniID int64, event string, object any) error {
	st, err := sqlTx(tx)
	if err != nil {
		return err
	}
	var hooks []Webhook
	err = tx.WithContext(ctx).Where("municipality_id = ? AND ? = ANY (events)", muniID, event).Order("id").Find(&hooks).Error
	if err != nil || len(hooks) == 0 {
		return err
	}
	client, err := inserter()
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, h := range hooks {
		d := &WebhookDelivery{WebhookID: h.ID, MunicipalityID: muniID, Event: event, Body: "{}", Status: DeliveryQueued}
		if err := tx.WithContext(ctx).Omit("ResponseStatus", "LastError", "DeliveredAt").Create(d).Error; err != nil {
			return err
		}
		body, err := json.Marshal(WebhookPayload{Event: event, DeliveryID: d.ID, OccurredAt: now, MunicipalityID: muniID, Object: object})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(d).Update("body", string(body)).Error; err != nil {
			return err
		}
		if _, err := client.InsertTx(ctx, st, DeliverWebhookArgs{DeliveryID: d.ID}, nil); err != nil {
			return err
		}
	}
	return nil
}

// SignWebhook is the signature header value of a body: "sha256=" and the
// hex HMAC-SHA256 of the body under the hook's secret.
func SignWebhook(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// PendingDelivery is what the worker needs to post one delivery.
type PendingDelivery struct {
	WebhookDelivery
	URL    string
	Secret string
}

// LoadDelivery loads a delivery with its hook's URL and secret; ErrNotFound
// when the hook was deleted.
func LoadDelivery(ctx context.Context, db *gorm.DB, id int64) (*PendingDelivery, error) {
	var d PendingDelivery
	err := db.WithContext(ctx).Raw(`SELECT d.*, h.url, h.secret FROM webhook_deliveries d
		JOIN webhooks h ON h.id = d.webhook_id WHERE d.id = ?`, id).Scan(&d).Error
	if err != nil {
		return nil, err
	}
	if d.ID == 0 {
		return nil, ErrNotFound
	}
	return &d, nil
}

// RecordDelivery writes the outcome of one attempt. final says no attempt
// follows (delivered, or given up).
func RecordDelivery(ctx context.Context, db *gorm.DB, id int64, code int, errText string, final bool) error {
	changes := map[string]any{"attempts": gorm.Expr("attempts + 1")}
	if code != 0 {
		changes["response_status"] = code
	}
	switch {
	case errText == "":
		changes["status"], changes["delivered_at"], changes["last_error"] = DeliveryDelivered, time.Now(), nil
	case final:
		changes["status"], changes["last_error"] = DeliveryFailed, truncate(errText, 500)
	default:
		changes["last_error"] = truncate(errText, 500)
	}
	return db.WithContext(ctx).Model(&WebhookDelivery{}).Where("id = ?", id).Updates(changes).Error
}

// InternalHost says whether a URL's host names this machine or a private
// network by itself (a literal internal address, localhost, a .local or
// .internal name), so a coordinator learns at registration that no
// delivery would reach it. A public name that resolves to an internal
// address is refused later, when the delivery dials it (jobs.WebhookClient).
func InternalHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if ip := net.ParseIP(h); ip != nil {
		return !PublicIP(ip)
	}
	if h == "localhost" {
		return true
	}
	for _, suffix := range []string{".localhost", ".local", ".internal", ".lan", ".home.arpa"} {
		if strings.HasSuffix(h, suffix) {
			return true
		}
	}
	return !strings.Contains(h, ".")
}

// PublicIP says whether ip is an address on the public internet.
func PublicIP(ip net.IP) bool {
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4
		// 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8 are not covered below.
		if ip4[0] == 0 || (ip4[0] == 100 && ip4[1]&0xc0 == 64) {
			return false
		}
	}
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast())
}
