package agreements

import (
	"errors"
	"fmt"
	"io"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Public verification of registered documents (models/document.go): by the
// hash a PDF prints or the hash of its bytes (/verify/{sha256}, HTML or
// JSON), and by uploading the file (/verify).

var sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)

// verifyResultPage is the data of views/pages/verify_result.html.
type verifyResultPage struct {
	Verification *models.Verification
	SHA256       string
	DateKey      string // the catalog key naming the date shown
	PageURL      string // the document's public page ("" when none)
	PDFURL       string // where the registered PDF is downloaded ("" when not public)
}

// VerifyHash is the public answer for a hash: kind, title, municipality and
// date of the document it belongs to — for agreements also parties and
// signatures — as a page, or as JSON under /api/v1 or when the client
// accepts only JSON; 404 for an unknown hash.
func (h *Handler) VerifyHash(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderAccept)
	v, err := h.verify(c, c.Params("sha256"))
	if wantsJSON(c) {
		if err != nil {
			if web.StatusOf(err) < 500 {
				return web.WriteAPIError(c, h.Localizer(c), err, "")
			}
			return err
		}
		return c.JSON(verifyJSON(h.BaseURL, c.Params("sha256"), v))
	}
	if err != nil {
		return err
	}
	return h.Render(c, 200, "verify_result", "verify.title", resultPage(c.Params("sha256"), v))
}

func (h *Handler) verify(c *fiber.Ctx, sha string) (*models.Verification, error) {
	if !sha256Re.MatchString(sha) {
		return nil, models.ErrNotFound
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.Verify(ctx, h.DB, sha)
}

// wantsJSON: the API path, or a client that prefers JSON to HTML.
func wantsJSON(c *fiber.Ctx) bool {
	return web.IsAPI(c) || c.Accepts(fiber.MIMETextHTML, fiber.MIMEApplicationJSON) == fiber.MIMEApplicationJSON
}

func resultPage(sha string, v *models.Verification) verifyResultPage {
	pg := verifyResultPage{Verification: v, SHA256: sha, DateKey: "verify.date." + v.Kind}
	if v.Kind == models.DocAgreement && v.Status == models.AgreementOpen {
		pg.DateKey = "verify.date.agreement_open"
	}
	pg.PageURL, pg.PDFURL = publicURLs(v)
	return pg
}

// publicURLs are the document's public page and registered PDF, where
// there are such. A final agreement's PDF is for the municipality's people.
func publicURLs(v *models.Verification) (page, pdf string) {
	m := "/m/" + v.Municipality.Slug
	switch v.Kind {
	case models.DocPlan:
		page = fmt.Sprintf("%s/plans/%d", m, v.ObjectID)
		return page, page + "/pdf"
	case models.DocSitan:
		page = fmt.Sprintf("%s/situation-analyses/%d", m, v.ObjectID)
		return page, page + "/report.pdf"
	case models.DocReport:
		return m, fmt.Sprintf("/plans/%d/report.pdf?period_id=%d", v.PlanID, v.ObjectID)
	}
	return m, ""
}

// verifyPage is the data of views/pages/verify.html: the upload form and,
// once a file was checked, its hash and whether it is registered.
type verifyPage struct {
	web.FormState
	Checked bool
	Sum     string
	Match   *verifyResultPage // the registered document the file is, nil when none
}

// VerifyForm offers the verify-by-upload form.
func (h *Handler) VerifyForm(c *fiber.Ctx) error {
	if err := h.EnsureSession(c); err != nil {
		return err
	}
	return h.Render(c, 200, "verify", "verify.title", verifyPage{})
}

// VerifyUpload hashes an uploaded PDF and says whether it is exactly one of
// the documents Pakt registered, and which. The file is not stored. A
// missing file answers 422, one over the attachment limit 413, each with
// the message next to the field.
func (h *Handler) VerifyUpload(c *fiber.Ctx) error {
	content, err := uploaded(c)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		errs := web.TranslateFields(h.Localizer(c), invalid.Fields)
		return h.Render(c, web.StatusOf(err), "verify", "verify.title", verifyPage{FormState: web.FormState{Errors: errs}})
	}
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	sum, ok, err := models.IsRegisteredDocument(ctx, h.DB, content)
	if err != nil {
		return err
	}
	pg := verifyPage{Checked: true, Sum: sum}
	if ok {
		v, err := models.Verify(ctx, h.DB, sum)
		if err != nil {
			return err
		}
		r := resultPage(sum, v)
		pg.Match = &r
	}
	return h.Render(c, 200, "verify", "verify.title", pg)
}

// uploaded reads the form's file, at most the attachment limit.
func uploaded(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, models.Invalid("file", "validation.required")
	}
	if fh.Size > models.MaxAttachmentBytes {
		return nil, models.TooLarge("file", "validation.file_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, models.MaxAttachmentBytes))
}
