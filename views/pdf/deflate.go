package pdf

import (
	"bytes"
	"compress/zlib"
	"slices"
	"strconv"
	"sync"
)

// Page compression. gofpdf deflates every page with a new zlib writer, and
// compress/flate allocates and zeroes about 1 MB per writer. So documents
// are written uncompressed and deflateStreams compresses the plain streams
// afterwards with pooled writers, at the same level (BestSpeed), rebuilding
// the cross-reference table. The output stays deterministic.
//
// Is it worth the extra code? Measured with BenchmarkDeflate (deflate_test.go:
// a 60-page landscape report, tables on every page, built with this
// package's API), go1.26.8, 2-core AMD EPYC, 12 interleaved runs of 20
// renders each on a shared, busy machine; median (best) per render:
//
//	          wall ms      CPU ms       allocated   allocs    PDF bytes
//	pooled    42.4 (38.1)  40.2 (36.1)   34.6 MB    161,799     165,577
//	gofpdf    68.7 (57.9)  63.0 (54.8)  102.3 MB    163,249     165,771
//	none      39.5 (32.4)  37.2 (31.5)   32.8 MB    161,572     808,932
//
// The pass costs 1.8 MB and about 3 ms more than no compression at all,
// and saves two thirds of the bytes allocated (-67.7 MB) and about a third
// of the time against gofpdf's own compression, for the same size (0.1 %
// smaller). Compression itself is not optional: uncompressed, the report
// is 4.9 times bigger. On the portal's real 60-page assembly report
// (BenchmarkReportPDF in views/docs, 6 paired runs) the pass gives 44.6 MB
// instead of 108.2 MB allocated, 60-115 ms instead of 89-172 ms (faster in
// every pair), 214,743 bytes instead of 215,034. So it stays.

// compression says how a document's page streams are compressed.
type compression int

const (
	// compressPooled: gofpdf writes the pages plain and deflateStreams
	// compresses them afterwards (what New does).
	compressPooled compression = iota
	// compressGofpdf: gofpdf's SetCompression(true), a new zlib writer per
	// page (tests and benchmarks compare against it).
	compressGofpdf
	// compressNone: page streams stay uncompressed (benchmarks only).
	compressNone
)

var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // a valid level: no error
	return w
}}

// deflateStreams compresses every stream of an uncompressed gofpdf document
// whose dictionary is only its length (page contents, ToUnicode maps). It
// returns the document unchanged, and false, when the file is not laid out
// as gofpdf writes it: then the caller still has a valid, if bigger, PDF.
func deflateStreams(doc []byte) ([]byte, bool) {
	x, ok := parseXref(doc)
	if !ok {
		return doc, false
	}
	order := x.order()
	first := x.offsets[order[0]]
	if first <= 0 {
		return doc, false
	}
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	var z bytes.Buffer
	out := make([]byte, 0, len(doc)/2)
	out = append(out, doc[:first]...)
	offsets := make([]int, len(x.offsets))
	for i, n := range order {
		obj := x.objectAt(doc, order, i)
		if obj == nil {
			return doc, false
		}
		offsets[n] = len(out)
		content, ok := plainStream(obj, n)
		if !ok {
			out = append(out, obj...)
			continue
		}
		z.Reset()
		zw.Reset(&z)
		_, _ = zw.Write(content) // writes to a bytes.Buffer do not fail
		_ = zw.Close()
		out = strconv.AppendInt(out, int64(n), 10)
		out = append(out, " 0 obj\n<</Filter /FlateDecode /Length "...)
		out = strconv.AppendInt(out, int64(z.Len()), 10)
		out = append(out, ">>\nstream\n"...)
		out = append(out, z.Bytes()...)
		out = append(out, streamEnd...)
	}
	out = appendXref(out, offsets, x.trailer)
	// Documents are kept in caches, which count their length: give back
	// the unused capacity.
	return append(make([]byte, 0, len(out)), out...), true
}

const streamEnd = "\nendstream\nendobj\n"

