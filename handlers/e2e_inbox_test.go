package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserReportSentBackReachesThePartner: in a real Chromium the
// coordinator sends a submitted report back with a comment; the partner
// signs in, sees the bell count, opens the notification list and follows
// the notification to the report, after which the bell is empty.
func TestBrowserReportSentBackReachesThePartner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem := w.Token(coordA), w.Token(member)
	planID, mID, indID := adoptedPlan(t, w, coord)
	per := openPeriod(t, w, coord, planID, "2017", "2017-01-01", "2017-12-31")
	pp := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	expect(t, w.API(mem, "PUT", "/api/v1"+pp, progressBody(indID, "10.00", 20, 12, 8)), 200, "report")
	expect(t, w.API(mem, "POST", "/api/v1"+pp+"/submit", nil), 200, "submit")
	// Nothing from the plan's adoption on the bell: only what this test does.
	w.DB.Exec(`UPDATE notifications SET read_at = now() WHERE user_id = ?`, w.MemA.ID)

	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")
	msg := func(key string) string { t.Helper(); return catalogMsg(t, en, key) }
	fail := func(shot, format string, args ...any) {
		t.Helper()
		screenshot(t, ctx, shot)
		t.Fatalf(shot+": "+format+" (at "+chromePath(t, ctx)+")", args...)
	}
	login := func(shot, email string) {
		t.Helper()
		a11ySignIn(t, ctx, base, email) // with the admin's second factor for the admin
	}
	hasBadge := func() bool {
		return chromeGet(t, ctx, chromedp.Evaluate[bool](`!!document.querySelector('header a.bell .badge')`))
	}

	// 1. The coordinator sends the report back from its page.
	login("1-coord", w.CoordA.Email)
	resp := chromeNavigate(t, ctx, chromedp.Navigate(base+pp))
	if resp.Status != 200 {
		fail("1-report", "report page %d", resp.Status)
	}
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-comment"), "Dodajte podatke po grupama – Čačak."))
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`main form[action="`+pp+`/return"] button[type="submit"]`)))
	screenshot(t, ctx, "1-returned")
	if resp.Status != 200 {
		fail("1-returned", "return: %d", resp.Status)
	}
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))

	// 2. The partner sees one unread on the bell.
	login("2-member", w.MemA.Email)
	screenshot(t, ctx, "2-bell")
	if got := strings.Join(strings.Fields(chromeText(t, ctx, "header a.bell .badge")), " "); got != "1 "+msg("inbox.unread") {
		fail("2-bell", "bell shows %q", got)
	}

	// 3. The bell opens the list; the notification says what happened.
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS("header a.bell")))
	screenshot(t, ctx, "3-list")
	if resp.Status != 200 || chromePath(t, ctx) != "/me/notifications" {
		fail("3-list", "list: %d", resp.Status)
	}
	axeCheck(t, ctx, "notifications")
	item := chromeText(t, ctx, "ul.notifications li.unread a")
	if !strings.Contains(item, "M1 ") || !strings.Contains(item, "(2017)") {
		fail("3-list", "notification %q", item)
	}

	// 4. Following it lands on the report, and the bell is empty.
	resp = chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS("ul.notifications li.unread a")))
	screenshot(t, ctx, "4-report")
	if resp.Status != 200 || chromePath(t, ctx) != pp {
		fail("4-report", "followed to %d", resp.Status)
	}
	if hasBadge() {
		fail("4-report", "the bell still counts the opened notification")
	}
	if !strings.Contains(chromeText(t, ctx, "main"), "Dodajte podatke po grupama – Čačak.") {
		fail("4-report", "the coordinator's comment is not on the report")
	}

	// 5. The other inbox pages pass axe too: settings, a mail's unsubscribe
	// page, and (as the admin) the outbox and one of its mails.
	var unsubscribe string
	var mailID int64
	w.DB.Raw(`SELECT unsubscribe FROM mail_outbox WHERE user_id = ? ORDER BY id DESC LIMIT 1`, w.MemA.ID).Scan(&unsubscribe)
	w.DB.Raw(`SELECT id FROM mail_outbox WHERE user_id = ? ORDER BY id DESC LIMIT 1`, w.MemA.ID).Scan(&mailID)
	for _, p := range []string{"/me/notification-settings", strings.TrimPrefix(unsubscribe, w.Cfg.BaseURL)} {
		if resp := chromeNavigate(t, ctx, chromedp.Navigate(base+p)); resp.Status != 200 {
			fail("5-pages", "%s: %d", p, resp.Status)
		}
		axeCheck(t, ctx, p)
	}
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
	login("5-admin", w.Admin.Email)
	for _, p := range []string{"/admin/outbox", fmt.Sprintf("/admin/outbox/%d", mailID)} {
		if resp := chromeNavigate(t, ctx, chromedp.Navigate(base+p)); resp.Status != 200 {
			fail("5-pages", "%s: %d", p, resp.Status)
		}
		axeCheck(t, ctx, p)
	}
}
