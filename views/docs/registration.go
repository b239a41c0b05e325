package docs

import (
	"pakt/i18n"
	"pakt/views/pdf"
)

// Registration is what a registered document prints so that it can be
// verified: its content hash (the SHA-256 of its canonical frozen content,
// see models/document.go; a PDF cannot print the hash of its own bytes) and
// the public address that verifies it.
type Registration struct {
	ContentSHA256 string
	BaseURL       string // e.g. https://pakt.example.org
}

// URL is the verification address printed, linked and QR-coded.
func (r *Registration) URL() string { return r.BaseURL + "/verify/" + r.ContentSHA256 }

// SealOf is the verification block of a document of a kind ("agreement",
// "plan", "report", "sitan").
func SealOf(l *i18n.Localizer, kind, sum, url string) pdf.Seal {
	return pdf.Seal{Label: l.T("seal.label." + kind), SHA256: sum, URL: url, Caption: l.T("seal.caption")}
}

// Meta fills the metadata every document carries: subject (what kind of
// document it is), language and keywords.
func Meta(l *i18n.Localizer, kind string, o pdf.Options) pdf.Options {
	o.Subject = l.T("doc.subject." + kind)
	o.Lang = pdfLang(l.Lang)
	o.Keywords = "Pakt, " + o.Author
	return o
}

// pdfLang is the BCP 47 tag of a catalog language: Pakt's Serbian is
// written in Cyrillic.
func pdfLang(lang string) string {
	if lang == "sr" {
		return "sr-Cyrl"
	}
	if lang == "" {
		return "en"
	}
	return lang
}
