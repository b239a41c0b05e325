package pdf

import "math"

// Column describes a table column.
type Column struct {
	Title string
	Width float64 // relative weight; <= 0 counts as 1
	Align string  // "L", "R" or "C" (default "L")
}

// Table is a data table. Rows with fewer cells than columns are padded,
// extra cells are ignored. If Columns is empty, the widest row decides the
// column count and no header is drawn.
type Table struct {
	Columns  []Column
	Rows     [][]string
	FontSize float64 // 0 = 9
}

type tableStyle struct {
	header    bool // draw (and repeat) the column titles
	grid      bool // cell borders
	zebra     bool // alternate row shading
	rowRule   bool // hairline under every row
	boldFirst bool // first column bold
	size      float64
}

// Table draws a table row by row. Cells wrap, a row is as tall as its
// tallest cell, and when the next row does not fit a new page is started and
// the header row repeated. A row taller than a whole page is split across
// pages.
func (d *Doc) Table(t Table) {
	d.run(func() {
		cols := t.Columns
		header := len(cols) > 0
		if !header {
			n := 0
			for _, r := range t.Rows {
				n = max(n, len(r))
			}
			cols = make([]Column, n)
		}
		size := t.FontSize
		if size <= 0 {
			size = 9
		}
		d.table(cols, t.Rows, tableStyle{header: header, grid: true, zebra: true, size: size})
		d.skip(4)
	})
}

// KeyValues draws a two-column label/value list with wrapped values.
func (d *Doc) KeyValues(rows [][2]string) {
	d.run(func() {
		rs := make([][]string, len(rows))
		for i, r := range rows {
			rs[i] = []string{r[0], r[1]}
		}
		cols := []Column{{Width: 34}, {Width: 66}}
		d.table(cols, rs, tableStyle{rowRule: true, boldFirst: true, size: 9.5})
		d.skip(4)
	})
}

const (
	cellPadH = 1.5 // mm
	cellPadV = 1.1 // mm
)

// tableRun is a table being drawn: its columns' geometry, its style, the
// wrapped header to repeat on every page, and how many rows (or parts of a
// row) the current page holds.
type tableRun struct {
	d          *Doc
	st         tableStyle
	widths     []float64  // mm per column
	aligns     []string   // "L", "R" or "C" per column
	lh         float64    // line height, mm
	head       [][]string // wrapped column titles, nil without a header
	headH      float64    // height of the header row, 0 without one
	rowsOnPage int
}

// table draws rows under cols in style st (see Table for the rules of page
// breaks and wrapping).
func (d *Doc) table(cols []Column, rows [][]string, st tableStyle) {
	if len(cols) == 0 {
		return
	}
	t := &tableRun{d: d, st: st, lh: lineH(st.size)}
	t.widths, t.aligns = columnGeometry(cols, d.contentW)
	d.f.SetCellMargin(cellPadH)
	if st.header {
		t.wrapHeader(cols)
	}
	for ri, row := range rows {
		t.drawRow(ri, row)
	}
}

// columnGeometry shares the width w out by the columns' weights and
// normalises their alignment.
func columnGeometry(cols []Column, w float64) (widths []float64, aligns []string) {
	total := 0.0
	for _, c := range cols {
		total += weight(c.Width)
	}
	widths = make([]float64, len(cols))
	aligns = make([]string, len(cols))
	for i, c := range cols {
		widths[i] = w * weight(c.Width) / total
		switch c.Align {
		case "R", "C":
			aligns[i] = c.Align
		default:
			aligns[i] = "L"
		}
	}
	return widths, aligns
}

// wrapHeader wraps the column titles (bold); a header may take at most a
// third of the page body.
func (t *tableRun) wrapHeader(cols []Column) {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	t.head = t.wrap(titles, func(int) bool { return true })
	maxLines := max(1, int((t.d.bodyH/3-2*cellPadV)/t.lh))
	for i := range t.head {
		if len(t.head[i]) > maxLines {
			t.head[i] = t.head[i][:maxLines]
		}
	}
	t.headH = float64(tallest(t.head))*t.lh + 2*cellPadV
}

// wrap splits every cell into lines of its column's width; cells beyond the
// columns are dropped, missing ones stay empty.
func (t *tableRun) wrap(cells []string, bold func(i int) bool) [][]string {
	n := len(t.widths)
	out := make([][]string, n)
	for i := 0; i < n && i < len(cells); i++ {
		style := ""
		if bold(i) {
			style = "B"
		}
		t.d.setFont(style, t.st.size)
		out[i] = t.d.f.SplitText(clean(cells[i]), t.widths[i])
	}
	return out
}

// tallest is the number of lines of the longest cell, at least one.
func tallest(lines [][]string) int {
	h := 1
	for _, l := range lines {
		h = max(h, len(l))
	}
	return h
}

