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
	d.Table(layoutTable(60))
	words := pdfWords(t, render(t, d))

	if w := find(words, "Uvod."); len(w) != 1 || w[0].page != 1 {
		t.Fatalf("intro: %v", w)
	}
	if w := find(words, "Šifra"); len(w) == 0 || w[0].page != 2 {
		t.Fatalf("the header should move to page 2 with the first row, is at %v", w)
	}
	checkHeaders(t, words, "Iznos", "S", "R")
	checkInBody(t, d, words, "R", "S")
	cols := layoutColumns{opis: find(words, "Opis")[0], sredina: find(words, "Sredina")[0], iznos: find(words, "Iznos")[0]}
	end := word{y1: -1}
	for i := 0; i < 60; i++ {
		end = checkLayoutRow(t, words, cols, i, end)
	}
}

var layoutAmounts = []string{"1,00", "12.345,67", "999.999.999,99", "0,50"}

// layoutTable has rows "Sii" | "Rii-0 … Rii-k" (3 to 21 words) | "c…" (1 to
// 5 letters, centred) | an amount (right-aligned).
func layoutTable(rows int) Table {
	tab := Table{Columns: []Column{
		{Title: "Šifra", Width: 1}, {Title: "Opis", Width: 4},
		{Title: "Sredina", Width: 1.5, Align: "C"}, {Title: "Iznos", Width: 1.5, Align: "R"},
	}}
	for i := 0; i < rows; i++ {
		desc := make([]string, layoutWords(i))
		for k := range desc {
			desc[k] = fmt.Sprintf("R%02d-%d", i, k)
		}
		tab.Rows = append(tab.Rows, []string{fmt.Sprintf("S%02d", i), strings.Join(desc, " "),
			strings.Repeat("c", 1+i%5), layoutAmounts[i%len(layoutAmounts)]})
	}
	return tab
}

func layoutWords(row int) int { return 3 + row%4*6 }

// checkHeaders checks that every page with a word starting with rowPrefix
// (a row's first cell) has the header word title once, above every word
// starting with one of cellPrefixes; and that there are at least 3 pages.
func checkHeaders(t *testing.T, words []word, title, rowPrefix string, cellPrefixes ...string) {
	t.Helper()
	rowPages := map[int]bool{}
	for _, w := range words {
		if strings.HasPrefix(w.text, rowPrefix) && len(w.text) == 3 {
			rowPages[w.page] = true
		}
	}
	if len(rowPages) < 3 {
		t.Fatalf("table should span 3 pages, spans %d", len(rowPages))
	}
	for p := range rowPages {
		head := findOn(words, title, p)
		if len(head) != 1 {
			t.Fatalf("page %d: header %d times", p, len(head))
		}
		for _, w := range words {
			for _, c := range cellPrefixes {
				if w.page == p && strings.HasPrefix(w.text, c) && w.y0 < head[0].y1 {
					t.Errorf("page %d: %q above the header", p, w.text)
				}
			}
		}
	}
}

// layoutColumns are the header words of layoutTable's columns.
type layoutColumns struct{ opis, sredina, iznos word }

// checkLayoutRow checks row i of layoutTable: it starts below prev (the
// lowest word of the row before); its description is on the row's page, in
// its column, on several lines when long; its amount ends where the
// header ends and its centred cell shares the header's centre. It returns
// the row's lowest word.
func checkLayoutRow(t *testing.T, words []word, cols layoutColumns, i int, prev word) word {
	t.Helper()
	code := find(words, fmt.Sprintf("S%02d", i))
	if len(code) != 1 {
		t.Fatalf("row %d: code found %d times", i, len(code))
	}
	if code[0].page == prev.page && code[0].y0 < prev.y1 {
		t.Errorf("row %d starts at %.1f, above the end of the row before (%.1f)", i, code[0].y0, prev.y1)
	}
	lines := map[float64]bool{}
	low := code[0]
	for k := 0; k < layoutWords(i); k++ {
		w := find(words, fmt.Sprintf("R%02d-%d", i, k))
		if len(w) != 1 || w[0].page != code[0].page {
			t.Fatalf("row %d: word %d at %v, code on page %d (rows that fit are not split)", i, k, w, code[0].page)
		}
		if w[0].x0 < cols.opis.x0-0.5 || w[0].x1 > cols.sredina.x0 {
			t.Errorf("row %d: word %d outside its column (x %.1f–%.1f)", i, k, w[0].x0, w[0].x1)
		}
		lines[w[0].y0] = true
		if w[0].y1 > low.y1 {
			low = w[0]
		}
	}
	if layoutWords(i) > 20 && len(lines) < 3 {
		t.Errorf("row %d: long description on %d lines", i, len(lines))
	}
	amount := layoutAmounts[i%len(layoutAmounts)]
	if !anyAt(findOn(words, amount, code[0].page), code[0].y0, func(w word) bool { return math.Abs(w.x1-cols.iznos.x1) < 0.5 }) {
		t.Errorf("row %d: amount %q not right-aligned under the header (ends at %.1f)", i, amount, cols.iznos.x1)
	}
	centre := (cols.sredina.x0 + cols.sredina.x1) / 2
	mid := findOn(words, strings.Repeat("c", 1+i%5), code[0].page)
	if !anyAt(mid, code[0].y0, func(w word) bool { return math.Abs((w.x0+w.x1)/2-centre) < 0.5 }) {
		t.Errorf("row %d: centred cell not centred", i)
	}
	return low
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
