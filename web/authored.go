package web

import (
	"html/template"

	"golang.org/x/text/language"
)

// Authored is the lang attribute of text a municipality wrote in its own
// language (plan and agreement titles, measures, findings, needs, its
// organisations' names): on a page in another language a screen reader
// then still reads "Obuka za njegovateljice" as Bosnian (WCAG 3.1.2,
// language of parts). Templates call it as {{authored $m.Language}}; an
// empty or unknown code gives no attribute.
func Authored(lang string) template.HTMLAttr {
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
