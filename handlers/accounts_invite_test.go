package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// outboxTo is the newest mail to an address, with its bodies; the test
// fails when there is none.
func outboxTo(t *testing.T, w *world, email string) *models.OutboxMessage {
	t.Helper()
	var m models.OutboxMessage
	err := w.DB.WithContext(context.Background()).Where("lower(to_email) = lower(?)", email).Order("id DESC").First(&m).Error
	if err != nil {
		t.Fatalf("no mail to %s: %v", email, err)
	}
	return &m
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+/(invitations|password-resets|unsubscribe)/[A-Za-z0-9_-]+`)

// linkIn is the first invitation, reset or unsubscribe link in a mail body.
func linkIn(t *testing.T, body string) string {
	t.Helper()
	l := linkRE.FindString(body)
	if l == "" {
		t.Fatalf("no link in %q", body)
	}
	return l
}

func TestAPIInvitations(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem, coordB := w.Token(coordA), w.Token(member), w.Token(coordZ)
	path := fmt.Sprintf("/api/v1/municipalities/%d/invitations", w.A.ID)
	body := map[string]any{"email": "ajla@test.ba", "name": "Ajla", "organisation_id": w.OrgA2.ID, "role": "member"}

	resp := w.API(coord, "POST", path, body)
	got := testkit.Body(resp)
	if resp.StatusCode != 201 || !strings.Contains(got, `"status":"pending"`) || !strings.Contains(got, `"expires_at"`) {
		t.Fatalf("invite: %d %s", resp.StatusCode, got)
	}
	m := outboxTo(t, w, "ajla@test.ba")
	if m.Kind != "invitation" || !strings.Contains(linkIn(t, m.TextBody), "/invitations/") {
		t.Fatalf("invitation mail: %+v", m)
	}
	// Other municipality: 404 (checked before coord.b is added to A below).
	if resp := w.API(coordB, "POST", path, body); resp.StatusCode != 404 {
		t.Fatalf("other municipality invites: %d", resp.StatusCode)
	}
	// An existing account is added at once and told.
	resp = w.API(coord, "POST", path, map[string]any{"email": "COORD.B@test.ba", "role": "viewer"})
	if got := testkit.Body(resp); resp.StatusCode != 200 || !strings.Contains(got, `"status":"added"`) {
		t.Fatalf("existing account: %d %s", resp.StatusCode, got)
	}
	if outboxTo(t, w, "coord.b@test.ba").Kind != "member_added" {
		t.Fatal("the added person was not told")
	}
	// Bad input: 422 with fields.
	resp = w.API(coord, "POST", path, map[string]any{"email": "nope", "role": "king", "organisation_id": w.OrgB.ID})
	var e struct {
		Error struct{ Fields map[string]string }
	}
	raw := testkit.Body(resp)
	_ = json.Unmarshal([]byte(raw), &e)
	for _, f := range []string{"email", "role", "organisation_id"} {
		if resp.StatusCode != 422 || e.Error.Fields[f] == "" {
			t.Fatalf("bad input %s: %d %s", f, resp.StatusCode, raw)
		}
	}
	// Wrong role and other municipality.
	if resp := w.API(mem, "POST", path, body); resp.StatusCode != 403 {
		t.Fatalf("member invites: %d", resp.StatusCode)
	}
}
