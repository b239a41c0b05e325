package models

import (
	"strings"
	"testing"

	"pakt/dbtest"
)

// The front page's lists can be read from their partial indexes (migration
// 00026): with sequential scans off, each query's plan names its index, so
// a change to a query that no longer matches its index's predicate fails
// here rather than as a slow front page at national scale.
func TestFrontUsesItsIndexes(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	for _, c := range []struct {
		sql, index string
		args       []any
	}{
		{frontConsultationsSQL, "action_plans_consultation_idx", []any{PlanConsultation, "2026-01-01", 10}},
		{frontAdoptedSQL, "action_plans_adopted_on_idx", []any{PlanAdopted, 10}},
		{frontReportsSQL, "reporting_periods_published_idx", []any{10}},
	} {
		tx := db.Begin()
		if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
			t.Fatal(err)
		}
		var lines []string
		if err := tx.Raw("EXPLAIN "+c.sql, c.args...).Scan(&lines).Error; err != nil {
			t.Fatal(err)
		}
		tx.Rollback()
		if plan := strings.Join(lines, "\n"); !strings.Contains(plan, c.index) {
			t.Errorf("the query does not use %s:\n%s", c.index, plan)
		}
	}
}
