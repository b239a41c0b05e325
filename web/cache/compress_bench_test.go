package cache

import (
	"fmt"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// Why pages are spliced from pre-compressed fragments rather than passed
// through Fiber's compress middleware (issue #13 asked to prefer the simpler
// mechanism if it kept the targets): the middleware compresses the whole
// page on every request. These benchmarks send a page of the size of the
// 200-measure plan page (~208 KB) both ways; the numbers are in
// docs/benchmarks.md ("Compression: splice or middleware").

// planLikePage is about 208 KB of HTML shaped like the plan page: a shell
// of a few KB around a table of 200 measures with indicators and budgets.
func planLikePage() (shell []string, body []byte) {
	words := strings.Fields("obuka njegovateljica socijalni rad zapošljavanje mladih Roma osoba s invaliditetom " +
		"dugotrajno nezaposlenih savjetovanje posredovanje pripravništvo javni radovi samozapošljavanje " +
		"mentorstvo prevoz čuvanje djece opismenjavanje odraslih stručno osposobljavanje poslodavci škola")
	seed := uint32(7)
	text := func(n int) string { // varied text, as measures are: compresses about 20×, like the real page
		var w []string
		for range n {
			seed = seed*1664525 + 1013904223
			w = append(w, words[seed>>16%uint32(len(words))])
		}
		return strings.Join(w, " ")
	}
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, `<tr id="m%d"><th scope="row">M%d.%d</th><td lang="bs">%s</td>`+
			`<td>Centar za socijalni rad Bratunac; Biro za zapošljavanje</td><td class="num">%d.500,00 KM</td>`+
			`<td><ul><li>Broj osoba obučenih: 0 → %d</li><li>Zaposleno nakon obuke: 0 → %d</li></ul></td>`+
			`<td><span class="status status-draft">Nacrt</span></td><td><a href="/measures/%d/edit">Uredi</a></td></tr>`+"\n",
			i, i/10+1, i%10+1, text(40), 1000+i*37, 20+i%13, 5+i%7, 4000+i)
		if i%5 == 0 {
			fmt.Fprintf(&b, `<tr class="evidence"><td colspan="7">Nalaz situacione analize br. %d: %s.</td></tr>`+"\n", i, text(25))
		}
	}
	shell = []string{
		`<!doctype html><html lang="bs"><head><meta charset="utf-8"><title>Plan · Pakt</title></head><body><header>…</header><main><h1>Lokalni akcioni plan</h1><table>`,
		`</table><form method="post"><input type="hidden" name="_csrf" value="0123456789abcdef0123456789abcdef0123456789a"><input type="hidden" name="_once" value="abcdef0123456789abcdef012345"></form></main></body></html>`,
	}
	return shell, []byte(b.String())
}

func BenchmarkPlanPageSplicedGzip(b *testing.B) {
	shell, body := planLikePage()
	packed, err := pack(body)
	if err != nil {
		b.Fatal(err)
	}
	frags := []pageFragment{{packed: packed}} // compressed once per revision, then cached
	parts := [][]byte{[]byte(shell[0]), []byte(shell[1])}
	var out []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(body) + len(shell[0]) + len(shell[1])))
	for b.Loop() {
		out = gzipMember(parts, []int{0}, frags)
	}
	b.ReportMetric(float64(len(out)), "sent-bytes")
}

func benchmarkMiddleware(b *testing.B, level int) {
	shell, body := planLikePage()
	page := []byte(shell[0] + string(body) + shell[1])
	var out []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		out = fasthttp.AppendGzipBytesLevel(out[:0], page, level) // what Fiber's compress middleware does per request
	}
	b.ReportMetric(float64(len(out)), "sent-bytes")
}

func BenchmarkPlanPageMiddlewareGzipDefault(b *testing.B) {
	benchmarkMiddleware(b, fasthttp.CompressDefaultCompression)
}

func BenchmarkPlanPageMiddlewareGzipBestSpeed(b *testing.B) {
	benchmarkMiddleware(b, fasthttp.CompressBestSpeed)
}
