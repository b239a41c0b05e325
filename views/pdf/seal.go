package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

var imageOptsPNG = gofpdf.ImageOptions{ImageType: "PNG"}

// Seal is the verification block of a registered document: a QR code of
// the verification address, the SHA-256 it names, and the address itself
// as a clickable link.
type Seal struct {
	Label   string // e.g. "SHA-256 of the adopted content"
	SHA256  string // 64 hex digits, printed on one line
	URL     string // the verification address (QR code and link)
	Caption string // a short explanation under the hash, may be empty
}

const (
	sealQR      = 30.0 // mm, QR code edge
	sealGap     = 5.0  // mm between QR code and text
	hashMaxSize = 9.0  // pt, the hash's largest size
)

// Seal draws the verification block. The hash is never wrapped: it is
// printed on its own line at the largest size (at most 9 pt) at which all
// 64 digits fit the width beside the QR code.
func (d *Doc) Seal(s Seal) {
	d.run(func() {
		d.skip(2)
		d.ensure(sealQR + 2)
		x, y := d.left, d.y()
		d.qr(s.URL, x, y, sealQR)
		tx, tw := x+sealQR+sealGap, d.contentW-sealQR-sealGap
		d.f.SetCellMargin(0)
		ty := y + 1
		ty = d.sealLine(tx, ty, tw, s.Label, "B", 9, colText)
		ty = d.sealHash(tx, ty, tw, s.SHA256)
		ty = d.sealLink(tx, ty+0.8, tw, s.URL)
		if s.Caption != "" {
			d.setFont("I", 8)
			d.textColor(colMuted)
			for _, ln := range d.f.SplitText(clean(s.Caption), tw) {
				d.f.SetXY(tx, ty)
				d.f.CellFormat(tw, lineH(8), ln, "", 0, "L", false, 0, "")
				ty += lineH(8)
			}
		}
		d.f.SetXY(d.left, max(y+sealQR, ty)+2)
		d.textColor(colText)
	})
}

// sealLine prints one line of text cut to the width; returns the next y.
func (d *Doc) sealLine(x, y, w float64, text, style string, size float64, c rgb) float64 {
	d.setFont(style, size)
	d.textColor(c)
	if lines := d.f.SplitText(oneLine(text), w); len(lines) > 0 {
		d.f.SetXY(x, y)
		d.f.CellFormat(w, lineH(size), lines[0], "", 0, "L", false, 0, "")
	}
	return y + lineH(size)
}

// sealHash prints the hash on one line, shrunk to fit when needed.
func (d *Doc) sealHash(x, y, w float64, sum string) float64 {
	size := hashMaxSize
	d.setFont("", size)
	if sw := d.f.GetStringWidth(sum); sw > w {
		size = hashMaxSize * w / sw * 0.98
		d.setFont("", size)
	}
	d.textColor(colText)
	d.f.SetXY(x, y)
	d.f.CellFormat(w, lineH(size), sum, "", 0, "L", false, 0, "")
	return y + lineH(size)
}

// sealLink prints the address as a link annotation (shrunk like the hash,
// so a long base URL stays on one line too).
func (d *Doc) sealLink(x, y, w float64, url string) float64 {
	size := 8.0
	d.setFont("", size)
	if sw := d.f.GetStringWidth(url); sw > w {
		size = size * w / sw * 0.98
		d.setFont("", size)
	}
	d.f.SetTextColor(20, 80, 160)
	d.f.SetXY(x, y)
	d.f.CellFormat(w, lineH(size), url, "", 0, "L", false, 0, url)
	return y + lineH(size)
}

// qr draws a QR code of text, edge mm wide, at (x, y), linked to text.
// The image has one pixel per module (quiet zone included), so the PDF
// holds exactly the module matrix and a test can compare it with the
// encoder's own; viewers scale it without interpolation (/Interpolate is
// not set).
func (d *Doc) qr(text string, x, y, edge float64) {
	name := "qr:" + text
	if info := d.f.GetImageInfo(name); info == nil {
		img, err := QRImage(text)
		if err != nil {
			d.err = err
			return
		}
		d.f.RegisterImageOptionsReader(name, imageOptsPNG, bytes.NewReader(img))
	}
	d.f.ImageOptions(name, x, y, edge, edge, false, imageOptsPNG, 0, text)
}

// QRImage encodes text as a QR code (medium error correction) in a
// greyscale PNG of one pixel per module, with the standard four-module
// quiet zone.
func QRImage(text string) ([]byte, error) {
	bm, err := QRModules(text)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, len(bm), len(bm)))
	for yy, row := range bm {
		for xx, dark := range row {
			c := color.Gray{Y: 255}
			if dark {
				c.Y = 0
			}
			img.SetGray(xx, yy, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// QRModules is the module matrix of text's QR code (true = dark), quiet
// zone included.
func QRModules(text string) ([][]bool, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	return q.Bitmap(), nil
}
