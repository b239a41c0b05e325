package models_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/dbtest"
	"pakt/models"
)

const abandoned = 2 * time.Minute

// onceDB is a test database with one anonymous session to post forms in.
func onceDB(t *testing.T) (context.Context, *gorm.DB, []byte) {
	t.Helper()
	ctx, db := t.Context(), dbtest.DB(t)
	_, s, err := models.NewSession(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, db, s.IDHash
}

// onceUser is a user to send API requests as.
func onceUser(t *testing.T, ctx context.Context, db *gorm.DB, email string) int64 {
	t.Helper()
	u, err := models.CreateUser(ctx, db, models.Actor{}, 0,
		models.UserInput{Email: email, Name: "API " + email, Password: "correct-horse-battery"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// age moves the rows of a table back in time, as if claimed long ago.
func age(t *testing.T, db *gorm.DB, table string, by time.Duration) {
	t.Helper()
	err := db.Exec(`UPDATE `+table+` SET created_at = created_at - make_interval(secs => ?)`, by.Seconds()).Error
	if err != nil {
		t.Fatal(err)
	}
}

func claimForm(t *testing.T, ctx context.Context, db *gorm.DB, sid []byte, nonce string) bool {
	t.Helper()
	ok, err := models.ClaimFormSubmission(ctx, db, sid, nonce, abandoned)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func loadForm(t *testing.T, ctx context.Context, db *gorm.DB, sid []byte, nonce string) *models.FormSubmission {
	t.Helper()
	sub, err := models.LoadFormSubmission(ctx, db, sid, nonce)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// The first claim of a nonce wins, a second one loses; another session's
// nonce of the same value is its own.
func TestFormSubmissionClaimedOnce(t *testing.T) {
	t.Parallel()
	ctx, db, sid := onceDB(t)
	if loadForm(t, ctx, db, sid, "nonce-aaaaaaaaaaaaaaaa") != nil {
		t.Fatal("an unclaimed nonce has a row")
	}
	if !claimForm(t, ctx, db, sid, "nonce-aaaaaaaaaaaaaaaa") {
		t.Fatal("first claim lost")
	}
	if claimForm(t, ctx, db, sid, "nonce-aaaaaaaaaaaaaaaa") {
		t.Fatal("second claim won")
	}
	if sub := loadForm(t, ctx, db, sid, "nonce-aaaaaaaaaaaaaaaa"); sub == nil || sub.State != "pending" || sub.Status != nil {
		t.Fatalf("claimed row = %+v, want pending without status", sub)
	}
	_, other, err := models.NewSession(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !claimForm(t, ctx, db, other.IDHash, "nonce-aaaaaaaaaaaaaaaa") {
		t.Fatal("another session's claim of the same nonce lost")
	}
}

// Of many claims of one nonce at the same time, exactly one wins.
func TestFormSubmissionConcurrentClaims(t *testing.T) {
	t.Parallel()
	ctx, db, sid := onceDB(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, errs := 0, []error{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := models.ClaimFormSubmission(ctx, db, sid, "nonce-concurrent-0000", abandoned)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else if ok {
				won++
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 || won != 1 {
		t.Fatalf("%d claims won, errors %v; want exactly one winner and no errors", won, errs)
	}
}

// A finished post is remembered with its status and where it led; a
// release afterwards does not undo it, and the nonce cannot be claimed again.
func TestFormSubmissionFinishDone(t *testing.T) {
	t.Parallel()
	ctx, db, sid := onceDB(t)
	for nonce, loc := range map[string]string{"nonce-redirect-00000": "/plans/7", "nonce-page-000000000": ""} {
		claimForm(t, ctx, db, sid, nonce)
		if err := models.FinishFormSubmission(ctx, db, sid, nonce, 303, loc); err != nil {
			t.Fatal(err)
		}
		if err := models.ReleaseFormSubmission(ctx, db, sid, nonce); err != nil {
			t.Fatal(err)
		}
		sub := loadForm(t, ctx, db, sid, nonce)
		if sub == nil || sub.State != "done" || sub.Status == nil || *sub.Status != 303 {
			t.Fatalf("%s: finished row = %+v, want done with status 303", nonce, sub)
		}
		if got := sub.Location; (loc == "") != (got == nil) || got != nil && *got != loc {
			t.Errorf("%s: location = %v, want %q (NULL when empty)", nonce, got, loc)
		}
		if claimForm(t, ctx, db, sid, nonce) {
			t.Errorf("%s: a done nonce was claimed again", nonce)
		}
	}
}

// A failed post lets go of its nonce, so the corrected form can be sent.
func TestFormSubmissionReleaseFailed(t *testing.T) {
	t.Parallel()
	ctx, db, sid := onceDB(t)
	claimForm(t, ctx, db, sid, "nonce-failed-0000000")
	if err := models.ReleaseFormSubmission(ctx, db, sid, "nonce-failed-0000000"); err != nil {
		t.Fatal(err)
	}
	if sub := loadForm(t, ctx, db, sid, "nonce-failed-0000000"); sub != nil {
		t.Fatalf("released row still there: %+v", sub)
	}
	if !claimForm(t, ctx, db, sid, "nonce-failed-0000000") {
		t.Fatal("a released nonce could not be claimed again")
	}
}

// A pending claim older than abandonedAfter is taken over; a done one is not.
func TestFormSubmissionAbandonedTakenOver(t *testing.T) {
	t.Parallel()
	ctx, db, sid := onceDB(t)
	claimForm(t, ctx, db, sid, "nonce-pending-000000")
	claimForm(t, ctx, db, sid, "nonce-done-000000000")
	if err := models.FinishFormSubmission(ctx, db, sid, "nonce-done-000000000", 303, "/x"); err != nil {
		t.Fatal(err)
	}
	if claimForm(t, ctx, db, sid, "nonce-pending-000000") {
		t.Fatal("a fresh pending claim was taken over")
	}
	age(t, db, "form_submissions", abandoned+time.Minute)
	if !claimForm(t, ctx, db, sid, "nonce-pending-000000") {
		t.Error("an abandoned pending claim was not taken over")
	}
	if claimForm(t, ctx, db, sid, "nonce-done-000000000") {
		t.Error("an old done nonce was claimed again")
	}
}

// A nonce cannot be claimed for a session that no longer exists.
func TestFormSubmissionSessionGone(t *testing.T) {
	t.Parallel()
	ctx, db, _ := onceDB(t)
	_, err := models.ClaimFormSubmission(ctx, db, models.HashToken("no such session"), "nonce-orphan-0000000", abandoned)
	if !errors.Is(err, models.ErrSessionGone) {
		t.Fatalf("claim without a session: err = %v, want ErrSessionGone", err)
	}
}

// The sweep deletes rows older than it keeps, pending or done, and no others.
func TestSweepFormSubmissions(t *testing.T) {
	t.Parallel()
	ctx, db, sid := onceDB(t)
	claimForm(t, ctx, db, sid, "nonce-old-pending-00")
	claimForm(t, ctx, db, sid, "nonce-old-done-00000")
	if err := models.FinishFormSubmission(ctx, db, sid, "nonce-old-done-00000", 200, ""); err != nil {
		t.Fatal(err)
	}
	age(t, db, "form_submissions", 25*time.Hour)
	claimForm(t, ctx, db, sid, "nonce-new-000000000")
	if err := models.SweepFormSubmissions(ctx, db, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	for nonce, kept := range map[string]bool{"nonce-old-pending-00": false, "nonce-old-done-00000": false, "nonce-new-000000000": true} {
		if got := loadForm(t, ctx, db, sid, nonce) != nil; got != kept {
			t.Errorf("%s: kept = %v, want %v", nonce, got, kept)
		}
	}
}

func claimAPI(t *testing.T, ctx context.Context, db *gorm.DB, userID int64, key string, hash []byte) bool {
	t.Helper()
	ok, err := models.ClaimAPIIdempotency(ctx, db, userID, key, hash, abandoned)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func loadAPI(t *testing.T, ctx context.Context, db *gorm.DB, userID int64, key string) *models.APIIdempotency {
	t.Helper()
	row, err := models.LoadAPIIdempotency(ctx, db, userID, key)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// A key is claimed once per user, with the hash of its request.
func TestAPIIdempotencyClaimedOnce(t *testing.T) {
	t.Parallel()
	ctx, db, _ := onceDB(t)
	ana, boris := onceUser(t, ctx, db, "ana@api.test"), onceUser(t, ctx, db, "boris@api.test")
	hash := models.HashToken("POST /api/v1/x {}")
	if !claimAPI(t, ctx, db, ana, "key-1", hash) {
		t.Fatal("first claim lost")
	}
	if claimAPI(t, ctx, db, ana, "key-1", models.HashToken("other")) {
		t.Fatal("second claim won")
	}
	row := loadAPI(t, ctx, db, ana, "key-1")
	if row == nil || row.State != "pending" || !bytes.Equal(row.RequestHash, hash) {
		t.Fatalf("claimed row = %+v, want pending with the first request's hash", row)
	}
	if !claimAPI(t, ctx, db, boris, "key-1", hash) {
		t.Fatal("another user's claim of the same key lost")
	}
	if loadAPI(t, ctx, db, ana, "key-2") != nil {
		t.Fatal("an unclaimed key has a row")
	}
}

// A kept answer comes back as it was stored: status, content type, headers
// (as JSON) and body; an answer too large to keep comes back with its status only.
func TestAPIIdempotencyReplayRoundTrip(t *testing.T) {
	t.Parallel()
	ctx, db, _ := onceDB(t)
	user := onceUser(t, ctx, db, "ana@api.test")
	ct, headers := "application/json", `{"ETag":"\"r1\"","Location":"/api/v1/plans/9"}`
	body := []byte(`{"id":9,"title":"<b>Plan</b> \u0000"}`)
	claimAPI(t, ctx, db, user, "kept", models.HashToken("a"))
	err := models.FinishAPIIdempotency(ctx, db, user, "kept",
		models.APIAnswer{Status: 201, ContentType: &ct, Headers: &headers, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	row := loadAPI(t, ctx, db, user, "kept")
	if row == nil || row.State != "done" || row.Status == nil || *row.Status != 201 ||
		row.ContentType == nil || *row.ContentType != ct || !bytes.Equal(row.Body, body) {
		t.Fatalf("kept row = %+v, want done 201 %s with the body", row, ct)
	}
	var want, got map[string]string
	if row.Headers == nil || json.Unmarshal([]byte(headers), &want) != nil || json.Unmarshal([]byte(*row.Headers), &got) != nil ||
		!reflect.DeepEqual(got, want) {
		t.Errorf("kept headers = %v, want %s", row.Headers, headers)
	}

	claimAPI(t, ctx, db, user, "unkept", models.HashToken("b"))
	if err := models.FinishAPIIdempotency(ctx, db, user, "unkept", models.APIAnswer{Status: 200}); err != nil {
		t.Fatal(err)
	}
	row = loadAPI(t, ctx, db, user, "unkept")
	if row == nil || row.State != "done" || row.Status == nil || *row.Status != 200 ||
		row.ContentType != nil || row.Headers != nil || row.Body != nil {
		t.Fatalf("unkept row = %+v, want done 200 without content", row)
	}
}

// A failed request lets go of its key; a done one is not released.
func TestAPIIdempotencyRelease(t *testing.T) {
	t.Parallel()
	ctx, db, _ := onceDB(t)
	user := onceUser(t, ctx, db, "ana@api.test")
	claimAPI(t, ctx, db, user, "failed", models.HashToken("a"))
	claimAPI(t, ctx, db, user, "done", models.HashToken("b"))
	if err := models.FinishAPIIdempotency(ctx, db, user, "done", models.APIAnswer{Status: 204}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"failed", "done"} {
		if err := models.ReleaseAPIIdempotency(ctx, db, user, key); err != nil {
			t.Fatal(err)
		}
	}
	if row := loadAPI(t, ctx, db, user, "failed"); row != nil {
		t.Errorf("released row still there: %+v", row)
	}
	if row := loadAPI(t, ctx, db, user, "done"); row == nil || row.State != "done" {
		t.Errorf("done row after release = %+v, want it kept", row)
	}
	if !claimAPI(t, ctx, db, user, "failed", models.HashToken("a")) {
		t.Error("a released key could not be claimed again")
	}
}

// An abandoned pending key is taken over with the new request's hash; the
// sweep deletes old rows and keeps recent ones.
func TestAPIIdempotencyAbandonedAndSweep(t *testing.T) {
	t.Parallel()
	ctx, db, _ := onceDB(t)
	user := onceUser(t, ctx, db, "ana@api.test")
	claimAPI(t, ctx, db, user, "old", models.HashToken("first"))
	age(t, db, "api_idempotency", abandoned+time.Minute)
	if !claimAPI(t, ctx, db, user, "old", models.HashToken("second")) {
		t.Fatal("an abandoned pending key was not taken over")
	}
	if row := loadAPI(t, ctx, db, user, "old"); row == nil || !bytes.Equal(row.RequestHash, models.HashToken("second")) {
		t.Fatalf("taken-over row = %+v, want the new request's hash", row)
	}
	age(t, db, "api_idempotency", 25*time.Hour)
	claimAPI(t, ctx, db, user, "new", models.HashToken("third"))
	if err := models.SweepAPIIdempotency(ctx, db, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if loadAPI(t, ctx, db, user, "old") != nil {
		t.Error("an old row survived the sweep")
	}
	if loadAPI(t, ctx, db, user, "new") == nil {
		t.Error("a recent row was swept")
	}
}

// Ping answers while the database is there and fails once it is closed.
func TestPing(t *testing.T) {
	t.Parallel()
	ctx, db := t.Context(), dbtest.DB(t)
	if err := models.Ping(ctx, db); err != nil {
		t.Fatalf("ping of a live database: %v", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
	if err := models.Ping(ctx, db); err == nil {
		t.Fatal("ping of a closed database succeeded")
	}
}
