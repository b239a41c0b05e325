package charts

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// barSeries is one set of bars of a chart: a name for the legend and, per
// category, the length to draw and the exact text to print next to the bar.
type Series struct {
	Name   string
	Values []float64
	Labels []string
}

// barChart is a horizontal bar chart drawn on the server, readable without
// JavaScript: every bar carries its value as text, series are told apart by
// fill pattern as well as colour and named in a text legend, and the same
// figures are in the table next to it.
type Bar struct {
	ID     string // unique on the page; prefixes the SVG's element ids
	Title  string
	Desc   string
	Cats   []string
	Series []Series
	Notes  []string // per category: text drawn instead of its bars ("" = draw bars)
	Min    float64  // the scale reaches at least this (e.g. 100 for percentages)
	PerRow bool     // scale each category on its own (mixed units)
	Ref    float64  // >0: a dashed reference line at this value
	RefTxt string
	// Standalone draws a document of its own (served as image/svg+xml for
	// an <img>): a fixed size and a white background, since the page's
	// stylesheet (dark mode) does not reach into an image.
	Standalone bool
}

// chartFill is how series i is painted: solid, hatched, dotted.
type ChartFill struct{ colour, pattern string }

var ChartFills = []ChartFill{{"#1d4ed8", ""}, {"#b45309", "hatch"}, {"#15803d", "dots"}}

const (
	ChartLeft = 210.0 // category labels
	ChartSpan = 420.0 // a full-length bar
	ChartBarH = 16.0
	ChartGap  = 12.0
	ChartFont = `font-family="sans-serif" font-size="12"`
)

// SVG draws the chart; every text in it is escaped. It borrows the
// timeline's sizing rule (svg.timeline in app.css: full width up to 760px).
func (ch Bar) SVG() template.HTML {
	esc := html.EscapeString
	id := esc(ch.ID)
	legend := len(ch.Series) > 1
	top := ch.top()
	rowH := ChartBarH*float64(len(ch.Series)) + ChartGap
	labels := ch.valueLabels()
	width, h := ch.size(labels)
	var b strings.Builder
	if ch.Standalone {
		fmt.Fprintf(&b, `<svg width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`,
			width, h, width, h, id, id)
	} else {
		fmt.Fprintf(&b, `<svg class="chart timeline" width="100%%" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`,
			width, h, id, id)
	}
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(ch.Title), id, esc(ch.Desc))
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`+
		`<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="3"/></pattern>`, id, ChartFills[1].colour)
	fmt.Fprintf(&b, `<pattern id="%s-dots" width="5" height="5" patternUnits="userSpaceOnUse">`+
		`<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.5" fill="%s"/></pattern></defs>`, id, ChartFills[2].colour)
	if ch.Standalone {
		b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>`)
	}
	if legend {
		x := ChartLeft
		for i, s := range ch.Series {
			fmt.Fprintf(&b, `<rect x="%.1f" y="6" width="14" height="14" %s/>`, x, ch.fill(i))
			fmt.Fprintf(&b, `<text x="%.1f" y="17" %s fill="#0f172a">%s</text>`, x+19, ChartFont, esc(s.Name))
			x += 30 + 7*float64(len([]rune(s.Name)))
		}
	}
	span := ChartSpan
	scale := ch.scale(-1)
	for ci, cat := range ch.Cats {
		y := top + rowH*float64(ci)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" %s fill="#0f172a" text-anchor="end"><title>%s</title>%s</text>`,
			ChartLeft-8, y+ChartBarH*float64(len(ch.Series))/2+4, ChartFont, esc(cat), esc(ChartShorten(cat, 30)))
		if ci < len(ch.Notes) && ch.Notes[ci] != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" %s fill="#334155" font-style="italic">%s</text>`, ChartLeft, y+12, ChartFont, esc(ch.Notes[ci]))
			continue
		}
		if ch.PerRow {
			scale = ch.scale(ci)
		}
		for si, s := range ch.Series {
			v := 0.0
			if ci < len(s.Values) {
				v = math.Max(s.Values[ci], 0)
			}
			w := span * v / scale
			by := y + ChartBarH*float64(si)
			if w > 0 {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" %s/>`, ChartLeft, by+1, math.Max(w, 1), ChartBarH-3, ch.fill(si))
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" %s fill="#0f172a">%s</text>`, ChartLeft+w+5, by+ChartBarH-4, ChartFont, esc(labels[ci][si]))
		}
	}
	if ch.Ref > 0 && !ch.PerRow {
		x := ChartLeft + span*ch.Ref/scale
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#475569" stroke-dasharray="4 3"/>`, x, top-4, x, h-14)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" %s fill="#334155" text-anchor="middle">%s</text>`, x, h-3, ChartFont, esc(ch.RefTxt))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text inside was escaped above
}

