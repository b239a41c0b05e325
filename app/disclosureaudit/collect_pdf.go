package disclosureaudit

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
)

// PDFText is the text of a PDF laid out as printed (pdftotext -layout from
// poppler-utils): the attacker reads the public PDFs as a reader would.
func PDFText(pdf []byte) (string, error) {
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); errors.Is(err, exec.ErrNotFound) {
		return "", fmt.Errorf("the public PDFs are read with pdftotext: install poppler-utils (the container image has none: run the audit from a machine that has it, with the same DATABASE_URL): %w", err)
	} else if err != nil {
		return "", fmt.Errorf("pdftotext: %w %s", err, errOut.String())
	}
	return out.String(), nil
}

// band is a count as a PDF prints it: "<5", "10–14", "1.000–1.004"
// (every locale groups digits with "." or ",").
const band = `<5|\d[\d.,]*–[\d.,]*\d`

// cell is a count as a table prints it: a band, or an exact number (an
// unprotected output), or "—".
const cell = band + `|\d[\d.,]*|—`

// label is an outcome's title in the per-measure table ("Employed").
const label = `[^\s:<\d][^\s:]*(?: [^\s:]+)*`

// measureRowRe is the first line of a measure's row in a report's
// per-measure table: code, title, status, percent, spent, people, women,
// men, then the first outcome ("Employed: <5") or "—".
var measureRowRe = regexp.MustCompile(`^\s*(\S+)\s.*?\s(` + cell + `)\s+(` + cell + `)\s+(` + cell + `)\s+(?:(` + label + `):\s+(` + cell + `)|—)\s*$`)

// outcomeLineRe is a further outcome of the row: "Trained: 5–9".
var outcomeLineRe = regexp.MustCompile(`(` + label + `):\s+(` + cell + `)\s*$`)

// indicatorRowRe is a row of the report's indicator table: measure code,
// indicator, unit, baseline, target, actual.
var indicatorRowRe = regexp.MustCompile(`^\s*(\S+)\s+(\S.*?\S)\s{2,}(\S.*?)\s{2,}(` + band + `|\S+)\s{2,}(\S+)\s{2,}(` + band + `|—|\S+)\s*$`)

// reportColumns are the people columns of the per-measure table, named as
// addReports names a period's figures.
var reportColumns = []string{"people", "women", "men", "employed", "trained", "completed_education", "self_employed"}

// measureRow is one measure's counts in a period's public report.
type measureRow struct {
	code   string
	cells  []string // as printed, in reportColumns order
	labels []string // the outcomes' titles ("Employed"), in order
}

// parseMeasureRows reads the per-measure tables of a report's text.
func parseMeasureRows(text string) []measureRow {
	var out []measureRow
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		mm := measureRowRe.FindStringSubmatch(lines[i])
		if mm == nil || mm[2] == "—" {
			continue
		}
		r := measureRow{code: mm[1], cells: []string{mm[2], mm[3], mm[4]}}
		if mm[6] != "" {
			r.cells, r.labels = append(r.cells, mm[6]), append(r.labels, strings.TrimSpace(mm[5]))
			for j := i + 1; j < len(lines) && len(r.cells) < len(reportColumns); j++ {
				if measureRowRe.MatchString(lines[j]) {
					break
				}
				if o := outcomeLineRe.FindStringSubmatch(lines[j]); o != nil {
					r.cells, r.labels = append(r.cells, o[2]), append(r.labels, strings.TrimSpace(o[1]))
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// addReportPDF reads a published report's per-measure table: each
// measure's counts in the period (women + men at most the people reached)
// add up to the plan's figures of the period, which the cumulative figures
// of the open data add up in turn (addReports). It also reads the
// indicator table's baselines and values in persons.
// It returns the codes of the measures it read and the outcomes' titles
// (title → column), which the IATI results use.
func addReportPDF(m *Model, fetch Fetch, pdfURL string, planID, periodID int64, seen map[string]string) error {
	path := localPath(pdfURL)
	body, err := fetch(path)
	if err != nil {
		return err
	}
	text, err := PDFText(body)
	if err != nil {
		return err
	}
	rows := parseMeasureRows(text)
	if len(rows) == 0 {
		return fmt.Errorf("%s: no per-measure table found", path)
	}
	m.Read["report pdf"]++
	m.Read["report pdf row"] += len(rows)
	sums := make([][]string, len(reportColumns))
	for _, r := range rows {
		v := func(col string) string {
			return fmt.Sprintf("plan %d period %d measure %s %s", planID, periodID, r.code, col)
		}
		for k, cell := range r.cells {
			m.Published(v(reportColumns[k]), ParseText(cell), path)
			sums[k] = append(sums[k], v(reportColumns[k]))
		}
		m.AtMost(v("people"), v("women"), v("men"))
		seen["code "+r.code] = r.code
		for k, l := range r.labels {
			seen["outcome "+l] = reportColumns[3+k]
		}
	}
	for k, col := range reportColumns {
		if len(sums[k]) == len(rows) { // every reported measure printed the column
			m.Equal(fmt.Sprintf("plan %d period %d %s", planID, periodID, col), sums[k]...)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		ir := indicatorRowRe.FindStringSubmatch(line)
		if ir == nil || !countsPeople(ir[3]) {
			continue
		}
		v := func(part string) string {
			return fmt.Sprintf("plan %d measure %s indicator %s %s", planID, ir[1], ir[2], part)
		}
		m.Published(v("baseline"), ParseText(ir[4]), path)
		m.Published(v(fmt.Sprintf("value up to period %d", periodID)), ParseText(ir[6]), path)
	}
	return nil
}

// localPath is the path of a link the open data gives (absolute URL).
func localPath(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Path == "" {
		return link
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}
