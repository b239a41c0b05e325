package web

import (
	"errors"
	"fmt"
	"pakt/views/pdf"

	"github.com/gofiber/fiber/v2"
)

// docLang is the ?lang= of a document when supported; "" stands for the
// municipality's own language (part of its content revision).
func (h *Kernel) DocLang(c *fiber.Ctx) string {
	if lang := c.Query("lang"); h.I18n.Supported(lang) {
		return lang
	}
	return ""
}

// renderPDF runs a PDF rendering through the gate that bounds how many
// documents are drawn at once (pdf.Renders, one per CPU). A request whose
// deadline passes while it waits for a slot is answered 503.
func (h *Kernel) RenderPDF(c *fiber.Ctx, render func() ([]byte, error)) ([]byte, error) {
	out, err := pdf.Renders.Do(c.UserContext(), render)
	if errors.Is(err, pdf.ErrBusy) {
		return nil, fmt.Errorf("%w: %w", fiber.ErrServiceUnavailable, err)
	}
	return out, err
}

func SendPDF(c *fiber.Ctx, out []byte, name string) error {
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+`"`)
	return c.Send(out)
}
