// Package pdf renders the portal's PDF documents (agreements, reports, action
// plans) with gofpdf and embedded DejaVu Sans, so Bosnian/Croatian/Serbian
// Latin, Serbian and Macedonian Cyrillic and Albanian print correctly.
//
// A Doc is a builder: call the block methods in order, then Bytes. Rendering
// panics and gofpdf errors are captured and reported by Bytes; after the
// first error the remaining calls are no-ops. Output is byte-for-byte
// deterministic for identical input (fixed dates, sorted catalog, no random
// IDs). A Doc is not safe for concurrent use; separate Docs are.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Options configures a document.
type Options struct {
	Title       string    // document metadata title
	Author      string    // document metadata author
	Date        time.Time // creation date written into the PDF (deterministic output); zero means 2000-01-01 UTC
	Landscape   bool      // A4 landscape instead of portrait
	PageFormat  string    // footer page label, %d = page number, {nb} = total, e.g. "Strana %d od {nb}"; empty means "%d / {nb}"
	FooterLeft  string    // e.g. a verification URL, printed small at the bottom left of every page
	HeaderRight string    // e.g. municipality name, printed small at the top right of every page after the first
	Subject     string    // document metadata subject (what kind of document this is)
	Keywords    string    // document metadata keywords
	Lang        string    // BCP 47 language of the text (catalog /Lang, XMP dc:language); empty means "en"
}

// Doc is a PDF document under construction.
type Doc struct {
	f        *gofpdf.Fpdf
	o        Options
	err      error
	out      []byte
	finished bool
	italic   bool        // italic style registered
	compress compression // how page streams are compressed (deflate.go)

	// current font as last set through setFont (gofpdf writes a Tf operator
	// on every SetFont, so redundant calls are skipped).
	curStyle string
	curSize  float64

	pageW, pageH    float64
	left, right     float64 // x of the content box edges
	top, bottom     float64 // y of the content box edges
	contentW, bodyH float64
	pageFormat      string
}

const (
	family    = "dejavu"
	nbAlias   = "{nb}"
	ptToMM    = 25.4 / 72
	margin    = 20.0 // mm, all sides
	bodySize  = 10.0 // pt
	leading   = 1.32 // line height / font size
	eps       = 0.001
	digitsTag = "{pakt-digits:0123456789}"
)

type rgb struct{ r, g, b int }

var (
	colText       = rgb{33, 37, 41}
	colMuted      = rgb{95, 102, 110}
	colRule       = rgb{170, 177, 186}
	colHeaderFill = rgb{226, 231, 238}
	colZebra      = rgb{246, 248, 250}
)

// DefaultDate is written into documents whose Options.Date is zero, so that
// output stays deterministic.
var DefaultDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// New starts a document with its first page.
func New(o Options) *Doc {
	return newDoc(o, compressPooled)
}

func newDoc(o Options, c compression) *Doc {
	d := &Doc{o: o, compress: c}
	d.run(d.init)
	return d
}

func (d *Doc) init() {
	orient := "P"
	if d.o.Landscape {
		orient = "L"
	}
	f := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: orient, UnitStr: "mm", SizeStr: "A4"})
	d.f = f
	f.SetCatalogSort(true)
	// By default Bytes deflates the pages afterwards with pooled writers
	// (deflate.go).
	f.SetCompression(d.compress == compressGofpdf)
	date := d.o.Date
	if date.IsZero() {
		date = DefaultDate
	}
	date = date.UTC()
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetProducer("Pakt", false)
	f.SetCreator("Pakt", false)
	if t := oneLine(d.o.Title); t != "" {
		f.SetTitle(t, true)
	}
	if a := oneLine(d.o.Author); a != "" {
		f.SetAuthor(a, true)
	}
	if s := oneLine(d.o.Subject); s != "" {
		f.SetSubject(s, true)
	}
	if k := oneLine(d.o.Keywords); k != "" {
		f.SetKeywords(k, true)
	}
	f.SetXmpMetadata(xmpPacket(d.o, date))
	// The alias must be set before fonts are added (gofpdf sizes the font
	// subset differently when an alias is in use).
	f.AliasNbPages(nbAlias)
	// Each document gets its own copy of the font bytes: while writing the
	// font subset, gofpdf pads table data by appending to slices of the
	// bytes it was given (utf8FontFile.generateChecksum), so documents
	// rendered at the same time would write into the shared embedded
	// bytes at once (go test -race shows it).
	f.AddUTF8FontFromBytes(family, "", bytes.Clone(fontRegular))
	f.AddUTF8FontFromBytes(family, "B", bytes.Clone(fontBold))
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, margin) // all page breaks are ours
	f.SetHeaderFunc(d.header)
	f.SetFooterFunc(d.footer)
	d.pageW, d.pageH = f.GetPageSize()
	d.left, d.right = margin, d.pageW-margin
	d.top, d.bottom = margin, d.pageH-margin
	d.contentW, d.bodyH = d.right-d.left, d.bottom-d.top
	d.pageFormat = oneLine(d.o.PageFormat)
	if d.pageFormat == "" {
		d.pageFormat = "%d / " + nbAlias
	}
	f.SetFont(family, "", bodySize)
	d.curStyle, d.curSize = "", bodySize
	f.SetTextColor(colText.r, colText.g, colText.b)
	f.AddPage()
	d.curSize = 0
	// The total page count replaces {nb} only when the file is written, so
	// its digits might never have been drawn and would be missing from the
	// font subset. Draw all digits once and let the alias machinery erase
	// the text again: the glyphs get embedded, nothing is visible.
	d.setFont("", 8)
	f.Text(0, 0, digitsTag)
	f.RegisterAlias(digitsTag, "")
	f.SetXY(d.left, d.top)
}

