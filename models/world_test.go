package models_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"pakt/dbtest"
	"pakt/models"
)

// world is one municipality with its partners and people, on the test's own
// database, built only through the model functions.
type world struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	actor models.Actor // the coordinator, as the actor of set-up writes
	muni  *models.Municipality

	town, pes, csw, ngo *models.Organisation

	coordinator *models.User // town, coordinator
	pesHead     *models.User // pes, member: signs for the PES
	cswHead     *models.User // csw, member: signs for the CSW
	ngoMember   *models.User // ngo, member
	viewer      *models.User // ngo, viewer: may not sign
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: t.Context(), db: dbtest.DB(t)}
	w.muni = w.municipality("Bratunac")
	w.town = w.org(w.muni.ID, "Općina Bratunac", "municipality")
	w.pes = w.org(w.muni.ID, "Biro za zapošljavanje", "pes")
	w.csw = w.org(w.muni.ID, "Centar za socijalni rad", "csw")
	w.ngo = w.org(w.muni.ID, "Udruženje Sunce", "ngo")
	w.coordinator = w.user("coord@bratunac.test", w.town.ID, w.muni.ID, models.RoleCoordinator)
	w.actor = models.Actor{UserID: w.coordinator.ID, IP: "192.0.2.1"}
	w.pesHead = w.user("pes@bratunac.test", w.pes.ID, w.muni.ID, models.RoleMember)
	w.cswHead = w.user("csw@bratunac.test", w.csw.ID, w.muni.ID, models.RoleMember)
	w.ngoMember = w.user("ngo@bratunac.test", w.ngo.ID, w.muni.ID, models.RoleMember)
	w.viewer = w.user("viewer@bratunac.test", w.ngo.ID, w.muni.ID, models.RoleViewer)
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) municipality(name string) *models.Municipality {
	w.t.Helper()
	m, err := models.CreateMunicipality(w.ctx, w.db, models.Actor{}, models.MunicipalityInput{Name: name, Country: "BA", Currency: "BAM", Language: "bs"})
	w.must(err)
	return m
}

func (w *world) org(muniID int64, name, typ string) *models.Organisation {
	w.t.Helper()
	o, err := models.CreateOrganisation(w.ctx, w.db, models.Actor{}, muniID, models.OrganisationInput{Name: name, Type: typ})
	w.must(err)
	return o
}

// user creates an account of orgID (0: none) with a role in muniID (0: none).
func (w *world) user(email string, orgID, muniID int64, role string) *models.User {
	w.t.Helper()
	in := models.UserInput{Email: email, Name: "User " + email, Password: "correct-horse-battery"}
	if orgID != 0 {
		in.OrganisationID = &orgID
	}
	u, err := models.CreateUser(w.ctx, w.db, models.Actor{}, 0, in)
	w.must(err)
	if muniID != 0 {
		w.must(models.SetRole(w.ctx, w.db, models.Actor{}, muniID, u.ID, role))
	}
	return u
}

func (w *world) as(u *models.User) models.Actor { return models.Actor{UserID: u.ID, IP: "192.0.2.9"} }

// agreementInput is a valid protocol between the PES and the CSW.
func (w *world) agreementInput() models.AgreementInput {
	return models.AgreementInput{
		Title: "Protokol o saradnji", Level: "coordination", Goal: "Zajedničko upućivanje korisnika",
		Body: "Član 1.", ValidFrom: models.MustDate("2025-01-01"), ValidTo: models.MustDate("2026-12-31"),
		Parties: []models.PartyInput{{OrganisationID: w.pes.ID, SignatoryUserID: w.pesHead.ID},
			{OrganisationID: w.csw.ID, SignatoryUserID: w.cswHead.ID}},
		Commitments: []models.CommitmentInput{{Action: "Uputiti korisnike socijalne pomoći birou", ResponsibleOrganisationID: w.csw.ID,
			SupportingOrganisationIDs: []int64{w.pes.ID, w.ngo.ID}, DueDate: models.MustDate("2025-06-30")}},
	}
}

func (w *world) draftPlan(title, start, end string) *models.Plan {
	w.t.Helper()
	p, err := models.CreatePlan(w.ctx, w.db, w.actor, w.muni.ID, models.PlanInput{Title: title,
		PeriodStart: models.MustDate(start), PeriodEnd: models.MustDate(end)})
	w.must(err)
	return p
}

