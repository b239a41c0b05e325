package jobs

import (
	"slices"
	"sort"
	"testing"
	"time"

	"pakt/mail/mailtest"
	"pakt/models"
)

// pact is a municipality with a partner (pes) whose member Ana reports,
// signs and answers for it, and a coordinator, Koord.
type pact struct {
	muni        *models.Municipality
	pes, office *models.Organisation
	ana, koord  *models.User
}

func (e *env) pact() *pact {
	e.t.Helper()
	p := &pact{muni: e.municipality()}
	var err error
	if p.pes, err = models.CreateOrganisation(e.ctx, e.db, models.Actor{}, p.muni.ID, models.OrganisationInput{Name: "Biro", Type: "pes"}); err != nil {
		e.t.Fatal(err)
	}
	if p.office, err = models.CreateOrganisation(e.ctx, e.db, models.Actor{}, p.muni.ID, models.OrganisationInput{Name: "Općina", Type: "municipality"}); err != nil {
		e.t.Fatal(err)
	}
	p.ana = e.person("ana@example.org", p.pes.ID, p.muni.ID, models.RoleMember)
	p.koord = e.person("koord@example.org", p.office.ID, p.muni.ID, models.RoleCoordinator)
	e.person("pregled@example.org", p.pes.ID, p.muni.ID, models.RoleViewer) // reads only: never reminded
	return p
}

func (e *env) person(email string, org, muni int64, role string) *models.User {
	e.t.Helper()
	u, err := models.CreateUser(e.ctx, e.db, models.Actor{}, 0, models.UserInput{Email: email, Name: email,
		Password: "Dovoljno duga lozinka", OrganisationID: &org})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := models.SetRole(e.ctx, e.db, models.Actor{}, muni, u.ID, role); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// exec runs SQL and returns the id it RETURNING-s (0 without).
func (e *env) exec(sql string, args ...any) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.Raw(sql, args...).Scan(&id).Error; err != nil {
		e.t.Fatalf("%v\n%s", err, sql)
	}
	return id
}

func day(offset int) string { return models.Today().AddDate(0, 0, offset).Format(time.DateOnly) }

// deadlines lays out what is due: a measure report due in 10 days and one
// 3 days late, an agreement in force with a commitment due in 5 days and a
// done one, an agreement waiting 8 days for Ana's signature, and two
// questionnaires for the pes, due tomorrow and in 20 days.
func (e *env) deadlines(p *pact) {
	m, pes := p.muni.ID, p.pes.ID
	plan := e.exec(`INSERT INTO action_plans (municipality_id, title, period_start, period_end)
		VALUES (?, 'Lokalni akcioni plan', '2025-01-01', '2030-12-31') RETURNING id`, m)
	obj := e.exec(`INSERT INTO plan_objectives (plan_id, municipality_id, code, title) VALUES (?, ?, 'C1', 'Zapošljavanje') RETURNING id`, plan, m)
	e.exec(`INSERT INTO plan_measures (plan_id, municipality_id, objective_id, code, title, lead_organisation_id, start_date, end_date)
		VALUES (?, ?, ?, 'M1', 'Obuka za poznatog poslodavca', ?, '2025-01-01', '2030-12-31') RETURNING id`, plan, m, obj, pes)
	e.exec(`UPDATE action_plans SET status = 'adopted', adopted_on = '2025-01-15', decision_number = '01-23/25' WHERE id = ?`, plan)
	e.exec(`INSERT INTO reporting_periods (plan_id, municipality_id, label, start_date, end_date, due_date)
		VALUES (?, ?, 'Prvi period', '2025-01-01', '2025-12-31', ?), (?, ?, 'Drugi period', '2026-01-01', '2026-12-31', ?)`,
		plan, m, day(10), plan, m, day(-3))

	ag := e.exec(`INSERT INTO agreements (municipality_id, title, level, valid_from, valid_to)
		VALUES (?, 'Protokol o saradnji', 'cooperation', '2025-01-01', '2030-12-31') RETURNING id`, m)
	e.exec(`INSERT INTO agreement_parties (agreement_id, municipality_id, position, organisation_id, signatory_user_id) VALUES (?, ?, 1, ?, ?)`, ag, m, pes, p.ana.ID)
	e.exec(`INSERT INTO agreement_commitments (agreement_id, municipality_id, position, action, responsible_organisation_id, due_date)
		VALUES (?, ?, 1, 'Obučiti 20 osoba', ?, ?)`, ag, m, pes, day(5))
	done := e.exec(`INSERT INTO agreement_commitments (agreement_id, municipality_id, position, action, responsible_organisation_id, due_date)
		VALUES (?, ?, 2, 'Sajam zapošljavanja', ?, ?) RETURNING id`, ag, m, pes, day(-1))
	e.exec(`UPDATE agreements SET status = 'in_force', sha256 = 'a1', opened_at = now() - interval '30 days', in_force_at = now() WHERE id = ?`, ag)
	e.exec(`INSERT INTO commitment_progress (commitment_id, municipality_id, status, recorded_by) VALUES (?, ?, 'done', ?)`, done, m, p.ana.ID)

	annex := e.exec(`INSERT INTO agreements (municipality_id, title, level, valid_from, valid_to)
		VALUES (?, 'Aneks protokola', 'coordination', '2025-01-01', '2030-12-31') RETURNING id`, m)
	e.exec(`INSERT INTO agreement_parties (agreement_id, municipality_id, position, organisation_id, signatory_user_id) VALUES (?, ?, 1, ?, ?)`, annex, m, pes, p.ana.ID)
	e.exec(`UPDATE agreements SET status = 'open_for_signature', sha256 = 'b2', opened_at = now() - interval '8 days' WHERE id = ?`, annex)

	sa := e.exec(`INSERT INTO situation_analyses (municipality_id, title, year) VALUES (?, 'Analiza stanja 2026', 2026) RETURNING id`, m)
	e.exec(`INSERT INTO questionnaires (municipality_id, situation_analysis_id, organisation_id, template, due_date, status, sent_at)
		VALUES (?, ?, ?, 'pes', ?, 'sent', now()), (?, ?, ?, 'csw', ?, 'sent', now())`, m, sa, pes, day(1), m, sa, pes, day(20))
}

