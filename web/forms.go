package web

import (
	"pakt/models"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

type ReasonReq struct {
	Reason string `json:"reason"`
}

func SetDate(f map[string]string, field string, dst *models.Date, src *string) {
	if src == nil {
		return
	}
	if strings.TrimSpace(*src) == "" {
		*dst = models.Date{}
		return
	}
	d, err := models.ParseDate(*src)
	if err != nil {

		f[field] = "validation.date"
		*dst = models.Date{}
		return
	}
	*dst = d
}

const MaxFormRows = 60

func SetDateForm(dst *models.Date, v string) {
	if strings.TrimSpace(v) == "" {
		return
	}

	if d, err := models.ParseDate(v); err == nil {
		*dst = d
	}
}

func FormInt(c *fiber.Ctx, key string) int64 {
	n, _ := strconv.ParseInt(c.FormValue(key), 10, 64)
	return n
}

func FormInts(c *fiber.Ctx, key string) []int64 {
	var out []int64
	for _, v := range c.Context().PostArgs().PeekMulti(key) {
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// rowKey names a field of a table row in a form ("parties[0].organisation_id").
var rowKey = regexp.MustCompile(`^\w+\[\d+\]\.\w+$`)

// TopLevel keeps the errors that are not row errors (for fields outside the tables).
func TopLevel(errs map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range errs {
		if !rowKey.MatchString(k) {
			out[k] = v
		}
	}
	return out
}

// formValues keeps what the user typed, to show it again next to the errors.
func FormValues(c *fiber.Ctx) map[string]string {
	out := map[string]string{}
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) != "_csrf" {
			out[string(k)] = string(v)
		}
	})
	return out
}

func FormIntPtr(c *fiber.Ctx, key string) *int {
	v := c.FormValue(key)
	if v == "" {
		return nil
	}
	n := Atoi(v)
	if Itoa(int64(n)) != v {
		n = -1
	}
	return &n
}
