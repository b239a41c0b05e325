package agreements

import (
	"io"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

var sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)

// verifyResultPage is the data of views/pages/verify_result.html.
type verifyResultPage struct {
	Verification *models.Verification
	SHA256       string
}

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
	return h.Render(c, 200, "verify_result", "verify.title", verifyResultPage{Verification: v, SHA256: sha})
}

// verifyPage is the data of views/pages/verify.html: the upload form and,
// once a file was checked, its hash and whether it is registered.
type verifyPage struct {
	web.FormState
	Checked bool
	Sum     string
	Match   bool
}

// VerifyForm offers the verify-by-upload form.
func (h *Handler) VerifyForm(c *fiber.Ctx) error {
	if err := h.EnsureSession(c); err != nil {
		return err
	}
	return h.Render(c, 200, "verify", "verify.title", verifyPage{})
}

// VerifyUpload hashes an uploaded PDF and says whether it is exactly one of
// the documents Pakt registered. The file is not stored.
func (h *Handler) VerifyUpload(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return h.Render(c, 422, "verify", "verify.title", verifyPage{
			FormState: web.FormState{Errors: map[string]string{"file": h.Localizer(c).T("validation.required")}}})
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
	return h.Render(c, 200, "verify", "verify.title", verifyPage{Checked: true, Sum: sum, Match: ok})
}
