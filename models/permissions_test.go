package models_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"pakt/models"
)

func roleIn(t *testing.T, w *world, u *models.User, muniID int64) string {
	t.Helper()
	_, ms, err := models.GetUserAndMemberships(w.ctx, w.db, u.ID)
	w.must(err)
	for _, m := range ms {
		if m.MunicipalityID == muniID {
			return m.Role
		}
	}
	return ""
}

func TestMembershipsAndRoles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	other := w.municipality("Zvornik")

	// SetRole inserts, then updates the one membership; memberships come back
	// with the municipality's name and slug, ordered by name.
	if got := roleIn(t, w, w.ngoMember, muni); got != models.RoleMember {
		t.Fatalf("role %q", got)
	}
	w.must(models.SetRole(ctx, db, w.actor, muni, w.ngoMember.ID, models.RoleCoordinator))
	w.must(models.SetRole(ctx, db, w.actor, other.ID, w.ngoMember.ID, models.RoleViewer))
	u, ms, err := models.GetUserAndMemberships(ctx, db, w.ngoMember.ID)
	w.must(err)
	if u.Email != w.ngoMember.Email || len(ms) != 2 || ms[0].MunicipalitySlug != "bratunac" || ms[0].Role != models.RoleCoordinator ||
		ms[1].MunicipalityName != "Zvornik" || ms[1].Role != models.RoleViewer {
		t.Fatalf("memberships: %+v", ms)
	}
	if _, _, err := models.GetUserAndMemberships(ctx, db, 999999); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}

	members, err := models.ListMembers(ctx, db, muni)
	w.must(err)
	byEmail := map[string]models.Member{}
	for _, m := range members {
		byEmail[m.Email] = m
	}
	if len(members) != 5 || byEmail[w.pesHead.Email].OrganisationName != w.pes.Name || byEmail[w.ngoMember.Email].Role != models.RoleCoordinator {
		t.Fatalf("members: %+v", members)
	}

	w.must(models.RemoveRole(ctx, db, w.actor, other.ID, w.ngoMember.ID))
	if got := roleIn(t, w, w.ngoMember, other.ID); got != "" {
		t.Fatalf("removed role still there: %q", got)
	}
	if err := models.RemoveRole(ctx, db, w.actor, other.ID, w.ngoMember.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("removing a role twice: %v", err)
	}

	// A user is linked to a municipality by a role or by an organisation there.
	orgOnly := w.user("noroles@bratunac.test", w.csw.ID, 0, "")
	stranger := w.user("stranger@zvornik.test", 0, 0, "")
	for _, c := range []struct {
		u    *models.User
		muni int64
		want bool
	}{{w.pesHead, muni, true}, {orgOnly, muni, true}, {orgOnly, other.ID, false}, {stranger, muni, false}} {
		linked, err := models.UserLinkedTo(ctx, db, c.muni, c.u.ID)
		w.must(err)
		if linked != c.want {
			t.Errorf("%s linked to %d: %v, want %v", c.u.Email, c.muni, linked, c.want)
		}
	}

	// Who may sign: members and coordinators with an organisation; not viewers,
	// not people without a role.
	signers, err := models.ListSigners(ctx, db, muni)
	w.must(err)
	var ids []int64
	for _, s := range signers {
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	want := []int64{w.coordinator.ID, w.pesHead.ID, w.cswHead.ID, w.ngoMember.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("signers %v, want %v", ids, want)
	}
}

// Which measures a member's organisation may report on: those it leads or
// partners; coordinators may report on all.
func TestReporterRights(t *testing.T) {
	t.Parallel()
	m := &models.Measure{LeadOrganisationID: 10, PartnerOrganisationIDs: models.Int64s{20, 30}}
	id := func(n int64) *int64 {
		if n == 0 {
			return nil // no organisation
		}
		return &n
	}
	for _, c := range []struct {
		org   int64
		coord bool
		want  bool
	}{{10, false, true}, {30, false, true}, {40, false, false}, {0, false, false}, {0, true, true}, {40, true, true}} {
		if got := models.ReporterRights(m, id(c.org), c.coord); got != c.want {
			t.Errorf("organisation %d, coordinator %v: %v, want %v", c.org, c.coord, got, c.want)
		}
	}
	if models.ReporterRights(&models.Measure{LeadOrganisationID: 10}, id(20), false) {
		t.Error("a measure without partners let another organisation report")
	}
}

