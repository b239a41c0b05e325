package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testDate = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

const headerMarker = "Nosilac aktivnosti"

func sampleDoc(rows int) *Doc { return sampleDocWith(rows, compressPooled) }

func sampleDocWith(rows int, c compression) *Doc {
	d := newDoc(Options{
		Title:       "Годишњи извјештај — Općina Čapljina",
		Author:      "Pakt",
		Date:        testDate,
		PageFormat:  "Page %d of {nb}",
		FooterLeft:  "https://pakt.example.org/verify/3f9a2c",
		HeaderRight: "Općina Čapljina / Општина Ђевђелија",
	}, c)
	d.Title("Годишњи извјештај о напретку за 2025. годину")
	d.Subtitle("Skupština općine Čapljina · Gjakovë · Ђевђелија")
	d.Heading("Uvod / Увод")
	d.Paragraph("Latinica: č ć đ š ž Č Ć Đ Š Ž. Ćevapčići, đački dom, šuma, žaba.")
	d.Paragraph("Ћирилица: Ђорђе Ћирић Џемал Љиљана Његош.\nМакедонски: ѓ ќ ѕ Ѓ Ќ Ѕ — Ѓорѓи, Ќерка, Ѕвезда.")
	d.Paragraph("Shqip: Ç ç Ë ë Gjakovë, Çamëri, Prishtinë.")
	d.Paragraph("Emoji 👍 and control \x07char\x00 and tab\there and decomposed c\u030C and variation \u2764\ufe0f end.")
	d.Note("Izvor: općinski budžet 2025 (ѓ ќ ѕ).")
	d.KeyValues([][2]string{
		{"Općina", "Čapljina"},
		{"Ugovorna strana", "Udruženje „Đački pokret“ — " + strings.Repeat("dugačka vrijednost koja se prelama ", 6)},
		{"Датум потписивања", "14. 3. 2025."},
	})
	d.BarChart(BarChart{
		Title:  "Planirano i utrošeno po izvoru finansiranja (KM)",
		Series: []string{"Planirano", "Utrošeno", "Očekivano"},
		Groups: []BarGroup{
			{Label: "Budžet općine", Values: []float64{120000, 95500, 110000}, Labels: []string{"120.000,00", "95.500,00", "110.000,00"}},
			{Label: "Kanton / Федерација", Values: []float64{80000, 20000, 60000}, Labels: []string{"80.000,00", "20.000,00", "60.000,00"}},
			{Label: "EU IPA fondovi za lokalni razvoj i zapošljavanje mladih", Values: []float64{150000, 149999, 0}, Labels: []string{"150.000,00", "149.999,00", "0,00"}},
			{Label: "Donatori", Values: []float64{0, 0, 5000}},
		},
	})
	d.Heading("Akcioni plan")
	t := Table{Columns: []Column{
		{Title: "Šifra", Width: 1},
		{Title: "Aktivnost (opis)", Width: 4},
		{Title: headerMarker, Width: 2.2},
		{Title: "Iznos (KM)", Width: 1.5, Align: "R"},
	}}
	for i := 1; i <= rows; i++ {
		desc := fmt.Sprintf("Aktivnost %d: rekonstrukcija lokalnog puta i čišćenje kanala — ", i) +
			strings.Repeat("dodatni opis koji se prelama u više redova ", i%4)
		t.Rows = append(t.Rows, []string{
			fmt.Sprintf("A-%03d", i), desc, "Služba za urbanizam / Ђорђе", fmt.Sprintf("%d.%03d,00", i, i*7%1000),
		})
	}
	d.Table(t)
	d.Paragraph("Kraj dokumenta.")
	return d
}

func render(t testing.TB, d *Doc) []byte {
	t.Helper()
	b, err := d.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	return b
}