func (w *world) objective(planID int64, code string) *models.Objective {
	w.t.Helper()
	o, err := models.CreateObjective(w.ctx, w.db, w.actor, w.muni.ID, planID, code, "Objective "+code)
	w.must(err)
	return o
}

// measureInput is a measure led by the PES with the NGO as partner, inside
// a 2025–2026 plan, with one indicator and no budget.
func (w *world) measureInput(objectiveID int64, code string) models.MeasureInput {
	return models.MeasureInput{Code: code, Title: "Mjera " + code, ObjectiveID: objectiveID, Groups: []string{"roma"},
		LeadOrganisationID: w.pes.ID, PartnerOrganisationIDs: []int64{w.ngo.ID}, StartDate: "2025-02-01", EndDate: "2026-06-30",
		Indicators: []models.IndicatorInput{{Name: "Zaposleni", Unit: "persons", Baseline: "0", Target: "40"}},
		Budget:     []models.BudgetInput{}, Evidence: []models.EvidenceInput{}}
}

func (w *world) measure(planID, objectiveID int64, code string, budget ...models.BudgetInput) *models.Measure {
	w.t.Helper()
	in := w.measureInput(objectiveID, code)
	in.Budget = budget
	m, err := models.CreateMeasure(w.ctx, w.db, w.actor, w.muni.ID, planID, in)
	w.must(err)
	return m
}

func intp(n int) *int { return &n }

func (w *world) adoption() models.AdoptionInput {
	return models.AdoptionInput{DecidedOn: models.MustDate("2025-01-20"), DecisionNumber: "01-022-15/25",
		VotesFor: intp(21), VotesAgainst: intp(0), VotesAbstained: intp(0)}
}

// adoptedPlan is a 2025–2026 plan with the given measures' budgets, taken
// through submission and adoption.
func (w *world) adoptedPlan(budgets ...[]models.BudgetInput) (*models.Plan, []*models.Measure) {
	w.t.Helper()
	p := w.draftPlan("Lokalni akcioni plan 2025-2026", "2025-01-01", "2026-12-31")
	o := w.objective(p.ID, "O1")
	var ms []*models.Measure
	for i, b := range budgets {
		ms = append(ms, w.measure(p.ID, o.ID, fmt.Sprintf("M%d", i+1), b...))
	}
	_, err := models.SubmitPlan(w.ctx, w.db, w.actor, w.muni.ID, p.ID, false)
	w.must(err)
	p, err = models.AdoptPlan(w.ctx, w.db, w.actor, w.muni.ID, p.ID, w.adoption())
	w.must(err)
	return p, ms
}

func (w *world) period(planID int64, label, start, end string) *models.Period {
	w.t.Helper()
	per, err := models.OpenPeriod(w.ctx, w.db, w.actor, w.muni.ID, planID, models.PeriodInput{Label: label,
		StartDate: models.MustDate(start), EndDate: models.MustDate(end)})
	w.must(err)
	return per
}

// stateKey returns the key of a *models.StateError, or fails the test.
func stateKey(t *testing.T, err error) string {
	t.Helper()
	var se *models.StateError
	if !errors.As(err, &se) {
		t.Fatalf("want a state error, got %v", err)
	}
	return se.Key
}

// wantState fails unless err is a *models.StateError with the given key.
func wantState(t *testing.T, err error, key string) {
	t.Helper()
	if got := stateKey(t, err); got != key {
		t.Fatalf("state error %q, want %q", got, key)
	}
}

// wantInvalid fails unless err is a *models.ValidationError naming field with key.
func wantInvalid(t *testing.T, err error, field, key string) {
	t.Helper()
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	if ve.Fields[field] != key {
		t.Fatalf("validation %v: want %s = %s", ve.Fields, field, key)
	}
}

// wantRefused fails unless a trigger of the database refused the write: a
// check_violation whose message says why (e.g. "frozen", "closed").
func wantRefused(t *testing.T, err error, why string) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23514" || !strings.Contains(pe.Message, why) {
		t.Fatalf("want the database to refuse (check_violation, %q), got %v", why, err)
	}
}
