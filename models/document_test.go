package models_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"pakt/models"
)

// An adopted plan's PDF is drawn and registered once, however many ask at
// the same time; it prints (here: holds) the content hash, and /verify
// finds the plan by that hash and by the PDF's own hash. A draft has none.
func TestAdoptedPlanPDF(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	draft := w.draftPlan("Nacrt", "2025-01-01", "2026-12-31")
	render := func(p *models.Plan, sum string) ([]byte, error) {
		return []byte("%PDF-1.7 " + p.Title + " " + sum), nil
	}
	_, err := models.AdoptedPlanPDF(w.ctx, w.db, w.muni.ID, draft.ID, render)
	wantState(t, err, "error.plan_pdf_not_adopted")

	p, _ := w.adoptedPlan(nil)
	var calls atomic.Int32
	counted := func(p *models.Plan, sum string) ([]byte, error) {
		calls.Add(1)
		return render(p, sum)
	}
	outs := make([][]byte, 6)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			out, err := models.AdoptedPlanPDF(w.ctx, w.db, w.muni.ID, p.ID, counted)
			w.must(err)
			outs[i] = out
		})
	}
	wg.Wait()
	for _, out := range outs[1:] {
		if string(out) != string(outs[0]) {
			t.Fatal("concurrent callers got different documents")
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("rendered %d times", calls.Load())
	}
	var doc models.RegisteredDocument
	w.must(w.db.Where("kind = 'plan' AND object_id = ?", p.ID).First(&doc).Error)
	if doc.SHA256 != models.SHA256Hex(outs[0]) || doc.ContentSHA256 == nil || string(outs[0]) != "%PDF-1.7 "+p.Title+" "+*doc.ContentSHA256 {
		t.Fatalf("registered %s / %v for %q", doc.SHA256, doc.ContentSHA256, outs[0])
	}
	for _, h := range []string{*doc.ContentSHA256, doc.SHA256} {
		v, err := models.Verify(w.ctx, w.db, h)
		w.must(err)
		if v.Kind != models.DocPlan || v.Title != p.Title || v.Municipality.ID != w.muni.ID || !v.Intact || v.Document != (h == doc.SHA256) || v.Date == nil {
			t.Fatalf("verify %s: %+v", h, v)
		}
	}
	// Another municipality's id does not reach the plan.
	other := w.municipality("Zvornik")
	_, err = models.AdoptedPlanPDF(w.ctx, w.db, other.ID, p.ID, render)
	if !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other municipality: %v", err)
	}
}

// Frozen content changed behind the database's back (triggers disabled) no
// longer has the hash its registered PDF prints: /verify says so.
func TestVerifyNoticesChangedContent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p, _ := w.adoptedPlan(nil)
	out, err := models.AdoptedPlanPDF(w.ctx, w.db, w.muni.ID, p.ID, func(*models.Plan, string) ([]byte, error) { return []byte("%PDF-1.7 x"), nil })
	w.must(err)
	w.must(w.db.Exec(`ALTER TABLE action_plans DISABLE TRIGGER USER`).Error)
	w.must(w.db.Exec(`UPDATE action_plans SET title = 'Forged' WHERE id = ?`, p.ID).Error)
	w.must(w.db.Exec(`ALTER TABLE action_plans ENABLE TRIGGER USER`).Error)
	v, err := models.Verify(w.ctx, w.db, models.SHA256Hex(out))
	w.must(err)
	if v.Intact {
		t.Fatal("changed content still verifies as intact")
	}
	if _, err := models.Verify(w.ctx, w.db, models.SHA256Hex([]byte("unknown"))); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown hash: %v", err)
	}
}

// A published analysis and a published report are registered with their
// content hash and verified by it; an analysis still collecting has no PDF.
func TestRegisteredSitanAndReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s, err := models.CreateSitan(w.ctx, w.db, w.actor, w.muni.ID, models.SitanInput{Title: "Analiza stanja 2025", Year: 2025})
	w.must(err)
	render := func(s *models.SituationAnalysis, sum string) ([]byte, error) { return []byte("%PDF-1.7 " + sum), nil }
	_, err = models.PublishedSitanPDF(w.ctx, w.db, w.muni.ID, s.ID, render)
	wantState(t, err, "error.sitan_not_published")
	_, err = models.PublishSitan(w.ctx, w.db, w.actor, w.muni.ID, s.ID, 0)
	w.must(err)
	out, err := models.PublishedSitanPDF(w.ctx, w.db, w.muni.ID, s.ID, render)
	w.must(err)
	v, err := models.Verify(w.ctx, w.db, string(out[len("%PDF-1.7 "):]))
	w.must(err)
	if v.Kind != models.DocSitan || v.Title != s.Title || !v.Intact || v.Document {
		t.Fatalf("verify analysis: %+v", v)
	}

	p, _ := w.adoptedPlan(nil)
	per := w.period(p.ID, "2025", "2025-01-01", "2025-12-31")
	_, err = models.ClosePeriod(w.ctx, w.db, w.actor, w.muni.ID, per.ID)
	w.must(err)
	var printed string
	_, err = models.PublishReport(w.ctx, w.db, w.actor, w.muni.ID, per.ID, func(per *models.Period) ([]byte, error) {
		printed = per.ContentSHA256
		return []byte("%PDF-1.7 report " + printed), nil
	})
	w.must(err)
	v, err = models.Verify(w.ctx, w.db, printed)
	w.must(err)
	if len(printed) != 64 || v.Kind != models.DocReport || v.Title != p.Title || v.PeriodLabel != "2025" || v.PlanID != p.ID || !v.Intact {
		t.Fatalf("verify report %q: %+v", printed, v)
	}
}
