package models_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"pakt/models"
)

func pendingFor(t *testing.T, w *world, u *models.User) []int64 {
	t.Helper()
	ps, err := models.PendingSignatures(w.ctx, w.db, u.ID)
	w.must(err)
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.AgreementID)
	}
	return ids
}

// draft → open_for_signature → in_force, then amend → the new version comes
// into force and supersedes the old one. Every refused step answers the
// models' state error with its key.
func TestAgreementLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID

	ag, err := models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
	w.must(err)
	if ag.Status != models.AgreementDraft || ag.VersionNo != 1 || ag.Version != 1 || len(ag.Parties) != 2 || len(ag.Commitments) != 1 {
		t.Fatalf("new agreement: %+v", ag)
	}
	if c := ag.Commitments[0]; !slices.Equal(c.SupportingOrganisationIDs, models.Int64s{w.pes.ID, w.ngo.ID}) ||
		c.ResponsibleName != w.csw.Name || c.Progress != "pending" {
		t.Fatalf("commitment: %+v", c)
	}
	if ag.SHA256 != nil || ag.OpenedAt != nil {
		t.Fatal("a draft has no hash and is not opened")
	}

	// A draft cannot be signed, and nobody is asked to sign it yet.
	_, err = models.SignAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, models.SignInput{IP: "192.0.2.7"})
	wantState(t, err, "error.agreement_not_open")
	if ids := pendingFor(t, w, w.pesHead); len(ids) != 0 {
		t.Fatalf("pending signatures of a draft: %v", ids)
	}
	// The draft can still be edited; a stale version is refused.
	in := w.agreementInput()
	in.Title = "Protokol o saradnji (izmijenjen)"
	_, err = models.UpdateAgreement(ctx, db, w.actor, muni, ag.ID, ag.Version+1, in)
	if !errors.Is(err, models.ErrStale) {
		t.Fatalf("stale update: %v", err)
	}
	ag, err = models.UpdateAgreement(ctx, db, w.actor, muni, ag.ID, ag.Version, in)
	w.must(err)
	if ag.Title != in.Title || ag.Version != 2 {
		t.Fatalf("updated: %+v", ag)
	}

	ag, err = models.OpenAgreement(ctx, db, w.actor, muni, ag.ID)
	w.must(err)
	if ag.Status != models.AgreementOpen || ag.SHA256 == nil || *ag.SHA256 != ag.ComputeSHA256() || ag.OpenedAt == nil {
		t.Fatalf("opened: status %s, sha %v, opened %v", ag.Status, ag.SHA256, ag.OpenedAt)
	}
	_, err = models.OpenAgreement(ctx, db, w.actor, muni, ag.ID)
	wantState(t, err, "error.agreement_not_draft")
	_, err = models.UpdateAgreement(ctx, db, w.actor, muni, ag.ID, 0, in)
	wantState(t, err, "error.agreement_not_draft")
	_, err = models.AmendAgreement(ctx, db, w.actor, muni, ag.ID)
	wantState(t, err, "error.agreement_not_amendable")
	// Frozen by the database too, not only by the code.
	wantRefused(t, db.Exec(`UPDATE agreements SET title = 'changed' WHERE id = ?`, ag.ID).Error, "frozen")
	wantRefused(t, db.Exec(`UPDATE agreement_commitments SET action = 'changed' WHERE agreement_id = ?`, ag.ID).Error, "frozen")

	// Each signatory sees the agreement waiting; someone else does not.
	if ids := pendingFor(t, w, w.pesHead); !slices.Equal(ids, []int64{ag.ID}) {
		t.Fatalf("pending for the PES signatory: %v", ids)
	}
	if ids := pendingFor(t, w, w.ngoMember); len(ids) != 0 {
		t.Fatalf("pending for a non-signatory: %v", ids)
	}
	_, err = models.SignAgreement(ctx, db, w.as(w.ngoMember), muni, ag.ID, models.SignInput{})
	if !errors.Is(err, models.ErrNotSignatory) || !models.IsForbidden(err) {
		t.Fatalf("a non-signatory signs: %v", err)
	}

	inForce, err := models.SignAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, models.SignInput{IP: "192.0.2.7", UserAgent: "test"})
	w.must(err)
	if inForce {
		t.Fatal("one of two signatures put the agreement in force")
	}
	_, err = models.SignAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, models.SignInput{})
	wantState(t, err, "error.already_signed")
	if ids := pendingFor(t, w, w.pesHead); len(ids) != 0 {
		t.Fatalf("still pending after signing: %v", ids)
	}
	if ids := pendingFor(t, w, w.cswHead); !slices.Equal(ids, []int64{ag.ID}) {
		t.Fatalf("pending for the CSW signatory: %v", ids)
	}
	inForce, err = models.SignAgreement(ctx, db, w.as(w.cswHead), muni, ag.ID, models.SignInput{IP: "192.0.2.8"})
	w.must(err)
	if !inForce {
		t.Fatal("the last signature did not put the agreement in force")
	}
	v1, err := models.GetAgreement(ctx, db, muni, ag.ID)
	w.must(err)
	if v1.Status != models.AgreementInForce || v1.InForceAt == nil || len(v1.Signatures) != 2 {
		t.Fatalf("in force: %+v", v1)
	}
	for _, s := range v1.Signatures {
		if s.SHA256 != *v1.SHA256 {
			t.Fatalf("signature over %s, agreement text %s", s.SHA256, *v1.SHA256)
		}
	}
	if err := models.DeclineAgreement(ctx, db, w.as(w.cswHead), muni, ag.ID, "too late"); stateKey(t, err) != "error.agreement_not_open" {
		t.Fatalf("decline in force: %v", err)
	}

	// Amend: a new draft version; the old one stays in force until the new one is.
	v2, err := models.AmendAgreement(ctx, db, w.actor, muni, v1.ID)
	w.must(err)
	if v2.Status != models.AgreementDraft || v2.VersionNo != 2 || v2.SupersedesID == nil || *v2.SupersedesID != v1.ID ||
		v2.Title != v1.Title || len(v2.Parties) != 2 || len(v2.Commitments) != 1 || len(v2.Signatures) != 0 {
		t.Fatalf("amendment: %+v", v2)
	}
	_, err = models.AmendAgreement(ctx, db, w.actor, muni, v1.ID)
	wantState(t, err, "error.already_amended")
	_, err = models.AmendAgreement(ctx, db, w.actor, muni, v2.ID)
	wantState(t, err, "error.agreement_not_amendable")
	if v1, err = models.GetAgreement(ctx, db, muni, v1.ID); err != nil || v1.Status != models.AgreementInForce ||
		v1.SupersededByID == nil || *v1.SupersededByID != v2.ID {
		t.Fatalf("old version while the amendment is a draft: %+v %v", v1, err)
	}

	_, err = models.OpenAgreement(ctx, db, w.actor, muni, v2.ID)
	w.must(err)
	for _, u := range []*models.User{w.cswHead, w.pesHead} {
		_, err = models.SignAgreement(ctx, db, w.as(u), muni, v2.ID, models.SignInput{})
		w.must(err)
	}
	v1, _ = models.GetAgreement(ctx, db, muni, v1.ID)
	v2, _ = models.GetAgreement(ctx, db, muni, v2.ID)
	if v1.Status != models.AgreementSuperseded || v2.Status != models.AgreementInForce {
		t.Fatalf("after the amendment came into force: v1 %s, v2 %s", v1.Status, v2.Status)
	}
	_, err = models.AmendAgreement(ctx, db, w.actor, muni, v1.ID)
	wantState(t, err, "error.agreement_not_amendable")

	hist, err := models.VersionHistory(ctx, db, muni, v2.ID)
	w.must(err)
	if len(hist) != 2 || hist[0].ID != v1.ID || hist[0].Status != models.AgreementSuperseded || hist[1].ID != v2.ID || hist[1].Status != models.AgreementInForce {
		t.Fatalf("history: %+v", hist)
	}
	list, err := models.ListAgreements(ctx, db, muni)
	w.must(err)
	if len(list) != 2 || list[0].ID != v2.ID || list[0].Parties != 2 || list[0].Signed != 2 {
		t.Fatalf("list: %+v", list)
	}
}