// drawRow draws body row ri, on as many pages as it needs.
func (t *tableRun) drawRow(ri int, row []string) {
	lines := t.wrap(row, func(i int) bool { return t.st.boldFirst && i == 0 })
	need := tallest(lines)
	var fill *rgb
	if t.st.zebra && ri%2 == 1 {
		fill = &colZebra
	}
	if ri == 0 {
		// Keep the header with (the start of) the first row.
		first := min(need, max(1, int((t.d.bodyH-t.headH-2*cellPadV)/t.lh)))
		t.d.ensure(t.headH + float64(first)*t.lh + 2*cellPadV)
		t.drawHeader()
	}
	from := make([]int, len(t.widths))
	for need > 0 {
		need = t.placeRow(lines, from, need, fill)
	}
}

// placeRow draws what fits of a row's remaining need lines and returns how
// many are left: the whole rest if it fits; nothing, after a page break, if
// the row should rather start on a fresh page; otherwise as many lines as
// this page holds (at least one, so drawing a row always ends).
func (t *tableRun) placeRow(lines [][]string, from []int, need int, fill *rgb) int {
	if t.fits(need) {
		t.chunk(lines, from, need, false, fill)
		t.rowsOnPage++
		return 0
	}
	// Move the row to a fresh page if it fits there whole, or if fewer
	// than two of its lines fit here.
	fitsFresh := t.headH+float64(need)*t.lh+2*cellPadV <= t.d.bodyH+eps
	if t.rowsOnPage > 0 && (fitsFresh || t.freeLines() < min(2, need)) {
		t.breakPage()
		return need
	}
	// Split: fill this page, continue on the next.
	nl := max(1, t.freeLines())
	t.chunk(lines, from, nl, false, fill)
	need -= nl
	t.rowsOnPage++
	if need > 0 {
		t.breakPage()
	}
	return max(need, 0)
}

// fits reports whether a row part of the given number of lines fits below
// the current position.
func (t *tableRun) fits(lines int) bool {
	return t.d.y()+float64(lines)*t.lh+2*cellPadV <= t.d.bottom+eps
}

// freeLines is the number of lines a row part can still take on this page.
func (t *tableRun) freeLines() int {
	return int((t.d.bottom - t.d.y() - 2*cellPadV + eps) / t.lh)
}

func (t *tableRun) breakPage() {
	t.d.newPage()
	t.drawHeader()
	t.rowsOnPage = 0
}

func (t *tableRun) drawHeader() {
	if t.st.header {
		t.chunk(t.head, make([]int, len(t.widths)), math.MaxInt32, true, &colHeaderFill)
	}
}

// chunk draws up to nl lines of every cell, cell i starting at line from[i],
// advances from and moves below the drawn part.
func (t *tableRun) chunk(lines [][]string, from []int, nl int, isHead bool, fill *rgb) {
	d := t.d
	h := float64(chunkLines(lines, from, nl))*t.lh + 2*cellPadV
	y := d.y()
	if fill != nil {
		d.f.SetFillColor(fill.r, fill.g, fill.b)
		d.f.Rect(d.left, y, d.contentW, h, "F")
	}
	d.f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	d.f.SetLineWidth(0.2)
	d.f.SetCellMargin(cellPadH)
	d.textColor(colText)
	x := d.left
	for i, w := range t.widths {
		if t.st.grid {
			d.f.Rect(x, y, w, h, "D")
		}
		if i < len(lines) {
			bold := isHead || (t.st.boldFirst && i == 0)
			t.cellLines(i, lines[i], &from[i], nl, x, y, bold)
		}
		x += w
	}
	if t.st.rowRule {
		d.f.Line(d.left, y+h, d.right, y+h)
	}
	d.f.SetXY(d.left, y+h)
}

// chunkLines is the number of lines a chunk of up to nl lines per cell
// takes: the most any cell has left, at least one.
func chunkLines(lines [][]string, from []int, nl int) int {
	drawn := 0
	for i := range lines {
		drawn = max(drawn, min(nl, len(lines[i])-from[i]))
	}
	return max(drawn, 1)
}

// cellLines draws up to nl lines of column i's cell, starting at line
// *from, in the cell whose top left corner is (x, y).
func (t *tableRun) cellLines(i int, lines []string, from *int, nl int, x, y float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	for j := 0; j < nl && *from < len(lines); j++ {
		t.d.setFont(style, t.st.size)
		t.d.f.SetXY(x, y+cellPadV+float64(j)*t.lh)
		t.d.f.CellFormat(t.widths[i], t.lh, lines[*from], "", 0, t.aligns[i], false, 0, "")
		*from++
	}
}

func weight(w float64) float64 {
	if w > 0 && !math.IsInf(w, 0) {
		return w
	}
	return 1
}
