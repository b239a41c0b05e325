package dashboards

import (
	"html/template"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// The indicator rows built in Go print the same markup the template did,
// with every text escaped.
func TestIndicatorRowsEscaped(t *testing.T) {
	rows := []dashIndicatorRow{
		{Code: "M1", Name: `Obuka <script>alert("x")</script> & "više"`, Unit: "osoba'", Baseline: "0", Target: "12", Actual: "—"},
		{Code: "M2<b>", Name: "Zaposleni", Baseline: "1,5", Target: "3", Actual: "2"},
	}
	got := string(dashIndicatorRowsHTML(rows, web.Authored("bs")))
	want := `<tr><td>M1</td><th scope="row"><span lang="bs">Obuka &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;više&#34;</span>` +
		` <small lang="bs">(osoba&#39;)</small></th><td class="num">0</td><td class="num">12</td><td class="num">—</td></tr>` +
		`<tr><td>M2&lt;b&gt;</td><th scope="row"><span lang="bs">Zaposleni</span></th><td class="num">1,5</td><td class="num">3</td><td class="num">2</td></tr>`
	if got != want {
		t.Errorf("rows:\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(string(dashIndicatorRowsHTML(rows, template.HTMLAttr(""))), "lang=") {
		t.Error("a lang attribute without a language")
	}
}

// The dashboard places the indicator chart by a size worked out without
// drawing it: the size of the chart the image endpoint draws.
func TestIndicatorChartSizeWithoutTheChart(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.For("bs")
	dec := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	actual := dec("1234567.5")
	inds := []models.IndicatorActual{
		{MeasureCode: "M1", Name: "Obuka", Unit: "osoba", Baseline: dec("0"), Target: dec("120")},
		{MeasureCode: "M2", Name: "Zaposleni", Unit: "broj zaposlenih mladih osoba u općini", Baseline: dec("1.5"), Target: dec("3"), Actual: &actual},
		{MeasureCode: "M3", Name: "Udio", Unit: "%", Baseline: dec("10"), Target: dec("45.25"), Actual: &actual},
	}
	for n := 1; n <= len(inds); n++ {
		full, _ := dashIndicators(l, inds[:n], true)
		wantW, wantH := full.Size()
		f := dashIndicatorsOf(l, &models.Summary{Indicators: inds[:n]})
		if f.IndChartW != wantW || f.IndChartH != wantH {
			t.Errorf("%d indicators: placed at %d×%d, drawn at %d×%d", n, f.IndChartW, f.IndChartH, wantW, wantH)
		}
	}
}

// The late tables' rows built in Go print what the template did, escaped.
func TestLateRowsEscaped(t *testing.T) {
	late := &dashLate{
		Measures: []dashLateMeasure{{Code: "M1", Title: `<img src=x onerror="alert(1)">`, EndTxt: "31.12.2025.", StatusTxt: "Kasni"}},
		Reports:  []dashLateReport{{PeriodLabel: "2025 H1 & H2", DueTxt: "15.1.2026.", Code: "M2", Title: "Obuka", StateTxt: "Nedostaje"}},
	}
	m, r := dashLateRowsHTML(late, web.Authored("sq"))
	wantM := `<tr><td>M1</td><td lang="sq">&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</td><td><span class="late">31.12.2025.</span></td><td>Kasni</td></tr>`
	wantR := `<tr><td lang="sq">2025 H1 &amp; H2</td><td><span class="late">15.1.2026.</span></td><td>M2</td><td lang="sq">Obuka</td><td>Nedostaje</td></tr>`
	if string(m) != wantM || string(r) != wantR {
		t.Errorf("rows:\n%s\n%s\nwant\n%s\n%s", m, r, wantM, wantR)
	}
}
