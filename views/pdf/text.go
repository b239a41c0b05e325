package pdf

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// DejaVu Sans (Bitstream Vera licence, see fonts/LICENSE-DejaVu.txt). The
// bytes live in the binary and are handed to gofpdf for every document; the
// core PDF fonts are never used because they cannot print č ć đ š ž ë ç or
// Cyrillic.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
	//go:embed fonts/DejaVuSans-Oblique.ttf
	fontItalic []byte
)

// runeSet is a bitmap over the Basic Multilingual Plane.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r <= 0xFFFF {
		s[r>>6] |= 1 << (uint(r) & 63)
	}
}

func (s *runeSet) has(r rune) bool {
	return r >= 0 && r <= 0xFFFF && s[r>>6]&(1<<(uint(r)&63)) != 0
}

var (
	glyphsOnce sync.Once
	glyphs     *runeSet // runes every embedded style can draw
)

// supported returns the set of runes that every embedded font style maps to
// a real glyph, read from the fonts' cmap tables once per process.
func supported() *runeSet {
	glyphsOnce.Do(func() {
		var err error
		if glyphs, err = coverage(fontRegular, fontBold, fontItalic); err != nil {
			glyphs = blockFallback()
		}
	})
	return glyphs
}

// coverage returns the BMP runes (U+FFFF excluded) that all the given
// TrueType fonts map to a glyph other than .notdef. It asks sfnt once per
// rune and font; the whole BMP takes a few milliseconds, after which a
// lookup is one bit test.
func coverage(ttfs ...[]byte) (*runeSet, error) {
	fonts := make([]*sfnt.Font, len(ttfs))
	for i, ttf := range ttfs {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("pdf: reading embedded font %d: %w", i, err)
		}
		fonts[i] = f
	}
	var buf sfnt.Buffer
	s := new(runeSet)
	for r := rune(0); r < 0xFFFF; r++ {
		if hasGlyph(fonts, &buf, r) {
			s.add(r)
		}
	}
	return s, nil
}

func hasGlyph(fonts []*sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	for _, f := range fonts {
		if g, err := f.GlyphIndex(buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// blockFallback approximates DejaVu Sans coverage by Unicode block; used only
// if the embedded fonts cannot be read.
func blockFallback() *runeSet {
	s := new(runeSet)
	for _, b := range [][2]rune{
		{0x0020, 0x007E}, // Basic Latin
		{0x00A0, 0x024F}, // Latin-1 Supplement, Latin Extended-A/B
		{0x0250, 0x02FF}, // IPA, spacing modifiers
		{0x0370, 0x03FF}, // Greek
		{0x0400, 0x052F}, // Cyrillic + Supplement
		{0x2010, 0x205E}, // General Punctuation (visible part)
		{0x20A0, 0x20BF}, // Currency symbols
		{0x2190, 0x21FF}, // Arrows
		{0x2500, 0x257F}, // Box drawing
	} {
		for r := b[0]; r <= b[1]; r++ {
			s.add(r)
		}
	}
	return s
}

// clean makes text safe to hand to gofpdf: NFC-normalised, tabs become
// spaces, CR/CRLF and Unicode line separators become \n, and it drops runes
// above U+FFFF (emoji; gofpdf panics on them), control and format
// characters, variation selectors and every rune the embedded fonts lack.
func clean(s string) string {
	if isPlainASCII(s) {
		return s
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	set := supported()
	var b strings.Builder
	b.Grow(len(s))
	prevCR := false
	for _, r := range s {
		cr := false
		switch {
		case r == '\n':
			if !prevCR {
				b.WriteByte('\n')
			}
		case r == '\r', r == '\u2028', r == '\u2029', r == '\u0085':
			b.WriteByte('\n')
			cr = r == '\r'
		case r == '\t':
			b.WriteByte(' ')
		case r > 0xFFFF, unicode.IsControl(r), unicode.Is(unicode.Cf, r),
			r >= 0xFE00 && r <= 0xFE0F, r >= 0xD800 && r <= 0xDFFF:
			// dropped
		case set.has(r):
			b.WriteRune(r)
		}
		prevCR = cr
	}
	return b.String()
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c > 0x7E {
			return false
		}
	}
	return true
}

// oneLine is clean with line breaks turned into spaces (metadata, footer).
func oneLine(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(clean(s), "\n", " "))
}
