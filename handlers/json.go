package handlers

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// parseJSON decodes a JSON body strictly: unknown fields and trailing data are 400.
func parseJSON(c *fiber.Ctx, dst any) error {
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
func ifMatch(c *fiber.Ctx) (int, error) {
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
func sendVersioned(c *fiber.Ctx, status, version int, body any) error {
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(version)+`"`)
	return c.Status(status).JSON(body)
}

// list is the API.md list envelope.
func list[T any](items []T) fiber.Map {
	if items == nil {
		items = []T{}
	}
	return fiber.Map{"items": items, "next_cursor": nil}
}
