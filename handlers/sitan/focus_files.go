package sitan

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// consentTypes are the file kinds accepted, by what the bytes are (not what
// the browser claims). Office documents are zip files with these extensions.
var consentTypes = map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}

var consentOffice = map[string]string{".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".odt": "application/vnd.oasis.opendocument.text"}

// checkConsentFile returns the content type of an acceptable file.
func checkConsentFile(name string, body []byte) (string, error) {
	if len(body) > models.MaxConsentFormBytes {
		return "", models.TooLarge("consent_form", "focus.error.file_size")
	}
	if len(body) == 0 {
		return "", models.Invalid("consent_form", "focus.error.file_size")
	}
	sniffed := http.DetectContentType(body)
	if _, ok := consentTypes[sniffed]; ok {
		return sniffed, nil
	}
	if ct, ok := consentOffice[strings.ToLower(filepath.Ext(name))]; ok && sniffed == "application/zip" {
		return ct, nil
	}
	return "", models.Invalid("consent_form", "focus.error.file_type")
}

// consentUpload reads the optional consent_form file of a multipart form.
func consentUpload(c *fiber.Ctx) (*models.ConsentUpload, error) {
	fh, err := c.FormFile("consent_form")
	if err != nil || fh.Size == 0 {
		return nil, nil // no file chosen
	}
	if fh.Size > models.MaxConsentFormBytes {
		return nil, models.TooLarge("consent_form", "focus.error.file_size")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, models.MaxConsentFormBytes+1))
	if err != nil {
		return nil, err
	}
	name := focusFileName(fh.Filename)
	ctype, err := checkConsentFile(name, body)
	if err != nil {
		return nil, err
	}
	return &models.ConsentUpload{Name: name, ContentType: ctype, Content: body}, nil
}

// focusFileName keeps the base name of an upload, without path or control characters.
func focusFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == 127 {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		name = "consent-form"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}

// saveConsentForm checks and stores a consent form for fg.
func (h *Handler) saveConsentForm(c *fiber.Ctx, fg *models.FocusGroup, name string, body []byte) error {
	name = focusFileName(name)
	ctype, err := checkConsentFile(name, body)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.SaveConsentForm(ctx, h.DB, web.Actor(c), fg.MunicipalityID, fg.ID, name, ctype, body)
}

// ConsentFormUpload adds or replaces the consent form from the focus group page.
func (h *Handler) ConsentFormUpload(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	up, err := consentUpload(c)
	if err == nil && up == nil {
		err = models.Invalid("consent_form", "validation.required")
	}
	if err == nil {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		err = models.SaveConsentForm(ctx, h.DB, web.Actor(c), fg.MunicipalityID, fg.ID, up.Name, up.ContentType, up.Content)
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.renderFocusShow(c, web.StatusOf(err), fg, fe) // 413 over the size limit
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/focus-groups/"+web.Itoa(fg.ID), "focus.flash.consent_saved")
}

// ConsentFormDownload sends the stored consent form as an attachment.
func (h *Handler) ConsentFormDownload(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	f, err := models.GetConsentForm(ctx, h.DB, fg.MunicipalityID, fg.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+focusASCIIName(f.FileName)+`"`)
	return c.Send(f.Content)
}

// focusASCIIName keeps a header-safe file name.
func focusASCIIName(name string) string {
	out := strings.Map(func(r rune) rune {
		if r < 32 || r > 126 || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return out
}
