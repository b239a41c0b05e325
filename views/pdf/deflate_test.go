package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Pages are deflated after the fact (deflate.go): the file has a valid
// cross-reference table, every stream is compressed, it is the uncompressed
// document object for object (streams inflate to exactly the plain
// content), about as small as gofpdf's own compressed output, and readers
// see the same text.
func TestDeflateStreams(t *testing.T) {
	t.Parallel()
	out := render(t, sampleDocWith(120, compressPooled))
	theirs := render(t, sampleDocWith(120, compressGofpdf))
	plain := render(t, sampleDocWith(120, compressNone))

	if n, unfiltered := countStreams(out); n == 0 || unfiltered != 0 {
		t.Fatalf("%d streams, %d of them not compressed", n, unfiltered)
	}
	if _, unfiltered := countStreams(plain); unfiltered == 0 {
		t.Fatal("the uncompressed document has no plain stream: nothing was tested")
	}
	if len(out) > len(theirs)+len(theirs)/20 {
		t.Errorf("pooled deflate output %d bytes, gofpdf's %d", len(out), len(theirs))
	}
	checkXref(t, out)
	checkQpdf(t, out)

	got, want := pdfObjects(t, out), pdfObjects(t, plain)
	if len(got) != len(want) {
		t.Fatalf("%d objects, the uncompressed document has %d", len(got), len(want))
	}
	for n := range want {
		if !bytes.Equal(got[n], want[n]) {
			t.Errorf("object %d differs from the uncompressed document's", n)
		}
	}
	if a, b := pdfText(t, out), pdfText(t, theirs); a != b {
		t.Error("text differs from gofpdf's own compressed output")
	}
}

// The zlib writers are shared through a pool: documents rendered at the
// same time come out as they do one at a time.
func TestDeflateStreamsConcurrent(t *testing.T) {
	t.Parallel()
	want := make([][]byte, 4)
	for i := range want {
		want[i] = render(t, sampleDoc(10+i*25))
	}
	var wg sync.WaitGroup
	for round := 0; round < 3; round++ {
		for i := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := sampleDoc(10 + i*25).Bytes()
				if err != nil || !bytes.Equal(out, want[i]) {
					t.Errorf("document %d rendered concurrently differs (err %v)", i, err)
				}
			}()
		}
	}
	wg.Wait()
}

// Anything not laid out as gofpdf writes it is left alone.
func TestDeflateStreamsLeavesOtherFilesAlone(t *testing.T) {
	t.Parallel()
	theirs := render(t, sampleDocWith(3, compressGofpdf))
	x, ok := parseXref(theirs)
	if !ok {
		t.Fatal("gofpdf's own output has no readable cross-reference table")
	}
	entry := func(n int) int { return x.xrefAt + len("xref\n0 ") + len(strconv.Itoa(len(x.offsets))) + 1 + 20*n }
	patch := func(at int, s string) []byte {
		b := slices.Clone(theirs)
		copy(b[at:], s)
		return b
	}
	for name, in := range map[string][]byte{
		"empty":            nil,
		"garbage":          []byte("%PDF-1.3\nnot really\n"),
		"no xref":          bytes.ReplaceAll(theirs, []byte("\nxref\n"), []byte("\nxref?\n")),
		"truncated":        theirs[:len(theirs)/2],
		"bad startxref":    append(slices.Clone(theirs[:len(theirs)-12]), []byte("99999999\n%%EOF\n")...),
		"free entry":       patch(entry(2)+10, " 00000 f \n"),
		"offset past xref": patch(entry(2), fmt.Sprintf("%010d", x.xrefAt+1)),
		"two at one place": patch(entry(2), string(theirs[entry(1):entry(1)+10])),
		"one object":       bytes.Replace(theirs, []byte("xref\n0 "+strconv.Itoa(len(x.offsets))+"\n"), []byte("xref\n0 1\n"), 1),
		"no trailer":       bytes.Replace(theirs, []byte("\ntrailer\n"), []byte("\ntrailor\n"), 1),
	} {
		if got, ok := deflateStreams(in); ok || !bytes.Equal(got, in) {
			t.Errorf("%s: rewritten", name)
		}
	}
	// Pages compressed already: only the ToUnicode maps are left to do, and
	// the file stays the same to a reader.
	got, ok := deflateStreams(theirs)
	if !ok {
		t.Fatal("already deflated: not rewritten")
	}
	checkXref(t, got)
	if pdfText(t, got) != pdfText(t, theirs) {
		t.Error("already deflated: text changed")
	}
}

