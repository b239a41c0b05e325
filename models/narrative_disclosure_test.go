package models

import (
	"slices"
	"testing"
)

func TestSmallNumbersIn(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"advised 40 people, 3 of them employed":            {"3"},
		"Savjetovano 40 osoba, troje zaposleno, 2 u obuci": {"troje", "2"},
		"Три особе, четири жене; 12 мушкараца":             {"Три", "четири"},
		"dy gra dhe 4 burra, 4 të rinj":                    {"dy", "4"},
		"Двајца учесници":                                  {"Двајца"},
		"Two of 14; 2.5 % more, 40 in total, 1000 hours":   {"Two"},
		"": nil,
	}
	for text, want := range cases {
		if got := SmallNumbersIn(text); !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
}