func TestAgreementDecline(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	ag, err := models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
	w.must(err)
	// Declining a draft: the signatory has nothing to decline yet.
	wantState(t, models.DeclineAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, "no"), "error.agreement_not_open")
	_, err = models.OpenAgreement(ctx, db, w.actor, muni, ag.ID)
	w.must(err)

	wantInvalid(t, models.DeclineAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, "   "), "reason", "validation.required")
	wantInvalid(t, models.DeclineAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, strings.Repeat("ž", 2001)), "reason", "validation.max")
	if err := models.DeclineAgreement(ctx, db, w.as(w.ngoMember), muni, ag.ID, "not ours"); !errors.Is(err, models.ErrNotSignatory) {
		t.Fatalf("a non-signatory declines: %v", err)
	}
	// The CSW signs first; the PES then declines: the agreement is declined
	// and no further signature is possible.
	_, err = models.SignAgreement(ctx, db, w.as(w.cswHead), muni, ag.ID, models.SignInput{})
	w.must(err)
	w.must(models.DeclineAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, "  Rok je prekratak.  "))
	got, err := models.GetAgreement(ctx, db, muni, ag.ID)
	w.must(err)
	if got.Status != models.AgreementDeclined || got.DeclinedBy == nil || *got.DeclinedBy != w.pesHead.ID ||
		got.DeclinedReason == nil || *got.DeclinedReason != "Rok je prekratak." {
		t.Fatalf("declined: %+v", got)
	}
	_, err = models.SignAgreement(ctx, db, w.as(w.pesHead), muni, ag.ID, models.SignInput{})
	wantState(t, err, "error.agreement_not_open")
	if ids := pendingFor(t, w, w.pesHead); len(ids) != 0 {
		t.Fatalf("a declined agreement is still pending: %v", ids)
	}
	// A declined agreement is fixed by a new version.
	v2, err := models.AmendAgreement(ctx, db, w.actor, muni, ag.ID)
	w.must(err)
	if v2.Status != models.AgreementDraft || v2.VersionNo != 2 || *v2.SupersedesID != ag.ID {
		t.Fatalf("amendment of a declined agreement: %+v", v2)
	}
}

