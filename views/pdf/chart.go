package pdf

import (
	"math"
	"strconv"
)

// BarChart is a horizontal grouped bar chart, e.g. planned vs spent per
// funding source. Each series has its own fill AND pattern (solid, diagonal
// hatch, cross hatch), a legend, and its value printed at the bar end, so
// colour is never the only carrier of meaning. Negative, NaN and infinite
// values are drawn as zero-length bars (their labels are still printed).
type BarChart struct {
	Title  string
	Series []string // e.g. ["Planned","Spent"]; up to 3 distinct styles (more repeat them)
	Groups []BarGroup
}

// BarGroup is one category with a value per series.
type BarGroup struct {
	Label  string
	Values []float64
	Labels []string // formatted value per series, printed at the bar end; empty = plain number
}

type barStyle struct {
	fill, stroke rgb
	pattern      int // 0 solid, 1 diagonal hatch, 2 cross hatch
}

var barStyles = []barStyle{
	{fill: rgb{38, 84, 148}, stroke: rgb{22, 50, 92}, pattern: 0},
	{fill: rgb{244, 178, 96}, stroke: rgb{140, 82, 16}, pattern: 1},
	{fill: rgb{176, 214, 166}, stroke: rgb{44, 100, 44}, pattern: 2},
}

const (
	barH      = 4.4 // mm
	barGap    = 0.9
	groupGap  = 3.2
	chartFont = 8.5 // pt
)

// BarChart draws a horizontal bar chart with PDF primitives.
func (d *Doc) BarChart(c BarChart) {
	d.run(func() { d.barChart(c) })
}

func (d *Doc) barChart(c BarChart) {
	ns := len(c.Series)
	for _, g := range c.Groups {
		ns = max(ns, len(g.Values))
	}
	names := make([]string, ns)
	for i := range names {
		if i < len(c.Series) {
			names[i] = oneLine(c.Series[i])
		}
		if names[i] == "" {
			names[i] = strconv.Itoa(i + 1)
		}
	}
	value := func(g BarGroup, s int) float64 {
		if s >= len(g.Values) {
			return 0
		}
		v := g.Values[s]
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return 0
		}
		return v
	}
	valueLabel := func(g BarGroup, s int) string {
		if s < len(g.Labels) {
			if l := oneLine(g.Labels[s]); l != "" {
				return l
			}
		}
		if s < len(g.Values) {
			return strconv.FormatFloat(g.Values[s], 'f', -1, 64)
		}
		return ""
	}

	maxV := 0.0
	d.setFont("", chartFont)
	valueW := 0.0
	for _, g := range c.Groups {
		for s := 0; s < ns; s++ {
			maxV = math.Max(maxV, value(g, s))
			valueW = math.Max(valueW, d.f.GetStringWidth(valueLabel(g, s)))
		}
	}
	valueW = math.Min(valueW+3, d.contentW*0.3)
	labelW := d.contentW * 0.3
	barX := d.left + labelW + 2
	barMax := math.Max(d.right-valueW-barX, 10)
	lh := lineH(chartFont)

	groupLines := make([][]string, len(c.Groups))
	groupH := make([]float64, len(c.Groups))
	maxLabelLines := max(1, int(d.bodyH/2/lh))
	d.f.SetCellMargin(0)
	for i, g := range c.Groups {
		d.setFont("", chartFont)
		ls := d.f.SplitText(clean(g.Label), labelW)
		if len(ls) > maxLabelLines {
			ls = ls[:maxLabelLines]
		}
		groupLines[i] = ls
		barsH := float64(ns)*barH + float64(max(ns-1, 0))*barGap
		groupH[i] = math.Max(barsH, float64(len(ls))*lh)
	}

	// Title, legend and the first group stay together.
	d.setFont("B", 11)
	d.f.SetCellMargin(0)
	titleLines := d.f.SplitText(clean(c.Title), d.contentW)
	titleH := float64(len(titleLines)) * lineH(11)
	legendH := d.legend(names, false)
	firstH := 0.0
	if len(groupH) > 0 {
		firstH = groupH[0] + groupGap
	}
	d.ensure(titleH + 1.5 + legendH + firstH)
	if len(titleLines) > 0 {
		d.block(c.Title, "B", 11, colText, len(titleLines), 0)
		d.f.SetXY(d.left, d.y()+1.5)
	}
	d.legend(names, true)

	for i, g := range c.Groups {
		if d.y()+groupH[i] > d.bottom+eps && !d.atTop() {
			d.newPage()
			d.legend(names, true) // repeat the key on every page of the chart
		}
		y := d.y()
		d.setFont("", chartFont)
		d.textColor(colText)
		d.f.SetCellMargin(0)
		for j, ln := range groupLines[i] {
			d.f.SetXY(d.left, y+float64(j)*lh)
			d.f.CellFormat(labelW, lh, ln, "", 0, "L", false, 0, "")
		}
		for s := 0; s < ns; s++ {
			by := y + float64(s)*(barH+barGap)
			w := 0.0
			if maxV > 0 {
				w = barMax * value(g, s) / maxV
			}
			d.bar(barX, by, w, barH, s)
			d.setFont("", chartFont)
			d.textColor(colText)
			d.f.SetCellMargin(0)
			d.f.SetXY(barX+w+1.5, by)
			d.f.CellFormat(valueW, barH, valueLabel(g, s), "", 0, "L", false, 0, "")
		}
		// axis
		d.f.SetDrawColor(colMuted.r, colMuted.g, colMuted.b)
		d.f.SetLineWidth(0.3)
		d.f.Line(barX, y-groupGap/2, barX, y+groupH[i]+groupGap/2)
		d.f.SetXY(d.left, y+groupH[i]+groupGap)
	}
	d.skip(3)
}

