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
		for _, r := range pageIndRowRe.FindAllStringSubmatch(page, -1) {
			for i, p := range pageCells(r[2]) {
				if i < 3 {
					m.Published(fmt.Sprintf("analysis %d %s %s", s.ID, r[1], []string{"value", "women", "men"}[i]), p, path)
				}
			}
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
