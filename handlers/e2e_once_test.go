package handlers_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowserDoubleSubmit double-clicks "Send" under a plan's public comment
// form in a real Chromium. The first click's post is held up in the server
// (the test locks the comments table), so the second click cancels that
// navigation and posts the same form again — what a user on a slow line
// does. The database must hold one comment, and the page the browser ends on
// says the form had already been sent.
func TestBrowserDoubleSubmit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	base := serveHTTP(t, w)
	ctx := newChrome(t)
	en := browserCatalog(t, "en")

	var posts atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request.Method == "POST" &&
			strings.HasSuffix(e.Request.URL, page+"/comments") {
			posts.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}

	resp := chromeNavigate(t, ctx, chromedp.Navigate(base+page))
	if resp.Status != 200 {
		t.Fatalf("plan page: %d", resp.Status)
	}
	chromeDo(t, ctx, typeText(chromedp.CSS("#f-text"), "Prevoz do posla je najveći problem za žene iz Voljavice."))
	// Where "Send" is on the screen. The clicks go to that point as raw
	// mouse events: an element query would wait for the pending navigation.
	send := chromedp.CSS(`form[action$="/comments"] button[type="submit"]:not(.default-submit):not([name="more"])`)
	chromeDo(t, ctx, chromedp.ScrollIntoView(send))
	type point struct{ X, Y float64 }
	at := chromeGet(t, ctx, chromedp.Evaluate[point](`(() => {
		const r = document.querySelector('form[action$="/comments"] button[type="submit"]:not(.default-submit):not([name="more"])').getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`))

	// Hold every new comment until released: the first post waits inside
	// the server, as on a busy day.
	lock := w.DB.Begin()
	if err := lock.Exec(`LOCK TABLE plan_comments IN SHARE MODE`).Error; err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			if err := lock.Commit().Error; err != nil {
				t.Errorf("release: %v", err)
			}
		}
	}
	t.Cleanup(release)

	chromeDo(t, ctx, chromedp.MouseClickXY(at.X, at.Y))
	waitFor(t, "the first post to reach the server", func() bool {
		return countRows(t, w, `SELECT count(*) FROM form_submissions WHERE state = 'pending'`) == 1
	})
	screenshot(t, ctx, "1-first-click-pending")
	// The second click of the double click, while the first post runs.
	chromeDo(t, ctx, chromedp.MouseClickXY(at.X, at.Y, chromedp.ClickCount(2)))
	waitFor(t, "the browser to send the form again", func() bool { return posts.Load() >= 2 })
	time.Sleep(300 * time.Millisecond) // let the repeat arrive and wait for the first
	release()

	chromeDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`main p[role="status"]`)))
	screenshot(t, ctx, "2-after-double-submit")
	if got := chromePath(t, ctx); got != page {
		t.Errorf("ended at %s, want %s", got, page)
	}
	if got, want := chromeText(t, ctx, `main p[role="status"]`), catalogMsg(t, en, "flash.already_submitted"); got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	if n := posts.Load(); n != 2 {
		t.Errorf("the browser sent %d posts, want 2", n)
	}
	if n := commentCount(t, w, planID); n != 1 {
		t.Fatalf("%d comments after a double submit, want 1", n)
	}
	var text string
	w.DB.Raw(`SELECT text FROM plan_comments WHERE plan_id = ?`, planID).Scan(&text)
	if !strings.Contains(text, "Voljavice") {
		t.Errorf("stored comment %q", text)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(25 * time.Millisecond):
		}
	}
}
