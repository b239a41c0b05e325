package handlers_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
	"pakt/web"
)

// Double submits (issue #8): a form carries a nonce (_once) and the API
// accepts an Idempotency-Key; a repeat of either creates nothing new.

var onceRe = regexp.MustCompile(`name="_once" value="([^"]+)"`)

// onceIn is the nonce of the form whose action is action on a page.
func onceIn(t *testing.T, body, action string) string {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s", action)
	}
	form := body[i:]
	if end := strings.Index(form, "</form>"); end >= 0 {
		form = form[:end]
	}
	m := onceRe.FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the form posting to %s has no _once field", action)
	}
	return m[1]
}

// consultationPlan is a plan of municipality A with one measure, open for
// public comment; it returns the plan and its public page.
func consultationPlan(t *testing.T, w *world) (planID int64, page string) {
	t.Helper()
	tok := w.Token(coordA)
	planID, obj := newPlan(t, w, tok)
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA.ID, w.OrgA2.ID, 0, "M1", "1500.00")), 201, "measure")
	expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", planID),
		map[string]any{"closes_on": "2099-12-31"}), 200, "consultation")
	return planID, fmt.Sprintf("/m/%s/plans/%d", w.A.Slug, planID)
}

func countRows(t *testing.T, w *world, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := w.DB.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func commentCount(t *testing.T, w *world, planID int64) int64 {
	t.Helper()
	return countRows(t, w, `SELECT count(*) FROM plan_comments WHERE plan_id = ?`, planID)
}

// flashOf is the flash message key a response sets ("" when none).
func flashOf(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if c.Name == "pakt_flash" && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

func commentForm(nonce, text string) url.Values {
	v := url.Values{"text": {text}, "name": {"Amra"}}
	if nonce != "" {
		v.Set(web.OnceFieldName, nonce)
	}
	return v
}

// Back button and submit again: the same nonce a second time saves nothing
// and leads to the same page as the first, with a note that it was sent.
func TestOnceRepeatedFormPost(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	b := w.Anonymous()
	nonce := onceIn(t, testkit.Body(b.Get(page)), page+"/comments")

	first := b.PostForm(page+"/comments", commentForm(nonce, "Treba više obuka za žene."))
	expect(t, first, 303, "first post")
	if flashOf(first) != "flash.comment_received" {
		t.Errorf("first post flash %q", flashOf(first))
	}
	second := b.PostForm(page+"/comments", commentForm(nonce, "Treba više obuka za žene."))
	expect(t, second, 303, "second post")
	if got, want := second.Header.Get("Location"), first.Header.Get("Location"); got != want || want == "" {
		t.Fatalf("second post leads to %q, the first to %q", got, want)
	}
	if flashOf(second) != "flash.already_submitted" {
		t.Errorf("second post flash %q, want flash.already_submitted", flashOf(second))
	}
	if n := commentCount(t, w, planID); n != 1 {
		t.Fatalf("%d comments after posting the same form twice, want 1", n)
	}
	body := testkit.Body(b.Get(second.Header.Get("Location")))
	if want := html.EscapeString(browserCatalog(t, "en")["flash.already_submitted"]); !strings.Contains(body, want) {
		t.Errorf("the page after the repeat lacks the note %q", want)
	}
	var row struct {
		State    string
		Status   int
		Location string
	}
	w.DB.Raw(`SELECT state, status, location FROM form_submissions WHERE nonce = ?`, nonce).Scan(&row)
	if row.State != "done" || row.Status != 303 || row.Location != first.Header.Get("Location") {
		t.Errorf("stored outcome %+v", row)
	}
	// A third time (the back button again): still one comment.
	expect(t, b.PostForm(page+"/comments", commentForm(nonce, "Treba više obuka za žene.")), 303, "third post")
	if n := commentCount(t, w, planID); n != 1 {
		t.Fatalf("%d comments after a third post, want 1", n)
	}
}

// A double click: the same form posted several times at once (as two app
// instances sharing the database would see it) makes one comment; every
// answer leads to the plan, exactly one with "received".
func TestOnceConcurrentFormPosts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	b := w.Anonymous()
	nonce := onceIn(t, testkit.Body(b.Get(page)), page+"/comments")
	form := commentForm(nonce, "Dvostruki klik na dugme.")
	form.Set("_csrf", b.CSRF)
	session := b.Cookie(web.SessionCookie)

	const n = 6
	type answer struct {
		status   int
		location string
		flash    string
		err      error
	}
	answers := make([]answer, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, page+"/comments", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: session})
			<-start
			resp, err := w.Srv.App.Test(req, -1)
			if err != nil {
				answers[i].err = err
				return
			}
			answers[i] = answer{resp.StatusCode, resp.Header.Get("Location"), flashOf(resp), nil}
		}()
	}
	close(start)
	wg.Wait()
	received := 0
	for i, a := range answers {
		if a.err != nil || a.status != 303 || a.location != page {
			t.Errorf("answer %d: %+v, want a 303 to %s", i, a, page)
		}
		if a.flash == "flash.comment_received" {
			received++
		} else if a.flash != "flash.already_submitted" {
			t.Errorf("answer %d has flash %q", i, a.flash)
		}
	}
	if received != 1 {
		t.Errorf("%d answers say the comment was received, want 1", received)
	}
	if c := commentCount(t, w, planID); c != 1 {
		t.Fatalf("%d comments after %d simultaneous posts of one form, want 1", c, n)
	}
}

