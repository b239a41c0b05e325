package models

import (
	"strings"
	"testing"
	"unicode"
)

// sitanCheckScripts catches a text pasted into the wrong language: Serbian
// and Macedonian are Cyrillic only, Serbian has none of the Macedonian
// letters (ѓ, ќ, ѕ) and Macedonian none of the Serbian ones (ђ, ћ);
// English, Bosnian and Albanian are Latin only.
func sitanCheckScripts(t *testing.T, what string, p Phrase) {
	t.Helper()
	for lang, s := range map[string]string{"en": p.En, "bs": p.Bs, "sq": p.Sq} {
		if strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0 {
			t.Errorf("%s: %s text %q has Cyrillic letters", what, lang, s)
		}
	}
	for lang, s := range map[string]string{"sr": p.Sr, "mk": p.Mk} {
		if strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0 {
			t.Errorf("%s: %s text %q has Latin letters", what, lang, s)
		}
	}
	if strings.ContainsAny(p.Sr, "ЃЌЅѓќѕ") {
		t.Errorf("%s: Serbian text %q has Macedonian letters", what, p.Sr)
	}
	if strings.ContainsAny(p.Mk, "ЂЋђћ") {
		t.Errorf("%s: Macedonian text %q has Serbian letters", what, p.Mk)
	}
	if strings.ContainsAny(p.Sq, "čćšžđČĆŠŽĐ") {
		t.Errorf("%s: Albanian text %q has Bosnian letters", what, p.Sq)
	}
}

// Every built-in text, option and indicator name in every language, the
// Albanian not left as a copy of the English or Bosnian (the scripts keep the
// Cyrillic ones apart, see sitanCheckScripts; Serbian and Macedonian may
// legitimately coincide, "Да, редовно").
func TestTemplateTextsInEveryLanguage(t *testing.T) {
	t.Parallel()
	check := func(what string, p Phrase) {
		t.Helper()
		if !p.Complete() {
			t.Errorf("%s: incomplete %+v", what, p)
			return
		}
		if p.Sq == p.En || p.Sq == p.Bs {
			t.Errorf("%s: the Albanian is a copy: %+v", what, p)
		}
	}
	for _, name := range TemplateNames {
		for _, q := range QuestionnaireTemplates[name] {
			check(name+"/"+q.Code, q.Text)
			for _, o := range q.Options {
				check(name+"/"+q.Code+"/"+o.Value, o.Texts())
			}
		}
	}
	for _, in := range BaselineIndicators {
		check("indicator "+in.Code, in.Name)
	}
}

func TestPhraseIn(t *testing.T) {
	t.Parallel()
	full := Phrase{"Registered unemployed persons", "Registrovana nezaposlena lica", "Регистрована незапослена лица",
		"Persona të papunë të regjistruar", "Регистрирани невработени лица"}
	for lang, want := range map[string]string{
		"en": full.En, "bs": full.Bs, "sr": full.Sr, "sq": full.Sq, "mk": full.Mk,
		"sr-Latn": "Registrovana nezaposlena lica", "sr-latn": "Registrovana nezaposlena lica", "sr-Cyrl": full.Sr,
		"hr": full.Bs, "de": full.En, "": full.En,
	} {
		if got := full.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := (Phrase{Sr: "Од тога, колико их је било пријављено 12 или више месеци?"}).In("sr-Latn"); got != "Od toga, koliko ih je bilo prijavljeno 12 ili više meseci?" {
		t.Errorf("sr-Latn transliteration: %q", got)
	}
	// Rows stored before Serbian, Albanian and Macedonian existed.
	old := Phrase{En: "How many?", Bs: "Koliko?"}
	for lang, want := range map[string]string{"sr": "Koliko?", "sr-Latn": "Koliko?", "sq": "How many?", "mk": "How many?", "xx": "How many?"} {
		if got := old.In(lang); got != want {
			t.Errorf("old row In(%q) = %q, want %q", lang, got, want)
		}
	}
	// A coordinator's question in one language only is shown to everyone.
	if got := (Phrase{Bs: "Imate li prostor?"}).In("mk"); got != "Imate li prostor?" {
		t.Errorf("Bosnian-only question in mk: %q", got)
	}
	if got := (Phrase{En: "Rooms?"}).In("sr-Latn"); got != "Rooms?" {
		t.Errorf("English-only question in sr-Latn: %q", got)
	}
	c := choice("monthly", Phrase{"At least monthly", "Najmanje jednom mjesečno", "Најмање једном месечно",
		"Të paktën një herë në muaj", "Најмалку еднаш месечно"})
	if c.Label("mk") != "Најмалку еднаш месечно" || c.Label("sr-Latn") != "Najmanje jednom mesečno" || c.Label("sq") != "Të paktën një herë në muaj" {
		t.Errorf("choice labels: %q %q %q", c.Label("mk"), c.Label("sr-Latn"), c.Label("sq"))
	}
	if (QuestionChoice{Value: "x", En: "X", Bs: "X"}).Label("sq") != "X" {
		t.Error("old choice without Albanian must fall back")
	}
}

// templateQuestions copies all five languages, and its options are a copy
// (a question's options can never alias the shared template).
func TestTemplateQuestionsCopyEveryLanguage(t *testing.T) {
	t.Parallel()
	for _, name := range TemplateNames {
		qs := templateQuestions(&Questionnaire{ID: 1, Template: name})
		if len(qs) != len(QuestionnaireTemplates[name]) {
			t.Fatalf("%s: %d questions", name, len(qs))
		}
		for i, q := range qs {
			if q.Texts() != QuestionnaireTemplates[name][i].Text {
				t.Errorf("%s/%s: copied %+v", name, q.Code, q.Texts())
			}
			for j, o := range q.Options {
				if o != QuestionnaireTemplates[name][i].Options[j] {
					t.Errorf("%s/%s: option %+v", name, q.Code, o)
				}
			}
			if len(q.Options) > 0 && &q.Options[0] == &QuestionnaireTemplates[name][i].Options[0] {
				t.Errorf("%s/%s: options alias the template", name, q.Code)
			}
		}
	}
}
