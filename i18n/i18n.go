// Package i18n loads the message catalogs and formats dates, numbers and
// money per locale.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"pakt/views"
)

// Default is the language used when nothing else decides.
const Default = "en"

// Bundle holds every catalog; it is read once at start.
type Bundle struct {
	b     *goi18n.Bundle
	langs []string
	keys  map[string]map[string]bool
	loc   map[string]*Localizer
	// serbian keeps the Cyrillic texts to derive the Latin script from.
	serbian map[string]string
}

// Load parses views/locales/*.json; a broken catalog stops the start.
func Load() (*Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(views.FS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	out := &Bundle{b: b, keys: map[string]map[string]bool{}, loc: map[string]*Localizer{}, serbian: map[string]string{}}
	for _, f := range files {
		if err := out.parse(f); err != nil {
			return nil, err
		}
	}
	if err := out.deriveSerbianLatin(); err != nil {
		return nil, err
	}
	sort.Strings(out.langs)
	for _, l := range out.langs {
		out.loc[l] = &Localizer{Lang: l, l: goi18n.NewLocalizer(b, l)}
	}
	return out, nil
}

// parse reads one catalog file named <part>.<lang>.json; several parts of a
// language are merged, so each feature keeps its own file.
func (out *Bundle) parse(f string) error {
	raw, err := fs.ReadFile(views.FS, f)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(path.Base(f), ".json")
	lang := name[strings.LastIndex(name, ".")+1:]
	if _, err := out.b.ParseMessageFileBytes(raw, name+".json"); err != nil {
		return fmt.Errorf("catalog %s: %w", f, err)
	}
	var flat map[string]any
	if err := json.Unmarshal(raw, &flat); err != nil {
		return fmt.Errorf("catalog %s: %w", f, err)
	}
	if out.keys[lang] == nil {
		out.keys[lang] = map[string]bool{}
		out.langs = append(out.langs, lang)
	}
	for k, v := range flat {
		if out.keys[lang][k] {
			return fmt.Errorf("catalog %s: key %q is defined twice for %s", f, k, lang)
		}
		out.keys[lang][k] = true
		if lang == "sr" {
			out.serbian[k], _ = v.(string)
		}
	}
	return nil
}

// deriveSerbianLatin adds "sr-Latn" as the transliteration of the Serbian
// Cyrillic catalogs.
func (out *Bundle) deriveSerbianLatin() error {
	if len(out.serbian) == 0 {
		return nil
	}
	var msgs []*goi18n.Message
	keys := map[string]bool{}
	for k, v := range out.serbian {
		msgs = append(msgs, &goi18n.Message{ID: k, Other: ToSerbianLatin(v)})
		keys[k] = true
	}
	if err := out.b.AddMessages(language.MustParse("sr-Latn"), msgs...); err != nil {
		return err
	}
	out.keys["sr-Latn"] = keys
	out.langs = append(out.langs, "sr-Latn")
	return nil
}

// Languages lists the catalog codes, sorted.
func (b *Bundle) Languages() []string { return b.langs }

// Keys returns the message ids of one catalog (for completeness tests).
func (b *Bundle) Keys(lang string) map[string]bool { return b.keys[lang] }

// Supported says whether lang has a catalog.
func (b *Bundle) Supported(lang string) bool { return b.loc[lang] != nil }

// For returns the localizer of lang, or of Default when lang is unknown.
func (b *Bundle) For(lang string) *Localizer {
	if l := b.loc[lang]; l != nil {
		return l
	}
	return b.loc[Default]
}

// Match picks the best supported language from an Accept-Language header.
func (b *Bundle) Match(accept string) string {
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil {
		return ""
	}
	for _, t := range tags {
		base, _ := t.Base()
		script, _ := t.Script()
		if base.String() == "sr" && script.String() == "Latn" && b.loc["sr-Latn"] != nil {
			return "sr-Latn"
		}
		for _, l := range b.langs {
			if strings.EqualFold(l, t.String()) || strings.EqualFold(l, base.String()) {
				return l
			}
		}
		// Croatian, Montenegrin and (without a Serbian catalog) Serbian
		// readers understand the Bosnian catalog.
		if (base.String() == "hr" || base.String() == "cnr" || base.String() == "sr") && b.loc["bs"] != nil {
			return "bs"
		}
	}
	return ""
}

// Localizer translates for one language.
type Localizer struct {
	Lang string
	l    *goi18n.Localizer
	// plain keeps the translation of each known key asked without
	// arguments: a page asks for dozens of labels, and go-i18n looks each
	// one up anew (plural forms, template) every time.
	plain sync.Map
}

// T translates key; args are name/value pairs for the message template
// ("Count", 3). An unknown key comes back as itself so tests can spot it.
func (l *Localizer) T(key string, args ...any) string {
	if len(args) > 0 {
		return l.localize(key, args)
	}
	if msg, ok := l.plain.Load(key); ok {
		return msg.(string)
	}
	msg := l.localize(key, nil)
	if msg != key { // only known keys: the map stays as small as the catalogue
		l.plain.Store(key, msg)
	}
	return msg
}

func (l *Localizer) localize(key string, args []any) string {
	data := map[string]any{}
	var count any
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		data[name] = args[i+1]
		if name == "Count" {
			count = args[i+1]
		}
	}
	msg, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil || msg == "" {
		return key
	}
	return msg
}
