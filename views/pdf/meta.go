package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Metadata and the finishing pass. gofpdf writes an Info dictionary and,
// with SetXmpMetadata, an XMP stream, but it never links the stream from
// the catalog, has no document language (/Lang) and no output intent,
// names its embedded font subsets "utf8dejavu" (a subset must be named
// TAG+PostScriptName), gives link annotations no print flag and the
// trailer no /ID. finish fixes all of that after the fact, object by
// object, adds the sRGB output intent and rebuilds the cross-reference
// table; docs/pdf.md says how far this gets towards PDF/A-2u and what
// remains.

// The sRGB profile of the output intent (icc/LICENSE-sRGB.txt): the
// colours are DeviceRGB, which PDF/A allows only with an output intent.
//
//go:embed icc/sRGB.icc
var iccSRGB []byte

// iccObject is the profile as a compressed stream dictionary and data,
// made once.
var iccObject = sync.OnceValue(func() []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression) // a valid level: no error
	_, _ = zw.Write(iccSRGB)                               // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	head := "<</N 3 /Filter /FlateDecode /Length " + strconv.Itoa(z.Len()) + ">>\nstream\n"
	return append(append([]byte(head), z.Bytes()...), streamEnd...)
})

var langRe = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// lang is the document language as a BCP 47 tag ("en" when unset or malformed).
func (d *Doc) lang() string {
	if langRe.MatchString(d.o.Lang) {
		return d.o.Lang
	}
	return "en"
}

// xmpPacket is the XMP metadata of a document: the same title, author,
// subject, keywords and dates as the Info dictionary, and the language.
func xmpPacket(o Options, date time.Time) []byte {
	lang := o.Lang
	if !langRe.MatchString(lang) {
		lang = "en"
	}
	stamp := date.UTC().Format("2006-01-02T15:04:05Z")
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
		"<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n" +
		"<dc:format>application/pdf</dc:format>\n")
	xmpAlt(&b, "dc:title", oneLine(o.Title))
	if a := oneLine(o.Author); a != "" {
		b.WriteString("<dc:creator><rdf:Seq><rdf:li>" + xmlText(a) + "</rdf:li></rdf:Seq></dc:creator>\n")
	}
	xmpAlt(&b, "dc:description", oneLine(o.Subject))
	b.WriteString("<dc:language><rdf:Bag><rdf:li>" + lang + "</rdf:li></rdf:Bag></dc:language>\n")
	b.WriteString("<xmp:CreatorTool>Pakt</xmp:CreatorTool>\n<xmp:CreateDate>" + stamp + "</xmp:CreateDate>\n" +
		"<xmp:ModifyDate>" + stamp + "</xmp:ModifyDate>\n<xmp:MetadataDate>" + stamp + "</xmp:MetadataDate>\n" +
		"<pdf:Producer>Pakt</pdf:Producer>\n")
	if k := oneLine(o.Keywords); k != "" {
		b.WriteString("<pdf:Keywords>" + xmlText(k) + "</pdf:Keywords>\n")
	}
	b.WriteString("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>")
	return b.Bytes()
}

func xmpAlt(b *bytes.Buffer, tag, text string) {
	if text == "" {
		return
	}
	b.WriteString("<" + tag + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xmlText(text) + "</rdf:li></rdf:Alt></" + tag + ">\n")
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder do not fail
	return b.String()
}

// PostScript names of the embedded styles, by gofpdf's font key.
var postScriptNames = map[string]string{"": "DejaVuSans", "B": "DejaVuSans-Bold", "I": "DejaVuSans-Oblique"}

var (
	fontNameRe = regexp.MustCompile(`/utf8` + family + `(B|I)?([\s/>\]])`)
	infoDateRe = regexp.MustCompile(`(/(?:CreationDate|ModDate) \(D:\d{14})\)`)
)

// finish applies the fixes listed at the top of this file. A document not
// laid out as gofpdf writes it is returned unchanged.
func finish(doc []byte, lang string) []byte {
	x, ok := parseXref(doc)
	if !ok {
		return doc
	}
	order := x.order()
	first := x.offsets[order[0]]
	sum := sha256.Sum256(doc)
	fx := fixer{lang: lang, tag: subsetTags(doc, x, order), metadata: metadataObject(doc, x, order), intent: len(x.offsets) + 1}
	out := make([]byte, 0, len(doc)+2048)
	out = append(out, header(doc[:first])...)
	offsets := make([]int, len(x.offsets))
	for i, n := range order {
		obj := x.objectAt(doc, order, i)
		if obj == nil {
			return doc
		}
		offsets[n] = len(out)
		out = append(out, fx.object(obj)...)
	}
	out, offsets = appendOutputIntent(out, offsets)
	id := hex.EncodeToString(sum[:16])
	trailer := bytes.Replace(x.trailer, []byte("\n>>\n"), []byte("\n/ID [<"+id+"> <"+id+">]\n>>\n"), 1)
	trailer = sizeRe.ReplaceAll(trailer, []byte("/Size "+strconv.Itoa(len(offsets))))
	return appendXref(out, offsets, trailer)
}