// Only "n 0 obj\n<</Length L>>\nstream\n" + L bytes + "\nendstream\nendobj\n"
// is a plain stream; anything else is copied as it is.
func TestPlainStream(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		obj  string
		n    int
		want string
		ok   bool
	}{
		{"7 0 obj\n<</Length 5>>\nstream\nq 1 Q\nendstream\nendobj\n", 7, "q 1 Q", true},
		{"7 0 obj\n<</Length 0>>\nstream\n\nendstream\nendobj\n", 7, "", true},
		{"7 0 obj\n<</Length 5>>\nstream\nq 1 Q\nendstream\nendobj\n", 17, "", false}, // other object number
		{"17 0 obj\n<</Length 5>>\nstream\nq 1 Q\nendstream\nendobj\n", 7, "", false},
		{"7 0 obj\n<</Length 4>>\nstream\nq 1 Q\nendstream\nendobj\n", 7, "", false}, // length too short
		{"7 0 obj\n<</Length 6>>\nstream\nq 1 Q\nendstream\nendobj\n", 7, "", false}, // too long
		{"7 0 obj\n<</Length -1>>\nstream\n\nendstream\nendobj\n", 7, "", false},
		{"7 0 obj\n<</Length >>\nstream\nq 1 Q\nendstream\nendobj\n", 7, "", false},
		{"7 0 obj\n<</Length 12345678901>>\nstream\nq\nendstream\nendobj\n", 7, "", false},
		{"7 0 obj\n<</Length 5/Filter /FlateDecode>>\nstream\nxxxxx\nendstream\nendobj\n", 7, "", false},
		{"7 0 obj\n<</Length 5>>\nstream\nq 1 Q\nendstream\nendobj\n% more", 7, "", false},
		{"7 0 obj\n<</Type /Page>>\nendobj\n", 7, "", false},
	} {
		got, ok := plainStream([]byte(c.obj), c.n)
		if ok != c.ok || string(got) != c.want {
			t.Errorf("plainStream(%q, %d) = %q, %v; want %q, %v", c.obj, c.n, got, ok, c.want, c.ok)
		}
	}
	for n, want := range map[int]string{0: "0000000000", 42: "0000000042", 1234567890: "1234567890"} {
		if got := string(appendPadded([]byte("x"), n)); got != "x"+want {
			t.Errorf("appendPadded(%d) = %q", n, got)
		}
	}
}

// countStreams counts the streams of a PDF and those without a filter.
// The XMP metadata stream stays plain on purpose (PDF/A forbids a filter
// on it) and is not counted.
func countStreams(doc []byte) (n, plain int) {
	for _, m := range regexp.MustCompile(`(?s)obj\n<<(.*?)>>\nstream\n`).FindAllSubmatch(doc, -1) {
		if bytes.Contains(m[1], []byte("/Type /Metadata")) {
			continue
		}
		n++
		if !bytes.Contains(m[1], []byte("/Filter")) {
			plain++
		}
	}
	return n, plain
}

// checkXref checks that every cross-reference entry points at its object.
func checkXref(t *testing.T, doc []byte) {
	t.Helper()
	x, ok := parseXref(doc)
	if !ok {
		t.Fatal("no cross-reference table")
	}
	for n := 1; n < len(x.offsets); n++ {
		if !bytes.HasPrefix(doc[x.offsets[n]:], []byte(strconv.Itoa(n)+" 0 obj\n")) {
			t.Errorf("xref entry %d points at %q", n, doc[x.offsets[n]:x.offsets[n]+12])
		}
	}
}

