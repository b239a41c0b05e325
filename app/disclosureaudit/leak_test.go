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
	const bl = "plan 1 measure M1.1 indicator Osobe koje su prošle savjetovanje baseline"
	const report = "/api/v1/action-plans/1/report.pdf?period_id=2"
	cases := []struct {
		name        string
		out         leaky
		leak, where string
		value       float64
	}{
		// the plan reached 10 people in its first period (the open data),
		// M1.1 reached 7 (printed exactly): M1.2's "<5" is 3
		{"exact cells in the report PDF", leaky{people: "7", plan: `{"value": 10}`}, "plan 1 period 2 measure M1.2 people", report, 3},
		// the PDF prints the baseline as "<5", the IATI file as its exact
		// value 4, which as a band's lower bound says "at least 4": it is 4
		{"an exact baseline in the IATI file", leaky{iatiBaseline: "4"}, bl, report, 4},
		// the plan page prints the same baseline exactly
		{"an exact baseline on the plan page", leaky{planBaseline: "4"}, bl, report, 4},
		// the figures CSV prints the women the report's JSON calls "<5"
		{"an exact figure in the CSV", leaky{csvWomen: "3"}, "plan 1 up to period 2 women", report, 3},
		// an analysis's source (not added to the indicator) printed exactly
		// in the sources column of the page, or of the PDF
		{"an exact source on the analysis page", leaky{pageSource: "2"}, "analysis 1 roma source 0", "/m/x/situation-analyses/1", 2},
		{"an exact source in the analysis PDF", leaky{pdfSource: "2"}, "analysis 1 roma source 0", "/m/x/situation-analyses/1", 2},
		{"bands everywhere", leaky{}, "", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m, err := Collect(leakyOutputs(t, c.out))
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range []string{"report pdf", "iati", "plan page", "csv", "analysis pdf", "chart", "no counts"} {
				if m.Read[kind] < 1 {
					t.Fatalf("%s not read: %v", kind, m.Read)
				}
			}
			if m.Read["plan page indicator"] != 1 || m.Read["csv row"] < 7 || m.Read["page source"] != 2 || m.Read["analysis pdf source"] != 2 {
				t.Fatalf("cells read: %v", m.Read)
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

// A public chart that printed a count of people ("<5", a band) is an
// output the attacker cannot tie to its counts: it refuses to audit
// rather than pass. So is a measures CSV with a column of people, and a
// page that prints no counts today (the front page) printing "<5".
func TestDisclosureAttackerRefusesUnreadOutputs(t *testing.T) {
	t.Parallel()
	want := map[string]string{"chart": `timeline.svg prints "<5"`, "measures csv": `column "people" counts people`,
		"front page": `/ prints "&lt;5"`}
	for name, out := range map[string]leaky{"chart": {chartText: "&lt;5"}, "measures csv": {measuresColumn: "people"},
		"front page": {frontText: "<p>Romi: &lt;5</p>"}} {
		t.Run(name, func(t *testing.T) {
			_, err := Collect(leakyOutputs(t, out))
			if err == nil || !strings.Contains(err.Error(), want[name]) {
				t.Fatalf("want an error about %s, got %v", want[name], err)
			}
		})
	}
}

// banded is the plan's people when M1.1 printed 5–9 and M1.2 <5.
const banded = `{"value": null, "suppressed": "banded", "min": 5, "max": 13}`

// leaky is how the leaky set prints its counts; empty fields print them
// as Pakt does.
type leaky struct {
	people, plan   string // M1.1's people in the report PDF, the plan's in the open data
	iatiBaseline   string // the baseline in IATI (a band's lower bound)
	planBaseline   string // the baseline on the plan page
	csvWomen       string // the report's women in the figures CSV (value column)
	pageSource     string // the analysis's source on its page
	pdfSource      string // the analysis's source in its PDF
	chartText      string // a text of the timeline chart
	measuresColumn string // a last column of the measures CSV
	frontText      string // more text on the front page
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// leakyOutputs serves a municipality's open data (JSON and CSV), a region
// page without rows, a report PDF laid out as Pakt's (the same tables), an
// IATI file, the plan's page and timeline, and an analysis's page and PDF.
func leakyOutputs(t *testing.T, o leaky) Fetch {
	t.Helper()
	people, plan := or(o.people, "5–9"), or(o.plan, banded)
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
	// the analysis PDF's indicator table, as Pakt lays it out
	sp := pdf.New(pdf.Options{})
	sp.Table(pdf.Table{Columns: []pdf.Column{{Title: "Indikator", Width: 3.8}, {Title: "Vrijednost", Width: 1.6, Align: "R"},
		{Title: "Žene", Width: 1.3, Align: "R"}, {Title: "Muškarci", Width: 1.5, Align: "R"}, {Title: "Izvori", Width: 3.6}},
		Rows: [][]string{{"Romi prijavljeni kao nezaposleni", "5–9", "—", "—",
			"JU Zavod za zapošljavanje RS – Biro Bratunac: 5–9\nJU Centar za socijalni rad Bratunac: " + or(o.pdfSource, "<5") + " (nije dodano)"}}})
	sitanPDF, err := sp.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	iati := fmt.Sprintf(`<iati-activities version="2.03"><iati-activity><result type="1"><title><narrative>Rezultati mjere M1.1</narrative></title>
<indicator measure="1" ascending="true"><title><narrative>Osobe koje su prošle savjetovanje (osoba)</narrative></title>
<baseline year="2017" iso-date="2017-01-01" value="%s"></baseline>
<period><period-start iso-date="2017-01-01"></period-start><period-end iso-date="2017-12-31"></period-end><target value="240"></target><actual value="10"></actual></period></indicator>
<indicator measure="1" ascending="true"><title><narrative>Obuhvaćene osobe</narrative></title>
<period><period-start iso-date="2017-01-01"></period-start><period-end iso-date="2017-12-31"></period-end><actual value="5"></actual></period></indicator>
</result></iati-activity></iati-activities>`, or(o.iatiBaseline, "0"))
	small := `{"value": null, "suppressed": "small", "min": 0, "max": 4}`
	five := `{"value": null, "suppressed": "banded", "min": 5, "max": 9}`
	none := `{"value": null, "suppressed": "not_recorded"}`
	muni := `{"slug": "x", "action_plans": [{"id": 1, "iati_url": "https://pakt.example.org/m/x/plans/1/iati.xml"}],
		"reports": [{"plan_id": 1, "period_id": 2, "end_date": "2017-12-31",
			"pdf_url": "https://pakt.example.org/api/v1/action-plans/1/report.pdf?period_id=2",
			"figures": {"people_total": ` + plan + `, "women": ` + small + `, "men": ` + small + `, "employed": ` + small +
		`, "trained": ` + small + `, "completed_education": ` + small + `, "self_employed": ` + small + `}}],
		"situation_analyses": [{"id": 1, "pdf_url": "https://pakt.example.org/m/x/situation-analyses/1/report.pdf",
			"indicators": [{"indicator": "roma", "value": ` + five + `, "women": ` + none + `, "men": ` + none + `, "sources": [
				{"organisation": "JU Centar za socijalni rad Bratunac", "value": ` + small + `, "counted": false},
				{"organisation": "JU Zavod za zapošljavanje RS – Biro Bratunac", "value": ` + five + `, "counted": true}]}],
			"vulnerable_groups": []}],
		"focus_groups": {"groups": []}}`
	figures := "\uFEFFsource,source_id,source_title,date,subject,figure,value,suppressed,min,max\r\n" +
		"report,2,Plan — 2017,2017-12-31,,people_total,,banded,5,13\r\n" +
		"report,2,Plan — 2017,2017-12-31,,women," + o.csvWomen + "," + map[bool]string{true: "small,0,4", false: ",,"}[o.csvWomen == ""] + "\r\n" +
		"report,2,Plan — 2017,2017-12-31,,men,,small,0,4\r\n" +
		"report,2,Plan — 2017,2017-12-31,,employed,,small,0,4\r\n" +
		"report,2,Plan — 2017,2017-12-31,,trained,,small,0,4\r\n" +
		"report,2,Plan — 2017,2017-12-31,,completed_education,,small,0,4\r\n" +
		"report,2,Plan — 2017,2017-12-31,,self_employed,,small,0,4\r\n" +
		"situation_analysis,1,Analiza,2017-06-01,indicator:roma,value,,banded,5,9\r\n"
	measures := "\uFEFFplan_id,measure_code,amount\r\n1,M1.1,1000.00\r\n"
	if o.measuresColumn != "" {
		measures = "\uFEFFplan_id,measure_code,amount," + o.measuresColumn + "\r\n1,M1.1,1000.00,3\r\n"
	}
	planPage := `<table><tbody><tr>
<td>M1.1</td><td><strong lang="bs">Savjetovanje</strong>
<ul class="indicators"><li><span lang="bs">Osobe koje su prošle savjetovanje</span>: ` + or(o.planBaseline, "&lt;5") + ` → 240 <span lang="bs">osoba</span></li><li><span lang="bs">Budžet</span>: 12 → 20 <span lang="bs">KM</span></li></ul></td>
<td class="num">1.000,00 KM</td></tr></tbody></table>`
	timeline := `<svg><text x="4" y="14">2017</text><text x="4" y="28">M1.1</text><text x="40" y="28">` + o.chartText + `</text>` +
		`<rect><title>M1.1 Savjetovanje: 1. 1. 2017. – 31. 12. 2017.</title></rect></svg>`
	sitanPage := `<table class="indicators"><tbody><tr data-indicator="roma">
<th scope="row">Romi</th>
<td class="num value">5–9</td><td class="num">—</td><td class="num">—</td>
<td><ul class="sources"><li><span lang="bs">JU Centar za socijalni rad Bratunac</span>: ` + or(o.pageSource, "&lt;5") + ` <em>(nije dodano)</em></li><li><span lang="bs">JU Zavod za zapošljavanje RS – Biro Bratunac</span>: 5–9</li></ul></td>
</tr></tbody></table>`
	outputs := map[string]string{
		"/api/v1/public/municipalities":                 `{"items": [{"slug": "x"}]}`,
		"/api/v1/public/municipalities/x":               muni,
		"/api/v1/public/municipalities/x.csv":           measures,
		"/api/v1/public/municipalities/x/figures.csv":   figures,
		"/region/heard":                                 `<table></table>`,
		"/m/x/heard":                                    `<table></table>`,
		"/":                                             `<h1>Pakt</h1><a href="/m/x">X</a>` + o.frontText,
		"/api/v1/public/front":                          `{"consultations": [], "adopted": [], "reports": []}`,
		"/m/x":                                          `<h1>X</h1><ul><li>Fokus grupe · 3 fokus grupe</li></ul>`,
		"/m/x/plans/1":                                  planPage,
		"/m/x/plans/1/timeline.svg":                     timeline,
		"/m/x/situation-analyses/1":                     sitanPage,
		"/m/x/situation-analyses/1/report.pdf":          string(sitanPDF),
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