// Opening re-validates the stored draft: two parties, one commitment, and
// signatories who still hold a signing role.
func TestAgreementOpenChecks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	in := w.agreementInput()
	in.Parties, in.Commitments = in.Parties[:1], nil
	thin, err := models.CreateAgreement(ctx, db, w.actor, muni, in)
	w.must(err)
	_, err = models.OpenAgreement(ctx, db, w.actor, muni, thin.ID)
	wantInvalid(t, err, "parties", "validation.two_parties")
	wantInvalid(t, err, "commitments", "validation.one_commitment")

	ag, err := models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
	w.must(err)
	// The PES signatory becomes a viewer: viewers do not sign.
	w.must(models.SetRole(ctx, db, w.actor, muni, w.pesHead.ID, models.RoleViewer))
	_, err = models.OpenAgreement(ctx, db, w.actor, muni, ag.ID)
	wantInvalid(t, err, "parties[0].signatory_user_id", "validation.signatory_unknown")
	if got, _ := models.GetAgreement(ctx, db, muni, ag.ID); got.Status != models.AgreementDraft {
		t.Fatalf("a refused opening changed the status to %s", got.Status)
	}
}

func TestAgreementValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	other := w.municipality("Srebrenica")
	foreign := w.org(other.ID, "Biro Srebrenica", "pes")

	in := w.agreementInput()
	in.Parties[0].SignatoryUserID = w.cswHead.ID // signs for the PES but works at the CSW
	in.Parties[1].OrganisationID = foreign.ID    // another municipality's partner
	in.Commitments[0].SupportingOrganisationIDs = []int64{w.csw.ID}
	in.ValidTo = models.MustDate("2024-12-31")
	in.Level = "friendship"
	_, err := models.CreateAgreement(ctx, db, w.actor, muni, in)
	for field, key := range map[string]string{
		"parties[0].signatory_user_id":               "validation.signatory_other_org",
		"parties[1].organisation_id":                 "error.unknown_organisation",
		"commitments[0].supporting_organisation_ids": "validation.supporting",
		"valid_to": "validation.period_order",
		"level":    "validation.level",
	} {
		wantInvalid(t, err, field, key)
	}
	// Another municipality cannot see, let alone open, this one's agreements.
	ag, err := models.CreateAgreement(ctx, db, w.actor, muni, w.agreementInput())
	w.must(err)
	if _, err := models.GetAgreement(ctx, db, other.ID, ag.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("agreement read through another municipality: %v", err)
	}
	if _, err := models.OpenAgreement(ctx, db, w.actor, other.ID, ag.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("agreement opened through another municipality: %v", err)
	}
}
