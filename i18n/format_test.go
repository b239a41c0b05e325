package i18n

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDecimalFastPathAgrees holds the integer path of Decimal to the
// big-number one over values of every shape: exact, rounded, negative,
// huge, tiny, with fewer and more decimals than shown.
func TestDecimalFastPathAgrees(t *testing.T) {
	t.Parallel()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fixed := []string{"0", "0.00", "0.05", "-0.05", "-0.001", "0.005", "-0.005", "1", "-1", "999", "1000",
		"-1000", "12500.50", "123456789012345678", "-999999999999999999", "1234567890123456789",
		"99999999999999999.99", "0.1234", "5.555", "-5.555", "100e3", "1e17", "1e18", "-1e20", "7.10"}
	values := make([]decimal.Decimal, 0, 2000)
	for _, s := range fixed {
		values = append(values, decimal.RequireFromString(s))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, decimal.New((r.Int64N(1<<62)-1<<61)>>r.IntN(60), 5-r.Int32N(25)))
	}
	for _, lang := range []string{"bs", "en", "mk"} {
		l := b.For(lang)
		for _, d := range values {
			for places := int32(0); places <= 4; places++ {
				if got, want := l.Decimal(d, places), l.decimalBig(d, places); got != want {
					t.Fatalf("%s Decimal(%s, %d) = %q, big-number path says %q", lang, d, places, got, want)
				}
			}
		}
	}
	l := b.For("bs")
	for _, n := range []int64{0, 7, -7, 1000, -1234567, 999_999_999_999_999_999, -1 << 63, 1<<63 - 1} {
		if got, want := l.Int(n), l.decimalBig(decimal.NewFromInt(n), 0); got != want {
			t.Errorf("Int(%d) = %q, want %q", n, got, want)
		}
	}
	for in, want := range map[string]string{"-1234.5": "-1.234,50", "-0.004": "0,00", "0.005": "0,01", "-0.005": "-0,01"} {
		if got := l.Decimal(decimal.RequireFromString(in), 2); got != want {
			t.Errorf("bs %s with 2 decimals = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"12.00": "12", "2.5": "3", "-2.5": "-3", "2.49": "2", "1234567.00": "1.234.567"} {
		if got := l.Decimal(decimal.RequireFromString(in), 0); got != want {
			t.Errorf("bs %s with no decimals = %q, want %q", in, got, want)
		}
	}
}

// TestPlainTranslationsKept: a label asked again is the same text, read from
// the kept translations; unknown keys are not kept; messages with arguments
// are still filled in each time.
func TestPlainTranslationsKept(t *testing.T) {
	t.Parallel()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.For("bs")
	first := l.T("dash.title")
	if first == "dash.title" || l.T("dash.title") != first {
		t.Fatalf("dash.title: %q then %q", first, l.T("dash.title"))
	}
	if _, ok := l.plain.Load("dash.title"); !ok {
		t.Error("a known label is not kept")
	}
	if l.T("no.such.key") != "no.such.key" {
		t.Error("an unknown key must come back as itself")
	}
	if _, ok := l.plain.Load("no.such.key"); ok {
		t.Error("an unknown key was kept")
	}
	if b.For("en").T("dash.title") == first && first != b.For("en").T("dash.title") {
		t.Error("languages share kept translations")
	}
}