// plainStream returns the content of obj when it is exactly
// "n 0 obj\n<</Length L>>\nstream\n" + L bytes + "\nendstream\nendobj\n".
func plainStream(obj []byte, n int) ([]byte, bool) {
	head := strconv.Itoa(n) + " 0 obj\n<</Length "
	rest, ok := bytes.CutPrefix(obj, []byte(head))
	if !ok {
		return nil, false
	}
	digits, rest, ok := bytes.Cut(rest, []byte(">>\nstream\n"))
	if !ok || len(digits) == 0 || len(digits) > 10 {
		return nil, false
	}
	length, err := strconv.Atoi(string(digits))
	if err != nil || length < 0 || len(rest) != length+len(streamEnd) || string(rest[length:]) != streamEnd {
		return nil, false
	}
	return rest[:length], true
}

// xref is the cross-reference table of a gofpdf document.
type xref struct {
	offsets []int  // by object number; [0] is the free entry
	xrefAt  int    // where "xref" starts
	trailer []byte // "trailer\n<<…>>\n", copied as is
}

// parseXref reads the single cross-reference table gofpdf writes:
// "xref\n0 N\n" and N entries of 20 bytes, the trailer, "startxref\nX\n%%EOF\n".
func parseXref(doc []byte) (xref, bool) {
	var x xref
	tail := bytes.LastIndex(doc, []byte("\nstartxref\n"))
	if tail < 0 {
		return x, false
	}
	num, _, ok := bytes.Cut(doc[tail+len("\nstartxref\n"):], []byte("\n"))
	if !ok {
		return x, false
	}
	at, err := strconv.Atoi(string(num))
	if err != nil || at <= 0 || at >= tail {
		return x, false
	}
	x.xrefAt = at
	rest, ok := bytes.CutPrefix(doc[at:tail+1], []byte("xref\n0 "))
	if !ok {
		return x, false
	}
	count, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return x, false
	}
	n, err := strconv.Atoi(string(count))
	if err != nil || n < 2 || len(rest) < 20*n {
		return x, false
	}
	x.offsets = make([]int, n)
	for i := 1; i < n; i++ {
		e := rest[20*i : 20*i+20]
		if string(e[10:]) != " 00000 n \n" {
			return x, false
		}
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || off <= 0 || off >= at {
			return x, false
		}
		x.offsets[i] = off
	}
	x.trailer = rest[20*n:]
	if !bytes.HasPrefix(x.trailer, []byte("trailer\n")) {
		return x, false
	}
	return x, true
}

// order lists the object numbers in file order; each object runs up to
// the next one (the last up to the cross-reference table).
func (x xref) order() []int {
	order := make([]int, 0, len(x.offsets)-1)
	for n := 1; n < len(x.offsets); n++ {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, b int) int { return x.offsets[a] - x.offsets[b] })
	return order
}

// objectAt returns object n of doc laid out as x (order from x.order, i its
// index there).
func (x xref) objectAt(doc []byte, order []int, i int) []byte {
	start, end := x.offsets[order[i]], x.xrefAt
	if i+1 < len(order) {
		end = x.offsets[order[i+1]]
	}
	if end <= start {
		return nil
	}
	return doc[start:end]
}

// appendXref ends a rewritten document: the cross-reference table of the
// given object offsets, the trailer and startxref.
func appendXref(out []byte, offsets []int, trailer []byte) []byte {
	xrefAt := len(out)
	out = append(out, "xref\n0 "...)
	out = strconv.AppendInt(out, int64(len(offsets)), 10)
	out = append(out, "\n0000000000 65535 f \n"...)
	for n := 1; n < len(offsets); n++ {
		out = appendPadded(out, offsets[n])
		out = append(out, " 00000 n \n"...)
	}
	out = append(out, trailer...)
	out = append(out, "startxref\n"...)
	out = strconv.AppendInt(out, int64(xrefAt), 10)
	return append(out, "\n%%EOF\n"...)
}

// appendPadded appends n as ten digits with leading zeros.
func appendPadded(b []byte, n int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < 10; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
