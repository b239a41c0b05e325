package i18n

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestFormatting(t *testing.T) {
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
