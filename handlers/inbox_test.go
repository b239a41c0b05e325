package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// notify gives a person n notifications through the model, as an event would.
func notify(t *testing.T, w *world, u *models.User, n int, kind string) {
	t.Helper()
	for i := range n {
		err := models.Notify(t.Context(), w.DB, w.Cfg.BaseURL, models.Notice{Kind: kind, MunicipalityID: w.A.ID,
			Title: fmt.Sprintf("Mjera M%d", i+1), Path: fmt.Sprintf("/agreements/%d", 1000+i), UserIDs: []int64{u.ID}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func notificationIDs(t *testing.T, w *world, u *models.User) []int64 {
	var ids []int64
	w.DB.Raw(`SELECT id FROM notifications WHERE user_id = ? ORDER BY id`, u.ID).Scan(&ids)
	return ids
}

func unreadBadge(body string) string {
	_, rest, ok := strings.Cut(body, `data-unread="`)
	if !ok {
		return ""
	}
	n, _, _ := strings.Cut(rest, `"`)
	return n
}

// The bell counts the unread; the list opens, marks one or all read, and
// nobody reaches another person's notifications.
func TestNotificationsPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	notify(t, w, w.MemA, 3, models.KindReportReturned)
	notify(t, w, w.CoordA, 1, models.KindReportSubmitted)
	b := w.Login(member)
	if got := unreadBadge(testkit.Body(b.Get("/dashboard"))); got != "3" {
		t.Fatalf("bell shows %q, want 3", got)
	}
	list := testkit.Body(b.Get("/me/notifications"))
	for _, s := range []string{"Mjera M1", "Mjera M3", "Izvještaj vraćen"} {
		if !strings.Contains(list, s) {
			t.Errorf("list lacks %q", s)
		}
	}
	mine := notificationIDs(t, w, w.MemA)
	resp := b.Get(fmt.Sprintf("/me/notifications/%d", mine[0]))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/agreements/1000" {
		t.Fatalf("open: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := unreadBadge(testkit.Body(b.Get("/me/notifications"))); got != "2" {
		t.Fatalf("after opening one the bell shows %q", got)
	}
	if resp := b.PostForm(fmt.Sprintf("/me/notifications/%d/read", mine[1]), url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark read: %d", resp.StatusCode)
	}
	if got := unreadBadge(testkit.Body(b.Get("/me/notifications"))); got != "1" {
		t.Fatalf("after marking one the bell shows %q", got)
	}
	b.PostForm("/me/notifications/read", url.Values{})
	if got := unreadBadge(testkit.Body(b.Get("/dashboard"))); got != "" {
		t.Fatalf("after marking all the bell shows %q", got)
	}
	// The coordinator's notification is not the member's, and stays unread.
	theirs := notificationIDs(t, w, w.CoordA)[0]
	if resp := b.Get(fmt.Sprintf("/me/notifications/%d", theirs)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("opening another's notification: %d", resp.StatusCode)
	}
	if resp := b.PostForm(fmt.Sprintf("/me/notifications/%d/read", theirs), url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("marking another's notification: %d", resp.StatusCode)
	}
	if got := unreadBadge(testkit.Body(w.Login(coordA).Get("/dashboard"))); got != "1" {
		t.Errorf("coordinator's bell %q, want 1", got)
	}
	// Bad input and no sign-in.
	if resp := b.Get("/me/notifications?before=abc"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad ?before=: %d", resp.StatusCode)
	}
	if resp := w.Anonymous().Get("/me/notifications"); resp.StatusCode == http.StatusOK {
		t.Error("the list without sign-in")
	}
}

// The list pages: 50 a page, then older ones.
func TestNotificationsPaged(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	notify(t, w, w.MemA, 52, models.KindReportDue)
	b := w.Login(member)
	first := testkit.Body(b.Get("/me/notifications"))
	if strings.Count(first, `href="/me/notifications/`) != 50 || !strings.Contains(first, "/me/notifications?before=") {
		t.Fatalf("first page: %d links", strings.Count(first, `href="/me/notifications/`))
	}
	ids := notificationIDs(t, w, w.MemA)
	older := testkit.Body(b.Get(fmt.Sprintf("/me/notifications?before=%d", ids[2])))
	if strings.Count(older, `href="/me/notifications/`) != 2 || strings.Contains(older, "?before=") {
		t.Fatalf("second page wrong")
	}
}

// The API lists newest first with a cursor, marks read with 204, and 404s
// another person's notification.
func TestNotificationsAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	notify(t, w, w.MemA, 3, models.KindReportReturned)
	notify(t, w, w.CoordA, 1, models.KindReportSubmitted)
	mem := w.Token(member)
	var page struct {
		Items []struct {
			ID        int64
			Kind      string
			Subject   string
			URL       string  `json:"url"`
			CreatedAt string  `json:"created_at"`
			ReadAt    *string `json:"read_at"`
		}
		NextCursor *string `json:"next_cursor"`
		Unread     int
	}
	testkit.DecodeJSON(t, w.API(mem, "GET", "/api/v1/me/notifications?limit=2", nil), &page)
	if len(page.Items) != 2 || page.NextCursor == nil || page.Items[0].URL != "/agreements/1002" || page.Items[0].Kind != "report_returned" ||
		page.Items[0].CreatedAt == "" || page.Items[0].ReadAt != nil || page.Unread != 3 {
		t.Fatalf("first page %+v", page)
	}
	first := page.Items[0].ID
	testkit.DecodeJSON(t, w.API(mem, "GET", "/api/v1/me/notifications?limit=2&cursor="+*page.NextCursor, nil), &page)
	if len(page.Items) != 1 || page.NextCursor != nil || page.Items[0].URL != "/agreements/1000" {
		t.Fatalf("second page %+v", page)
	}
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/me/notifications/%d/read", first), nil), 204, "read")
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/me/notifications/%d/read", first), nil), 204, "read twice")
	theirs := notificationIDs(t, w, w.CoordA)[0]
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/me/notifications/%d/read", theirs), nil), 404, "another's")
	expect(t, w.API(mem, "POST", "/api/v1/me/notifications/abc/read", nil), 404, "no such id")
	got := expect(t, w.API(mem, "GET", "/api/v1/me/notifications?limit=0&cursor=x", nil), 422, "bad limit and cursor")
	if !strings.Contains(got, `"limit"`) || !strings.Contains(got, `"cursor"`) {
		t.Errorf("fields not named: %s", got)
	}
	expect(t, w.API("", "GET", "/api/v1/me/notifications", nil), 401, "no token")
	expect(t, w.API(mem, "POST", "/api/v1/me/notifications/read", nil), 204, "read all")
	testkit.DecodeJSON(t, w.API(mem, "GET", "/api/v1/me/notifications", nil), &page)
	if page.Unread != 0 || page.Items[0].ReadAt == nil {
		t.Fatalf("after read all %+v", page)
	}
	var unread int64
	w.DB.Raw(`SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, w.CoordA.ID).Scan(&unread)
	if unread != 1 {
		t.Error("the member's read-all touched the coordinator's")
	}
}

// Settings per kind, in the browser and the API; bad values are named and
// change nothing.
func TestNotificationSettings(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login(member)
	page := testkit.Body(b.Get("/me/notification-settings"))
	if !strings.Contains(page, `name="report_returned" value="immediate" checked`) || !strings.Contains(page, `name="plan_adopted" value="digest" checked`) {
		t.Fatal("defaults not shown")
	}
	resp := b.PostForm("/me/notification-settings", url.Values{"report_returned": {"off"}, "report_due": {"sometimes"}})
	body := testkit.Body(resp)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="e-report_due"`) || !strings.Contains(body, `name="report_returned" value="off" checked`) {
		t.Fatalf("bad mode: %d", resp.StatusCode)
	}
	mem := w.Token(member)
	var modes map[string]string
	testkit.DecodeJSON(t, w.API(mem, "GET", "/api/v1/me/notification-settings", nil), &modes)
	if modes["report_returned"] != "immediate" {
		t.Fatal("a refused form saved something")
	}
	if resp := b.PostForm("/me/notification-settings", url.Values{"report_returned": {"off"}, "report_due": {"digest"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	testkit.DecodeJSON(t, w.API(mem, "GET", "/api/v1/me/notification-settings", nil), &modes)
	if modes["report_returned"] != "off" || modes["report_due"] != "digest" || len(modes) != len(models.NotificationKinds) {
		t.Fatalf("saved %v", modes)
	}
	got := expect(t, w.API(mem, "PUT", "/api/v1/me/notification-settings", map[string]string{"gossip": "off", "report_due": "loud"}), 422, "bad kind and mode")
	if !strings.Contains(got, `"gossip"`) || !strings.Contains(got, `"report_due"`) {
		t.Errorf("fields not named: %s", got)
	}
	expect(t, w.API(mem, "PUT", "/api/v1/me/notification-settings", `{"report_due": 3}`), 400, "malformed")
	testkit.DecodeJSON(t, w.API(mem, "PUT", "/api/v1/me/notification-settings", map[string]string{"report_due": "off"}), &modes)
	if modes["report_due"] != "off" || modes["report_returned"] != "off" {
		t.Fatalf("put %v", modes)
	}
	// Nobody else's settings moved; no sign-in, no settings.
	testkit.DecodeJSON(t, w.API(w.Token(coordA), "GET", "/api/v1/me/notification-settings", nil), &modes)
	if modes["report_due"] != "immediate" {
		t.Error("the member's settings changed the coordinator's")
	}
	expect(t, w.API("", "PUT", "/api/v1/me/notification-settings", map[string]string{"report_due": "off"}), 401, "no token")
}

// One-click unsubscribe: a GET only asks (mail scanners fetch links), the
// RFC 8058 POST without cookies or form token turns the kind off, a bad
// token says so clearly.
func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	notify(t, w, w.MemA, 1, models.KindReportReturned)
	var link string
	w.DB.Raw(`SELECT unsubscribe FROM mail_outbox WHERE user_id = ?`, w.MemA.ID).Scan(&link)
	path := strings.TrimPrefix(link, w.Cfg.BaseURL)
	if !strings.HasPrefix(path, "/unsubscribe/") {
		t.Fatalf("unsubscribe link %q", link)
	}
	modeOf := func() string {
		var mode string
		w.DB.Raw(`SELECT coalesce((SELECT mode FROM notification_settings WHERE user_id = ? AND kind = 'report_returned'), 'default')`, w.MemA.ID).Scan(&mode)
		return mode
	}
	page := testkit.Body(w.Anonymous().Get(path))
	if !strings.Contains(page, "Report returned") || !strings.Contains(page, `action="`+path+`"`) || modeOf() != "default" {
		t.Fatalf("GET changed something or shows no form (mode %s)", modeOf())
	}
	req, _ := http.NewRequest("POST", path, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := w.Do(req)
	if body := testkit.Body(resp); resp.StatusCode != 200 || modeOf() != "off" || !strings.Contains(body, "Report returned") {
		t.Fatalf("one-click: %d, mode %s", resp.StatusCode, modeOf())
	}
	// A mail client may post twice.
	if resp := w.Do(mustReq("POST", path, "List-Unsubscribe=One-Click")); resp.StatusCode != 200 {
		t.Errorf("second one-click: %d", resp.StatusCode)
	}
	for _, method := range []string{"GET", "POST"} {
		resp := w.Do(mustReq(method, "/unsubscribe/not-a-token", "List-Unsubscribe=One-Click"))
		if body := testkit.Body(resp); resp.StatusCode != 404 || !strings.Contains(body, "is not valid") {
			t.Errorf("%s bad token: %d", method, resp.StatusCode)
		}
	}
}

func mustReq(method, path, body string) *http.Request {
	req, _ := http.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// The outbox: platform admins read every mail and click its links; nobody
// else sees it.
func TestAdminOutbox(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	notify(t, w, w.MemA, 1, models.KindSignatureRequested)
	var id int64
	w.DB.Raw(`SELECT id FROM mail_outbox WHERE user_id = ?`, w.MemA.ID).Scan(&id)
	admin := w.Login("admin@test.ba")
	if !strings.Contains(testkit.Body(admin.Get("/dashboard")), `href="/admin/outbox"`) {
		t.Error("the admin's dashboard does not link the outbox")
	}
	if strings.Contains(testkit.Body(w.Login(coordA).Get("/dashboard")), `href="/admin/outbox"`) {
		t.Error("a coordinator's dashboard links the outbox")
	}
	list := testkit.Body(admin.Get("/admin/outbox"))
	if !strings.Contains(list, "member.a@test.ba") || !strings.Contains(list, fmt.Sprintf(`href="/admin/outbox/%d"`, id)) {
		t.Fatal("outbox does not list the mail")
	}
	if got := testkit.Body(admin.Get("/admin/outbox?status=sent")); strings.Contains(got, "member.a@test.ba") {
		t.Error("the filter shows a queued mail as sent")
	}
	msg := testkit.Body(admin.Get(fmt.Sprintf("/admin/outbox/%d", id)))
	if !strings.Contains(msg, `<a href="`+w.Cfg.BaseURL+`/agreements/1000">`) {
		t.Fatal("the message has no link to click")
	}
	if resp := admin.Get("/admin/outbox/999999"); resp.StatusCode != 404 {
		t.Errorf("missing message: %d", resp.StatusCode)
	}
	for _, who := range []string{coordA, member} {
		b := w.Login(who)
		for _, p := range []string{"/admin/outbox", fmt.Sprintf("/admin/outbox/%d", id)} {
			if resp := b.Get(p); resp.StatusCode != 403 {
				t.Errorf("%s %s: %d", who, p, resp.StatusCode)
			}
		}
	}
	if resp := w.Anonymous().Get("/admin/outbox"); resp.StatusCode == 200 {
		t.Error("outbox without sign-in")
	}
}

// The partner's dashboard lists what waits: a report sent back and an
// overdue commitment of their organisation, each linked; a person of the
// same organisation without a role in that municipality sees neither.
func TestDashboardWaitingForYou(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	stray := w.User("stray@test.ba", false, &w.OrgA2.ID, w.B.ID, models.RoleMember)
	_ = stray
	coord, mem := w.Token(coordA), w.Token(member)
	ag := openAgreement(t, w, coord)
	ap := fmt.Sprintf("/api/v1/agreements/%d/signatures", ag.ID)
	expect(t, w.API(mem, "POST", ap, map[string]any{"password": testkit.Password}), 201, "member signs")
	expect(t, w.API(coord, "POST", ap, map[string]any{"password": testkit.Password}), 201, "coordinator signs")
	planID, mID, indID := adoptedPlan(t, w, coord)
	per := openPeriod(t, w, coord, planID, "2017", "2017-01-01", "2017-12-31")
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)
	expect(t, w.API(mem, "PUT", pp, progressBody(indID, "10.00", 20, 12, 8)), 200, "report")
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "submit")
	expect(t, w.API(coord, "POST", pp+"/return", map[string]any{"comment": "Dodajte grupe."}), 200, "return")

	dash := testkit.Body(w.Login(member).Get("/dashboard"))
	for _, s := range []string{"Report sent back", fmt.Sprintf(`href="/measures/%d/progress/%d"`, mID, per),
		"Commitment overdue", "Uputiti korisnike socijalne pomoći na savjetovanje", fmt.Sprintf(`href="/agreements/%d"`, ag.ID)} {
		if !strings.Contains(dash, s) {
			t.Errorf("member's dashboard lacks %q", s)
		}
	}
	if strings.Contains(dash, "Sufinansirati obuke") {
		t.Error("another organisation's commitment (not yet due) is listed")
	}
	if dash := testkit.Body(w.Login("stray@test.ba").Get("/dashboard")); strings.Contains(dash, "Uputiti korisnike") ||
		strings.Contains(dash, fmt.Sprintf(`href="/measures/%d/progress/%d"`, mID, per)) {
		t.Error("a person without a role in the municipality sees its overdue commitment or report")
	}
	// Accepted and reported: the report leaves the list.
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "resubmit")
	expect(t, w.API(coord, "POST", pp+"/accept", nil), 200, "accept")
	if dash := testkit.Body(w.Login(member).Get("/dashboard")); strings.Contains(dash, "Report sent back") {
		t.Error("an accepted report still waits")
	}
}