// run executes a rendering step, turning panics and gofpdf errors into d.err.
func (d *Doc) run(fn func()) {
	if d.err != nil || d.finished {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			d.err = fmt.Errorf("pdf: rendering panicked: %v", r)
		}
	}()
	fn()
	if d.err == nil && d.f != nil && d.f.Err() {
		d.err = fmt.Errorf("pdf: %w", d.f.Error())
	}
}

// Bytes finishes the document and returns the PDF. Any panic or gofpdf error
// during construction or output is returned as an error. Calling Bytes again
// returns the same result; block methods called after Bytes are ignored.
func (d *Doc) Bytes() ([]byte, error) {
	if d.finished {
		return d.out, d.err
	}
	d.run(func() {
		if d.f == nil {
			d.err = errors.New("pdf: document not initialised")
			return
		}
		var buf bytes.Buffer
		if err := d.f.Output(&buf); err != nil {
			d.err = fmt.Errorf("pdf: %w", err)
			return
		}
		d.out = buf.Bytes()
		if d.compress == compressPooled {
			d.out, _ = deflateStreams(d.out)
		}
		d.out = finish(d.out, d.lang())
	})
	d.finished = true
	if d.err != nil {
		d.out = nil
	}
	return d.out, d.err
}

// PageCount returns the number of pages so far.
func (d *Doc) PageCount() int {
	if d.f == nil {
		return 0
	}
	return d.f.PageNo()
}

// Err reports the first error recorded so far, if any.
func (d *Doc) Err() error { return d.err }

// ---- page furniture ----

func (d *Doc) header() {
	f := d.f
	if f.PageNo() > 1 {
		if t := oneLine(d.o.HeaderRight); t != "" {
			f.SetFont(family, "", 8)
			f.SetTextColor(colMuted.r, colMuted.g, colMuted.b)
			f.SetCellMargin(0)
			if lines := f.SplitText(t, d.contentW); len(lines) > 0 {
				f.SetXY(d.left, 10)
				f.CellFormat(d.contentW, 4, lines[0], "", 0, "R", false, 0, "")
			}
			f.SetDrawColor(colRule.r, colRule.g, colRule.b)
			f.SetLineWidth(0.2)
			f.Line(d.left, 14.5, d.right, 14.5)
		}
	}
	d.curSize = 0 // gofpdf restores its own font after the header
	f.SetXY(d.left, d.top)
}

func (d *Doc) footer() {
	f := d.f
	n := f.PageNo()
	f.SetFont(family, "", 8)
	d.curSize = 0
	f.SetTextColor(colMuted.r, colMuted.g, colMuted.b)
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	f.SetLineWidth(0.2)
	f.SetCellMargin(0)
	y := d.pageH - margin + 5.5
	f.Line(d.left, y-1.5, d.right, y-1.5)

	num := strconv.Itoa(n)
	label := strings.ReplaceAll(d.pageFormat, "%d", num)
	// Width as it will read once {nb} is replaced (exact on the last page).
	lw := f.GetStringWidth(strings.ReplaceAll(label, nbAlias, num))
	f.SetXY(d.right-lw, y)
	f.CellFormat(lw+1, 4, label, "", 0, "L", false, 0, "")

	if t := oneLine(d.o.FooterLeft); t != "" {
		w := d.contentW - lw - 8
		// A web address is a link (a PDF link annotation) on one line,
		// smaller when needed: it may end in a hash, never wrapped.
		if strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") {
			if sw := f.GetStringWidth(t); sw > w {
				f.SetFont(family, "", 8*w/sw*0.98)
			}
			f.SetXY(d.left, y)
			f.CellFormat(w, 4, t, "", 0, "L", false, 0, t)
			return
		}
		lines := f.SplitText(t, w)
		for i := 0; i < len(lines) && i < 2; i++ {
			f.SetXY(d.left, y+float64(i)*3.4)
			f.CellFormat(w, 4, lines[i], "", 0, "L", false, 0, "")
		}
	}
}

