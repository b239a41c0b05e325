package pdf

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"unicode"

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

// supported returns the set of runes present in the cmap of all embedded
// font styles, parsed once per process.
func supported() *runeSet {
	glyphsOnce.Do(func() {
		var all *runeSet
		for _, ttf := range [][]byte{fontRegular, fontBold, fontItalic} {
			s, err := parseCmap(ttf)
			if err != nil {
				all = blockFallback()
				break
			}
			if all == nil {
				all = s
				continue
			}
			for i := range all {
				all[i] &= s[i]
			}
		}
		glyphs = all
	})
	return glyphs
}

// blockFallback approximates DejaVu Sans coverage by Unicode block; used only
// if the embedded font's cmap cannot be read.
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

var errCmap = errors.New("pdf: cannot read TrueType cmap")

// parseCmap reads the Unicode BMP (format 4) cmap subtable of a TrueType
// font and returns the runes that map to a real glyph.
func parseCmap(ttf []byte) (*runeSet, error) {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(ttf[off:])), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, errCmap
	}
	cmap := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errCmap
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
			break
		}
	}
	if cmap < 0 {
		return nil, errCmap
	}
	nSub, ok := u16(cmap + 2)
	if !ok {
		return nil, errCmap
	}
	sub, best := -1, -1
	for i := 0; i < nSub; i++ {
		rec := cmap + 4 + 8*i
		platform, ok1 := u16(rec)
		encoding, ok2 := u16(rec + 2)
		off, ok3 := u32(rec + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, errCmap
		}
		if format, ok := u16(cmap + off); !ok || format != 4 {
			continue
		}
		score := 0
		switch {
		case platform == 3 && encoding == 1: // Windows Unicode BMP
			score = 2
		case platform == 0: // Unicode
			score = 1
		default:
			continue
		}
		if score > best {
			best, sub = score, cmap+off
		}
	}
	if sub < 0 {
		return nil, errCmap
	}
	segX2, ok := u16(sub + 6)
	if !ok || segX2 == 0 {
		return nil, errCmap
	}
	endCodes := sub + 14
	startCodes := endCodes + segX2 + 2
	deltas := startCodes + segX2
	rangeOffs := deltas + segX2
	s := new(runeSet)
	for i := 0; i < segX2/2; i++ {
		end, ok1 := u16(endCodes + 2*i)
		start, ok2 := u16(startCodes + 2*i)
		delta, ok3 := u16(deltas + 2*i)
		roAt := rangeOffs + 2*i
		ro, ok4 := u16(roAt)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errCmap
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			g := 0
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				gi, ok := u16(roAt + ro + 2*(c-start))
				if !ok {
					return nil, errCmap
				}
				if gi != 0 {
					g = (gi + delta) & 0xFFFF
				}
			}
			if g != 0 {
				s.add(rune(c))
			}
		}
	}
	return s, nil
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
