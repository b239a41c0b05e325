package models_test

import (
	"testing"

	"pakt/models"
)

// Equal reports have one fingerprint however they were written; any
// change of content gives another.
func TestProgressPrint(t *testing.T) {
	t.Parallel()
	pc := func(n int) *int { return &n }
	base := models.ProgressInput{Status: "on_track", PercentComplete: pc(40), Narrative: "Obuke",
		Beneficiaries:   models.Beneficiaries{Total: 20, Women: 12, Men: 8, ByGroup: map[string]int{"roma": 3, "women": 12}},
		Spent:           []models.SpentInput{{Source: "donor", Funder: "UNDP", Amount: "100.5"}},
		IndicatorValues: []models.ValueInput{{IndicatorID: 2, Value: "8"}, {IndicatorID: 1, Value: "1"}}}
	same := base
	same.Narrative, same.Spent = "  Obuke ", []models.SpentInput{{Source: "donor", Funder: "UNDP ", Amount: "100.50"}}
	same.IndicatorValues = []models.ValueInput{{IndicatorID: 1, Value: "1.00"}, {IndicatorID: 2, Value: "8"}}
	same.Beneficiaries.ByGroup = map[string]int{"women": 12, "roma": 3}
	if models.ProgressPrint(base) != models.ProgressPrint(same) {
		t.Fatal("equal reports print differently")
	}
	blank := models.ProgressInput{Beneficiaries: models.Beneficiaries{ByGroup: map[string]int{}}}
	if models.ProgressPrint(blank) != models.ProgressPrint(models.ProgressInputOf(nil)) {
		t.Fatal("a blank row differs from no report")
	}
	for name, change := range map[string]func(*models.ProgressInput){
		"percent": func(in *models.ProgressInput) { in.PercentComplete = pc(41) },
		"group 0": func(in *models.ProgressInput) {
			in.Beneficiaries.ByGroup = map[string]int{"roma": 3, "women": 12, "dropouts": 0}
		},
		"amount": func(in *models.ProgressInput) {
			in.Spent = []models.SpentInput{{Source: "donor", Funder: "UNDP", Amount: "100.51"}}
		},
		"bad value": func(in *models.ProgressInput) { in.IndicatorValues = []models.ValueInput{{IndicatorID: 1, Value: "x"}} },
	} {
		changed := base
		changed.Beneficiaries.ByGroup = map[string]int{"roma": 3, "women": 12}
		change(&changed)
		if models.ProgressPrint(changed) == models.ProgressPrint(base) {
			t.Errorf("%s: a changed report prints the same", name)
		}
	}
}