var sizeRe = regexp.MustCompile(`/Size \d+`)

// appendOutputIntent adds the ICC profile and the output intent as the
// next two objects (the catalog refers to the second: fixer.object).
func appendOutputIntent(out []byte, offsets []int) ([]byte, []int) {
	icc := len(offsets)
	offsets = append(offsets, len(out))
	out = append(out, strconv.Itoa(icc)+" 0 obj\n"...)
	out = append(out, iccObject()...)
	offsets = append(offsets, len(out))
	out = append(out, strconv.Itoa(icc+1)+" 0 obj\n<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"+
		" /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) /DestOutputProfile "+strconv.Itoa(icc)+" 0 R>>\nendobj\n"...)
	return out, offsets
}

// header declares PDF 1.7 (the base of PDF/A-2) and adds the comment of
// four high bytes that marks the file as binary.
func header(h []byte) []byte {
	if !bytes.HasPrefix(h, []byte("%PDF-1.")) || len(h) != len("%PDF-1.3\n") {
		return h
	}
	return []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
}

var cidFontRe = regexp.MustCompile(`^\d+ 0 obj\n<</Type /Font\n/Subtype /CIDFontType2\n/BaseFont /utf8` + family + `(B|I)?\n`)

// subsetTags names each style's font subset with six capital letters
// derived from its CIDFont dictionary (which lists the widths of the glyphs
// used), so the same subset always gets the same name, however the pages
// are compressed.
func subsetTags(doc []byte, x xref, order []int) [3]string {
	var tags [3]string
	for i := range order {
		obj := x.objectAt(doc, order, i)
		m := cidFontRe.FindSubmatch(obj)
		if m == nil {
			continue
		}
		sum := sha256.Sum256(obj)
		t := make([]byte, 6)
		for j := range t {
			t[j] = 'A' + sum[j]%26
		}
		tags[styleIndex[string(m[1])]] = string(t)
	}
	for i, t := range tags {
		if t == "" {
			tags[i] = [3]string{"PAKTAA", "PAKTAB", "PAKTAC"}[i]
		}
	}
	return tags
}

var styleIndex = map[string]int{"": 0, "B": 1, "I": 2}

// metadataObject finds the number of the XMP stream object (0 when none).
func metadataObject(doc []byte, x xref, order []int) int {
	for i, n := range order {
		obj := x.objectAt(doc, order, i)
		if bytes.Contains(obj[:min(len(obj), 48)], []byte("<< /Type /Metadata /Subtype /XML")) {
			return n
		}
	}
	return 0
}

type fixer struct {
	lang     string
	tag      [3]string
	metadata int // object number of the XMP stream
	intent   int // object number the output intent will have
}

// gofpdf's empty embedded-files name tree: dropped (nothing is embedded).
var noEmbeddedFiles = []byte("/Names <<\n/EmbeddedFiles << /Names [\n  \n] >>\n>>\n")

// object returns one object with the fixes that apply to it.
func (fx fixer) object(obj []byte) []byte {
	head := obj[:min(len(obj), 64)]
	switch {
	case bytes.Contains(head, []byte("<</Type /Font")):
		return fontNameRe.ReplaceAllFunc(obj, fx.fontName)
	case bytes.Contains(head, []byte("<<\n/Type /Catalog\n")):
		add := "/Type /Catalog\n/Lang (" + fx.lang + ")\n/ViewerPreferences <</DisplayDocTitle true>>\n" +
			"/OutputIntents [" + strconv.Itoa(fx.intent) + " 0 R]\n"
		if fx.metadata > 0 {
			add += "/Metadata " + strconv.Itoa(fx.metadata) + " 0 R\n"
		}
		obj = bytes.Replace(obj, noEmbeddedFiles, nil, 1)
		return bytes.Replace(obj, []byte("/Type /Catalog\n"), []byte(add), 1)
	case bytes.Contains(head, []byte("<</Type /Page\n")):
		return bytes.ReplaceAll(obj, []byte("/Subtype /Link /Rect"), []byte("/Subtype /Link /F 4 /Rect"))
	case bytes.Contains(head, []byte("<<\n/Producer")):
		return infoDateRe.ReplaceAll(obj, []byte("${1}Z)"))
	}
	return obj
}

func (fx fixer) fontName(m []byte) []byte {
	sub := fontNameRe.FindSubmatch(m)
	tag, name := fx.tag[styleIndex[string(sub[1])]], postScriptNames[string(sub[1])]
	return append([]byte("/"+tag+"+"+name), sub[2]...)
}
