package disclosureaudit

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Fetch returns the body of a public GET (status 200) or an error.
type Fetch func(path string) ([]byte, error)

// count is a count of people in the open-data JSON, of any version:
// {"value": 12}, {"value": null, "suppressed": "small"|"hidden"|"banded",
// "min": 10, "max": 14}, or not recorded.
type count struct {
	Value      *int64 `json:"value"`
	Suppressed string `json:"suppressed"`
	Min        *int64 `json:"min"`
	Max        *int64 `json:"max"`
}

func (c count) printed() Printed {
	switch {
	case c.Value != nil:
		return Printed{Lo: float64(*c.Value), Hi: float64(*c.Value)}
	case c.Suppressed == "not_recorded":
		return Printed{Missing: true}
	case c.Min != nil && c.Max != nil:
		return Printed{Lo: float64(*c.Min), Hi: float64(*c.Max), Small: c.Suppressed == "small"}
	case c.Suppressed == "small":
		return Printed{Lo: 0, Hi: 4, Small: true}
	}
	return Printed{Lo: 0, Hi: math.Inf(1)} // hidden
}

type focusCounts struct {
	Total count `json:"total"`
	Women count `json:"women"`
	Men   count `json:"men"`
	A1    count `json:"age_15_29"`
	A2    count `json:"age_30_49"`
	A3    count `json:"age_50_plus"`
}

func (f focusCounts) cells() []count { return []count{f.Total, f.Women, f.Men, f.A1, f.A2, f.A3} }

var focusCols = []string{"total", "women", "men", "age_15_29", "age_30_49", "age_50_plus"}

type muniData struct {
	Slug  string `json:"slug"`
	Plans []struct {
		ID       int64  `json:"id"`
		PDFURL   string `json:"pdf_url"`
		IATIURL  string `json:"iati_url"`
		Measures []struct {
			Code       string `json:"code"`
			Indicators []struct {
				Name          string `json:"name"`
				Baseline      string `json:"baseline"`
				BaselineCount *count `json:"baseline_count"`
			} `json:"indicators"`
		} `json:"measures"`
	} `json:"action_plans"`
	Reports []struct {
		PlanID   int64  `json:"plan_id"`
		PeriodID int64  `json:"period_id"`
		EndDate  string `json:"end_date"`
		PDFURL   string `json:"pdf_url"`
		Figures  struct {
			People  count            `json:"people_total"`
			Women   count            `json:"women"`
			Men     count            `json:"men"`
			Emp     count            `json:"employed"`
			Trained count            `json:"trained"`
			Edu     count            `json:"completed_education"`
			Self    count            `json:"self_employed"`
			ByGroup map[string]count `json:"by_group"`
		} `json:"figures"`
	} `json:"reports"`
	Sitans []struct {
		ID         int64  `json:"id"`
		PDFURL     string `json:"pdf_url"`
		Indicators []struct {
			Indicator string `json:"indicator"`
			Value     count  `json:"value"`
			Women     count  `json:"women"`
			Men       count  `json:"men"`
			Sources   []struct {
				Organisation string `json:"organisation"`
				Value        count  `json:"value"`
				Counted      bool   `json:"counted"`
			} `json:"sources"`
		} `json:"indicators"`
		Groups []struct {
			Rank  int    `json:"rank"`
			Group string `json:"group"`
			Size  count  `json:"estimated_size"`
			Women count  `json:"women"`
			Men   count  `json:"men"`
		} `json:"vulnerable_groups"`
	} `json:"situation_analyses"`
	Focus struct {
		Groups []struct {
			ID           int64       `json:"id"`
			Participants focusCounts `json:"participants"`
		} `json:"groups"`
		Totals *focusCounts `json:"totals"`
	} `json:"focus_groups"`
}

