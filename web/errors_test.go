package web

import (
	"errors"
	"fmt"
	"testing"

	"pakt/models"
)

func TestStatusOfUploadErrors(t *testing.T) {
	t.Parallel()
	tooBig := fmt.Errorf("saving: %w", models.TooLarge("file", "validation.file_too_large"))
	if got := StatusOf(tooBig); got != 413 {
		t.Errorf("too large: %d", got)
	}
	if got := StatusOf(models.Invalid("file", "validation.file_type")); got != 422 {
		t.Errorf("invalid: %d", got)
	}
	var ve *models.ValidationError
	if !errors.As(tooBig, &ve) || ve.Fields["file"] != "validation.file_too_large" {
		t.Errorf("the field of a too-large upload is lost: %v", ve)
	}
}
