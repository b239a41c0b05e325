package agreements

import (
	"io"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

var sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)

// VerifyHash is the public page for a hash: the agreement it belongs to, its
// parties, signatures and status — or 404.
func (h *Handler) VerifyHash(c *fiber.Ctx) error {
	sha := c.Params("sha256")
	if !sha256Re.MatchString(sha) {
		return models.ErrNotFound
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	v, err := models.Verify(ctx, h.DB, sha)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "verify_result", "verify.title", fiber.Map{"v": v, "sha": sha})
}

// VerifyForm offers the verify-by-upload form.
func (h *Handler) VerifyForm(c *fiber.Ctx) error {
	if err := h.EnsureSession(c); err != nil {
		return err
	}
	return h.Render(c, 200, "verify", "verify.title", fiber.Map{})
}

// VerifyUpload hashes an uploaded PDF and says whether it is exactly one of
// the documents Pakt registered. The file is not stored.
func (h *Handler) VerifyUpload(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return h.Render(c, 422, "verify", "verify.title", fiber.Map{"errors": map[string]string{"file": h.Localizer(c).T("validation.required")}})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, models.MaxAttachmentBytes+1))
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	sum, ok, err := models.IsRegisteredDocument(ctx, h.DB, content)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "verify", "verify.title", fiber.Map{"checked": true, "sum": sum, "match": ok})
}