// ---- helpers ----

func (d *Doc) setFont(style string, size float64) {
	if style == "I" && !d.italic {
		d.f.AddUTF8FontFromBytes(family, "I", bytes.Clone(fontItalic)) // a copy: see init
		d.italic = true
	}
	if style == d.curStyle && size == d.curSize {
		return
	}
	d.f.SetFont(family, style, size)
	d.curStyle, d.curSize = style, size
}

func (d *Doc) textColor(c rgb) { d.f.SetTextColor(c.r, c.g, c.b) }

func lineH(size float64) float64 { return size * ptToMM * leading }

func (d *Doc) y() float64 { return d.f.GetY() }

func (d *Doc) atTop() bool { return d.f.GetY() <= d.top+eps }

func (d *Doc) newPage() {
	d.f.AddPage()
	d.curSize = 0
	d.f.SetXY(d.left, d.top)
}

// ensure starts a new page unless h mm fit below the current position (or we
// are already at the top of a page, where nothing would be gained).
func (d *Doc) ensure(h float64) {
	if d.y()+h > d.bottom+eps && !d.atTop() {
		d.newPage()
	}
}

// skip moves down by h mm (not at the top of a page); overflow starts a page.
func (d *Doc) skip(h float64) {
	if d.atTop() {
		return
	}
	if d.y()+h > d.bottom {
		d.newPage()
		return
	}
	d.f.SetXY(d.left, d.y()+h)
}

// block writes text wrapped to the content width, line by line with page
// breaks. keep is the number of mm that must fit together with the first
// lines (used for keep-with-next); minLines lines are kept together.
func (d *Doc) block(text, style string, size float64, c rgb, minLines int, keepAfter float64) {
	d.setFont(style, size)
	d.f.SetCellMargin(0)
	lines := d.f.SplitText(clean(text), d.contentW)
	if len(lines) == 0 {
		return
	}
	lh := lineH(size)
	if minLines > len(lines) {
		minLines = len(lines)
	}
	d.ensure(float64(minLines)*lh + keepAfter)
	for i, ln := range lines {
		if i > 0 && d.y()+lh > d.bottom+eps {
			d.newPage()
		}
		// Orphan control: do not leave one line of a longer paragraph alone
		// at the bottom of a page.
		if i == 0 && len(lines) > 1 && d.y()+2*lh > d.bottom+eps {
			d.ensure(2 * lh)
		}
		d.setFont(style, size)
		d.textColor(c)
		y := d.y()
		d.f.SetXY(d.left, y)
		d.f.CellFormat(d.contentW, lh, ln, "", 0, "L", false, 0, "")
		d.f.SetXY(d.left, y+lh)
	}
}

// ---- text blocks ----

// Title prints a big bold title.
func (d *Doc) Title(text string) {
	d.run(func() {
		d.block(text, "B", 18, colText, 2, 8)
		d.skip(2.5)
	})
}

// Subtitle prints a muted line below a title.
func (d *Doc) Subtitle(text string) {
	d.run(func() {
		d.block(text, "", 12.5, colMuted, 2, 6)
		d.skip(4)
	})
}

// Heading prints a bold section heading and keeps it with the next three
// body lines, so it is never left alone at the bottom of a page.
func (d *Doc) Heading(text string) {
	d.run(func() {
		d.setFont("B", 13)
		d.f.SetCellMargin(0)
		lines := d.f.SplitText(clean(text), d.contentW)
		if len(lines) == 0 {
			return
		}
		d.skip(3.5)
		keep := float64(len(lines))*lineH(13) + 1.5 + 3*lineH(bodySize)
		d.ensure(keep)
		d.block(text, "B", 13, colText, len(lines), 0)
		d.skip(1.5)
	})
}

// Paragraph prints wrapped body text; \n starts a new line.
func (d *Doc) Paragraph(text string) {
	d.run(func() {
		d.block(text, "", bodySize, colText, 2, 0)
		d.skip(2.5)
	})
}

// Note prints a small italic muted paragraph (captions, sources, remarks).
func (d *Doc) Note(text string) {
	d.run(func() {
		d.block(text, "I", 8.5, colMuted, 2, 0)
		d.skip(2)
	})
}

// Spacer adds vertical space (ignored at the top of a page).
func (d *Doc) Spacer(mm float64) {
	d.run(func() {
		if mm > 0 {
			d.skip(mm)
		}
	})
}

// PageBreak starts a new page, unless the current one is still empty (a
// table or spacer that just filled a page has already started the next).
func (d *Doc) PageBreak() {
	d.run(func() {
		if !d.atTop() {
			d.newPage()
		}
	})
}
