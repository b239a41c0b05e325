package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// parseJSON decodes a JSON body strictly: unknown fields and trailing data are 400.
func ParseJSON(c *fiber.Ctx, dst any) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return fiber.NewError(fiber.StatusBadRequest, "Content-Type must be application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "malformed JSON")
	}
	if dec.More() {
		return fiber.NewError(fiber.StatusBadRequest, "malformed JSON")
	}
	return nil
}

// ifMatch reads If-Match ("3" or 3); 0 means absent. A malformed one is 400.
func IfMatch(c *fiber.Ctx) (int, error) {
	raw := strings.Trim(strings.TrimPrefix(strings.TrimSpace(c.Get(fiber.HeaderIfMatch)), "W/"), `"`)
	if raw == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v <= 0 {
		return 0, fiber.NewError(fiber.StatusBadRequest, "If-Match must be a version number")
	}
	return v, nil
}

// sendVersioned answers a mutable object with its ETag.
func SendVersioned(c *fiber.Ctx, status, version int, body any) error {
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(version)+`"`)
	return c.Status(status).JSON(body)
}

// list is the API.md list envelope of a complete list.
func List[T any](items []T) fiber.Map {
	if items == nil {
		items = []T{}
	}
	return fiber.Map{"items": items, "next_cursor": nil}
}

// maxListLimit is the largest page API.md allows.
const maxListLimit = 200

// sendList answers one page of items: ?limit= (default 50, at most 200) and
// ?cursor= (the opaque next_cursor of the previous page). The lists Pakt
// serves are per municipality and small, so paging happens after the query.
func SendList[T any](c *fiber.Ctx, items []T) error {
	limit, offset := 50, 0
	f := map[string]string{}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListLimit {
			f["limit"] = "validation.limit"
		}
		limit = n
	}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			f["cursor"] = "validation.cursor"
		}
		offset = n
	}
	if len(f) > 0 {
		return &models.ValidationError{Fields: f}
	}
	if items == nil {
		items = []T{}
	}
	offset = min(offset, len(items))
	end := min(offset+limit, len(items))
	var next any
	if end < len(items) {
		next = strconv.Itoa(end)
	}
	return c.JSON(fiber.Map{"items": items[offset:end], "next_cursor": next})
}