// checkQpdf runs qpdf --check (Debian's qpdf, installed by .ci/run).
func checkQpdf(t *testing.T, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatalf("qpdf --check needs qpdf (apt-get install qpdf): %v", err)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--check", f).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

var (
	objHead   = regexp.MustCompile(`^\d+ 0 obj\n`)
	streamLen = regexp.MustCompile(`/Length (\d+)`)
)

// pdfObjects returns the objects of a gofpdf document by number, streams
// inflated: their dictionary is dropped and the content follows "stream\n".
func pdfObjects(t *testing.T, doc []byte) map[int][]byte {
	t.Helper()
	x, ok := parseXref(doc)
	if !ok {
		t.Fatal("no cross-reference table")
	}
	order := make([]int, 0, len(x.offsets))
	for n := 1; n < len(x.offsets); n++ {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, b int) int { return x.offsets[a] - x.offsets[b] })
	objs := make(map[int][]byte, len(order))
	for i, n := range order {
		end := x.xrefAt
		if i+1 < len(order) {
			end = x.offsets[order[i+1]]
		}
		obj := doc[x.offsets[n]:end]
		head := objHead.Find(obj)
		dict, body, isStream := bytes.Cut(obj[len(head):], []byte(">>\nstream\n"))
		if !isStream {
			objs[n] = obj
			continue
		}
		m := streamLen.FindSubmatch(dict)
		if m == nil {
			t.Fatalf("object %d: stream without a length", n)
		}
		l, _ := strconv.Atoi(string(m[1]))
		if l > len(body) || !bytes.Equal(body[l:], []byte(streamEnd)) {
			t.Fatalf("object %d: length %d does not end the stream", n, l)
		}
		content := body[:l]
		if bytes.Contains(dict, []byte("/Filter /FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(content))
			if err != nil {
				t.Fatalf("object %d: %v", n, err)
			}
			if content, err = io.ReadAll(r); err != nil {
				t.Fatalf("object %d does not inflate: %v", n, err)
			}
		}
		objs[n] = append([]byte("stream\n"), content...)
	}
	return objs
}

// reportDoc is a landscape progress report shaped like views/docs.Report
// for a plan of n measures: a cover with key figures and a chart, a table
// of measures per objective followed by what each measure reported, the
// indicators, and an annex. n = 200 gives 60 pages.
func reportDoc(c compression, n int) *Doc {
	d := newDoc(Options{
		Title: "Izvještaj o provedbi akcionog plana 2017", Author: "Općina Čapljina", Date: testDate, Landscape: true,
		PageFormat: "Strana %d od {nb}", FooterLeft: "https://pakt.example.org/verify/3f9a2c",
		HeaderRight: "Općina Čapljina · Izvještaj o provedbi akcionog plana 2017",
	}, c)
	d.Title("Izvještaj o provedbi akcionog plana zapošljavanja za 2017. godinu")
	d.Subtitle("Općinsko vijeće Čapljina · Општинско веће · Këshilli komunal")
	d.KeyValues([][2]string{
		{"Općina", "Čapljina"}, {"Period", "1. 1. 2017. – 31. 12. 2017."},
		{"Planirano (KM)", "1.245.300,00"}, {"Utrošeno (KM)", "845.120,55"},
		{"Obuhvaćeno osoba", "3.412 (žene 1.690, muškarci 1.722)"}, {"Mjere", fmt.Sprint(n)},
	})
	sources := []string{"Općinski budžet", "Zavod za zapošljavanje", "Centar za socijalni rad", "Vlada / Влада", "Donatori", "U naturi", "Ostalo"}
	chart := BarChart{Title: "Planirano i utrošeno po izvoru (KM)", Series: []string{"Planirano", "Utrošeno"}}
	for i, s := range sources {
		v := float64(50000 + i*37000)
		chart.Groups = append(chart.Groups, BarGroup{Label: s, Values: []float64{v, v * 0.7},
			Labels: []string{fmt.Sprintf("%.2f", v), fmt.Sprintf("%.2f", v*0.7)}})
	}
	d.BarChart(chart)
	objectives := []string{"Zaposlenost dugotrajno nezaposlenih", "Uključivanje Roma na tržište rada",
		"Zapošljavanje osoba s invaliditetom", "Mladi koji nisu zaposleni ni u obrazovanju", "Žene korisnice socijalne pomoći"}
	statuses := []string{"U toku", "Kasni", "Završeno", "Nije počelo"}
	for o, title := range objectives {
		d.PageBreak()
		d.Heading(fmt.Sprintf("C%d %s", o+1, title))
		t := Table{Columns: []Column{
			{Title: "Šifra", Width: 1}, {Title: "Mjera", Width: 5}, {Title: "Nosilac", Width: 3}, {Title: "Status", Width: 1.6},
			{Title: "%", Width: 0.8, Align: "R"}, {Title: "Planirano (KM)", Width: 1.8, Align: "R"},
			{Title: "Utrošeno (KM)", Width: 1.8, Align: "R"}, {Title: "Osobe", Width: 1, Align: "R"},
		}}
		for k := o + 1; k <= n; k += len(objectives) {
			t.Rows = append(t.Rows, []string{fmt.Sprintf("M%03d", k),
				fmt.Sprintf("Mjera %d: obuka za deficitarna zanimanja i subvencija zapošljavanja", k) + strings.Repeat(" uz mentorstvo", k%3),
				[]string{"Služba za privredu", "Biro za zapošljavanje Čapljina", "Центар за социјални рад"}[k%3],
				statuses[k%4], strconv.Itoa(k * 31 % 100), fmt.Sprintf("%d.%03d,00", 10+k%90, k*7%1000),
				fmt.Sprintf("%d.%03d,50", 5+k%40, k*13%1000), strconv.Itoa(5 + k%40)})
		}
		d.Table(t)
		for k := o + 1; k <= n; k += len(objectives) {
			d.Paragraph(fmt.Sprintf("M%03d — ", k) + "U periodu 2017 mjera je provedena prema planu: " +
				strings.Repeat("korisnici su upućeni na obuku, poslodavci su uključeni, a rezultati su evidentirani. ", 3))
		}
	}
	d.PageBreak()
	d.Heading("Indikatori")
	ind := Table{Columns: []Column{{Title: "Mjera", Width: 1}, {Title: "Indikator", Width: 5}, {Title: "Jedinica", Width: 1.5},
		{Title: "Polazna vrijednost", Width: 1.5, Align: "R"}, {Title: "Cilj", Width: 1.2, Align: "R"}, {Title: "Ostvareno", Width: 1.2, Align: "R"}}}
	for k := 1; k <= n; k++ {
		for i, name := range []string{"Broj zaposlenih korisnika", "Broj osoba koje su završile obuku"} {
			ind.Rows = append(ind.Rows, []string{fmt.Sprintf("M%03d", k), name, "osoba",
				strconv.Itoa(k % 10), strconv.Itoa(20 + k%50), strconv.Itoa((k + i) % 25)})
		}
	}
	d.Table(ind)
	d.Heading("Aneks: partneri")
	partners := Table{Columns: []Column{{Title: "Organizacija", Width: 4}, {Title: "Uloga", Width: 2}, {Title: "Sporazum", Width: 3}}}
	for i := 0; i < 40; i++ {
		partners.Rows = append(partners.Rows, []string{fmt.Sprintf("Udruženje „Đački pokret“ %d", i), "Partner",
			fmt.Sprintf("Sporazum o saradnji br. %02d/2017", i)})
	}
	d.Table(partners)
	return d
}

// BenchmarkDeflate renders the 60-page report (reportDoc) three ways:
// written plain and deflated afterwards with pooled writers (pooled, what
// New does), compressed by gofpdf with a new zlib writer per page (gofpdf),
// and not compressed at all (none). Besides ns/op (wall time, which hides
// the GC work done on other cores) it reports the process's CPU time per
// render, the output size and the page count. The numbers are in deflate.go.
func BenchmarkDeflate(b *testing.B) {
	for _, c := range []struct {
		name string
		mode compression
	}{{"pooled", compressPooled}, {"gofpdf", compressGofpdf}, {"none", compressNone}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var size, pages int
			cpu := cpuTime()
			for b.Loop() {
				d := reportDoc(c.mode, 200)
				size, pages = len(render(b, d)), d.PageCount()
			}
			if cpu := cpuTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			}
			b.ReportMetric(float64(size), "bytes/pdf")
			b.ReportMetric(float64(pages), "pages")
		})
	}
}