// A form sent with an error is shown again; the corrected form, sent with
// the same nonce, is saved — once.
func TestOnceCorrectedAfterInvalid(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	b := w.Anonymous()
	nonce := onceIn(t, testkit.Body(b.Get(page)), page+"/comments")

	body := expect(t, b.PostForm(page+"/comments", commentForm(nonce, "")), 422, "empty comment")
	if !strings.Contains(body, `id="e-text"`) {
		t.Fatal("the form is not shown again with the error")
	}
	if onceIn(t, body, page+"/comments") == nonce {
		t.Error("the form shown again carries the old nonce")
	}
	if n := countRows(t, w, `SELECT count(*) FROM form_submissions WHERE nonce = ?`, nonce); n != 0 {
		t.Fatalf("a failed post keeps its nonce (%d rows)", n)
	}
	resp := b.PostForm(page+"/comments", commentForm(nonce, "Ispravljen komentar."))
	expect(t, resp, 303, "corrected comment")
	if flashOf(resp) != "flash.comment_received" {
		t.Errorf("corrected post flash %q", flashOf(resp))
	}
	expect(t, b.PostForm(page+"/comments", commentForm(nonce, "Ispravljen komentar.")), 303, "repeat")
	if n := commentCount(t, w, planID); n != 1 {
		t.Fatalf("%d comments, want 1", n)
	}
}

// Nonces belong to a session: the same value from two visitors is two forms.
func TestOnceIsPerSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	b1, b2 := w.Anonymous(), w.Anonymous()
	nonce := onceIn(t, testkit.Body(b1.Get(page)), page+"/comments")
	b2.Get(page)
	if b1.Cookie(web.SessionCookie) == b2.Cookie(web.SessionCookie) {
		t.Fatal("two visitors share a session")
	}
	for i, b := range []*testkit.Browser{b1, b2} {
		resp := b.PostForm(page+"/comments", commentForm(nonce, fmt.Sprintf("Komentar posjetioca %d.", i+1)))
		expect(t, resp, 303, "post")
		if flashOf(resp) != "flash.comment_received" {
			t.Errorf("visitor %d: flash %q", i+1, flashOf(resp))
		}
	}
	if n := commentCount(t, w, planID); n != 2 {
		t.Fatalf("%d comments from two sessions, want 2", n)
	}
}

// A post without _once works as before (and is not deduplicated); a
// malformed nonce is refused.
func TestOnceOptional(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	b := w.Anonymous()
	b.Get(page)
	for range 2 {
		expect(t, b.PostForm(page+"/comments", commentForm("", "Bez nonce.")), 303, "post without _once")
	}
	if n := commentCount(t, w, planID); n != 2 {
		t.Fatalf("%d comments, want 2", n)
	}
	expect(t, b.PostForm(page+"/comments", commentForm("<bad nonce>", "Loš nonce.")), 400, "malformed nonce")
	if n := commentCount(t, w, planID); n != 2 {
		t.Fatalf("%d comments after a malformed nonce, want 2", n)
	}
	// The organisation form, signed in, still saves without a nonce too.
	cb := w.Login(coordA)
	expect(t, cb.PostForm(fmt.Sprintf("/municipalities/%d/organisations", w.A.ID),
		url.Values{"name": {"Udruženje Roma Bratunac"}, "type": {"ngo"}}), 303, "organisation without _once")
}

