package models

import "testing"

// TestAttachPartsOfUnknownMeasures: parts read after the measures may belong
// to a measure created or deleted in between (concurrent writers). They are
// left out: never attached to another measure, and no panic when the plan
// had no measure yet (the outside review's "index out of range [0] with
// length 0" on POST /action-plans/{id}/measures under 8 parallel writers).
func TestAttachPartsOfUnknownMeasures(t *testing.T) {
	t.Parallel()
	empty := &Plan{}
	attachParts(empty, []Indicator{{MeasureID: 7}}, []BudgetLine{{MeasureID: 7}}, []EvidenceRef{{MeasureID: 7}})
	if len(empty.Measures) != 0 {
		t.Fatalf("measures appeared: %+v", empty.Measures)
	}
	p := &Plan{Measures: []Measure{{ID: 1}, {ID: 2}}}
	attachParts(p, []Indicator{{MeasureID: 2, Name: "own"}, {MeasureID: 9, Name: "stranger"}},
		[]BudgetLine{{MeasureID: 9}}, []EvidenceRef{{MeasureID: 1}})
	if len(p.Measures[0].Indicators) != 0 || len(p.Measures[1].Indicators) != 1 || p.Measures[1].Indicators[0].Name != "own" {
		t.Fatalf("indicators misplaced: %+v", p.Measures)
	}
	if len(p.Measures[0].Budget)+len(p.Measures[1].Budget) != 0 || len(p.Measures[0].Evidence) != 1 {
		t.Fatalf("budget or evidence misplaced: %+v", p.Measures)
	}
}
