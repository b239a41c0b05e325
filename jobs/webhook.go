package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"pakt/models"
)

// Headers of a delivery (docs/webhooks.md).
const (
	HeaderEvent     = "X-Pakt-Event"
	HeaderDelivery  = "X-Pakt-Delivery"
	HeaderSignature = "X-Pakt-Signature"
)

// deliverWebhookWorker posts one delivery to its hook's URL. A 2xx answer
// delivers it; anything else is retried with the runner's backoff until
// the job's attempts run out, then the delivery is marked failed.
type deliverWebhookWorker struct {
	river.WorkerDefaults[models.DeliverWebhookArgs]
	db     *gorm.DB
	client *http.Client
	log    *slog.Logger
}

func newWebhookWorker(db *gorm.DB, allowPrivate bool, log *slog.Logger) *deliverWebhookWorker {
	return &deliverWebhookWorker{db: db, client: WebhookClient(allowPrivate), log: log}
}

// Work sends the delivery's stored bytes, signed with the hook's secret.
// Logs name the delivery, hook, event and status, never the secret or body.
func (w *deliverWebhookWorker) Work(ctx context.Context, job *river.Job[models.DeliverWebhookArgs]) error {
	d, err := models.LoadDelivery(ctx, w.db, job.Args.DeliveryID)
	if errors.Is(err, models.ErrNotFound) {
		return nil // the hook was deleted
	}
	if err != nil {
		return err
	}
	if d.Status != models.DeliveryQueued {
		return nil
	}
	code, sendErr := w.post(ctx, d)
	final := sendErr == nil || job.Attempt >= job.MaxAttempts
	errText := ""
	if sendErr != nil {
		errText = sendErr.Error()
	}
	if err := models.RecordDelivery(ctx, w.db, d.ID, code, errText, final); err != nil {
		return err
	}
	if sendErr != nil {
		w.log.Warn("webhook not delivered", "delivery_id", d.ID, "webhook_id", d.WebhookID, "event", d.Event,
			"attempt", job.Attempt, "final", final, "status", code, "err", errText)
		return sendErr
	}
	w.log.Info("webhook delivered", "delivery_id", d.ID, "webhook_id", d.WebhookID, "event", d.Event, "status", code)
	return nil
}

func (w *deliverWebhookWorker) post(ctx context.Context, d *models.PendingDelivery) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	body := []byte(d.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Pakt-Webhooks/1")
	req.Header.Set(HeaderEvent, d.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(d.ID, 10))
	req.Header.Set(HeaderSignature, models.SignWebhook(d.Secret, body))
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// ErrPrivateAddress refuses a delivery to a loopback, private, link-local
// or otherwise internal address (SSRF).
var ErrPrivateAddress = errors.New("webhook: the address is not public")

// WebhookClient is the HTTP client of deliveries. Unless allowPrivate (tests,
// PAKT_WEBHOOK_ALLOW_PRIVATE), it connects only to public addresses: the
// check runs on the address actually dialled, after DNS, so a name that
// resolves (or re-resolves) to an internal address is refused too.
// Redirects are not followed: a delivery goes only to the registered URL.
func WebhookClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip := net.ParseIP(host)
			if ip == nil || !PublicIP(ip) {
				return ErrPrivateAddress
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: dialer.DialContext, Proxy: nil, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second}
	return &http.Client{Transport: tr, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// PublicIP says whether ip is an address on the public internet.
func PublicIP(ip net.IP) bool { return models.PublicIP(ip) }
