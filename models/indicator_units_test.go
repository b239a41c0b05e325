package models_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"pakt/models"
)

func TestCountsPeople(t *testing.T) {
	t.Parallel()
	for unit, want := range map[string]bool{
		"osoba": true, "Osoba": true, "persons": true, "people": true, "особа": true, "лица": true, "луѓе": true,
		"persona": true, "broj osoba": true, "korisnika (žene)": true, "učesnika": true,
		"%": false, "% osoba": false, "KM": false, "sastanak": false, "": false, "osobaX": false, "personal": false,
	} {
		if got := models.CountsPeople(unit); got != want {
			t.Errorf("CountsPeople(%q) = %v, want %v", unit, got, want)
		}
	}
}

func TestQuantityPlaces(t *testing.T) {
	t.Parallel()
	cases := []struct {
		unit   string
		values []string
		want   int32
	}{
		{"osoba", []string{"0", "240"}, 0},
		{"osoba", []string{"0.00", "240.00"}, 0},
		{"osoba", []string{"0", "7.5"}, 2}, // a fraction of a person is bad data: shown, not rounded away
		{"%", []string{"12.5", "35"}, 2},
		{"sastanak", []string{"0", "12"}, 2},
	}
	for _, c := range cases {
		var in []decimal.Decimal
		for _, v := range c.values {
			in = append(in, dec(v))
		}
		if got := models.QuantityPlaces(c.unit, in...); got != c.want {
			t.Errorf("QuantityPlaces(%q, %v) = %d, want %d", c.unit, c.values, got, c.want)
		}
	}
	ind := models.Indicator{Unit: "osoba", Baseline: dec("0"), Target: dec("240")}
	if ind.Places() != 0 {
		t.Errorf("Indicator.Places of a person count = %d", ind.Places())
	}
}
