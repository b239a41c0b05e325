package models_test

import (
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"pakt/models"
)

// Concurrent requests of one client, as from several instances, each count
// exactly once in the shared window; other clients have their own.
func TestHitRateCountsOnceAcrossConnections(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const n = 24
	hits := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := models.HitRate(w.ctx, w.db, "client-a", time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			hits[i] = r.Hits
			if until := time.Until(r.Reset); until <= 0 || until > time.Minute {
				t.Errorf("window ends in %v", until)
			}
		}()
	}
	wg.Wait()
	sort.Ints(hits)
	for i, h := range hits {
		if h != i+1 {
			t.Fatalf("counts %v, want 1..%d each once", hits, n)
		}
	}
	r, err := models.HitRate(w.ctx, w.db, "client-b", time.Minute)
	if err != nil || r.Hits != 1 {
		t.Fatalf("another client: %+v %v", r, err)
	}
}

// The IATI organisation identifier: the default from the slug, a valid one
// set and audited, a malformed or taken one refused on its field, a stale
// version refused, "" back to the default.
func TestIATIOrgRef(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s, err := models.IATISettingOf(w.ctx, w.db, w.muni.ID)
	if err != nil || s.OrgRef != "XM-PAKT-bratunac" || s.Custom {
		t.Fatalf("default: %+v %v", s, err)
	}
	revBefore, _ := models.RevisionOf(w.ctx, w.db, w.muni.ID)
	s, err = models.SetIATIOrgRef(w.ctx, w.db, w.actor, w.muni.ID, s.Version, " BA-MUN-1101 ")
	if err != nil || s.OrgRef != "BA-MUN-1101" || !s.Custom {
		t.Fatalf("set: %+v %v", s, err)
	}
	if rev, _ := models.RevisionOf(w.ctx, w.db, w.muni.ID); rev <= revBefore {
		t.Error("a new identifier must raise the municipality's content revision (cached files name it)")
	}
	var audited int64
	w.db.Table("audit_log").Where("object_type = 'iati_setting' AND municipality_id = ?", w.muni.ID).Count(&audited)
	if audited != 1 {
		t.Errorf("audit rows: %d", audited)
	}
	for _, bad := range []string{"bratunac", "B-1", "BA-MUN 1101", "BA-MUN/1101", "BA-" + string(make([]byte, 120))} {
		var ve *models.ValidationError
		if _, err := models.SetIATIOrgRef(w.ctx, w.db, w.actor, w.muni.ID, 0, bad); !errors.As(err, &ve) || ve.Fields["org_ref"] == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	other := w.municipality("Zvornik")
	var ve *models.ValidationError
	if _, err := models.SetIATIOrgRef(w.ctx, w.db, w.actor, other.ID, 0, "ba-mun-1101"); !errors.As(err, &ve) ||
		ve.Fields["org_ref"] != "validation.iati_org_ref_taken" {
		t.Errorf("taken identifier: %v", err)
	}
	if _, err := models.SetIATIOrgRef(w.ctx, w.db, w.actor, w.muni.ID, s.Version-1, "BA-MUN-2"); !errors.Is(err, models.ErrStale) {
		t.Errorf("stale version: %v", err)
	}
	s, err = models.SetIATIOrgRef(w.ctx, w.db, w.actor, w.muni.ID, 0, "")
	if err != nil || s.OrgRef != "XM-PAKT-bratunac" || s.Custom {
		t.Fatalf("back to the default: %+v %v", s, err)
	}
	if _, err := models.IATISettingOf(w.ctx, w.db, 999999); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("unknown municipality: %v", err)
	}
}

// Only adopted (or adopted, then revised) plans have IATI data; it holds
// only published periods.
func TestLoadIATIData(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	draft := w.draftPlan("Nacrt", "2025-01-01", "2026-12-31")
	var se *models.StateError
	if _, err := models.LoadIATIData(w.ctx, w.db, w.muni.ID, draft.ID); !errors.As(err, &se) {
		t.Fatalf("draft: %v", err)
	}
	p, _ := w.adoptedPlan(nil)
	w.period(p.ID, "2025", "2025-01-01", "2025-12-31")
	d, err := models.LoadIATIData(w.ctx, w.db, w.muni.ID, p.ID)
	if err != nil || len(d.Plan.Measures) == 0 || len(d.Periods) != 0 || d.Orgs[w.pes.ID].Type != "pes" {
		t.Fatalf("adopted plan with an open period: %+v %v", d, err)
	}
	other := w.municipality("Zvornik")
	if _, err := models.LoadIATIData(w.ctx, w.db, other.ID, p.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("through another municipality: %v", err)
	}
}
