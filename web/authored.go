package web

import (
	"html/template"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"
)

// Authored is the lang attribute of text a municipality wrote in its own
// language (plan and agreement titles, measures, findings, needs, its
// organisations' names): on a page in another language a screen reader
// then still reads "Obuka za njegovateljice" as Bosnian (WCAG 3.1.2,
// language of parts). Templates call it as {{authored $m.Language}}; an
// empty or unknown code gives no attribute.
func Authored(lang string) template.HTMLAttr {
	if a, ok := authoredAttrs.Load(lang); ok {
		return a.(template.HTMLAttr)
	}
	a := authoredAttr(lang)
	if authoredKept.Add(1) <= 256 { // bounded, whatever codes come
		authoredAttrs.Store(lang, a)
	}
	return a
}

// authoredAttrs remembers the attribute of each language code seen: a
// page of a big plan asks for it hundreds of times, and parsing the code
// each time cost more than the rest of the row. Codes come from the
// municipalities' settings, so the map stays small.
var (
	authoredAttrs sync.Map
	authoredKept  atomic.Int32
)

func authoredAttr(lang string) template.HTMLAttr {
	if lang == "" {
		return ""
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return ""
	}
	// A parsed BCP 47 tag is letters, digits and hyphens only: safe to
	// write into the tag unescaped.
	return template.HTMLAttr(`lang="` + tag.String() + `"`) //nolint:gosec
}
