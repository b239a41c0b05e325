package models

import (
	"strings"
	"testing"

	"pakt/dbtest"
)

// Every part of the search can use its trigram index (migration 00021): the
// planner is denied sequential scans and must still find a plan that names
// each index, so the expressions in searchSQL match the indexed ones. This is
// the platform admin's search over all municipalities; a person's search is
// narrowed by the municipality indexes first.
func TestSearchUsesTrigramIndexes(t *testing.T) {
	t.Parallel()
	db := dbtest.DB(t)
	tx := db.Begin()
	defer tx.Rollback()
	if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
		t.Fatal(err)
	}
	var lines []string
	err := tx.Raw("EXPLAIN "+searchSQL, map[string]any{"pat": "zaposl", "munis": Int64s{}, "all": true, "lim": SearchLimit}).
		Scan(&lines).Error
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(lines, "\n")
	for _, idx := range []string{"agreements_search_idx", "action_plans_search_idx", "plan_measures_search_idx",
		"sitan_findings_search_idx", "organisations_search_idx", "plan_comments_search_idx"} {
		if !strings.Contains(plan, idx) {
			t.Errorf("the search does not use %s:\n%s", idx, plan)
		}
	}
}
