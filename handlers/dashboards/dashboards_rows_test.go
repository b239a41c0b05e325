package dashboards

import (
	"html/template"
	"strings"
	"testing"

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
