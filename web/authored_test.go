package web

import "testing"

func TestAuthoredGivesOnlyAValidLangAttribute(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"bs": `lang="bs"`, "sr-Latn": `lang="sr-Latn"`, "sr": `lang="sr"`, "mk": `lang="mk"`, "sq": `lang="sq"`, "en": `lang="en"`,
		"": "", `bs" onclick="x`: "", "<b>": "", "not a language tag": "",
	} {
		if got := string(Authored(in)); got != want {
			t.Errorf("Authored(%q) = %q, want %q", in, got, want)
		}
	}
}
