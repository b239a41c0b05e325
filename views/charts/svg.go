package charts

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"pakt/i18n"
	"pakt/models"
)

// timelineSVG draws the measures on the plan period as bars, server-side, so
// it is readable without JavaScript (and the measures table carries the same
// dates as text for screen readers).
func Timeline(p *models.Plan, l *i18n.Localizer) template.HTML {
	const left, width, rowH, top = 90.0, 640.0, 22.0, 28.0
	w, h := TimelineSize(len(p.Measures))
	start, end := p.PeriodStart.Time, p.PeriodEnd.Time.AddDate(0, 0, 1)
	span := end.Sub(start).Hours()
	x := func(t time.Time) float64 {
		if t.Before(start) {
			t = start
		}
		return left + width*t.Sub(start).Hours()/span
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="tl-title" xmlns="http://www.w3.org/2000/svg">`, w, int(h), w, int(h))
	fmt.Fprintf(&b, `<title id="tl-title">%s</title>`, html.EscapeString(l.T("plan.timeline")))
	// Shown as an <img>, the chart keeps a light background in dark mode.
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#ffffff"/>`)
	for y := start.Year(); y <= p.PeriodEnd.Year(); y++ {
		yx := x(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="18" x2="%.1f" y2="%.1f" stroke="#94a3b8" stroke-dasharray="3 3"/>`, yx, yx, h)
		fmt.Fprintf(&b, `<text x="%.1f" y="14" font-size="12" fill="#334155">%d</text>`, yx+3, y)
	}
	for i, m := range p.Measures {
		y := top + rowH*float64(i)
		x1, x2 := x(m.StartDate.Time), x(m.EndDate.Time.AddDate(0, 0, 1))
		fmt.Fprintf(&b, `<text x="4" y="%.1f" font-size="12" fill="#0f172a">%s</text>`, y+14, html.EscapeString(m.Code))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="14" rx="3" fill="#2563eb"><title>%s: %s – %s</title></rect>`,
			x1, y+3, max(x2-x1, 2), html.EscapeString(m.Code+" "+m.Title), l.Date(m.StartDate.Time), l.Date(m.EndDate.Time))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text inside was escaped above
}

// timelineSize is the width and height of the timeline of n measures.
func TimelineSize(n int) (int, float64) { return 740, 28 + 22*float64(n) + 10 }
