package pdf

import (
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Where the words of a table land: the header is kept with the first row
// and repeated once at the top of every page; rows that fit on a page are
// never split; wrapped cells stay in their column and push the next row
// down; "R" and "C" columns are right-aligned and centred.
func TestTableLayout(t *testing.T) {
	t.Parallel()
	d := New(Options{HeaderRight: "Općina"})
	d.Paragraph("Uvod.")
	// Leave 12 mm: room for the header, not for it and the first row.
	d.Spacer(d.bottom - d.y() - 12)
	tab := Table{Columns: []Column{
		{Title: "Šifra", Width: 1}, {Title: "Opis", Width: 4},
		{Title: "Sredina", Width: 1.5, Align: "C"}, {Title: "Iznos", Width: 1.5, Align: "R"},
	}}
	amounts := []string{"1,00", "12.345,67", "999.999.999,99", "0,50"}
	for i := 0; i < 60; i++ {
		desc := make([]string, 3+i%4*6)
		for k := range desc {
			desc[k] = fmt.Sprintf("R%02d-%d", i, k)
		}
		tab.Rows = append(tab.Rows, []string{fmt.Sprintf("S%02d", i), strings.Join(desc, " "),
			strings.Repeat("c", 1+i%5), amounts[i%len(amounts)]})
	}
	d.Table(tab)
	words := pdfWords(t, render(t, d))

	if w := find(words, "Uvod."); len(w) != 1 || w[0].page != 1 {
		t.Fatalf("intro: %v", w)
	}
	if w := find(words, "Šifra"); len(w) == 0 || w[0].page != 2 {
		t.Fatalf("the header should move to page 2 with the first row, is at %v", w)
	}
	// The header is repeated once per page, above every row of the page.
	rowPages := map[int]bool{}
	for _, w := range words {
		if strings.HasPrefix(w.text, "S") && len(w.text) == 3 {
			rowPages[w.page] = true
		}
	}
	if len(rowPages) < 3 {
		t.Fatalf("table should span 3 pages, spans %d", len(rowPages))
	}
	for p := range rowPages {
		head := findOn(words, "Iznos", p)
		if len(head) != 1 {
			t.Fatalf("page %d: header %d times", p, len(head))
		}
		for _, w := range words {
			if w.page == p && strings.HasPrefix(w.text, "R") && w.y0 < head[0].y1 {
				t.Errorf("page %d: %q above the header", p, w.text)
			}
		}
	}
	checkInBody(t, d, words, "R", "S")
	col := func(name string) word { return find(words, name)[0] }
	opis, iznos, sredina := col("Opis"), col("Iznos"), col("Sredina")
	var lastY, lastPage float64 = -1, 0
	for i := 0; i < 60; i++ {
		code := find(words, fmt.Sprintf("S%02d", i))
		if len(code) != 1 {
			t.Fatalf("row %d: code found %d times", i, len(code))
		}
		// Wrapped description: all on the row's page, in its column, on as
		// many lines as needed, starting at the code's line.
		lines := map[float64]bool{}
		var bottom float64
		for k := 0; k < 3+i%4*6; k++ {
			w := find(words, fmt.Sprintf("R%02d-%d", i, k))
			if len(w) != 1 || w[0].page != code[0].page {
				t.Fatalf("row %d: word %d at %v, code on page %d (rows that fit are not split)", i, k, w, code[0].page)
			}
			if w[0].x0 < opis.x0-0.5 || w[0].x1 > sredina.x0 {
				t.Errorf("row %d: word %d outside its column (x %.1f–%.1f)", i, k, w[0].x0, w[0].x1)
			}
			lines[w[0].y0] = true
			bottom = max(bottom, w[0].y1)
		}
		if i%4 == 3 && len(lines) < 3 {
			t.Errorf("row %d: long description on %d lines", i, len(lines))
		}
		if code[0].page == int(lastPage) && code[0].y0 < lastY {
			t.Errorf("row %d starts at %.1f, above the end of the row before (%.1f)", i, code[0].y0, lastY)
		}
		lastY, lastPage = bottom, float64(code[0].page)
		// Right-aligned amounts end where the header ends; centred cells
		// share the header's centre.
		amount := findOn(words, amounts[i%len(amounts)], code[0].page)
		if !anyAt(amount, code[0].y0, func(w word) bool { return math.Abs(w.x1-iznos.x1) < 0.5 }) {
			t.Errorf("row %d: amount %q not right-aligned under the header (ends at %.1f)", i, amounts[i%len(amounts)], iznos.x1)
		}
		mid := findOn(words, strings.Repeat("c", 1+i%5), code[0].page)
		if !anyAt(mid, code[0].y0, func(w word) bool { return math.Abs((w.x0+w.x1)/2-(sredina.x0+sredina.x1)/2) < 0.5 }) {
			t.Errorf("row %d: centred cell not centred", i)
		}
	}
}

// A row taller than a page is split across pages, header repeated on each,
// and no line is lost or repeated on the way.
func TestTableHugeRowSplit(t *testing.T) {
	t.Parallel()
	d := New(Options{})
	tokens := make([]string, 1200)
	for k := range tokens {
		tokens[k] = fmt.Sprintf("H%04d", k)
	}
	d.Table(Table{
		Columns: []Column{{Title: "Kratko", Width: 1}, {Title: "Dugačko", Width: 3}},
		Rows:    [][]string{{"prvi", "mali red"}, {"drugi", strings.Join(tokens, " ")}, {"treći", "kraj"}},
	})
	words := pdfWords(t, render(t, d))
	pages := map[int]bool{}
	next := 0
	for _, w := range words { // pdftotext lists words in reading order
		if !strings.HasPrefix(w.text, "H") {
			continue
		}
		if w.text != tokens[next] {
			t.Fatalf("after %s comes %s", tokens[next-1], w.text)
		}
		next++
		pages[w.page] = true
	}
	if next != len(tokens) || len(pages) < 3 {
		t.Fatalf("%d of %d lines' words on %d pages", next, len(tokens), len(pages))
	}
	for p := range pages {
		if n := len(findOn(words, "Dugačko", p)); n != 1 {
			t.Errorf("page %d: header %d times", p, n)
		}
	}
	checkInBody(t, d, words, "H")
	if first := find(words, "H0000"); first[0].page != 1 {
		t.Errorf("the huge row should start on page 1 below the first row, starts on page %d", first[0].page)
	}
}

// checkInBody checks that the words starting with one of the prefixes lie
// between the top and bottom margins.
func checkInBody(t *testing.T, d *Doc, words []word, prefixes ...string) {
	t.Helper()
	top, bottom := d.top/ptToMM, d.bottom/ptToMM
	for _, w := range words {
		for _, p := range prefixes {
			if strings.HasPrefix(w.text, p) && (w.y0 < top-0.5 || w.y1 > bottom+0.5) {
				t.Errorf("page %d: %q at %.1f–%.1f pt, outside the body (%.1f–%.1f)", w.page, w.text, w.y0, w.y1, top, bottom)
			}
		}
	}
}

type word struct {
	page           int
	x0, y0, x1, y1 float64 // points from the top left corner
	text           string
}

var (
	bboxPage = regexp.MustCompile(`<page `)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// pdfWords lists the words of a PDF with their boxes (pdftotext -bbox), in
// reading order.
func pdfWords(t *testing.T, pdf []byte) []word {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext not found (install poppler-utils): %v", err)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-bbox", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var words []word
	for i, page := range bboxPage.Split(string(out), -1)[1:] {
		for _, m := range bboxWord.FindAllStringSubmatch(page, -1) {
			w := word{page: i + 1, text: html.UnescapeString(m[5])}
			for j, p := range []*float64{&w.x0, &w.y0, &w.x1, &w.y1} {
				*p, _ = strconv.ParseFloat(m[j+1], 64)
			}
			words = append(words, w)
		}
	}
	return words
}

func find(words []word, text string) []word { return findOn(words, text, 0) }

// findOn returns the words equal to text on page (0: any page).
func findOn(words []word, text string, page int) []word {
	var out []word
	for _, w := range words {
		if w.text == text && (page == 0 || w.page == page) {
			out = append(out, w)
		}
	}
	return out
}

// anyAt reports whether one of words is on the line starting at y and
// satisfies ok.
func anyAt(words []word, y float64, ok func(word) bool) bool {
	for _, w := range words {
		if math.Abs(w.y0-y) < 0.5 && ok(w) {
			return true
		}
	}
	return false
}
