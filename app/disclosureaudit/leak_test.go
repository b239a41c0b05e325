package disclosureaudit

import (
	"fmt"
	"strings"
	"testing"

	"pakt/views/pdf"
)

// A published set as a Pakt without protection would print it: a report
// PDF with each measure's exact counts and a plan's IATI file with a
// baseline in persons as its exact value. The attacker must read the
// documents the open data links to and report the counts they pin; the
// same set printed with bands pins nothing.
func TestDisclosureAttackerFindsLeakyDocuments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name             string
		people, plan, bl string // M1.1's people in the PDF, the plan's in the open data, the baseline in IATI
		leak, where      string
		value            float64
	}{
		// the plan reached 10 people in its first period (the open data),
		// M1.1 reached 7 (printed exactly): M1.2's "<5" is 3
		{"exact cells in the report PDF", "7", `{"value": 10}`, "0", "plan 1 period 2 measure M1.2 people", "/api/v1/action-plans/1/report.pdf?period_id=2", 3},
		// the PDF prints the baseline as "<5", the IATI file as its exact
		// value 4, which as a band's lower bound says "at least 4": it is 4
		{"an exact baseline in the IATI file", "5–9", banded, "4", "plan 1 measure M1.1 indicator Osobe koje su prošle savjetovanje baseline", "/api/v1/action-plans/1/report.pdf?period_id=2", 4},
		{"bands everywhere", "5–9", banded, "0", "", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m, err := Collect(leakyOutputs(t, c.people, c.plan, c.bl))
			if err != nil {
				t.Fatal(err)
			}
			if m.Read["report pdf"] != 1 || m.Read["iati"] != 1 {
				t.Fatalf("outputs read: %v", m.Read)
			}
			res, err := m.Audit()
			if err != nil {
				t.Fatal(err)
			}
			if c.leak == "" {
				if len(res.Leaks) != 0 || res.Small < 10 {
					t.Fatalf("banded outputs: %+v", res)
				}
				return
			}
			if len(res.Leaks) != 1 || res.Leaks[0].Count != c.leak || res.Leaks[0].Where != c.where || res.Leaks[0].Min != c.value {
				t.Fatalf("want %s pinned to %.0f at %s, got %+v", c.leak, c.value, c.where, res.Leaks)
			}
		})
	}
}

// banded is the plan's people when M1.1 printed 5–9 and M1.2 <5.
const banded = `{"value": null, "suppressed": "banded", "min": 5, "max": 13}`

// leakyOutputs serves a municipality's open data, a region page without
// rows, a report PDF laid out as Pakt's (the same tables) and an IATI file.
func leakyOutputs(t *testing.T, people, plan, iatiBaseline string) Fetch {
	t.Helper()
	d := pdf.New(pdf.Options{Landscape: true})
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: "Oznaka", Width: 16}, {Title: "Mjera", Width: 55}, {Title: "Status", Width: 24},
		{Title: "Realizovano", Width: 23, Align: "R"}, {Title: "Utrošeno", Width: 30, Align: "R"}, {Title: "Osobe", Width: 24, Align: "R"},
		{Title: "Žene", Width: 17, Align: "R"}, {Title: "Muškarci", Width: 18, Align: "R"}, {Title: "Rezultati", Width: 50}},
		Rows: [][]string{
			{"M1.1", "Savjetovanje\nNosilac: Biro", "U toku", "70 %", "1.000,00 KM", people, "<5", "<5", "Zaposleni: <5\nZavršili obuku: <5\nZavršili školovanje: <5\nSamozaposleni: <5"},
			{"M1.2", "Obuka", "Kasni", "20 %", "500,00 KM", "<5", "<5", "<5", "Zaposleni: <5\nZavršili obuku: <5\nZavršili školovanje: <5\nSamozaposleni: <5"},
			{"M1.3", "Prevoz", "Izvještaj nije dostavljen", "—", "—", "—", "—", "—", "—"},
		}, FontSize: 8})
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: "Mjera", Width: 1.2}, {Title: "Indikator", Width: 7}, {Title: "Jedinica", Width: 2},
		{Title: "Polazna", Width: 1.8, Align: "R"}, {Title: "Ciljna", Width: 1.8, Align: "R"}, {Title: "Ostvareno", Width: 1.8, Align: "R"}},
		Rows: [][]string{{"M1.1", "Osobe koje su prošle savjetovanje", "osoba", "<5", "240", "10–14"}}})
	report, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	iati := fmt.Sprintf(`<iati-activities version="2.03"><iati-activity><result type="1"><title><narrative>Rezultati mjere M1.1</narrative></title>
<indicator measure="1" ascending="true"><title><narrative>Osobe koje su prošle savjetovanje (osoba)</narrative></title>
<baseline year="2017" iso-date="2017-01-01" value="%s"></baseline>
<period><period-start iso-date="2017-01-01"></period-start><period-end iso-date="2017-12-31"></period-end><target value="240"></target><actual value="10"></actual></period></indicator>
<indicator measure="1" ascending="true"><title><narrative>Obuhvaćene osobe</narrative></title>
<period><period-start iso-date="2017-01-01"></period-start><period-end iso-date="2017-12-31"></period-end><actual value="5"></actual></period></indicator>
</result></iati-activity></iati-activities>`, iatiBaseline)
	small := `{"value": null, "suppressed": "small", "min": 0, "max": 4}`
	muni := `{"slug": "x", "action_plans": [{"id": 1, "iati_url": "https://pakt.example.org/m/x/plans/1/iati.xml"}],
		"reports": [{"plan_id": 1, "period_id": 2, "end_date": "2017-12-31",
			"pdf_url": "https://pakt.example.org/api/v1/action-plans/1/report.pdf?period_id=2",
			"figures": {"people_total": ` + plan + `, "women": ` + small + `, "men": ` + small + `, "employed": ` + small +
		`, "trained": ` + small + `, "completed_education": ` + small + `, "self_employed": ` + small + `}}],
		"situation_analyses": [], "focus_groups": {"groups": []}}`
	outputs := map[string]string{
		"/api/v1/public/municipalities":                 `{"items": [{"slug": "x"}]}`,
		"/api/v1/public/municipalities/x":               muni,
		"/region/heard":                                 `<table></table>`,
		"/m/x/heard":                                    `<table></table>`,
		"/api/v1/action-plans/1/report.pdf?period_id=2": string(report),
		"/m/x/plans/1/iati.xml":                         iati,
	}
	return func(path string) ([]byte, error) {
		out, ok := outputs[path]
		if !ok {
			return nil, fmt.Errorf("GET %s: 404", path)
		}
		return []byte(strings.Clone(out)), nil
	}
}
