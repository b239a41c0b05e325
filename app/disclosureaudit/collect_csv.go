package disclosureaudit

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The open data's CSV files (docs/opendata.md): the figures CSV prints
// every published count of people once more, a row each; the measures CSV
// carries budget lines only, and the attacker checks it has no column of
// people.

// readCSV parses a public CSV: UTF-8 with a byte-order mark, "," or ";"
// as separator (web.CSVSeparator), told by the header line.
func readCSV(body []byte) ([][]string, error) {
	body = bytes.TrimPrefix(body, []byte("\uFEFF"))
	head, _, _ := bytes.Cut(body, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(body))
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// csvCount reads a count of the figures CSV: value, suppressed, min, max.
func csvCount(value, suppressed, lo, hi string) Printed {
	if v, err := strconv.ParseFloat(value, 64); err == nil {
		return Printed{Lo: v, Hi: v}
	}
	if suppressed == "not_recorded" {
		return Printed{Missing: true}
	}
	a, err1 := strconv.ParseFloat(lo, 64)
	b, err2 := strconv.ParseFloat(hi, 64)
	switch {
	case err1 == nil && err2 == nil:
		return Printed{Lo: a, Hi: b, Small: suppressed == "small"}
	case suppressed == "small":
		return Printed{Lo: 0, Hi: 4, Small: true}
	}
	return Printed{Lo: 0, Hi: math.Inf(1)}
}

// figureNames are the figures CSV's names of a report's cumulative figures
// as the attacker names them (addReports).
var figureNames = map[string]string{"people_total": "people", "women": "women", "men": "men", "employed": "employed",
	"trained": "trained", "completed_education": "completed_education", "self_employed": "self_employed"}

// focusNames are the figures CSV's names of a focus group's counts.
var focusNames = map[string]string{"participants_total": "total", "women": "women", "men": "men",
	"age_15_29": "age_15_29", "age_30_49": "age_30_49", "age_50_plus": "age_50_plus"}

// addCSV reads a municipality's two public CSV files.
func addCSV(m *Model, fetch Fetch, d muniData, focus []int64) error {
	base := "/api/v1/public/municipalities/" + d.Slug
	body, err := fetch(base + ".csv")
	if err != nil {
		return err
	}
	rows, err := readCSV(body)
	if err != nil {
		return fmt.Errorf("%s.csv: %w", base, err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s.csv: no header", base)
	}
	for _, col := range rows[0] {
		if _, ok := peopleColumns[col]; ok {
			return fmt.Errorf("%s.csv: column %q counts people, the attacker does not read it", base, col)
		}
	}
	m.Read["csv"]++
	path := base + "/figures.csv"
	if body, err = fetch(path); err != nil {
		return err
	}
	if rows, err = readCSV(body); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	planOf := map[string]int64{}
	for _, r := range d.Reports {
		planOf[strconv.FormatInt(r.PeriodID, 10)] = r.PlanID
	}
	rankOf := map[string]int{}
	for _, s := range d.Sitans {
		for _, g := range s.Groups {
			rankOf[fmt.Sprintf("%d %s", s.ID, g.Group)] = g.Rank
		}
	}
	col := map[string]int{}
	if len(rows) > 0 {
		for i, c := range rows[0] {
			col[c] = i
		}
	}
	for _, c := range []string{"source", "source_id", "subject", "figure", "value", "suppressed", "min", "max"} {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("%s: no column %s", path, c)
		}
	}
	m.Read["csv"]++
	for _, r := range rows[1:] {
		get := func(c string) string {
			if i := col[c]; i < len(r) {
				return r[i]
			}
			return ""
		}
		p := csvCount(get("value"), get("suppressed"), get("min"), get("max"))
		src, id, subject, figure := get("source"), get("source_id"), get("subject"), get("figure")
		var name string
		switch src {
		case "report":
			plan, ok := planOf[id]
			if !ok {
				continue
			}
			if g, ok := strings.CutPrefix(subject, "group:"); ok && figure == "people" {
				name = fmt.Sprintf("plan %d up to period %s group %s", plan, id, g)
			} else if f, ok := figureNames[figure]; ok {
				name = fmt.Sprintf("plan %d up to period %s %s", plan, id, f)
			}
		case "situation_analysis":
			if ind, ok := strings.CutPrefix(subject, "indicator:"); ok {
				name = fmt.Sprintf("analysis %s %s %s", id, ind, figure)
			} else if g, ok := strings.CutPrefix(subject, "group:"); ok {
				if rank, ok := rankOf[id+" "+g]; ok {
					name = fmt.Sprintf("analysis %s group %d %s", id, rank, strings.TrimPrefix(figure, "estimated_"))
				}
			}
		case "focus_group":
			if f, ok := focusNames[figure]; ok {
				n, _ := strconv.ParseInt(id, 10, 64)
				name = fgVar(n, f)
			}
		case "focus_groups_total":
			if f, ok := focusNames[figure]; ok {
				var names []string
				for _, n := range focus {
					names = append(names, fgVar(n, f))
				}
				m.PublishedSum(names, p)
				m.Read["csv row"]++
			}
			continue
		}
		if name != "" {
			m.Published(name, p, path)
			m.Read["csv row"]++
		}
	}
	return nil
}

// peopleColumns are column names that would carry counts of people.
var peopleColumns = map[string]struct{}{"people": {}, "people_total": {}, "women": {}, "men": {}, "beneficiaries": {},
	"participants": {}, "participants_total": {}, "employed": {}, "trained": {}, "baseline": {}, "actual": {}}
