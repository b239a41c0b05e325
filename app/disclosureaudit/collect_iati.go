package disclosureaudit

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"pakt/models"
)

// countsPeople is the published rule of which indicator units count
// people (their values are banded like any count of people).
var countsPeople = models.CountsPeople

// iatiFile is the part of an IATI 2.03 file the attacker reads: each
// activity's results, indicators, baselines and per-period actuals.
type iatiFile struct {
	Activities []struct {
		Results []struct {
			Title      iatiText `xml:"title"`
			Indicators []struct {
				Title    iatiText `xml:"title"`
				Baseline *struct {
					Value string `xml:"value,attr"`
				} `xml:"baseline"`
				Periods []struct {
					Start   iatiDate `xml:"period-start"`
					End     iatiDate `xml:"period-end"`
					Actuals []struct {
						Value     string `xml:"value,attr"`
						Dimension []struct {
							Name  string `xml:"name,attr"`
							Value string `xml:"value,attr"`
						} `xml:"dimension"`
					} `xml:"actual"`
				} `xml:"period"`
			} `xml:"indicator"`
		} `xml:"result"`
	} `xml:"iati-activity"`
}

type iatiText struct {
	Narratives []string `xml:"narrative"`
}

func (t iatiText) String() string {
	if len(t.Narratives) == 0 {
		return ""
	}
	return strings.TrimSpace(t.Narratives[0])
}

type iatiDate struct {
	ISO string `xml:"iso-date,attr"`
}

// iatiBand is a count of people as IATI prints it: the lower bound of its
// band (docs/iati.md), so v stands for v to v+4; 0 stands for "<5".
func iatiBand(v string) (Printed, bool) {
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return Printed{}, false
	}
	return Printed{Lo: n, Hi: n + 4, Small: n == 0}, true
}

// addIATI reads a plan's IATI file: each measure's people reached (women
// and men as dimensions) and outcomes per published period, the same
// counts as the report's per-measure table, and the plan's indicators in
// persons (baseline, actual per period). periodOf maps a period's end date
// to its id; seen holds what the report PDFs named (measure codes, the
// outcomes' titles).
func addIATI(m *Model, fetch Fetch, iatiURL string, planID int64, periodOf map[string]int64, seen map[string]string) error {
	path := localPath(iatiURL)
	body, err := fetch(path)
	if err != nil {
		return err
	}
	var f iatiFile
	if err := xml.Unmarshal(body, &f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	m.Read["iati"]++
	for _, a := range f.Activities {
		for _, r := range a.Results {
			code := resultCode(r.Title.String(), seen)
			for _, ind := range r.Indicators {
				title := ind.Title.String()
				if ind.Baseline != nil { // one of the plan's indicators
					name, unit := splitUnit(title)
					if !countsPeople(unit) {
						continue
					}
					v := func(part string) string {
						return fmt.Sprintf("plan %d measure %s indicator %s %s", planID, code, name, part)
					}
					if p, ok := iatiBand(ind.Baseline.Value); ok {
						m.Published(v("baseline"), p, path)
					}
					for _, pe := range ind.Periods {
						for _, ac := range pe.Actuals {
							if p, ok := iatiBand(ac.Value); ok {
								m.Published(v("value in period ending "+pe.End.ISO), p, path)
								m.Read["iati actual"]++
							}
						}
					}
					continue
				}
				col, ok := seen["outcome "+title]
				if !ok {
					col = "people"
				}
				for _, pe := range ind.Periods {
					per, ok := periodOf[pe.End.ISO]
					if !ok {
						return fmt.Errorf("%s: a period ending %s that no published report covers", path, pe.End.ISO)
					}
					for _, ac := range pe.Actuals {
						c := col
						for _, d := range ac.Dimension {
							if d.Name == "sex" && d.Value == "female" {
								c = "women"
							} else if d.Name == "sex" && d.Value == "male" {
								c = "men"
							}
						}
						if p, ok := iatiBand(ac.Value); ok {
							m.Published(fmt.Sprintf("plan %d period %d measure %s %s", planID, per, code, c), p, path)
							m.Read["iati actual"]++
						}
					}
				}
			}
		}
	}
	return nil
}

// resultCode is the measure code a result's title names ("Results of
// measure M1.1"), one the report PDFs printed.
func resultCode(title string, seen map[string]string) string {
	fields := strings.Fields(title)
	for i := len(fields) - 1; i >= 0; i-- {
		if c, ok := seen["code "+strings.Trim(fields[i], ".,:;()")]; ok {
			return c
		}
	}
	if len(fields) == 0 {
		return title
	}
	return fields[len(fields)-1]
}

// splitUnit splits "Persons counselled (persons)" into name and unit.
func splitUnit(title string) (name, unit string) {
	if i := strings.LastIndex(title, " ("); i >= 0 && strings.HasSuffix(title, ")") {
		return title[:i], title[i+2 : len(title)-1]
	}
	return title, ""
}