// legend draws (or, with draw=false, only measures) the series key and
// returns its height.
func (d *Doc) legend(names []string, draw bool) float64 {
	const sw, sh, rowH = 8.0, 3.6, 5.5
	d.setFont("", chartFont)
	d.f.SetCellMargin(0)
	x, y0 := d.left, d.y()
	y := y0
	for i, name := range names {
		if ls := d.f.SplitText(name, d.contentW-sw-4); len(ls) > 0 {
			name = ls[0]
		}
		tw := d.f.GetStringWidth(name)
		itemW := sw + 1.8 + tw + 7
		if x+itemW > d.right && x > d.left {
			x, y = d.left, y+rowH
		}
		if draw {
			d.bar(x, y+(rowH-sh)/2-0.6, sw, sh, i)
			d.setFont("", chartFont)
			d.textColor(colText)
			d.f.SetCellMargin(0)
			d.f.SetXY(x+sw+1.8, y)
			d.f.CellFormat(tw+1, rowH-1.2, name, "", 0, "L", false, 0, "")
		}
		x += itemW
	}
	h := y - y0 + rowH + 1.5
	if draw {
		d.f.SetXY(d.left, y0+h)
	}
	return h
}

// bar draws one bar (or legend swatch) in the style of series s.
func (d *Doc) bar(x, y, w, h float64, s int) {
	st := barStyles[s%len(barStyles)]
	d.f.SetDrawColor(st.stroke.r, st.stroke.g, st.stroke.b)
	d.f.SetLineWidth(0.25)
	if w < 0.3 {
		// zero value: a short stroke keeps the series visible on the axis
		d.f.Line(x, y, x, y+h)
		return
	}
	d.f.SetFillColor(st.fill.r, st.fill.g, st.fill.b)
	d.f.Rect(x, y, w, h, "F")
	if st.pattern > 0 {
		d.f.ClipRect(x, y, w, h, false)
		d.f.SetLineWidth(0.22)
		const step = 1.5
		for k := 0; ; k++ {
			t := -h + float64(k)*step
			if t > w {
				break
			}
			d.f.Line(x+t, y+h, x+t+h, y) // "/"
			if st.pattern == 2 {
				d.f.Line(x+t, y, x+t+h, y+h) // "\"
			}
		}
		d.f.ClipEnd()
		d.f.SetLineWidth(0.25)
	}
	d.f.Rect(x, y, w, h, "D")
}
