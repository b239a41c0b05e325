package disclosureaudit

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
)

// The public pages of a municipality, as the public HTML prints them.
var (
	pageNumCellRe  = regexp.MustCompile(`<td class="num(?: value)?">([^<]*)</td>`)
	pageFocusRowRe = regexp.MustCompile(`(?s)<tr data-focus-group="(\d+)">(.*?)</tr>`)
	pageIndRowRe   = regexp.MustCompile(`(?s)<tr data-indicator="([a-z_]+)"[^>]*>(.*?)</tr>`)
	pageSourceRe   = regexp.MustCompile(`(?s)<li><span[^>]*>(.*?)</span>: ([^<]*)`)
	pageGroupRowRe = regexp.MustCompile(`(?s)<tr><td class="num">(\d+)</td><th scope="row">.*?</th>(.*?)</tr>`)
)

// pageCells are the counts of a table row as a page prints them.
func pageCells(row string) []Printed {
	var out []Printed
	for _, c := range pageNumCellRe.FindAllStringSubmatch(row, -1) {
		out = append(out, ParseText(html.UnescapeString(c[1])))
	}
	return out
}

// addPages reads a municipality's public HTML pages: "what we heard" (each
// focus group's participants, total, women, men and age bands) and every
// published analysis (indicators: value, women, men; vulnerable groups by
// rank: size, women, men). They print the counts the open data carries,
// so they add no identity, but a page that printed more would show here.
func addPages(m *Model, fetch Fetch, d muniData) error {
	path := "/m/" + d.Slug + "/heard"
	body, err := fetch(path)
	if err != nil {
		return err
	}
	m.Read["page"]++
	for _, r := range pageFocusRowRe.FindAllStringSubmatch(string(body), -1) {
		id, _ := strconv.ParseInt(r[1], 10, 64)
		for i, p := range pageCells(r[2]) {
			if i < len(focusCols) {
				m.Published(fgVar(id, focusCols[i]), p, path)
			}
		}
	}
	for _, s := range d.Sitans {
		path := fmt.Sprintf("/m/%s/situation-analyses/%d", d.Slug, s.ID)
		body, err := fetch(path)
		if err != nil {
			return err
		}
		m.Read["page"]++
		page := string(body)
		sources := map[string][]string{}
		for _, ind := range s.Indicators {
			for _, src := range ind.Sources {
				sources[ind.Indicator] = append(sources[ind.Indicator], src.Organisation)
			}
		}
		for _, r := range pageIndRowRe.FindAllStringSubmatch(page, -1) {
			for i, p := range pageCells(r[2]) {
				if i < 3 {
					m.Published(fmt.Sprintf("analysis %d %s %s", s.ID, r[1], []string{"value", "women", "men"}[i]), p, path)
				}
			}
			var names []string
			var printed []Printed
			for _, li := range pageSourceRe.FindAllStringSubmatch(r[2], -1) {
				names = append(names, html.UnescapeString(li[1]))
				printed = append(printed, ParseText(html.UnescapeString(li[2])))
			}
			m.Read["page source"] += addSources(m, fmt.Sprintf("analysis %d %s", s.ID, r[1]), sources[r[1]], names, printed, path)
		}
		for _, r := range pageGroupRowRe.FindAllStringSubmatch(page, -1) {
			for i, p := range pageCells(r[2]) {
				if i < 3 {
					m.Published(fmt.Sprintf("analysis %d group %s %s", s.ID, r[1], []string{"size", "women", "men"}[i]), p, path)
				}
			}
		}
	}
	return nil
}

// The public plan page (/m/{slug}/plans/{id}): each measure's row lists its
// indicators as "name: baseline → target unit"; a baseline in persons is
// a count of people (targets are goals).
var (
	planMeasureRowRe  = regexp.MustCompile(`(?s)<tr(?: id="measure-\d+")?>\s*<td>([^<]*)</td><td><strong.*?</tr>`)
	planIndicatorLiRe = regexp.MustCompile(`(?s)<li><span[^>]*>(.*?)</span>: ([^<]*?) → ([^<]*?)(?: <span[^>]*>(.*?)</span>)?</li>`)
	svgTextRe         = regexp.MustCompile(`(?s)<text[^>]*>(.*?)</text>`)
	chartCountRe      = regexp.MustCompile(`<5|\d–\d`)
)

// addPlanPages reads every public plan's page (its indicators' baselines
// in persons) and its chart, the timeline (timeline.svg), the one chart
// an anonymous visitor sees: it draws the measures' dates, and the attacker
// fails if any of its texts prints a count ("<5" or a band), which it would
// not know how to bound.
func addPlanPages(m *Model, fetch Fetch, d muniData) error {
	for _, p := range d.Plans {
		path := fmt.Sprintf("/m/%s/plans/%d", d.Slug, p.ID)
		body, err := fetch(path)
		if err != nil {
			return err
		}
		m.Read["plan page"]++
		for _, r := range planMeasureRowRe.FindAllStringSubmatch(string(body), -1) {
			code := html.UnescapeString(r[1])
			for _, li := range planIndicatorLiRe.FindAllStringSubmatch(r[0], -1) {
				if !countsPeople(html.UnescapeString(li[4])) {
					continue
				}
				name := fmt.Sprintf("plan %d measure %s indicator %s baseline", p.ID, code, html.UnescapeString(li[1]))
				m.Published(name, ParseText(html.UnescapeString(li[2])), path)
				m.Read["plan page indicator"]++
			}
		}
		if err := readChart(m, fetch, path+"/timeline.svg"); err != nil {
			return err
		}
	}
	return nil
}

// readChart reads a public chart's printed texts.
func readChart(m *Model, fetch Fetch, path string) error {
	body, err := fetch(path)
	if err != nil {
		return err
	}
	m.Read["chart"]++
	for _, t := range svgTextRe.FindAllStringSubmatch(string(body), -1) {
		if s := html.UnescapeString(t[1]); chartCountRe.MatchString(s) {
			return fmt.Errorf("%s prints %q, a count of people the attacker cannot tie to a count", path, s)
		}
	}
	return nil
}

// addSources binds the sources an output prints (by organisation name) to
// the open data's sources of the same indicator, in order: the j-th source
// of the open data is "<indicator> source j". A name printed twice is
// bound to its occurrences in turn.
func addSources(m *Model, indicator string, want, names []string, printed []Printed, where string) (read int) {
	used := make([]bool, len(want))
	for k, n := range names {
		for j, w := range want {
			if !used[j] && w == n {
				used[j] = true
				m.Published(fmt.Sprintf("%s source %d", indicator, j), printed[k], where)
				read++
				break
			}
		}
	}
	return read
}

// smallRe is how an output prints a count under five: HTML, JSON, text.
var smallRe = regexp.MustCompile(`&lt;5|\\u003c5|<5`)

// addNoCounts reads a public output that prints no count of people (the
// front page, its JSON, a municipality's page: plans, reports, analyses
// and agreements by name and date, the number of focus groups). Should
// it start printing one, as "<5" the way every public count under five
// is printed, the attacker fails: it would not know what the count is.
func addNoCounts(m *Model, fetch Fetch, path string) error {
	body, err := fetch(path)
	if err != nil {
		return err
	}
	m.Read["no counts"]++
	if s := smallRe.Find(body); s != nil {
		return fmt.Errorf("%s prints %q, a count of people the attacker does not read", path, s)
	}
	return nil
}
