package pdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// Pages are deflated after the fact (deflate.go): the file has a valid
// cross-reference table, its page streams are compressed, and readers see
// the same text as in gofpdf's own compressed output.
func TestDeflateStreams(t *testing.T) {
	out := render(t, sampleDoc(120))
	gofpdfDeflate = true
	theirs := render(t, sampleDoc(120))
	gofpdfDeflate = false

	if n, plain := countStreams(out); n == 0 || plain != 0 {
		t.Fatalf("%d streams, %d of them not compressed", n, plain)
	}
	if len(out) > len(theirs)+len(theirs)/20 {
		t.Errorf("pooled deflate output %d bytes, gofpdf's %d", len(out), len(theirs))
	}
	checkXref(t, out)
	if a, b := pdfText(t, out), pdfText(t, theirs); a != b {
		t.Error("text differs from gofpdf's own compressed output")
	}
	// Every stream inflates to exactly its declared content.
	re := regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
	for _, m := range re.FindAllSubmatchIndex(out, -1) {
		n, _ := strconv.Atoi(string(out[m[2]:m[3]]))
		body := out[m[1] : m[1]+n]
		r, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			t.Fatalf("stream at %d does not inflate: %v", m[0], err)
		}
		if !bytes.HasPrefix(out[m[1]+n:], []byte("\nendstream\nendobj\n")) {
			t.Fatalf("stream at %d: wrong length", m[0])
		}
	}
}

// Anything not laid out as gofpdf writes it is left alone.
func TestDeflateStreamsLeavesOtherFilesAlone(t *testing.T) {
	gofpdfDeflate = true
	theirs := render(t, sampleDoc(3))
	gofpdfDeflate = false
	for name, in := range map[string][]byte{
		"empty":            nil,
		"garbage":          []byte("%PDF-1.3\nnot really\n"),
		"no xref":          bytes.ReplaceAll(theirs, []byte("\nxref\n"), []byte("\nxref?\n")),
		"truncated":        theirs[:len(theirs)/2],
		"bad startxref":    append(append([]byte{}, theirs[:len(theirs)-12]...), []byte("99999999\n%%EOF\n")...),
		"already deflated": theirs,
	} {
		got, ok := deflateStreams(in)
		if name == "already deflated" {
			// Pages are compressed already; only the ToUnicode maps are
			// left to do, and the file stays the same to a reader.
			if !ok {
				t.Errorf("%s: not rewritten", name)
			}
			checkXref(t, got)
			if pdfText(t, got) != pdfText(t, in) {
				t.Errorf("%s: text changed", name)
			}
			continue
		}
		if ok || !bytes.Equal(got, in) {
			t.Errorf("%s: rewritten", name)
		}
	}
}

// countStreams counts the streams of a PDF and those without a filter.
func countStreams(doc []byte) (n, plain int) {
	for _, m := range regexp.MustCompile(`<<([^\n]*)>>\nstream\n`).FindAllSubmatch(doc, -1) {
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

// The same 60-page document, pages deflated by gofpdf (a new zlib writer
// per page) and afterwards with pooled writers.
func BenchmarkDeflate(b *testing.B) {
	for _, gofpdf := range []bool{true, false} {
		name := "pooled"
		if gofpdf {
			name = "gofpdf"
		}
		b.Run(name, func(b *testing.B) {
			gofpdfDeflate = gofpdf
			defer func() { gofpdfDeflate = false }()
			b.ReportAllocs()
			for b.Loop() {
				render(b, sampleDoc(1200))
			}
		})
	}
}
