package jobs

import (
	"context"
	"crypto/hmac"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/models"
)

// receiver is a registry on 127.0.0.1 that checks each delivery's
// signature and fails the first fails deliveries with a 500.
type receiver struct {
	mu       sync.Mutex
	secret   string
	fails    int
	bodies   []string
	badSigns int
	events   []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	want := models.SignWebhook(r.secret, body)
	if !hmac.Equal([]byte(req.Header.Get(HeaderSignature)), []byte(want)) {
		r.badSigns++
	}
	r.events = append(r.events, req.Header.Get(HeaderEvent))
	r.bodies = append(r.bodies, string(body))
	if r.fails > 0 {
		r.fails--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *env) hook(url string, events ...string) (*models.Webhook, string) {
	e.t.Helper()
	m := e.municipality()
	h, secret, err := models.CreateWebhook(e.ctx, e.db, models.Actor{}, m.ID, models.WebhookInput{URL: url, Events: events, AllowPrivate: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return h, secret
}

func (e *env) delivery(hookID int64) models.WebhookDelivery {
	var d models.WebhookDelivery
	e.db.Where("webhook_id = ?", hookID).Order("id").First(&d)
	return d
}

func (e *env) waitDelivery(hookID int64, done func(models.WebhookDelivery) bool) models.WebhookDelivery {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d := e.delivery(hookID)
		if done(d) {
			return d
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("delivery not done in time: %+v", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWebhookDeliveredSignedAfterRetry: an event committed with its
// transaction reaches a real HTTP server, signed with the hook's secret;
// a 500 is retried and the log says how it went. An event whose
// transaction rolls back sends nothing.
func TestWebhookDeliveredSignedAfterRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := &receiver{fails: 1}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	h, secret := e.hook(srv.URL+"/pakt", models.EventReportPublished)
	rec.mu.Lock()
	rec.secret = secret
	rec.mu.Unlock()

	rollback := errors.New("rolled back")
	err := e.db.Transaction(func(tx *gorm.DB) error {
		if err := models.EnqueueWebhookEvent(e.ctx, tx, h.MunicipalityID, models.EventReportPublished, map[string]any{"period_id": 1}); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	err = e.db.Transaction(func(tx *gorm.DB) error {
		// Another event than the hook asked for writes nothing.
		if err := models.EnqueueWebhookEvent(e.ctx, tx, h.MunicipalityID, models.EventPlanAdopted, map[string]any{"plan_id": 1}); err != nil {
			return err
		}
		return models.EnqueueWebhookEvent(e.ctx, tx, h.MunicipalityID, models.EventReportPublished, map[string]any{"period_id": 7})
	})
	if err != nil {
		t.Fatal(err)
	}
	e.runner(true)
	d := e.waitDelivery(h.ID, func(d models.WebhookDelivery) bool { return d.Status == models.DeliveryDelivered })
	if d.Attempts != 2 || d.ResponseStatus == nil || *d.ResponseStatus != 204 || d.DeliveredAt == nil {
		t.Errorf("delivery = %+v", d)
	}
	var n int64
	e.db.Model(&models.WebhookDelivery{}).Count(&n)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if n != 1 || len(rec.bodies) != 2 || rec.badSigns != 0 || rec.bodies[0] != rec.bodies[1] {
		t.Fatalf("%d deliveries, %d posts, %d bad signatures", n, len(rec.bodies), rec.badSigns)
	}
	if rec.events[0] != models.EventReportPublished || !strings.Contains(rec.bodies[0], `"period_id":7`) {
		t.Errorf("posted %s: %s", rec.events[0], rec.bodies[0])
	}
	if strings.Contains(e.log.String(), secret) {
		t.Error("the secret is in the log")
	}
}

// TestWebhookRefusesPrivateAddresses: without PAKT_WEBHOOK_ALLOW_PRIVATE a
// delivery to a loopback address is never made (SSRF), and the log says why.
func TestWebhookRefusesPrivateAddresses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := &receiver{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	h, _ := e.hook(srv.URL, models.EventPlanAdopted)
	err := e.db.Transaction(func(tx *gorm.DB) error {
		return models.EnqueueWebhookEvent(e.ctx, tx, h.MunicipalityID, models.EventPlanAdopted, map[string]any{"plan_id": 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	e.runner(false)
	d := e.waitDelivery(h.ID, func(d models.WebhookDelivery) bool { return d.Attempts >= 1 })
	if d.Status == models.DeliveryDelivered || d.LastError == nil || !strings.Contains(*d.LastError, "not public") {
		t.Errorf("delivery = %+v", d)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.bodies) != 0 {
		t.Errorf("the loopback server got %d posts", len(rec.bodies))
	}
}

func TestPublicIP(t *testing.T) {
	t.Parallel()
	for ip, want := range map[string]bool{"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::1": false, "fd00::1": false, "fe80::1": false,
		"::ffff:127.0.0.1": false, "8.8.8.8": true, "2001:4860:4860::8888": true, "185.199.108.153": true} {
		if got := PublicIP(net.ParseIP(ip)); got != want {
			t.Errorf("PublicIP(%s) = %v", ip, got)
		}
	}
}

// runner starts the workers (fast retries) with or without private
// addresses allowed, until the test ends.
func (e *env) runner(allowPrivate bool) {
	e.t.Helper()
	r, err := Start(context.Background(), e.db, Config{DatabaseURL: e.url, BaseURL: base, RemindEvery: time.Hour,
		WebhookAllowPrivate: allowPrivate, RetryPolicy: Backoff{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond},
		Logger: slog.New(slog.NewJSONHandler(e.log, nil))})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			e.t.Errorf("stop: %v", err)
		}
	})
}