// Collect reads every public output and returns what an attacker knows.
func Collect(fetch Fetch) (*Model, error) {
	var list struct {
		Items []struct {
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := getJSON(fetch, "/api/v1/public/municipalities", &list); err != nil {
		return nil, err
	}
	m := NewModel()
	focusOf := map[string][]int64{}
	var all []muniData
	for _, mu := range list.Items {
		var d muniData
		if err := getJSON(fetch, "/api/v1/public/municipalities/"+mu.Slug, &d); err != nil {
			return nil, err
		}
		m.Read["json"]++
		focusOf[mu.Slug] = addFocus(m, d)
		addSitans(m, d)
		addReports(m, d)
		addBaselines(m, d)
		all = append(all, d)
	}
	docs := prefetch(fetch, all)
	for _, d := range all {
		if err := addDocuments(m, docs, d); err != nil {
			return nil, err
		}
		if err := addPages(m, fetch, d); err != nil {
			return nil, err
		}
		if err := addPlanPages(m, fetch, d); err != nil {
			return nil, err
		}
		if err := addCSV(m, fetch, d, focusOf[d.Slug]); err != nil {
			return nil, err
		}
		if err := addNoCounts(m, fetch, "/m/"+d.Slug); err != nil {
			return nil, err
		}
	}
	for _, path := range []string{"/", "/api/v1/public/front"} {
		if err := addNoCounts(m, fetch, path); err != nil {
			return nil, err
		}
	}
	return m, addRegion(m, fetch, focusOf)
}

// prefetch fetches every document the open data links to, a few at a
// time (the server renders them), ahead of reading them in order.
func prefetch(fetch Fetch, all []muniData) Fetch {
	var paths []string
	for _, d := range all {
		for _, r := range d.Reports {
			paths = append(paths, localPath(r.PDFURL))
		}
		for _, s := range d.Sitans {
			paths = append(paths, localPath(s.PDFURL))
		}
		for _, p := range d.Plans {
			paths = append(paths, localPath(p.PDFURL), localPath(p.IATIURL))
		}
	}
	type got struct {
		body []byte
		err  error
	}
	out := map[string]got{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, 3)
	for _, p := range paths {
		if p == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			body, err := fetch(p)
			<-slots
			mu.Lock()
			out[p] = got{body, err}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return func(path string) ([]byte, error) {
		if g, ok := out[path]; ok {
			return g.body, g.err
		}
		return fetch(path)
	}
}

// addBaselines: the plans' indicator baselines in persons (the same counts
// the plan and report PDFs and the IATI files print).
func addBaselines(m *Model, d muniData) {
	for _, p := range d.Plans {
		where := fmt.Sprintf("/m/%s/plans/%d", d.Slug, p.ID)
		for _, ms := range p.Measures {
			for _, ind := range ms.Indicators {
				if ind.BaselineCount != nil {
					name := fmt.Sprintf("plan %d measure %s indicator %s baseline", p.ID, ms.Code, ind.Name)
					m.Published(name, ind.BaselineCount.printed(), where)
				}
			}
		}
	}
}

// addDocuments reads the documents the open data links to: every
// published report's PDF, every published analysis's PDF, every plan's PDF
// and IATI file.
func addDocuments(m *Model, fetch Fetch, d muniData) error {
	seen := map[int64]map[string]string{}
	periodOf := map[int64]map[string]int64{}
	for _, r := range d.Reports {
		if seen[r.PlanID] == nil {
			seen[r.PlanID], periodOf[r.PlanID] = map[string]string{}, map[string]int64{}
		}
		periodOf[r.PlanID][r.EndDate] = r.PeriodID
		if err := addReportPDF(m, fetch, r.PDFURL, r.PlanID, r.PeriodID, seen[r.PlanID]); err != nil {
			return err
		}
	}
	for _, s := range d.Sitans {
		var inds []string
		var sources [][]string
		for _, i := range s.Indicators {
			inds = append(inds, i.Indicator)
			var orgs []string
			for _, src := range i.Sources {
				orgs = append(orgs, src.Organisation)
			}
			sources = append(sources, orgs)
		}
		if s.PDFURL != "" {
			if err := addSitanPDF(m, fetch, s.PDFURL, s.ID, inds, sources); err != nil {
				return err
			}
		}
	}
	for _, p := range d.Plans {
		if p.PDFURL != "" {
			if err := addPlanPDF(m, fetch, p.PDFURL, p.ID); err != nil {
				return err
			}
		}
		if p.IATIURL == "" {
			continue
		}
		if err := addIATI(m, fetch, p.IATIURL, p.ID, periodOf[p.ID], seen[p.ID]); err != nil {
			return err
		}
	}
	return nil
}

func getJSON(fetch Fetch, path string, v any) error {
	body, err := fetch(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func fgVar(id int64, col string) string { return fmt.Sprintf("focus group %d %s", id, col) }

// addFocus: each focus group's counts, women + men = total, the age bands
// add up to the total, and the totals row sums each column.
func addFocus(m *Model, d muniData) []int64 {
	var ids []int64
	where := "/m/" + d.Slug + "/heard"
	for _, g := range d.Focus.Groups {
		ids = append(ids, g.ID)
		cells := g.Participants.cells()
		for i, c := range cells {
			m.Published(fgVar(g.ID, focusCols[i]), c.printed(), where)
		}
		m.Equal(fgVar(g.ID, "total"), fgVar(g.ID, "women"), fgVar(g.ID, "men"))
		if !cells[3].printed().Missing {
			m.Equal(fgVar(g.ID, "total"), fgVar(g.ID, "age_15_29"), fgVar(g.ID, "age_30_49"), fgVar(g.ID, "age_50_plus"))
		}
	}
	if d.Focus.Totals != nil {
		for i, c := range d.Focus.Totals.cells() {
			var names []string
			for _, id := range ids {
				names = append(names, fgVar(id, focusCols[i]))
			}
			m.PublishedSum(names, c.printed())
		}
	}
	return ids
}

// addSitans: indicators (counted sources add up to the value; women + men
// at most the value) and vulnerable groups (women + men at most the size).
func addSitans(m *Model, d muniData) {
	for _, s := range d.Sitans {
		where := fmt.Sprintf("/m/%s/situation-analyses/%d", d.Slug, s.ID)
		for _, ind := range s.Indicators {
			v := func(part string) string { return fmt.Sprintf("analysis %d %s %s", s.ID, ind.Indicator, part) }
			m.Published(v("value"), ind.Value.printed(), where)
			m.Published(v("women"), ind.Women.printed(), where)
			m.Published(v("men"), ind.Men.printed(), where)
			if !ind.Women.printed().Missing && !ind.Men.printed().Missing {
				m.AtMost(v("value"), v("women"), v("men"))
			}
			var counted []string
			for j, src := range ind.Sources {
				name := v(fmt.Sprintf("source %d", j))
				m.Published(name, src.Value.printed(), where)
				if src.Counted {
					counted = append(counted, name)
				}
			}
			if len(counted) > 0 {
				m.Equal(v("value"), counted...)
			}
		}
		for _, g := range s.Groups {
			v := func(part string) string { return fmt.Sprintf("analysis %d group %d %s", s.ID, g.Rank, part) }
			m.Published(v("size"), g.Size.printed(), where)
			m.Published(v("women"), g.Women.printed(), where)
			m.Published(v("men"), g.Men.printed(), where)
			if !g.Women.printed().Missing && !g.Men.printed().Missing {
				m.AtMost(v("size"), v("women"), v("men"))
			}
		}
	}
}

// addReports: a plan's published reports in period order; each figure is
// cumulative, the sum of what every period up to it added (≥ 0), and in
// each period women + men are at most the people reached.
func addReports(m *Model, d muniData) {
	reps := d.Reports
	sort.SliceStable(reps, func(i, j int) bool { return reps[i].EndDate < reps[j].EndDate })
	added := map[int64][]int64{} // plan → periods so far
	for _, r := range reps {
		where := fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", r.PlanID, r.PeriodID)
		added[r.PlanID] = append(added[r.PlanID], r.PeriodID)
		f := r.Figures
		figs := map[string]count{"people": f.People, "women": f.Women, "men": f.Men, "employed": f.Emp,
			"trained": f.Trained, "completed_education": f.Edu, "self_employed": f.Self}
		for g, c := range f.ByGroup {
			figs["group "+g] = c
		}
		for name, c := range figs {
			cum := fmt.Sprintf("plan %d up to period %d %s", r.PlanID, r.PeriodID, name)
			m.Published(cum, c.printed(), where)
			var parts []string
			for _, p := range added[r.PlanID] {
				parts = append(parts, fmt.Sprintf("plan %d period %d %s", r.PlanID, p, name))
			}
			m.Equal(cum, parts...)
		}
		per := func(name string) string { return fmt.Sprintf("plan %d period %d %s", r.PlanID, r.PeriodID, name) }
		m.AtMost(per("people"), per("women"), per("men"))
	}
}

var regionRowRe = regexp.MustCompile(`(?s)<tr><th scope="row"><a href="/m/([^/"]+)/heard">.*?</a></th>(.*?)</tr>`)
var regionTotalsRe = regexp.MustCompile(`(?s)<tr id="region-totals">(.*?)</tr>`)
var numCellRe = regexp.MustCompile(`<td class="num">([^<]*)</td>`)

// addRegion: the regional page prints each municipality's participants
// (the sum of its focus groups) and the region's.
func addRegion(m *Model, fetch Fetch, focusOf map[string][]int64) error {
	body, err := fetch("/region/heard")
	if err != nil {
		return err
	}
	m.Read["page"]++
	page := string(body)
	cols := []string{"total", "women", "men"}
	var all []int64
	for _, row := range regionRowRe.FindAllStringSubmatch(page, -1) {
		ids := focusOf[row[1]]
		all = append(all, ids...)
		addRegionCells(m, row[2], ids, cols)
	}
	if t := regionTotalsRe.FindStringSubmatch(page); t != nil {
		addRegionCells(m, t[1], all, cols)
	}
	return nil
}

// addRegionCells reads a row's cells after the count of focus groups.
func addRegionCells(m *Model, row string, ids []int64, cols []string) {
	cells := numCellRe.FindAllStringSubmatch(row, -1)
	for i, col := range cols {
		if i+1 >= len(cells) {
			return
		}
		var names []string
		for _, id := range ids {
			names = append(names, fgVar(id, col))
		}
		m.PublishedSum(names, ParseText(html.UnescapeString(cells[i+1][1])))
	}
}

// ParseText reads a count as a page prints it: "12", "1,234", "<5", "*",
// "—", "10–14".
func ParseText(s string) Printed {
	s = strings.TrimSpace(s)
	switch s {
	case "<5":
		return Printed{Lo: 0, Hi: 4, Small: true}
	case "*":
		return Printed{Lo: 0, Hi: math.Inf(1)}
	case "—", "-", "":
		return Printed{Missing: true}
	}
	if lo, hi, ok := strings.Cut(s, "–"); ok {
		a, err1 := strconv.ParseFloat(digits(lo), 64)
		b, err2 := strconv.ParseFloat(digits(hi), 64)
		if err1 == nil && err2 == nil {
			return Printed{Lo: a, Hi: b}
		}
	}
	if v, err := strconv.ParseFloat(digits(s), 64); err == nil {
		return Printed{Lo: v, Hi: v}
	}
	return Printed{Lo: 0, Hi: math.Inf(1)}
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
