package web

// The API's Idempotency-Key (README "Retrying API calls safely"): a signed-in
// caller may send POST /api/v1/… with a key of its choosing; the first
// request runs and its answer is kept, a repeat with the same key and the
// same request gets that answer again instead of a second record.

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

const (
	// IdempotencyKeyHeader names the request header of the API's key.
	IdempotencyKeyHeader = "Idempotency-Key"
	// ReplayedHeader marks an answer that was replayed from a first request.
	ReplayedHeader = "Idempotent-Replayed"
	// maxKeptBody is the largest answer body kept for replay.
	maxKeptBody = 1 << 20
	maxKeyLen   = 200
)

// replayedHeaders are the answer headers kept besides the content type.
var replayedHeaders = []string{fiber.HeaderETag, fiber.HeaderLocation, fiber.HeaderContentDisposition}

func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > maxKeyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// apiIdempotent handles an API request; only POSTs of a signed-in caller
// carrying Idempotency-Key are tracked.
func (h *Kernel) apiIdempotent(c *fiber.Ctx) error {
	key := c.Get(IdempotencyKeyHeader)
	p := PrincipalOf(c)
	if key == "" || c.Method() != fiber.MethodPost || !p.SignedIn() {
		return c.Next()
	}
	if !validIdempotencyKey(key) {
		return &models.ValidationError{Fields: map[string]string{IdempotencyKeyHeader: "validation.idempotency_key"}}
	}
	sum := sha256.New()
	sum.Write([]byte(c.Method() + "\x00" + c.OriginalURL() + "\x00"))
	sum.Write(c.Body())
	hash := sum.Sum(nil)
	userID := p.User.ID
	return awaitFirst(c, func() (bool, error) {
		claimed, err := h.claimAPI(c, userID, key, hash)
		if err != nil {
			return true, err
		}
		if claimed {
			return true, h.runClaimedAPI(c, userID, key)
		}
		row, err := h.loadAPI(c, userID, key)
		switch {
		case err != nil:
			return true, err
		case row == nil:
			return false, nil // the first request failed and let go: try again to run this one
		case !bytes.Equal(row.RequestHash, hash):
			return true, &models.ValidationError{Fields: map[string]string{IdempotencyKeyHeader: "validation.idempotency_reused"}}
		case row.State == "done":
			return true, replayAPI(c, row)
		}
		return false, nil // still running
	}, func() error { return &models.StateError{Key: "error.idempotency_pending"} })
}

// claimAPI claims the (user, key) row, taking over an abandoned pending
// one; about one claim in onceSweepOneIn also deletes old rows.
func (h *Kernel) claimAPI(c *fiber.Ctx, userID int64, key string, hash []byte) (bool, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	claimed, err := models.ClaimAPIIdempotency(ctx, h.DB, userID, key, hash, h.abandonedAfter())
	if claimed && sweepNow() {
		_ = models.SweepAPIIdempotency(ctx, h.DB, onceKeep) // best effort: the next sweep retries
	}
	return claimed, err
}

func (h *Kernel) loadAPI(c *fiber.Ctx, userID int64, key string) (*models.APIIdempotency, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.LoadAPIIdempotency(ctx, h.DB, userID, key)
}

// runClaimedAPI runs the request and keeps a successful answer; a failed
// one (4xx, 5xx, an error, a panic) is forgotten, so a retry runs again.
func (h *Kernel) runClaimedAPI(c *fiber.Ctx, userID int64, key string) (err error) {
	finished := false
	defer func() {
		if !finished {
			h.finishAPI(c, userID, key, false)
		}
	}()
	err = c.Next()
	finished = true
	status := c.Response().StatusCode()
	h.finishAPI(c, userID, key, err == nil && status >= 200 && status < 400)
	return err
}

func (h *Kernel) finishAPI(c *fiber.Ctx, userID int64, key string, ok bool) {
	ctx, cancel := h.detachedCtx(c)
	defer cancel()
	var err error
	if ok {
		err = models.FinishAPIIdempotency(ctx, h.DB, userID, key, keptAnswer(c))
	} else {
		err = models.ReleaseAPIIdempotency(ctx, h.DB, userID, key)
	}
	if err != nil && h.Log != nil {
		h.Log.Error("idempotent answer not recorded", "path", c.Path(), "err", err.Error())
	}
}

// keptAnswer is what is kept of an answer for replay: its status always,
// the content type, a few headers and the body when it is small enough.
func keptAnswer(c *fiber.Ctx) models.APIAnswer {
	resp := c.Response()
	a := models.APIAnswer{Status: resp.StatusCode()}
	if resp.IsBodyStream() || len(resp.Body()) > maxKeptBody {
		return a
	}
	ct := string(resp.Header.ContentType())
	a.ContentType = &ct
	a.Body = append([]byte{}, resp.Body()...)
	kept := map[string]string{}
	for _, name := range replayedHeaders {
		if v := resp.Header.Peek(name); len(v) > 0 {
			kept[name] = string(v)
		}
	}
	raw, _ := json.Marshal(kept)
	js := string(raw)
	a.Headers = &js
	return a
}

// replayAPI answers with the kept answer of the first request.
func replayAPI(c *fiber.Ctx, row *models.APIIdempotency) error {
	if row.ContentType == nil || row.Status == nil {
		return &models.StateError{Key: "error.idempotency_unkept"}
	}
	c.Set(ReplayedHeader, "true")
	if row.Headers != nil {
		var kept map[string]string
		if json.Unmarshal([]byte(*row.Headers), &kept) == nil {
			for k, v := range kept {
				c.Set(k, v)
			}
		}
	}
	if *row.ContentType != "" {
		c.Set(fiber.HeaderContentType, *row.ContentType)
	}
	return c.Status(*row.Status).Send(row.Body)
}
