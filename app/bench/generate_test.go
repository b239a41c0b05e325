//go:build bench

package bench

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestGenerateTiny loads a tiny data set and checks its shape and that the
// database's own rules hold for it (states, frozen parts, closed periods).
func TestGenerateTiny(t *testing.T) {
	ctx := t.Context()
	pg, err := startPostgres(ctx, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.stop)
	dbURL, drop, err := pg.freshDatabase(ctx, "pakt_bench_tiny")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	db, closeDB, err := migratedDB(ctx, dbURL, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeDB)

	scale := Scale{Factor: 0.01, Measures: 4, BigMeasures: 7, Years: 2}
	c, err := Generate(ctx, db, scale)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + c.String())
	z := scale.Sizes()
	if z.Municipalities != 5 || z.Organisations != 100 || z.Users != 200 || z.Agreements != 30 {
		t.Fatalf("sizes %+v", z)
	}
	measures := int64(z.BigMeasures + (z.Municipalities-1)*z.Measures)
	periods := int64(z.Municipalities * 2 * z.Years)
	for table, want := range map[string]int64{
		"municipalities": 5, "organisations": 100, "users": 201, "memberships": 200,
		"agreements": 30, "agreement_parties": 90, "agreement_commitments": 90,
		"agreement_signatures": 3*27 + 3, "commitment_progress": 90,
		"action_plans": 5, "plan_objectives": 25, "plan_measures": measures,
		"measure_indicators": 2 * measures, "measure_budget_lines": 3 * measures,
		"reporting_periods": periods, "progress_reports": measures * 2 * int64(z.Years),
		"progress_indicator_values": 2 * measures * 2 * int64(z.Years), "progress_beneficiary_groups": measures * 2 * int64(z.Years),
	} {
		if got := c.Rows(table); got != want {
			t.Errorf("%s: %d rows, want %d", table, got, want)
		}
	}
	var check struct {
		Adopted, InForce, Open, Closed, Coordinators, Admins int64
	}
	db.Raw(`SELECT (SELECT count(*) FROM action_plans WHERE status = 'adopted') AS adopted,
		(SELECT count(*) FROM agreements WHERE status = 'in_force') AS in_force,
		(SELECT count(*) FROM agreements WHERE status = 'open_for_signature') AS open,
		(SELECT count(*) FROM reporting_periods WHERE status = 'closed') AS closed,
		(SELECT count(*) FROM memberships WHERE role = 'coordinator') AS coordinators,
		(SELECT count(*) FROM users WHERE is_admin) AS admins`).Scan(&check)
	if check.Adopted != 5 || check.InForce+check.Open != 30 || check.Open != 3 || check.Coordinators != 5 || check.Admins != 1 {
		t.Errorf("states: %+v", check)
	}
	// Periods whose end has passed are closed: 3 of 4 half-years (the current one is open).
	if check.Closed < periods/2 || check.Closed >= periods {
		t.Errorf("%d of %d periods closed", check.Closed, periods)
	}
	// The freeze triggers guard what was loaded.
	for _, q := range []string{
		`UPDATE plan_measures SET title = 'x' WHERE id = (SELECT min(id) FROM plan_measures)`,
		`UPDATE agreements SET body = 'x' WHERE status = 'in_force' AND id = (SELECT min(id) FROM agreements WHERE status = 'in_force')`,
		`UPDATE progress_reports SET narrative = 'x' WHERE period_id = (SELECT min(id) FROM reporting_periods WHERE status = 'closed')`,
	} {
		if err := db.Exec(q).Error; err == nil {
			t.Errorf("not frozen: %s", q)
		}
	}
	targets, err := FindTargets(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var bigMeasures int64
	db.Raw(`SELECT count(*) FROM plan_measures WHERE plan_id = ?`, targets.BigPlanID).Scan(&bigMeasures)
	if bigMeasures != int64(z.BigMeasures) || targets.Municipalities != 5 {
		t.Errorf("targets %+v: big plan has %d measures", targets, bigMeasures)
	}
	if _, err := Generate(context.Background(), db, scale); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second Generate: %v, want ErrNotEmpty", err)
	}
}
