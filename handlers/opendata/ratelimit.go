package opendata

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// The public API's allowance per client address: RateLimit requests per
// RateEvery, counted in PostgreSQL so that every instance behind a load
// balancer counts against the same allowance.
const (
	RateLimit = 120
	RateEvery = time.Minute
)

// Limit counts the request against its client's allowance and answers 429
// with Retry-After (seconds until the window ends) once it is spent.
func (h *Handler) Limit(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	w, err := models.HitRate(ctx, h.DB, h.clientBucket(c), RateEvery)
	if err != nil {
		return err
	}
	c.Set("X-RateLimit-Limit", strconv.Itoa(RateLimit))
	c.Set("X-RateLimit-Remaining", strconv.Itoa(max(RateLimit-w.Hits, 0)))
	if w.Hits > RateLimit {
		wait := max(int(math.Ceil(time.Until(w.Reset).Seconds())), 1)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		return models.ErrRateLimited
	}
	return c.Next()
}

// clientBucket names the caller's counter by a keyed hash of its address
// (c.IP() honours PAKT_TRUSTED_PROXIES): the table never holds an address.
func (h *Handler) clientBucket(c *fiber.Ctx) string {
	mac := hmac.New(sha256.New, []byte("pakt-opendata:"+h.BaseURL))
	mac.Write([]byte(c.IP()))
	return "opendata:" + hex.EncodeToString(mac.Sum(nil))[:32]
}
