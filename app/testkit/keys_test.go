package testkit

import "testing"

func TestUntranslatedFindsMissingMessages(t *testing.T) {
	cases := map[string]string{
		`<p>plan.status.weird</p>`:                      "plan.status.weird",
		`<td>Status: validation.required</td>`:          "validation.required",
		`<p>Kontakt: koordinator.zvornik@pakt.demo</p>`: "",
		`<link href="/static/app.css"><p>Plan 2.1</p>`:  "",
		`<p>Sve je prevedeno.</p>`:                      "",
	}
	for body, want := range cases {
		if got := untranslated([]byte(body)); got != want {
			t.Errorf("untranslated(%q) = %q, want %q", body, got, want)
		}
	}
}
