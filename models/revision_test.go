package models_test

import (
	"errors"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"pakt/models"
)

func revision(t *testing.T, w *world, muniID int64) int64 {
	t.Helper()
	rev, err := models.RevisionOf(w.ctx, w.db, muniID)
	w.must(err)
	return rev
}

// Every write to a municipality's data raises its revision, in the same
// transaction: a rolled-back write raises nothing, and other
// municipalities keep theirs.
func TestWritesRaiseTheRevision(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	other := w.municipality("Vlasenica")
	p := w.draftPlan("Plan", "2025-01-01", "2026-12-31")
	o := w.objective(p.ID, "O1")

	writes := []struct {
		name  string
		write func() error
	}{
		{"organisation", func() error {
			_, err := models.CreateOrganisation(ctx, db, w.actor, muni, models.OrganisationInput{Name: "Dom zdravlja", Type: "health"})
			return err
		}},
		{"municipality", func() error {
			_, err := models.UpdateMunicipality(ctx, db, w.actor, muni, 0, models.MunicipalityInput{Name: "Bratunac", Country: "BA", Currency: "EUR", Language: "bs"})
			return err
		}},
		{"role", func() error { return models.SetRole(ctx, db, w.actor, muni, w.viewer.ID, models.RoleMember) }},
		{"measure", func() error {
			_, err := models.CreateMeasure(ctx, db, w.actor, muni, p.ID, w.measureInput(o.ID, "M1"))
			return err
		}},
		{"agreement", func() error {
			_, err := models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
			return err
		}},
		{"user name on a shared page", func() error {
			return db.Exec(`UPDATE users SET name = 'Nova Imena' WHERE id = ?`, w.pesHead.ID).Error
		}},
	}
	for _, c := range writes {
		before, beforeOther := revision(t, w, muni), revision(t, w, other.ID)
		w.must(c.write())
		if after := revision(t, w, muni); after <= before {
			t.Errorf("%s: revision %d → %d, want it raised", c.name, before, after)
		}
		if got := revision(t, w, other.ID); got != beforeOther {
			t.Errorf("%s: another municipality's revision moved %d → %d", c.name, beforeOther, got)
		}
	}

	// Writes that change nothing shown raise nothing: a refused write, a
	// rolled-back transaction, a user's interface language.
	before := revision(t, w, muni)
	_, err := models.CreateOrganisation(ctx, db, w.actor, muni, models.OrganisationInput{Name: "dom ZDRAVLJA", Type: "health"})
	wantInvalid(t, err, "name", "error.name_taken")
	rollback := errors.New("rollback")
	err = db.Transaction(func(tx *gorm.DB) error {
		if _, err := models.CreateOrganisation(ctx, tx, w.actor, muni, models.OrganisationInput{Name: "Škola", Type: "education"}); err != nil {
			return err
		}
		// Inside the transaction the write already counts.
		if rev, err := models.RevisionOf(ctx, tx, muni); err != nil || rev <= before {
			return fmt.Errorf("revision inside the transaction: %d, %v", rev, err)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	w.must(models.SetUserLocale(ctx, db, w.pesHead.ID, "sr"))
	if after := revision(t, w, muni); after != before {
		t.Fatalf("revision moved %d → %d without a committed change", before, after)
	}

	// The region's revision moves only with what the regional pages show:
	// not with an organisation, but with an agreement.
	region, err := models.RegionRevision(ctx, db)
	w.must(err)
	_, err = models.CreateOrganisation(ctx, db, w.actor, other.ID, models.OrganisationInput{Name: "Biro Vlasenica", Type: "pes"})
	w.must(err)
	if again, _ := models.RegionRevision(ctx, db); again != region {
		t.Fatalf("region revision %s → %s after a write it does not show", region, again)
	}
	_, err = models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
	w.must(err)
	if again, _ := models.RegionRevision(ctx, db); again == region {
		t.Fatalf("region revision %s did not change after a new agreement", region)
	}
	if rev, err := models.RevisionOf(ctx, db, 999999); rev != 0 || err != nil {
		t.Fatalf("unknown municipality: %d, %v", rev, err)
	}
}
