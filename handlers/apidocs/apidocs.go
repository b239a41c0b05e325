// Package apidocs serves the JSON API's OpenAPI description (issue #19):
// the document itself as /api/v1/openapi.json and a readable reference page
// drawn from it on the server, /api (no script, nothing from elsewhere).
package apidocs

import (
	"github.com/gofiber/fiber/v2"

	"pakt/web"
	"pakt/web/openapi"
)

// Handler serves the API description; the kernel gives it rendering and errors.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type.
var Pages = []web.PageSpec{
	web.PageOf[referencePage]("api_reference"),
}

// OpenAPIJSON answers the OpenAPI 3.1 document. It changes only with a new
// release, so anyone may cache it for an hour.
func (h *Handler) OpenAPIJSON(c *fiber.Ctx) error {
	b, err := openapi.JSON()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// Reference draws the document as a page: every operation by tag, with its
// parameters, request body, answers and the shared schemas.
func (h *Handler) Reference(c *fiber.Ctx) error {
	doc, err := openapi.Document()
	if err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "api_reference", "apidocs.title", reference(doc))
}