// What a repeat finds in the table decides its answer: a finished post that
// led nowhere (409 "already sent"), one still running (409 "being
// processed" after the wait), one abandoned by a crashed instance (taken
// over and run).
func TestOnceStoredStates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	planID, page := consultationPlan(t, w)
	b := w.Anonymous()
	b.Get(page)
	sid := models.HashToken(b.Cookie(web.SessionCookie))
	en := browserCatalog(t, "en")
	put := func(nonce, state, age string) {
		t.Helper()
		err := w.DB.Exec(`INSERT INTO form_submissions (nonce, session_id, state, status, created_at)
			VALUES (?, ?, ?, CASE WHEN ? = 'done' THEN 200 END, now() - ?::interval)`, nonce, sid, state, state, age).Error
		if err != nil {
			t.Fatal(err)
		}
	}

	put("doneWithoutLocation01", "done", "1 second")
	body := expect(t, b.PostForm(page+"/comments", commentForm("doneWithoutLocation01", "x")), 409, "done without location")
	if !strings.Contains(body, html.EscapeString(en["error.page.once_done.text"])) {
		t.Errorf("409 page lacks the explanation:\n%s", body)
	}

	put("stillPendingNonce0001", "pending", "1 second")
	resp := b.PostForm(page+"/comments", commentForm("stillPendingNonce0001", "y"))
	body = expect(t, resp, 409, "pending")
	if !strings.Contains(body, html.EscapeString(en["error.page.once_pending.text"])) {
		t.Errorf("409 page lacks the explanation:\n%s", body)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After on the pending answer")
	}
	if n := commentCount(t, w, planID); n != 0 {
		t.Fatalf("%d comments, want 0", n)
	}

	put("abandonedPendingNonce", "pending", "3 minutes")
	resp = b.PostForm(page+"/comments", commentForm("abandonedPendingNonce", "Preuzeto."))
	expect(t, resp, 303, "abandoned")
	if flashOf(resp) != "flash.comment_received" {
		t.Errorf("abandoned claim: flash %q", flashOf(resp))
	}
	if n := commentCount(t, w, planID); n != 1 {
		t.Fatalf("%d comments, want 1", n)
	}
	if n := countRows(t, w, `SELECT count(*) FROM form_submissions WHERE nonce = 'abandonedPendingNonce' AND state = 'done'`); n != 1 {
		t.Error("the taken-over claim is not marked done")
	}
	// Ending the session forgets its nonces.
	w.DB.Exec(`DELETE FROM sessions WHERE id_hash = ?`, sid)
	if n := countRows(t, w, `SELECT count(*) FROM form_submissions WHERE session_id = ?`, sid); n != 0 {
		t.Errorf("%d nonces outlive their session", n)
	}
}

// An upload form (multipart) posted twice: the file arrives and is stored once.
func TestOnceMultipartUpload(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	b := w.Login(coordA)
	path := fmt.Sprintf("/agreements/%d/attachments", a.ID)
	nonce := onceIn(t, testkit.Body(b.Get(fmt.Sprintf("/agreements/%d", a.ID))), path)
	scan := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("potpisano "), 200)...)
	var locations []string
	for i := range 2 {
		resp := b.Send(multipartRequest(t, path, map[string]string{"_csrf": b.CSRF, web.OnceFieldName: nonce},
			"file", "potpisano.pdf", scan))
		expect(t, resp, 303, fmt.Sprintf("upload %d", i+1))
		locations = append(locations, resp.Header.Get("Location"))
	}
	if locations[0] != locations[1] {
		t.Errorf("the repeat leads to %q, the upload to %q", locations[1], locations[0])
	}
	var sums []string
	w.DB.Raw(`SELECT sha256 FROM attachments WHERE object_type = 'agreement' AND object_id = ?`, a.ID).Scan(&sums)
	want := fmt.Sprintf("%x", sha256.Sum256(scan))
	if len(sums) != 1 || sums[0] != want {
		t.Fatalf("attachments %v, want one with SHA-256 %s", sums, want)
	}
}

