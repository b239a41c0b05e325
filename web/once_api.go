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

type apiIdempotency struct {
	RequestHash []byte
	State       string
	Status      *int
	ContentType *string // NULL when the answer was not kept (too large)
	Headers     *string
	Body        []byte
}

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

func (h *Kernel) claimAPI(c *fiber.Ctx, userID int64, key string, hash []byte) (bool, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	// The []byte must not follow "(" directly: GORM would expand it as a list.
	res := h.DB.WithContext(ctx).Exec(`INSERT INTO api_idempotency (user_id, key, request_hash) VALUES (?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE SET created_at = now(), request_hash = EXCLUDED.request_hash
		WHERE api_idempotency.state = 'pending' AND api_idempotency.created_at < now() - make_interval(secs => ?)`,
		userID, key, hash, h.abandonedAfter().Seconds())
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected == 1 && sweepNow() {
		h.DB.WithContext(ctx).Exec(`DELETE FROM api_idempotency WHERE created_at < now() - make_interval(secs => ?)`,
			onceKeep.Seconds())
	}
	return res.RowsAffected == 1, nil
}

func (h *Kernel) loadAPI(c *fiber.Ctx, userID int64, key string) (*apiIdempotency, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var rows []apiIdempotency
	err := h.DB.WithContext(ctx).Raw(`SELECT request_hash, state, status, content_type, headers::text AS headers, body
		FROM api_idempotency WHERE user_id = ? AND key = ?`, userID, key).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
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
	db := h.DB.WithContext(ctx)
	var err error
	if !ok {
		err = db.Exec(`DELETE FROM api_idempotency WHERE user_id = ? AND key = ? AND state = 'pending'`, userID, key).Error
	} else {
		resp := c.Response()
		var ct, headers *string
		var body []byte
		if !resp.IsBodyStream() && len(resp.Body()) <= maxKeptBody {
			s := string(resp.Header.ContentType())
			ct = &s
			body = append([]byte{}, resp.Body()...)
			kept := map[string]string{}
			for _, name := range replayedHeaders {
				if v := resp.Header.Peek(name); len(v) > 0 {
					kept[name] = string(v)
				}
			}
			raw, _ := json.Marshal(kept)
			js := string(raw)
			headers = &js
		}
		err = db.Exec(`UPDATE api_idempotency SET state = 'done', status = ?, content_type = ?, headers = ?::jsonb, body = ?
			WHERE user_id = ? AND key = ?`, resp.StatusCode(), ct, headers, body, userID, key).Error
	}
	if err != nil && h.Log != nil {
		h.Log.Error("idempotent answer not recorded", "path", c.Path(), "err", err.Error())
	}
}

// replayAPI answers with the kept answer of the first request.
func replayAPI(c *fiber.Ctx, row *apiIdempotency) error {
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
