package i18n

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestFormatting(t *testing.T) {
	t.Parallel()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bs, en := b.For("bs"), b.For("en")
	amount := decimal.RequireFromString("12500.50")
	if got := bs.Money(amount, "BAM"); got != "12.500,50 KM" {
		t.Errorf("bs money %q", got)
	}
	if got := en.Money(amount, "EUR"); got != "12,500.50 €" {
		t.Errorf("en money %q", got)
	}
	if got := bs.Int(-1234567); got != "-1.234.567" {
		t.Errorf("bs int %q", got)
	}
	d := time.Date(2017, 3, 5, 14, 30, 0, 0, time.UTC)
	if bs.Date(d) != "05.03.2017." || en.Date(d) != "5 Mar 2017" {
		t.Errorf("dates %q %q", bs.Date(d), en.Date(d))
	}
	if en.T("dashboard.welcome", "Name", "Ana") != "Welcome, Ana." {
		t.Errorf("template data: %q", en.T("dashboard.welcome", "Name", "Ana"))
	}
	if en.T("no.such.key") != "no.such.key" {
		t.Error("missing key must come back as itself")
	}
	if b.Match("bs-BA,bs;q=0.9") != "bs" || b.Match("de-DE") != "" || b.Match("hr") != "bs" {
		t.Error("Accept-Language matching wrong")
	}
}

func TestEveryLanguageOfTheRegion(t *testing.T) {
	t.Parallel()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "bs", "sr", "sr-Latn", "sq", "mk"} {
		if !b.Supported(lang) {
			t.Errorf("no catalog for %s", lang)
		}
		if len(b.Keys(lang)) != len(b.Keys("en")) {
			t.Errorf("%s has %d keys, English %d", lang, len(b.Keys(lang)), len(b.Keys("en")))
		}
	}
	sr, lat := b.For("sr"), b.For("sr-Latn")
	if got := lat.T("nav.logout"); got != ToSerbianLatin(sr.T("nav.logout")) || got == sr.T("nav.logout") {
		t.Errorf("Latin %q is not the transliteration of %q", got, sr.T("nav.logout"))
	}
	if ToSerbianLatin("Љиљана Његош, Џеп, Ђорђе Ћирић") != "Ljiljana Njegoš, Džep, Đorđe Ćirić" {
		t.Error("transliteration wrong")
	}
	if got := lat.T("dashboard.welcome", "Name", "Ana"); got == "dashboard.welcome" || !strings.Contains(got, "Ana") {
		t.Errorf("template data lost in Latin: %q", got)
	}
	for accept, want := range map[string]string{"sr-Latn-RS": "sr-Latn", "sr-RS,sr;q=0.9": "sr", "sq-XK": "sq", "mk-MK": "mk", "hr-HR": "bs"} {
		if got := b.Match(accept); got != want {
			t.Errorf("Match(%q) = %q, want %q", accept, got, want)
		}
	}
	amount := decimal.RequireFromString("12500.50")
	for _, lang := range []string{"sr", "sq", "mk", "bs"} {
		if got := b.For(lang).Money(amount, "BAM"); got != "12.500,50 KM" {
			t.Errorf("%s money %q", lang, got)
		}
	}
}