// API: Idempotency-Key replays the first answer of a POST.
func TestAPIIdempotencyKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	path := fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.A.ID)
	plan := map[string]any{"title": "Plan zapošljavanja 2019–2020", "period_start": "2019-01-01", "period_end": "2020-12-31"}
	plans := func() int64 {
		return countRows(t, w, `SELECT count(*) FROM action_plans WHERE municipality_id = ?`, w.A.ID)
	}
	key := web.IdempotencyKeyHeader

	first := w.API(tok, "POST", path, plan, key, "plan-2019 #1")
	firstBody := expect(t, first, 201, "first")
	if first.Header.Get(web.ReplayedHeader) != "" {
		t.Error("a first answer is marked replayed")
	}
	again := w.API(tok, "POST", path, plan, key, "plan-2019 #1")
	againBody := expect(t, again, 201, "repeat")
	if againBody != firstBody {
		t.Errorf("replayed body differs:\n%s\n%s", againBody, firstBody)
	}
	if again.Header.Get(web.ReplayedHeader) != "true" {
		t.Error("replayed answer lacks Idempotent-Replayed: true")
	}
	if got, want := again.Header.Get("ETag"), first.Header.Get("ETag"); got != want {
		t.Errorf("replayed ETag %q, first %q", got, want)
	}
	if !strings.HasPrefix(again.Header.Get("Content-Type"), "application/json") {
		t.Errorf("replayed content type %q", again.Header.Get("Content-Type"))
	}
	if n := plans(); n != 1 {
		t.Fatalf("%d plans after a replay, want 1", n)
	}

	// The same key with another request: 422 naming the header.
	other := map[string]any{"title": "Drugi plan", "period_start": "2019-01-01", "period_end": "2020-12-31"}
	var apiErr struct {
		Error struct {
			Code   string
			Fields map[string]string
		}
	}
	testkit.DecodeJSON(t, w.API(tok, "POST", path, other, key, "plan-2019 #1"), &apiErr)
	if apiErr.Error.Code != "invalid" || apiErr.Error.Fields[key] == "" {
		t.Errorf("reused key: %+v", apiErr)
	}
	for _, bad := range []string{strings.Repeat("k", 201), "ključ"} {
		apiErr.Error.Fields = nil
		resp := w.API(tok, "POST", path, plan, key, bad)
		testkit.DecodeJSON(t, resp, &apiErr)
		if resp.StatusCode != 422 || apiErr.Error.Fields[key] == "" {
			t.Errorf("key %q: %d %+v", bad, resp.StatusCode, apiErr)
		}
	}
	if n := plans(); n != 1 {
		t.Fatalf("%d plans after refused keys, want 1", n)
	}

	// Without a key every POST creates.
	expect(t, w.API(tok, "POST", path, plan), 201, "no key 1")
	expect(t, w.API(tok, "POST", path, plan), 201, "no key 2")
	if n := plans(); n != 3 {
		t.Fatalf("%d plans, want 3", n)
	}

	// A failed first request is not kept: the corrected one runs.
	expect(t, w.API(tok, "POST", path, map[string]any{"title": ""}, key, "k-2"), 422, "invalid first")
	expect(t, w.API(tok, "POST", path, plan, key, "k-2"), 201, "corrected")
	if n := plans(); n != 4 {
		t.Fatalf("%d plans, want 4", n)
	}

	// Keys are per user.
	resp := w.API(w.Token(w.Admin.Email), "POST", path, plan, key, "plan-2019 #1")
	expect(t, resp, 201, "admin, same key")
	if resp.Header.Get(web.ReplayedHeader) != "" {
		t.Error("another user's key was replayed")
	}
	if n := plans(); n != 5 {
		t.Fatalf("%d plans, want 5", n)
	}

	// Simultaneous requests with one key: one plan, the same answer to all.
	const n = 5
	bodies := make([]string, n)
	statuses := make([]int, n)
	raw, _ := json.Marshal(plan)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("POST", path, bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set(key, "together")
			<-start
			r, err := w.Srv.App.Test(req, -1)
			if err == nil {
				statuses[i], bodies[i] = r.StatusCode, testkit.Body(r)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if statuses[i] != 201 || bodies[i] != bodies[0] {
			t.Errorf("simultaneous request %d: %d %s (first: %s)", i, statuses[i], bodies[i], bodies[0])
		}
	}
	if c := plans(); c != 6 {
		t.Fatalf("%d plans after %d simultaneous requests with one key, want 6", c, n)
	}
}

// API: a repeat while the first request still runs waits, then answers 409.
func TestAPIIdempotencyKeyPending(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	path := fmt.Sprintf("/api/v1/municipalities/%d/action-plans", w.A.ID)
	raw := `{"title":"Plan","period_start":"2019-01-01","period_end":"2020-12-31"}`
	sum := sha256.Sum256([]byte("POST\x00" + path + "\x00" + raw))
	if err := w.DB.Exec(`INSERT INTO api_idempotency (user_id, key, request_hash) VALUES (?, 'slow', ?)`,
		w.CoordA.ID, sum[:]).Error; err != nil {
		t.Fatal(err)
	}
	resp := w.API(tok, "POST", path, raw, web.IdempotencyKeyHeader, "slow")
	var apiErr struct {
		Error struct{ Code, Message string }
	}
	testkit.DecodeJSON(t, resp, &apiErr)
	if resp.StatusCode != 409 || apiErr.Error.Code != "conflict" || apiErr.Error.Message == "error.idempotency_pending" {
		t.Fatalf("pending key: %d %+v", resp.StatusCode, apiErr)
	}
	if n := countRows(t, w, `SELECT count(*) FROM action_plans`); n != 0 {
		t.Fatalf("%d plans, want 0", n)
	}
}