// Two instances run the pass at the same moment: every item, threshold and
// recipient is reminded once, each by one mail, and a later pass adds none.
func TestRemindersOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.pact()
	e.deadlines(p)
	passes := make(chan Pass, 2)
	for range 2 {
		go func() {
			pass, err := RemindOnce(e.ctx, e.db, base)
			if err != nil {
				t.Error(err)
			}
			passes <- pass
		}()
	}
	a, b := <-passes, <-passes
	// Ana: report due, report overdue, commitment due, signature,
	// questionnaire due; Koord: report overdue (coordinators follow up).
	if a.Reminded+b.Reminded != 6 {
		t.Fatalf("two passes reminded %d + %d, want 6 in all", a.Reminded, b.Reminded)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	e.start(e.sender(srv))
	msgs := srv.WaitFor(t, 6, 15*time.Second)
	time.Sleep(300 * time.Millisecond)
	if again, err := RemindOnce(e.ctx, e.db, base); err != nil || again.Reminded != 0 {
		t.Fatalf("a third pass: %+v, %v", again, err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(srv.Messages()); n != 6 {
		t.Fatalf("%d mails, want 6", n)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, m.To[0]+" "+m.Subject)
	}
	sort.Strings(got)
	want := []string{
		"ana@example.org Izvještaj o napretku do " + bsDate(10) + ": M1 Obuka za poznatog poslodavca (Prvi period)",
		"ana@example.org Izvještaj o napretku kasni: M1 Obuka za poznatog poslodavca (Drugi period)",
		"ana@example.org Obaveza do " + bsDate(5) + ": Obučiti 20 osoba",
		"ana@example.org Potreban potpis: Aneks protokola",
		"ana@example.org Rok za upitnik " + bsDate(1) + ": Analiza stanja 2026 (pes)",
		"koord@example.org Izvještaj o napretku kasni: M1 Obuka za poznatog poslodavca (Drugi period)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("mails:\n%v\nwant:\n%v", got, want)
	}
	if n, _ := models.UnreadCount(e.ctx, e.db, p.ana.ID); n != 5 {
		t.Errorf("Ana has %d unread notifications, want 5", n)
	}
}

func bsDate(offset int) string { return models.Today().AddDate(0, 0, offset).Format("02.01.2006.") }
