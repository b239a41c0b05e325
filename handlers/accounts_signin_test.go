package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"pakt/app/testkit"
	"pakt/models"
)

// enableTOTP turns on the second factor of u and returns its secret.
func enableTOTP(t *testing.T, w *world, u *models.User) string {
	t.Helper()
	ctx := context.Background()
	en, err := models.EnableTOTP(ctx, w.DB, u.ID, "Pakt")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(en.Secret, time.Now())
	if _, err := models.ConfirmTOTP(ctx, w.DB, models.Actor{UserID: u.ID}, code); err != nil {
		t.Fatal(err)
	}
	return en.Secret
}

func TestLoginThrottleAndSecondFactor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	t.Run("wrong password then throttled with Retry-After", func(t *testing.T) {
		b := w.Anonymous()
		testkit.Body(b.Get("/login")) // the form's CSRF token
		var resp = b.PostForm("/login", url.Values{"email": {viewer}, "password": {"wrong-password"}})
		for i := 0; i < 5 && resp.StatusCode == 401; i++ {
			resp = b.PostForm("/login", url.Values{"email": {viewer}, "password": {"wrong-password"}})
		}
		if body := testkit.Body(resp); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, `id="e-password"`) {
			t.Fatalf("throttle: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		api := w.API("", "POST", "/api/v1/tokens", map[string]string{"email": viewer, "password": testkit.Password})
		if api.StatusCode != 429 || api.Header.Get("Retry-After") == "" {
			t.Fatalf("API throttle: %d", api.StatusCode)
		}
	})
	t.Run("second factor asked and checked", func(t *testing.T) {
		secret := enableTOTP(t, w, w.MemA)
		b := w.Anonymous()
		testkit.Body(b.Get("/login")) // the form's CSRF token
		resp := b.PostForm("/login", url.Values{"email": {member}, "password": {testkit.Password}})
		if body := testkit.Body(resp); resp.StatusCode != 401 || !strings.Contains(body, `name="code"`) {
			t.Fatalf("code not asked: %d", resp.StatusCode)
		}
		resp = b.PostForm("/login", url.Values{"email": {member}, "password": {testkit.Password}, "code": {"000000"}})
		if body := testkit.Body(resp); resp.StatusCode != 401 || !strings.Contains(body, `id="e-code"`) {
			t.Fatalf("bad code: %d", resp.StatusCode)
		}
		api := w.API("", "POST", "/api/v1/tokens", map[string]string{"email": member, "password": testkit.Password})
		if body := testkit.Body(api); api.StatusCode != 422 || !strings.Contains(body, `"code"`) {
			t.Fatalf("API without code: %d %s", api.StatusCode, body)
		}
		code, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second)) // a code not used yet
		resp = b.PostForm("/login", url.Values{"email": {member}, "password": {testkit.Password}, "code": {code}})
		if resp.StatusCode != 303 {
			t.Fatalf("right code: %d %s", resp.StatusCode, testkit.Body(resp))
		}
	})
}

// A signatory with TOTP on signs with password and code; the browser form
// asks for the code.
func TestSignWithSecondFactor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem := w.Token(coordA), w.Token(member)
	secret := enableTOTP(t, w, w.MemA)
	a := openAgreement(t, w, coord)
	ap := fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID)
	body := expect(t, w.API(mem, "POST", ap, map[string]any{"password": testkit.Password}), 422, "no code")
	if !strings.Contains(body, `"code"`) {
		t.Fatalf("missing code not on the field: %s", body)
	}
	expect(t, w.API(mem, "POST", ap, map[string]any{"password": testkit.Password, "code": "000000"}), 422, "bad code")
	b := w.Login(coordA) // coordinator has no TOTP: no code field
	if strings.Contains(testkit.Body(b.Get(fmt.Sprintf("/agreements/%d", a.ID))), `name="code"`) {
		t.Fatal("code asked of a signatory without TOTP")
	}
	// The next step's code: the current one may be the step that confirmed
	// TOTP moments ago, and a used step is never accepted again.
	code, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	expect(t, w.API(mem, "POST", ap, map[string]any{"password": testkit.Password, "code": code}), 201, "sign with code")
}
