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

func (d *Doc) table(cols []Column, rows [][]string, st tableStyle) {
	n := len(cols)
	if n == 0 {
		return
	}
	total := 0.0
	for _, c := range cols {
		total += weight(c.Width)
	}
	widths := make([]float64, n)
	aligns := make([]string, n)
	for i, c := range cols {
		widths[i] = d.contentW * weight(c.Width) / total
		switch c.Align {
		case "R", "C":
			aligns[i] = c.Align
		default:
			aligns[i] = "L"
		}
	}
	lh := lineH(st.size)
	d.f.SetCellMargin(cellPadH)

	wrap := func(cells []string, bold func(i int) bool) [][]string {
		out := make([][]string, n)
		for i := 0; i < n && i < len(cells); i++ {
			style := ""
			if bold(i) {
				style = "B"
			}
			d.setFont(style, st.size)
			out[i] = d.f.SplitText(clean(cells[i]), widths[i])
		}
		return out
	}
	height := func(lines [][]string) int {
		h := 1
		for _, l := range lines {
			h = max(h, len(l))
		}
		return h
	}

	var head [][]string
	headH := 0.0
	if st.header {
		titles := make([]string, n)
		for i, c := range cols {
			titles[i] = c.Title
		}
		head = wrap(titles, func(int) bool { return true })
		// A header may take at most a third of the page body.
		maxLines := max(1, int((d.bodyH/3-2*cellPadV)/lh))
		for i := range head {
			if len(head[i]) > maxLines {
				head[i] = head[i][:maxLines]
			}
		}
		headH = float64(height(head))*lh + 2*cellPadV
	}

	// chunk draws up to nl lines of every cell starting at from[i] and
	// advances from; it returns the height drawn.
	chunk := func(lines [][]string, from []int, nl int, isHead bool, fill *rgb) {
		drawn := 0
		for i := range lines {
			drawn = max(drawn, min(nl, len(lines[i])-from[i]))
		}
		drawn = max(drawn, 1)
		h := float64(drawn)*lh + 2*cellPadV
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
		for i := 0; i < n; i++ {
			if st.grid {
				d.f.Rect(x, y, widths[i], h, "D")
			}
			style := ""
			if isHead || (st.boldFirst && i == 0) {
				style = "B"
			}
			if i < len(lines) {
				for j := 0; j < nl && from[i] < len(lines[i]); j++ {
					d.setFont(style, st.size)
					d.f.SetXY(x, y+cellPadV+float64(j)*lh)
					d.f.CellFormat(widths[i], lh, lines[i][from[i]], "", 0, aligns[i], false, 0, "")
					from[i]++
				}
			}
			x += widths[i]
		}
		if st.rowRule {
			d.f.Line(d.left, y+h, d.right, y+h)
		}
		d.f.SetXY(d.left, y+h)
	}
	drawHeader := func() {
		if st.header {
			chunk(head, make([]int, n), math.MaxInt32, true, &colHeaderFill)
		}
	}
	rowsOnPage := 0
	breakPage := func() {
		d.newPage()
		drawHeader()
		rowsOnPage = 0
	}
	fits := func(lines int) bool {
		return d.y()+float64(lines)*lh+2*cellPadV <= d.bottom+eps
	}
	freeLines := func() int {
		return int((d.bottom - d.y() - 2*cellPadV + eps) / lh)
	}

	for ri, row := range rows {
		lines := wrap(row, func(i int) bool { return st.boldFirst && i == 0 })
		need := height(lines)
		var fill *rgb
		if st.zebra && ri%2 == 1 {
			fill = &colZebra
		}
		if ri == 0 {
			// Keep the header with (the start of) the first row.
			first := min(need, max(1, int((d.bodyH-headH-2*cellPadV)/lh)))
			d.ensure(headH + float64(first)*lh + 2*cellPadV)
			drawHeader()
		}
		from := make([]int, n)
		for need > 0 {
			if fits(need) {
				chunk(lines, from, need, false, fill)
				rowsOnPage++
				break
			}
			// Move the row to a fresh page if it fits there whole, or if
			// fewer than two of its lines fit here.
			fitsFresh := headH+float64(need)*lh+2*cellPadV <= d.bodyH+eps
			if rowsOnPage > 0 && (fitsFresh || freeLines() < min(2, need)) {
				breakPage()
				continue
			}
			// Split: fill this page, continue on the next. At least one line
			// is drawn per page so this always terminates.
			nl := max(1, freeLines())
			chunk(lines, from, nl, false, fill)
			need -= nl
			rowsOnPage++
			if need > 0 {
				breakPage()
			}
		}
	}
}

func weight(w float64) float64 {
	if w > 0 && !math.IsInf(w, 0) {
		return w
	}
	return 1
}
