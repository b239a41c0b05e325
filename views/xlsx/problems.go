package xlsx

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"pakt/i18n"
	"pakt/models"
)

// Refused is an upload refused as a whole: its HTTP status and, per cell
// ("Reports!F7") or for the "workbook", the catalog key of why. Nothing
// of it was saved.
type Refused struct {
	Status int
	Fields map[string]string
}

func (e *Refused) Error() string { return "workbook refused" }

// RowRefusal is how a refused row is shown: the cell and catalog key for
// an error of the model about that row, and the status it calls for.
func RowRefusal(err error) (key string, status int) {
	var se *models.StateError
	switch {
	case models.IsForbidden(err):
		return "xlsx.error.not_yours", http.StatusForbidden
	case errors.Is(err, models.ErrNotFound):
		return "xlsx.error.unknown_measure", http.StatusUnprocessableEntity
	case errors.Is(err, models.ErrStale):
		return "xlsx.error.stale", http.StatusPreconditionFailed
	case errors.As(err, &se):
		return se.Key, http.StatusConflict
	}
	return "", 0
}

// statusRank orders the statuses of refused rows: the answer names the
// gravest (not yours, then invalid, then not editable, then stale).
var statusRank = []int{http.StatusPreconditionFailed, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusForbidden}

// Graver returns the graver of two statuses.
func Graver(a, b int) int {
	if slices.Index(statusRank, b) > slices.Index(statusRank, a) {
		return b
	}
	return a
}

// AsRefused turns a reader or model error into a Refused when it is about
// the upload (size, kind, cells); other errors come back unchanged.
func AsRefused(err error) error {
	var tl *models.TooLargeError
	var ve *models.ValidationError
	var se *models.StateError
	switch {
	case errors.As(err, &tl):
		return &Refused{Status: http.StatusRequestEntityTooLarge, Fields: tl.Fields}
	case errors.As(err, &ve):
		return &Refused{Status: http.StatusUnprocessableEntity, Fields: ve.Fields}
	case errors.As(err, &se):
		return &Refused{Status: http.StatusConflict, Fields: map[string]string{WorkbookField: se.Key}}
	}
	return err
}

// Problem is one refused cell, translated, for a page.
type Problem struct{ Cell, Message string }

// Describe lists the problems in reading order: the workbook first, then
// by sheet (in the order given), row and column.
func Describe(l *i18n.Localizer, fields map[string]string, sheets ...string) []Problem {
	out := make([]Problem, 0, len(fields))
	for cell, key := range fields {
		out = append(out, Problem{Cell: cell, Message: l.T(key)})
	}
	slices.SortFunc(out, func(a, b Problem) int { return compareCells(a.Cell, b.Cell, sheets) })
	return out
}

func compareCells(a, b string, sheets []string) int {
	sa, ca, _ := strings.Cut(a, "!")
	sb, cb, _ := strings.Cut(b, "!")
	if sa != sb {
		if d := slices.Index(sheets, sa) - slices.Index(sheets, sb); d != 0 {
			return d
		}
		return strings.Compare(sa, sb)
	}
	colA, rowA, _ := excelize.CellNameToCoordinates(ca)
	colB, rowB, _ := excelize.CellNameToCoordinates(cb)
	if rowA != rowB {
		return rowA - rowB
	}
	return colA - colB
}
