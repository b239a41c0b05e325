package web

import "github.com/gofiber/fiber/v2"

// Repeated rows of a form (a measure's indicators and budget lines, an
// agreement's parties and commitments, spending in a progress report) come
// with a few empty rows. A table's "More rows" button sends the form back
// to be drawn again with more empty rows, saving nothing: no JavaScript, so
// it works on any browser. The number of extra rows rides along in a hidden
// more_<table> field, so several presses add up.

// moreRowsStep is how many empty rows one press adds.
const moreRowsStep = 3

// moreRows is how many empty rows table shows beyond the form's own few.
func MoreRows(c *fiber.Ctx, table string) int {
	n := Atoi(c.FormValue("more_" + table))
	if c.FormValue("more") == table {
		n += moreRowsStep
	}
	return min(max(n, 0), MaxFormRows)
}

// addingRows says the post only asks for more rows.
func AddingRows(c *fiber.Ctx) bool { return c.FormValue("more") != "" }

// formVersion is the version a drawn form carries: the stored one, except
// when the form only came back for more rows: nothing was saved, so the
// save must still be checked against the version the user started from.
func FormVersion(c *fiber.Ctx, stored int) string {
	if AddingRows(c) {
		return c.FormValue("version")
	}
	return Itoa(int64(stored))
}

// spareRows is how many empty rows to add after rows numbered up to next-1:
// the form's own few plus more, within the rows a post is read for.
func SpareRows(next, own, more int) int {
	return max(0, min(own+more, MaxFormRows-next))
}
