package web

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"pakt/i18n"

	"pakt/models"
)

// ReadUpload reads the multipart file field (at most max bytes; more is a
// models.TooLargeError on the field, a missing file a validation error).
// It returns the name the browser gave and the bytes.
func ReadUpload(c *fiber.Ctx, field string, max int64) (string, []byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return "", nil, models.Invalid(field, "validation.required")
	}
	if fh.Size > max {
		return "", nil, models.TooLarge(field, "validation.file_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return "", nil, err
	}
	if int64(len(content)) > max {
		return "", nil, models.TooLarge(field, "validation.file_too_large")
	}
	return fh.Filename, content, nil
}

// SendAttachment sends a stored file (its bytes read from PostgreSQL) as a
// download: its sniffed type, its length, never shown inline, never sniffed
// again by the browser, and a header-safe file name (ASCII fallback plus
// the UTF-8 name, RFC 6266).
func SendAttachment(c *fiber.Ctx, att *models.Attachment, content []byte) error {
	c.Set(fiber.HeaderContentType, att.ContentType)
	c.Set(fiber.HeaderContentDisposition, ContentDisposition(att.FileName))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("X-Content-SHA256", att.SHA256)
	c.Response().Header.SetContentLength(len(content))
	return c.Send(content)
}

// ContentDisposition is `attachment` with a file name no header or path
// can be smuggled through.
func ContentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 32 || r > 126 || r == '"' || r == '\\' || r == '/' || r == ';' {
			return '_'
		}
		return r
	}, name)
	if ascii == "" {
		ascii = "file"
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + extValue(name)
}

// extValue percent-encodes a UTF-8 file name for filename* (RFC 8187):
// only attr-char stays as it is.
func extValue(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("!#$&+-.^_`|~", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

// EvidenceJSON is an attached file in the API's shape.
func EvidenceJSON(att *models.Attachment, uploaderName string) fiber.Map {
	return fiber.Map{"id": att.ID, "name": att.FileName, "size": att.SizeBytes, "sha256": att.SHA256,
		"content_type": att.ContentType, "uploaded_by": att.UploadedBy, "uploaded_by_name": uploaderName,
		"created_at": att.CreatedAt}
}

// FileSize writes a file size the way people read it (1 KB = 1024 B).
func FileSize(l *i18n.Localizer, n int64) string {
	switch {
	case n < 1024:
		return l.Int(n) + " B"
	case n < 1<<20:
		return l.Decimal(decimal.New(n, 0).Div(decimal.New(1024, 0)).Round(1), 1) + " KB"
	}
	return l.Decimal(decimal.New(n, 0).Div(decimal.New(1<<20, 0)).Round(1), 1) + " MB"
}

// SendEvidenceList answers the files attached to t (API list), for both
// kinds of evidence (progress reports and commitments).
func (k *Kernel) SendEvidenceList(c *fiber.Ctx, t models.EvidenceTarget) error {
	ctx, cancel := k.Ctx(c)
	defer cancel()
	files, err := models.ListEvidence(ctx, k.DB, t)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(files))
	for i := range files {
		items[i] = EvidenceJSON(&files[i].Attachment, files[i].UploaderName)
	}
	return SendList(c, items)
}

// SendEvidenceFile sends the file :aid attached to t (browser and API);
// one of another target answers 404.
func (k *Kernel) SendEvidenceFile(c *fiber.Ctx, t models.EvidenceTarget) error {
	aid, err := ParamID(c, "aid")
	if err != nil {
		return err
	}
	ctx, cancel := k.Ctx(c)
	defer cancel()
	att, err := models.GetEvidence(ctx, k.DB, t, aid)
	if err != nil {
		return err
	}
	content, err := models.AttachmentContent(ctx, k.DB, att.ID)
	if err != nil {
		return err
	}
	return SendAttachment(c, att, content)
}

// EvidenceTargetFunc finds what a request attaches to and the caller's
// rights there (a progress report, a commitment).
type EvidenceTargetFunc func(c *fiber.Ctx) (models.EvidenceTarget, models.EvidenceRights, error)

// AttachEvidence reads the multipart "file" and stores it on the target.
func (k *Kernel) AttachEvidence(c *fiber.Ctx, target EvidenceTargetFunc) (*models.Attachment, error) {
	t, r, err := target(c)
	if err != nil {
		return nil, err
	}
	name, content, err := ReadUpload(c, "file", models.MaxAttachmentBytes)
	if err != nil {
		return nil, err
	}
	ctx, cancel := k.Ctx(c)
	defer cancel()
	return models.AddEvidence(ctx, k.DB, Actor(c), t, r, name, content)
}

// DeleteEvidence removes the file :aid from the target.
func (k *Kernel) DeleteEvidence(c *fiber.Ctx, target EvidenceTargetFunc) error {
	t, r, err := target(c)
	if err != nil {
		return err
	}
	aid, err := ParamID(c, "aid")
	if err != nil {
		return err
	}
	ctx, cancel := k.Ctx(c)
	defer cancel()
	return models.DeleteEvidence(ctx, k.DB, Actor(c), t, r, aid)
}

// EvidenceErrors turns a refused attach or delete into the page's error
// next to the file field (a bad file, or the report or period frozen);
// any other error comes back to be answered as such.
func (k *Kernel) EvidenceErrors(c *fiber.Ctx, err error) (map[string]string, error) {
	l := k.Localizer(c)
	if fe := FieldErrors(l, err); fe != nil {
		return fe, nil
	}
	if err == nil {
		return nil, nil
	}
	if msg := StateErrors(l, err); msg != nil {
		return map[string]string{"file": msg["form"]}, nil
	}
	return nil, err
}
