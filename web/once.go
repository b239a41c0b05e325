package web

// Idempotent form posts (issue #8).
//
// Every form carries, besides its CSRF token, a random nonce (_once) made when
// the page is drawn. The first post of a nonce claims a row in
// form_submissions (session, nonce) and runs; a repeat of it — the back
// button and a second submit, a double click that sends two posts at once,
// even to two app instances — finds the row and is answered from it: a 303 to
// where the first one led, or a 409 page. The rows live in PostgreSQL, not in
// memory, because several instances share nothing but the database.

import (
	"context"
	"errors"
	"html/template"
	mrand "math/rand/v2"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// OnceFieldName is the form field that carries a form's nonce.
const OnceFieldName = "_once"

const (
	// oncePoll is how often a repeat looks whether the first post finished.
	oncePoll = 50 * time.Millisecond
	// onceWait is how long a repeat waits for the first post to finish.
	onceWait = 5 * time.Second
	// onceAbandoned: a claim still pending after this long belongs to a
	// request that died with its instance (requests end after
	// PAKT_REQUEST_TIMEOUT, 30 s by default); the next post takes it over.
	// With a longer request timeout, see abandonedAfter.
	onceAbandoned = 2 * time.Minute
	// onceKeep is how long answers are remembered.
	onceKeep = 24 * time.Hour
	// onceSweepOneIn: about one claim in this many also deletes old rows.
	onceSweepOneIn = 50
)

// OnceField is the template function `once`: a hidden input holding a fresh
// random nonce (models.RandomToken: 256 bits, URL-safe base64) for the form
// it is drawn in.
func OnceField() template.HTML {
	return template.HTML(`<input type="hidden" name="` + OnceFieldName + `" value="` + models.RandomToken() + `">`)
}

// validNonce accepts what OnceField makes, with room to change its length.
func validNonce(s string) bool {
	if len(s) < 16 || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Once makes form posts carrying _once, and API POSTs carrying an
// Idempotency-Key, take effect once. It runs after CSRF, so a form post here
// has a session; requests without a nonce or key pass unchanged.
func (h *Kernel) Once(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if IsAPI(c) {
		return h.apiIdempotent(c)
	}
	nonce := c.FormValue(OnceFieldName)
	p := PrincipalOf(c)
	if nonce == "" || p.Session == nil {
		return c.Next()
	}
	if !validNonce(nonce) {
		return fiber.ErrBadRequest
	}
	sid := p.Session.IDHash
	return awaitFirst(c, func() (bool, error) {
		claimed, err := h.claimForm(c, sid, nonce)
		if errors.Is(err, models.ErrSessionGone) {
			// The session ended under us (a concurrent sign-in or sign-out
			// replaced it): nothing to remember the post against.
			return true, c.Next()
		}
		if err != nil {
			return true, err
		}
		if claimed {
			return true, h.runClaimedForm(c, sid, nonce)
		}
		sub, err := h.loadForm(c, sid, nonce)
		switch {
		case err != nil:
			return true, err
		case sub == nil:
			return false, nil // the first post failed and let go: try again to run this one
		case sub.State == "done" && sub.Location != nil && *sub.Location != "":
			return true, h.RedirectWithFlash(c, *sub.Location, "flash.already_submitted")
		case sub.State == "done":
			return true, h.onceConflictPage(c, "error.page.once_done")
		}
		return false, nil // still running
	}, func() error { return h.onceConflictPage(c, "error.page.once_pending") })
}

// awaitFirst runs step until it has answered the request (claimed and run
// it, or answered from the first request's record), polling while the first
// request with the same nonce or key is still running; after onceWait it
// gives up with pending.
func awaitFirst(c *fiber.Ctx, step func() (answered bool, err error), pending func() error) error {
	start := time.Now()
	for {
		if answered, err := step(); answered {
			return err
		}
		if time.Since(start) >= onceWait {
			c.Set(fiber.HeaderRetryAfter, "5")
			return pending()
		}
		if err := sleepCtx(c.UserContext(), oncePoll); err != nil {
			return err
		}
	}
}

// claimForm claims the (session, nonce) row, taking over an abandoned
// pending one; about one claim in onceSweepOneIn also deletes old rows.
func (h *Kernel) claimForm(c *fiber.Ctx, sid []byte, nonce string) (bool, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	claimed, err := models.ClaimFormSubmission(ctx, h.DB, sid, nonce, h.abandonedAfter())
	if claimed && sweepNow() {
		_ = models.SweepFormSubmissions(ctx, h.DB, onceKeep) // best effort: the next sweep retries
	}
	return claimed, err
}

// loadForm reads the row of a nonce; nil when there is none.
func (h *Kernel) loadForm(c *fiber.Ctx, sid []byte, nonce string) (*models.FormSubmission, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.LoadFormSubmission(ctx, h.DB, sid, nonce)
}

// runClaimedForm runs the post and records its outcome: a redirect or a
// success page is remembered; a failure (a form shown again with errors,
// any 4xx or 5xx, an error, a panic) lets the nonce go so the corrected form
// can be sent again.
func (h *Kernel) runClaimedForm(c *fiber.Ctx, sid []byte, nonce string) (err error) {
	finished := false
	defer func() {
		if !finished { // a panic: let go of the claim, then keep panicking
			h.finishForm(c, sid, nonce, 0, "", false)
		}
	}()
	err = c.Next()
	finished = true
	status := c.Response().StatusCode()
	loc := string(c.Response().Header.Peek(fiber.HeaderLocation))
	ok := err == nil && status >= 200 && status < 400
	if status < 300 || status >= 400 {
		loc = ""
	}
	h.finishForm(c, sid, nonce, status, loc, ok)
	return err
}

func (h *Kernel) finishForm(c *fiber.Ctx, sid []byte, nonce string, status int, loc string, ok bool) {
	ctx, cancel := h.detachedCtx(c)
	defer cancel()
	var err error
	if ok {
		err = models.FinishFormSubmission(ctx, h.DB, sid, nonce, status, loc)
	} else {
		err = models.ReleaseFormSubmission(ctx, h.DB, sid, nonce)
	}
	if err != nil && h.Log != nil {
		h.Log.Error("form submission outcome not recorded", "path", c.Path(), "err", err.Error())
	}
}

// onceConflictPage answers a repeated post with a 409 page explaining why.
func (h *Kernel) onceConflictPage(c *fiber.Ctx, key string) error {
	return h.Render(c, fiber.StatusConflict, "error", key, ErrorData{Status: fiber.StatusConflict, Key: key})
}

// detachedCtx bounds the recording of an outcome, which must happen even
// when the request's own deadline has passed: a claim left pending would make
// every repeat wait for it.
func (h *Kernel) detachedCtx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.UserContext()), h.DBTimeout)
}

// sweepNow picks the claims that also delete rows older than onceKeep.
func sweepNow() bool { return mrand.IntN(onceSweepOneIn) == 0 }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// abandonedAfter is how old a pending claim must be to be taken over: long
// enough that the request holding it has surely ended (twice the request
// timeout), so a slow first post is never run a second time.
func (h *Kernel) abandonedAfter() time.Duration {
	return max(onceAbandoned, 2*h.RequestTimeout)
}
