package models_test

import (
	"encoding/json"
	"testing"

	"pakt/models"
)

// Two versions of a plan compared: measures matched by code whatever its
// case (a change of case is a changed code), indicators by name, budget lines by year, source and funder (two
// lines with the same key pair up in order); equal group sets in another
// order are no change.
func TestDiffPlanVersions(t *testing.T) {
	m := func(code, title string, bud ...models.SnapBudget) models.SnapMeasure {
		return models.SnapMeasure{Code: code, Title: title, Groups: []string{"women", "roma"},
			Indicators: []models.SnapIndicator{{Name: "Zaposlene žene", Unit: "osoba", Baseline: "0", Target: "25"}}, Budget: bud}
	}
	b := func(year int, source, funder, amount string) models.SnapBudget {
		return models.SnapBudget{Year: year, Source: source, Funder: funder, Amount: amount}
	}
	from := models.PlanContent{Title: "Plan", PeriodStart: "2017-01-01", PeriodEnd: "2018-12-31", Measures: []models.SnapMeasure{
		m("M1", "Obuka", b(2017, "municipal", "", "100.00"), b(2017, "municipal", "", "50.00"), b(2018, "donor", "UNDP", "7.00")),
		m("M2", "Prevoz"),
		m("m3", "Isto", b(2017, "pes", "", "1.00")),
	}}
	to := models.PlanContent{Title: "Plan 2", PeriodStart: "2017-01-01", PeriodEnd: "2019-12-31", Measures: []models.SnapMeasure{
		m("M1", "Obuka", b(2017, "municipal", "", "100.00"), b(2017, "municipal", "", "60.00"), b(2018, "csw", "", "7.00")),
		m("M3", "Isto", b(2017, "pes", "", "1.00")),
		m("M4", "Novo"),
	}}
	to.Measures[0].Groups = []string{"roma", "women"} // same set, other order: no change
	to.Measures[0].Indicators[0].Target = "30"
	to.Measures[0].Indicators = append(to.Measures[0].Indicators, models.SnapIndicator{Name: "Obučeni", Unit: "osoba", Baseline: "0", Target: "5"})
	d := models.DiffPlanVersions(from, to)
	if len(d.Fields) != 2 || d.Fields[0].Field != "title" || d.Fields[1].Field != "period_end" {
		t.Fatalf("head fields: %+v", d.Fields)
	}
	if len(d.Added) != 1 || d.Added[0].Code != "M4" || len(d.Removed) != 1 || d.Removed[0].Code != "M2" {
		t.Fatalf("added %+v removed %+v", d.Added, d.Removed)
	}
	// m3 became M3: the same measure, its code written otherwise.
	if len(d.Changed) != 2 || d.Changed[1].Code != "M3" || len(d.Changed[1].Fields) != 1 || d.Changed[1].Fields[0].Field != "code" {
		t.Fatalf("changed: %+v", d.Changed)
	}
	c := d.Changed[0]
	if len(c.Fields) != 0 || len(c.IndicatorsAdded) != 1 || len(c.IndicatorsRemoved) != 0 || len(c.IndicatorsChanged) != 1 ||
		c.IndicatorsChanged[0].Fields[0] != (models.DiffField{Field: "target", Before: "25", After: "30"}) {
		t.Fatalf("indicators: %+v", c)
	}
	if len(c.BudgetChanged) != 1 || c.BudgetChanged[0].Before != "50.00" || c.BudgetChanged[0].After != "60.00" ||
		len(c.BudgetAdded) != 1 || c.BudgetAdded[0].Source != "csw" || len(c.BudgetRemoved) != 1 || c.BudgetRemoved[0].Source != "donor" {
		t.Fatalf("budget: %+v", c)
	}
	if !models.DiffPlanVersions(to, to).Empty() {
		t.Fatal("a version differs from itself")
	}
}

// AuditChanges reads each shape writes store: before/after objects (only
// what differs), Diff's from/to, and new values only.
func TestAuditChanges(t *testing.T) {
	cases := []struct {
		raw  string
		want []models.FieldChange
	}{
		{`{"before":{"title":"A","code":"M1"},"after":{"title":"B","code":"M1"}}`, []models.FieldChange{{Field: "title", Before: "A", After: "B"}}},
		{`{"name":{"from":"Caritas","to":"Caritas BiH"}}`, []models.FieldChange{{Field: "name", Before: "Caritas", After: "Caritas BiH"}}},
		{`{"role":"member","email":"a@b.ba"}`, []models.FieldChange{{Field: "email", After: "a@b.ba"}, {Field: "role", After: "member"}}},
		{`{}`, []models.FieldChange{}},
	}
	for _, c := range cases {
		got := models.AuditChanges(json.RawMessage(c.raw))
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(c.want)
		if string(g) != string(w) {
			t.Errorf("%s: %s, want %s", c.raw, g, w)
		}
	}
}
