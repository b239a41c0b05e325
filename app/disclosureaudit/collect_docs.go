package disclosureaudit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// planIndicatorRe is a row of a public plan PDF's indicator table: measure
// code, indicator, unit, baseline, target.
var planIndicatorRe = regexp.MustCompile(`^\s*(\S+)\s+(\S.*?\S)\s{2,}(\S.*?)\s{2,}(` + cell + `)\s{2,}(\S+)\s*$`)

// addPlanPDF reads a public plan PDF's indicator baselines in persons.
func addPlanPDF(m *Model, fetch Fetch, pdfURL string, planID int64) error {
	path := localPath(pdfURL)
	text, err := fetchText(fetch, path)
	if err != nil {
		return err
	}
	m.Read["plan pdf"]++
	for _, line := range strings.Split(text, "\n") {
		r := planIndicatorRe.FindStringSubmatch(line)
		if r == nil || !countsPeople(r[3]) {
			continue
		}
		m.Published(fmt.Sprintf("plan %d measure %s indicator %s baseline", planID, r[1], r[2]), readCell(r[4]), path)
	}
	return nil
}

// sitanIndicatorRe is the first line of an indicator's row in a published
// analysis PDF: its name, value, women, men, then its sources.
var sitanIndicatorRe = regexp.MustCompile(`^\s?\S.*?\s(` + cell + `)\s+(` + cell + `)\s+(` + cell + `)` + textAfter)

// sitanGroupRe is the first line of a vulnerable group's row: rank, name,
// estimated size, women, men, then its barriers.
var sitanGroupRe = regexp.MustCompile(`^\s+(\d+)\s\S.*?\s(` + cell + `)\s+(` + cell + `)\s+(` + cell + `)` + textAfter)

// textAfter is the text column after the counts (sources, barriers): it
// starts with a letter, or is "—".
const textAfter = `\s+(?:[^\s\d<—]|—\s*$)`

// addSitanPDF reads a published analysis PDF: each indicator's value,
// women and men (rows in the order of the open data) and each vulnerable
// group's estimated size, women and men (by rank). A number too wide for
// its column wraps onto the next line; it is read as unknown.
func addSitanPDF(m *Model, fetch Fetch, pdfURL string, sitanID int64, indicators []string, sources [][]string) error {
	path := localPath(pdfURL)
	text, err := fetchText(fetch, path)
	if err != nil {
		return err
	}
	m.Read["analysis pdf"]++
	parts := []string{"value", "women", "men"}
	k := 0
	inGroups := false
	// each indicator's sources column: the text right of its counts, on
	// its first line and the lines under it
	rows := make([]strings.Builder, len(indicators))
	col := 0
	for _, line := range strings.Split(text, "\n") {
		if g := sitanGroupRe.FindStringSubmatch(line); g != nil {
			inGroups = true
			rank, _ := strconv.Atoi(g[1])
			for j, p := range []string{"size", "women", "men"} {
				m.Published(fmt.Sprintf("analysis %d group %d %s", sitanID, rank, p), readCell(g[2+j]), path)
			}
			continue
		}
		if inGroups {
			continue
		}
		if r := sitanIndicatorRe.FindStringSubmatchIndex(line); r != nil && k < len(indicators) {
			for j, p := range parts {
				m.Published(fmt.Sprintf("analysis %d %s %s", sitanID, indicators[k], p), readCell(line[r[2+2*j]:r[3+2*j]]), path)
			}
			col = utf8.RuneCountInString(line[:r[7]]) + 1
			k++
		}
		if k > 0 {
			if rs := []rune(line); len(rs) > col {
				rows[k-1].WriteString(string(rs[col:]) + " ")
			}
		}
	}
	for i, want := range sources {
		var names []string
		var printed []Printed
		for _, name := range want {
			// "organisation: value"; a name is read whatever the lines
			// the column wrapped it onto
			words := strings.Fields(name)
			for j := range words {
				words[j] = regexp.QuoteMeta(words[j])
			}
			re := regexp.MustCompile(`(?:^|\s)` + strings.Join(words, `\s+`) + `:\s+(` + cell + `)`)
			if r := re.FindStringSubmatch(rows[i].String()); r != nil {
				names, printed = append(names, name), append(printed, readCell(r[1]))
			}
		}
		m.Read["analysis pdf source"] += addSources(m, fmt.Sprintf("analysis %d %s", sitanID, indicators[i]), want, names, printed, path)
	}
	if k != len(indicators) {
		return fmt.Errorf("%s: %d indicator rows read, the open data has %d", path, k, len(indicators))
	}
	return nil
}

// readCell is ParseText for a table cell; a band whose upper bound is
// below its lower one was cut by a line wrap and tells nothing.
func readCell(s string) Printed {
	p := ParseText(s)
	if p.Hi < p.Lo {
		return Printed{Lo: 0, Hi: inf}
	}
	return p
}

func fetchText(fetch Fetch, path string) (string, error) {
	body, err := fetch(path)
	if err != nil {
		return "", err
	}
	return PDFText(body)
}