// Commitments: who is responsible or supporting, and who may record progress.
func TestCommitmentsAndProgressRights(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	ag, err := models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
	w.must(err)
	c := ag.Commitments[0] // the CSW is responsible, the PES and the NGO support

	// Before the agreement is in force nobody owes anything.
	if cs, err := models.CommitmentsOf(ctx, db, w.csw.ID); err != nil || len(cs) != 0 {
		t.Fatalf("commitments of a draft: %v %v", cs, err)
	}
	err = models.RecordProgress(ctx, db, w.as(w.cswHead), muni, c.ID, orgp(w.csw), false, "in_progress", "")
	wantState(t, err, "error.agreement_not_in_force")

	_, err = models.OpenAgreement(ctx, db, w.actor, muni, ag.ID)
	w.must(err)
	for _, u := range []*models.User{w.pesHead, w.cswHead} {
		_, err := models.SignAgreement(ctx, db, w.as(u), muni, ag.ID, models.SignInput{})
		w.must(err)
	}
	for org, role := range map[*models.Organisation]string{w.csw: "responsible", w.pes: "supporting", w.ngo: "supporting"} {
		cs, err := models.CommitmentsOf(ctx, db, org.ID)
		w.must(err)
		if len(cs) != 1 || cs[0].Role != role || cs[0].AgreementTitle != ag.Title {
			t.Errorf("%s: %+v, want one commitment as %s", org.Name, cs, role)
		}
	}
	if cs, _ := models.CommitmentsOf(ctx, db, w.town.ID); len(cs) != 0 {
		t.Fatalf("the municipality has no commitment here: %+v", cs)
	}

	// Only the responsible organisation's people, or a coordinator, record progress.
	err = models.RecordProgress(ctx, db, w.as(w.pesHead), muni, c.ID, orgp(w.pes), false, "done", "")
	if !errors.Is(err, models.ErrNotResponsible) || !models.IsForbidden(err) {
		t.Fatalf("a supporting organisation records progress: %v", err)
	}
	wantInvalid(t, models.RecordProgress(ctx, db, w.as(w.cswHead), muni, c.ID, orgp(w.csw), false, "finished", ""), "status", "validation.oneof")
	w.must(models.RecordProgress(ctx, db, w.as(w.cswHead), muni, c.ID, orgp(w.csw), false, "in_progress", "  Prvih 10 upućeno.  "))
	got, err := models.GetAgreement(ctx, db, muni, ag.ID)
	w.must(err)
	if p := got.Commitments[0]; p.Progress != "in_progress" || p.ProgressNote != "Prvih 10 upućeno." || p.ProgressOn == nil {
		t.Fatalf("latest progress: %+v", p)
	}
	w.must(models.RecordProgress(ctx, db, w.actor, muni, c.ID, nil, true, "done", ""))
	got, _ = models.GetAgreement(ctx, db, muni, ag.ID)
	if got.Commitments[0].Progress != "done" || got.Commitments[0].Overdue() {
		t.Fatalf("a done commitment: %+v", got.Commitments[0])
	}
	if err := models.RecordProgress(ctx, db, w.actor, w.municipality("Milići").ID, c.ID, nil, true, "done", ""); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("progress through another municipality: %v", err)
	}

	st, err := models.StandingOf(ctx, db, muni)
	w.must(err)
	if st.InForce["coordination"] != 1 || st.Highest != "coordination" || st.Total != 1 || st.Overdue != 0 || st.Pending != 0 {
		t.Fatalf("standing: %+v", st)
	}
}

func TestIsForbiddenSeesWrappedErrors(t *testing.T) {
	t.Parallel()
	for _, err := range []error{models.ErrNotSignatory, models.ErrNotResponsible,
		fmt.Errorf("sign: %w", models.ErrNotSignatory), fmt.Errorf("report: %w", models.ErrNotResponsible)} {
		if !models.IsForbidden(err) {
			t.Errorf("IsForbidden(%v) = false", err)
		}
	}
	for _, err := range []error{nil, models.ErrNotFound, models.ErrStale, &models.StateError{Key: "x"}, errors.New("not a pending signatory")} {
		if models.IsForbidden(err) {
			t.Errorf("IsForbidden(%v) = true", err)
		}
	}
}