func TestDocument(t *testing.T) {
	t.Parallel()
	d := sampleDoc(120)
	out := render(t, d)
	if !bytes.HasPrefix(out, []byte("%PDF")) {
		t.Fatalf("output does not start with %%PDF: %q", out[:min(len(out), 16)])
	}
	again := render(t, sampleDoc(120))
	if !bytes.Equal(out, again) {
		t.Fatal("two renders of the same input differ")
	}
	pages := bytes.Count(out, []byte("/Type /Page")) - bytes.Count(out, []byte("/Type /Pages"))
	if pages != d.PageCount() {
		t.Errorf("page objects = %d, PageCount() = %d", pages, d.PageCount())
	}
	if pages <= 2 {
		t.Fatalf("want > 2 pages, got %d", pages)
	}
	for _, core := range []string{"/Helvetica", "/Times", "/Courier"} {
		if bytes.Contains(out, []byte(core)) {
			t.Errorf("core font %s used", core)
		}
	}
	if dir := os.Getenv("PAKT_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "pakt-pdf-test.pdf"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	text := pdfText(t, out)
	for _, want := range []string{
		"Ђорђе", "Gjakovë", "đ", "č ć đ š ž Č Ć Đ Š Ž", "Ћирић Џемал Љиљана Његош",
		"ѓ ќ ѕ Ѓ Ќ Ѕ", "Ç ç Ë ë", "Годишњи извјештај", "Emoji and control char",
		"decomposed č", "https://pakt.example.org/verify/3f9a2c",
		fmt.Sprintf("Page 1 of %d", pages), fmt.Sprintf("Page %d of %d", pages, pages),
		"A-120", "120.000,00",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	if strings.Contains(text, "{nb}") || strings.Contains(text, "pakt-digits") {
		t.Error("page alias or digit marker leaked into the text")
	}

	// The header row is repeated exactly once on every page the table spans.
	pageTexts := strings.Split(text, "\f")
	first, last := -1, -1
	for i, p := range pageTexts {
		if strings.Contains(p, "A-0") || strings.Contains(p, "A-1") {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || last-first < 2 {
		t.Fatalf("table should span at least 3 pages, spans pages %d..%d", first+1, last+1)
	}
	for i := first; i <= last; i++ {
		if n := strings.Count(pageTexts[i], headerMarker); n != 1 {
			t.Errorf("page %d: table header appears %d times, want 1", i+1, n)
		}
		if i > 0 && !strings.Contains(pageTexts[i], "Općina Čapljina / Општина Ђевђелија") {
			t.Errorf("page %d: running header missing", i+1)
		}
	}
}

// pdfText extracts the text with pdftotext; CI installs poppler-utils, so a
// missing binary is a failure, not a skip.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext not found (install poppler-utils): %v", err)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestClean(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain": "plain",
		"č ć đ š ž Ђ ђ ћ џ ѓ ќ ѕ ë ç":           "č ć đ š ž Ђ ђ ћ џ ѓ ќ ѕ ë ç",
		"Ѓорѓи Ќерка Ѕвезда Џемал Љиљана Његош": "Ѓорѓи Ќерка Ѕвезда Џемал Љиљана Његош",
		"a👍b\x07c\x00d\u200be\ufe0ff":           "abcdef",
		"x\u0D15y\uE000z":                       "xyz", // Malayalam, private use: not in DejaVu Sans
		"a\r\nb\rc\td":                          "a\nb\nc d",
		"c\u030C":                               "č",
		"中文":                                    "",
		"\xff":                                  "\ufffd",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	s := supported()
	for _, r := range "čćđšžČĆĐŠŽђћџљњѓќѕЂЋЏЉЊЃЌЅëçËÇ€–—„“”" {
		if !s.has(r) {
			t.Errorf("font set lacks %q", r)
		}
	}
	for _, r := range "中👍\u0D15\uE000\uFFFF" {
		if s.has(r) {
			t.Errorf("font set claims %q", r)
		}
	}
}

// The rune set is read from the fonts' cmap tables (sfnt), not the block
// fallback, and holds only runes every embedded style has; a font that
// cannot be read is an error.
func TestCoverage(t *testing.T) {
	t.Parallel()
	regular, err := coverage(fontRegular)
	if err != nil {
		t.Fatal(err)
	}
	all := supported()
	if *all == *blockFallback() {
		t.Fatal("supported() is the block fallback: the embedded fonts were not read")
	}
	for r := rune(0); r <= 0xFFFF; r++ {
		if all.has(r) && !regular.has(r) {
			t.Fatalf("%U is in the set of all styles but not in the regular one", r)
		}
	}
	// Arabic hamza: drawn by DejaVu Sans regular, missing from bold and
	// oblique, so it is stripped.
	if !regular.has('\u0621') || all.has('\u0621') {
		t.Errorf("U+0621: regular %v, all styles %v; want true, false", regular.has('\u0621'), all.has('\u0621'))
	}
	if _, err := coverage(fontRegular, []byte("not a font")); err == nil {
		t.Error("coverage of garbage: no error")
	}
}

func TestHugeRowAndEdgeCases(t *testing.T) {
	t.Parallel()
	d := New(Options{Landscape: true, PageFormat: "Strana %d od {nb}"})
	huge := strings.Repeat("Vrlo dugačak tekst ćelije koji ne staje na jednu stranicu. ", 400)
	d.Table(Table{
		Columns: []Column{{Title: "A", Width: 1}, {Title: "B", Width: 0}, {Title: strings.Repeat("Naslov ", 200), Width: -3}},
		Rows:    [][]string{{"kratko", huge, "x"}, {"1"}, {"1", "2", "3", "4"}, {}},
	})
	d.Table(Table{Rows: [][]string{{"no", "columns"}, {"only", "rows", "here"}}})
	d.Table(Table{})
	d.KeyValues(nil)
	d.BarChart(BarChart{})
	d.BarChart(BarChart{Title: "X", Series: []string{"a", "b", "c", "d"}, Groups: []BarGroup{{Label: "g", Values: []float64{-1, 0, 1e300 * 10, 2}}}})
	d.Paragraph("")
	d.Heading("")
	d.Spacer(1000)
	d.PageBreak()
	out := render(t, d)
	if dir := os.Getenv("PAKT_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "pakt-pdf-edge.pdf"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if d.PageCount() < 4 {
		t.Errorf("huge row should span several pages, got %d", d.PageCount())
	}
	if !strings.Contains(pdfText(t, out), "Strana 1 od") {
		t.Error("custom page format missing")
	}
}

func TestPanicBecomesError(t *testing.T) {
	t.Parallel()
	d := New(Options{})
	d.run(func() { panic("boom") })
	d.Paragraph("ignored")
	if _, err := d.Bytes(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("want panic error, got %v", err)
	}
	empty := New(Options{})
	if b, err := empty.Bytes(); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("empty doc: %v", err)
	}
}

func BenchmarkTable200(b *testing.B) {
	for b.Loop() {
		d := New(Options{Title: "Bench", Date: testDate, PageFormat: "Page %d of {nb}", FooterLeft: "https://pakt.example.org/v/1", HeaderRight: "Općina"})
		t := Table{Columns: []Column{{Title: "Šifra", Width: 1}, {Title: "Aktivnost", Width: 4}, {Title: "Nosilac", Width: 2}, {Title: "Iznos", Width: 1.5, Align: "R"}}}
		for i := 0; i < 200; i++ {
			t.Rows = append(t.Rows, []string{fmt.Sprintf("A-%03d", i), "Rekonstrukcija puta i čišćenje kanala u mjesnoj zajednici Ђурђевак " + strings.Repeat("x ", i%20), "Služba za urbanizam", "1.234,56"})
		}
		d.Table(t)
		if _, err := d.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
