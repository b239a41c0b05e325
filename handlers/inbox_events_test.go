package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// inbox is what one person was told: notification kinds and outbox mails.
type inbox struct{ kinds, mails []string }

func inboxOf(t *testing.T, w *world, u *models.User) inbox {
	t.Helper()
	var in inbox
	w.DB.Raw(`SELECT kind FROM notifications WHERE user_id = ? ORDER BY id`, u.ID).Scan(&in.kinds)
	w.DB.Raw(`SELECT kind FROM mail_outbox WHERE user_id = ? AND kind NOT IN ('invitation', 'password_reset') ORDER BY id`, u.ID).Scan(&in.mails)
	return in
}

// told checks that exactly the people named got the kind (in the app, and
// by mail when the kind is mailed at once), and nobody else of people.
func told(t *testing.T, w *world, kind string, mailed bool, want []*models.User, people ...*models.User) {
	t.Helper()
	for _, u := range people {
		in := inboxOf(t, w, u)
		should := slices.Contains(want, u)
		if got := slices.Contains(in.kinds, kind); got != should {
			t.Errorf("%s: %s notification %v, want %v (has %v)", kind, u.Email, got, should, in.kinds)
		}
		if got := slices.Contains(in.mails, kind); got != (should && mailed) {
			t.Errorf("%s: %s mail %v, want %v (has %v)", kind, u.Email, got, should && mailed, in.mails)
		}
	}
}

// Each event of the cycle tells the right people of its municipality, in
// the app and by mail, and not the person who caused it.
func TestEventsNotifyTheRightPeople(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Someone of OrgA2 with a role only in the other municipality.
	stray := w.User("stray@test.ba", false, &w.OrgA2.ID, w.B.ID, models.RoleMember)
	all := []*models.User{w.Admin, w.CoordA, w.MemA, w.ViewA, w.CoordB, w.NoOne, stray}
	coord, mem := w.Token(coordA), w.Token(member)

	ag := openAgreement(t, w, coord)
	told(t, w, models.KindSignatureRequested, true, []*models.User{w.MemA}, all...)
	var link string
	w.DB.Raw(`SELECT text_body FROM mail_outbox WHERE user_id = ? AND kind = ?`, w.MemA.ID, models.KindSignatureRequested).Scan(&link)
	if !strings.Contains(link, w.Cfg.BaseURL+fmt.Sprintf("/agreements/%d", ag.ID)) {
		t.Errorf("the mail has no absolute link to the agreement: %s", link)
	}
	ap := fmt.Sprintf("/api/v1/agreements/%d", ag.ID)
	expect(t, w.API(mem, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 201, "member signs")
	expect(t, w.API(coord, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 201, "coordinator signs")
	told(t, w, models.KindAgreementInForce, false, []*models.User{w.MemA}, all...)

	// A second agreement, declined by the member: the coordinator hears.
	ag2 := openAgreement(t, w, coord)
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/agreements/%d/decline", ag2.ID), map[string]any{"reason": "Rok prekratak"}), 200, "decline")
	told(t, w, models.KindAgreementDeclined, true, []*models.User{w.CoordA}, all...)

	// A questionnaire sent to OrgA2: its people in this municipality.
	var sa struct{ ID int64 }
	testkit.DecodeJSON(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/situation-analyses", w.A.ID),
		map[string]any{"title": "Analiza 2017", "year": 2017}), &sa)
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/situation-analyses/%d/questionnaires", sa.ID),
		map[string]any{"organisation_id": w.OrgA2.ID, "template": "pes", "due_date": "2030-03-01"}), 201, "questionnaire")
	told(t, w, models.KindQuestionnaireSent, true, []*models.User{w.MemA}, all...)

	// Plan adopted: everyone of the municipality but the coordinator who recorded it.
	planID, mID, indID := adoptedPlan(t, w, coord)
	told(t, w, models.KindPlanAdopted, false, []*models.User{w.MemA, w.ViewA}, all...)

	// Report submitted → coordinators; returned / accepted → the reporting organisations' people.
	per := openPeriod(t, w, coord, planID, "2017", "2017-01-01", "2017-12-31")
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)
	expect(t, w.API(mem, "PUT", pp, progressBody(indID, "10.00", 20, 12, 8)), 200, "report")
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "submit")
	told(t, w, models.KindReportSubmitted, true, []*models.User{w.CoordA}, all...)
	expect(t, w.API(coord, "POST", pp+"/return", map[string]any{"comment": "Dodajte grupe."}), 200, "return")
	told(t, w, models.KindReportReturned, true, []*models.User{w.MemA}, all...)
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "resubmit")
	expect(t, w.API(coord, "POST", pp+"/accept", nil), 200, "accept")
	told(t, w, models.KindReportAccepted, false, []*models.User{w.MemA}, all...)

	// A refused event tells nobody anything.
	before := inboxOf(t, w, w.CoordA)
	expect(t, w.API(coord, "POST", pp+"/accept", nil), 409, "accept twice")
	if after := inboxOf(t, w, w.MemA); slices.Index(after.kinds, models.KindReportAccepted) != len(after.kinds)-1 {
		t.Errorf("a refused accept told the member: %v", after.kinds)
	}
	if after := inboxOf(t, w, w.CoordA); len(after.kinds) != len(before.kinds) {
		t.Errorf("a refused accept told the coordinator: %v", after.kinds)
	}

	// The assembly report published: everyone of the municipality.
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 200, "close")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reports/%d/publish", per), nil), 200, "publish")
	told(t, w, models.KindReportPublished, false, []*models.User{w.MemA, w.ViewA}, all...)
}

// A consultation opened tells everyone of the municipality but the
// coordinator who opened it; the due date is in the mail.
func TestConsultationNotifies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	planID, obj := newPlan(t, w, coord)
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", planID),
		measureBody(obj, w.OrgA2.ID, w.OrgA.ID, 0, "M1", "1000.00")), 201, "measure")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/action-plans/%d/consultation", planID),
		map[string]any{"closes_on": "2030-05-01"}), 200, "consultation")
	told(t, w, models.KindConsultationOpened, false, []*models.User{w.MemA, w.ViewA},
		w.Admin, w.CoordA, w.MemA, w.ViewA, w.CoordB, w.NoOne)
}
