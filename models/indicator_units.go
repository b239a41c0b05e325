package models

import (
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"pakt/models/disclosure"
)

// peopleUnits are the words that make an indicator's unit a count of
// people, in the languages of the catalogs (lower case). Units are free
// text ("osoba", "persons", "особа", "лица", "Broj osoba"); one of these
// words anywhere in it is enough.
var peopleUnits = map[string]bool{
	// English
	"person": true, "persons": true, "people": true, "participant": true, "participants": true,
	"beneficiary": true, "beneficiaries": true, "individual": true, "individuals": true,
	// Bosnian, Croatian, Serbian (Latin)
	"osoba": true, "osobe": true, "osobu": true, "lice": true, "lica": true, "ljudi": true,
	"korisnik": true, "korisnika": true, "korisnici": true, "učesnik": true, "učesnika": true, "učesnici": true,
	"sudionik": true, "sudionika": true, "polaznik": true, "polaznika": true, "polaznici": true,
	// Serbian (Cyrillic)
	"особа": true, "особе": true, "особу": true, "лице": true, "лица": true, "људи": true,
	"корисник": true, "корисника": true, "корисници": true, "учесник": true, "учесника": true, "учесници": true,
	"полазник": true, "полазника": true, "полазници": true,
	// Macedonian
	"луѓе": true, "особи": true,
	// Albanian
	"persona": true, "personat": true, "njerëz": true, "njerez": true,
	"pjesëmarrës": true, "pjesemarres": true, "përfitues": true, "perfitues": true,
}

// CountsPeople says whether an indicator's unit counts people. A share of
// people ("% osoba") does not: it keeps its decimals.
func CountsPeople(unit string) bool {
	if strings.Contains(unit, "%") {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(unit), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		if peopleUnits[w] {
			return true
		}
	}
	return false
}

// QuantityPlaces is how many decimals an indicator's values are shown
// with: none for a count of people whose values are all whole ("0 → 240
// osoba", never "0.00 → 240.00"), two otherwise. A count with a fraction
// (bad data) keeps its decimals rather than being rounded out of sight.
func QuantityPlaces(unit string, values ...decimal.Decimal) int32 {
	return PlacesOf(CountsPeople(unit), values...)
}

// PlacesOf is QuantityPlaces for a unit already known to count people or
// not (CountsPeople), for callers formatting many values of a few units.
func PlacesOf(countsPeople bool, values ...decimal.Decimal) int32 {
	if !countsPeople {
		return 2
	}
	for _, v := range values {
		if !v.IsInteger() { // no big-number arithmetic for the usual values
			return 2
		}
	}
	return 0
}

// Places is how many decimals the indicator's baseline and target are
// shown with (QuantityPlaces).
func (i Indicator) Places() int32 { return QuantityPlaces(i.Unit, i.Baseline, i.Target) }

// PublicQuantity is an indicator value as public outputs print it: a count
// of people as its band ("<5", "10–14"; package disclosure), like every other
// count of people, anything else as QuantityText. A count with a fraction
// (bad data) is banded by its whole part.
func PublicQuantity(unit string, v decimal.Decimal) string {
	if !CountsPeople(unit) {
		return QuantityText(v)
	}
	return disclosure.Of(v.Truncate(0).IntPart()).String()
}

// PublicQuantityBand is the band of an indicator value that counts people;
// ok is false for any other unit.
func PublicQuantityBand(unit string, v decimal.Decimal) (b disclosure.Band, ok bool) {
	if !CountsPeople(unit) {
		return b, false
	}
	return disclosure.Of(v.Truncate(0).IntPart()), true
}

// PublicBaseline is the baseline as public pages print it (PublicQuantity):
// a baseline counts people who are there today.
func (i Indicator) PublicBaseline() string { return PublicQuantity(i.Unit, i.Baseline) }
