package models_test

import (
	"strings"
	"testing"
	"time"

	"pakt/models"
)

// A focus group keeps counts, never names; its needs are checked one by one
// and stored in order with the group taken from the focus group's only group.
func TestFocusGroupNeeds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	in := func() models.FocusGroupInput {
		return models.FocusGroupInput{HeldOn: time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC), Place: "Dom kulture", Groups: []string{"roma"},
			Total: 11, Women: 6, Men: 5, ConsentObtained: true, FacilitatorUserIDs: []int64{w.coordinator.ID},
			Needs: []models.NeedInput{{Statement: "Nema prevoza do grada", Barrier: "participation", Priority: 1},
				{Statement: "Ne znaju za obuke", Barrier: "information", Priority: 2}}}
	}
	bad := in()
	bad.Needs[0].Statement = strings.Repeat("ž", 2001)
	bad.Needs[1].Statement = "  "
	_, err := models.CreateFocusGroup(ctx, db, w.actor, muni, bad)
	wantInvalid(t, err, "needs[0].statement", "validation.max")
	wantInvalid(t, err, "needs[1].statement", "validation.required")

	fg, err := models.CreateFocusGroup(ctx, db, w.actor, muni, in())
	w.must(err)
	got, err := models.GetFocusGroup(ctx, db, muni, fg.ID)
	w.must(err)
	if got.ParticipantsTotal != 11 || len(got.Groups) != 1 || got.Groups[0] != "roma" {
		t.Fatalf("focus group: %+v", got)
	}
	needs, err := models.FocusNeeds(ctx, db, muni, fg.ID)
	w.must(err)
	if len(needs) != 2 || needs[0].Statement != "Nema prevoza do grada" || needs[0].Group == nil || *needs[0].Group != "roma" || needs[1].Priority != 2 {
		t.Fatalf("needs: %+v", needs)
	}
}
