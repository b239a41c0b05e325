package app_test

import (
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// Every table holding a municipality's data raises its revision on insert,
// update and delete, or cached pages of that municipality would go stale.
func TestRevisionTriggersCoverTenantTables(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	var missing []string
	err := db.Raw(`SELECT c.table_name || ' (' || ev.op || ')' FROM information_schema.columns c
		JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
		CROSS JOIN (VALUES ('ins'), ('upd'), ('del')) AS ev (op)
		WHERE c.table_schema = current_schema() AND c.column_name = 'municipality_id' AND tb.table_type = 'BASE TABLE'
		  AND c.table_name NOT IN ('municipality_revisions', 'audit_log')
		  AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass
		                  AND g.tgname = c.table_name || '_rev_' || ev.op)
		ORDER BY 1`).Scan(&missing).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("tenant tables without a revision trigger (add them as migration 00008 does): %v", missing)
	}
}

func TestRevisionRisesWithEachWrite(t *testing.T) {
	t.Parallel()
	env := testkit.NewEnv(t)
	ctx := t.Context()
	a := env.Municipality("Bratunac")
	b := env.Municipality("Zvornik")
	revA, err := models.RevisionOf(ctx, env.DB, a.ID)
	if err != nil || revA == 0 {
		t.Fatalf("new municipality revision = %d, %v", revA, err)
	}
	revB, _ := models.RevisionOf(ctx, env.DB, b.ID)
	region, _ := models.RegionRevision(ctx, env.DB)

	org := env.Organisation(a.ID, "Biro za zapošljavanje", "pes")
	step := func(what string) {
		t.Helper()
		now, err := models.RevisionOf(ctx, env.DB, a.ID)
		if err != nil || now <= revA {
			t.Fatalf("after %s: revision %d, was %d (%v)", what, now, revA, err)
		}
		revA = now
	}
	step("an insert")
	if err := env.DB.Exec(`UPDATE organisations SET name = 'Zavod za zapošljavanje' WHERE id = ?`, org.ID).Error; err != nil {
		t.Fatal(err)
	}
	step("an update")
	u := env.User("ana@example.org", false, &org.ID, a.ID, "member")
	step("a new member")
	if err := env.DB.Exec(`UPDATE users SET name = 'Ana Petrović' WHERE id = ?`, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	step("a member's new name")
	if err := env.DB.Exec(`UPDATE users SET locale = 'sr' WHERE id = ?`, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	if now, _ := models.RevisionOf(ctx, env.DB, a.ID); now != revA {
		t.Fatalf("a member's language choice changed the revision: %d → %d", revA, now)
	}
	if err := env.DB.Exec(`DELETE FROM memberships WHERE user_id = ?`, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	step("a delete")
	if err := env.DB.Exec(`UPDATE municipalities SET name = 'Bratunac (opština)' WHERE id = ?`, a.ID).Error; err != nil {
		t.Fatal(err)
	}
	step("a renamed municipality")

	if now, _ := models.RevisionOf(ctx, env.DB, b.ID); now != revB {
		t.Fatalf("writes in one municipality changed another's revision: %d → %d", revB, now)
	}
	if now, _ := models.RegionRevision(ctx, env.DB); now == region {
		t.Fatalf("region revision unchanged after writes: %s", now)
	}
}