// top is where the first bar starts: below the legend when there is one.
func (ch Bar) top() float64 {
	if len(ch.Series) > 1 {
		return 30
	}
	return 8
}

// size is the chart's width and height in user units (its viewBox), wide
// enough for the longest value label.
func (ch Bar) size(labels [][]string) (width, height float64) {
	rowH := ChartBarH*float64(len(ch.Series)) + ChartGap
	height = ch.top() + rowH*float64(len(ch.Cats)) + 6
	if ch.Ref > 0 {
		height += 14
	}
	width = ChartLeft + ChartSpan + 10
	for _, row := range labels {
		for _, l := range row {
			width = math.Max(width, ChartLeft+ChartSpan+10+7*float64(len([]rune(l))))
		}
	}
	return width, height
}

// Size is size for callers that place the chart, e.g. as an <img>.
func (ch Bar) Size() (width, height int) {
	w, h := ch.size(ch.valueLabels())
	return int(math.Round(w)), int(math.Round(h))
}

// SizeOf is Size of this chart (its series named, their values not
// added) once it has cats categories and, per series, a longest value label
// of longest[i] runes: for a page that places the chart as an image and
// need not build it.
func (ch Bar) SizeOf(cats int, longest []int) (width, height int) {
	probe := ch
	probe.Cats = []string{""}
	probe.Series = make([]Series, len(ch.Series))
	for i, s := range ch.Series {
		probe.Series[i] = Series{Name: s.Name, Labels: []string{strings.Repeat("x", longest[i])}}
	}
	w, _ := probe.size(probe.valueLabels())
	probe.Cats = make([]string, cats)
	_, h := probe.size(nil)
	return int(math.Round(w)), int(math.Round(h))
}

// valueLabels are the texts next to the bars, per category and series; with
// several series each names its series, so colour is never the only key.
func (ch Bar) valueLabels() [][]string {
	out := make([][]string, len(ch.Cats))
	for ci := range ch.Cats {
		out[ci] = make([]string, len(ch.Series))
		for si, s := range ch.Series {
			l := ""
			if ci < len(s.Labels) {
				l = s.Labels[ci]
			}
			if len(ch.Series) > 1 {
				l = s.Name + ": " + l
			}
			out[ci][si] = ChartShorten(l, 48)
		}
	}
	return out
}

// fill is the paint of series i: its colour, and a pattern from the second series on.
func (ch Bar) fill(i int) string {
	f := ChartFills[i%len(ChartFills)]
	if f.pattern == "" {
		return fmt.Sprintf(`fill="%s"`, f.colour)
	}
	return fmt.Sprintf(`fill="url(#%s-%s)" stroke="%s" stroke-width="1.5"`, html.EscapeString(ch.ID), f.pattern, f.colour)
}

// scale is the value a full-length bar stands for: over the whole chart
// (row < 0) or one category.
func (ch Bar) scale(row int) float64 {
	m := math.Max(ch.Min, ch.Ref)
	for _, s := range ch.Series {
		for i, v := range s.Values {
			if row < 0 || i == row {
				m = math.Max(m, v)
			}
		}
	}
	if m <= 0 {
		return 1
	}
	return m
}

// chartShorten cuts a label to n runes with an ellipsis (the full text stays in the table).
func ChartShorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
