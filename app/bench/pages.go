package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Targets are the objects of a generated data set the benchmarked pages show.
type Targets struct {
	BigMunicipalityID     int64  // "Općina 001", holding the big plan
	BigPlanID             int64  // the plan with Sizes.BigMeasures measures
	BigPeriodID           int64  // the latest closed reporting period of the big plan
	TypicalMunicipalityID int64  // a municipality with an ordinary plan
	Coordinator           string // e-mail of the big municipality's coordinator
	Municipalities        int64  // how many there are (rows of the regional page)
}

// FindTargets looks the targets up in a database Generate loaded.
func FindTargets(ctx context.Context, db *gorm.DB) (Targets, error) {
	var t Targets
	db = db.WithContext(ctx)
	err := db.Raw(`SELECT p.municipality_id AS big_municipality_id, p.id AS big_plan_id
		FROM action_plans p JOIN municipalities m ON m.id = p.municipality_id
		WHERE m.slug = 'opcina-001' AND p.status = 'adopted' ORDER BY p.id LIMIT 1`).Scan(&t).Error
	if err != nil || t.BigPlanID == 0 {
		return t, fmt.Errorf("bench: no adopted plan in opcina-001 (was the data generated?): %v", err)
	}
	queries := []struct {
		dst  any
		sql  string
		args []any
	}{
		{&t.BigPeriodID, `SELECT id FROM reporting_periods WHERE plan_id = ? AND status = 'closed' ORDER BY end_date DESC LIMIT 1`, []any{t.BigPlanID}},
		{&t.TypicalMunicipalityID, `SELECT id FROM municipalities WHERE id <> ? ORDER BY slug DESC LIMIT 1`, []any{t.BigMunicipalityID}},
		{&t.Coordinator, `SELECT u.email FROM memberships ms JOIN users u ON u.id = ms.user_id
			WHERE ms.municipality_id = ? AND ms.role = 'coordinator' ORDER BY u.id LIMIT 1`, []any{t.BigMunicipalityID}},
		{&t.Municipalities, `SELECT count(*) FROM municipalities`, nil},
	}
	for _, q := range queries {
		if err := db.Raw(q.sql, q.args...).Scan(q.dst).Error; err != nil {
			return t, err
		}
	}
	if t.BigPeriodID == 0 || t.Coordinator == "" {
		return t, fmt.Errorf("bench: the big plan has no closed period or its municipality no coordinator")
	}
	return t, nil
}

// RegionPageRows is how many municipalities one page of /region lists.
const RegionPageRows = 50

// Who a page is requested as.
const (
	AsAnonymous   = "anonymous"   // no session cookie: a first visit
	AsCoordinator = "coordinator" // session cookie of Targets.Coordinator
	AsAdmin       = "admin"       // session cookie of AdminEmail
	AsToken       = "token"       // bearer token of Targets.Coordinator
)

// Page is one benchmarked request.
type Page struct {
	Name string // short name for tables
	Path string
	As   string // AsAnonymous, AsCoordinator, AsAdmin or AsToken
	Want string // the body of a correct answer contains this
	// TargetMs is the p99 latency target at 50 connections.
	TargetMs int
}

// Pages are the requests `make bench` measures and the query-count tests
// check, in order.
func Pages(t Targets) []Page {
	return []Page{
		{"login page", "/login", AsAnonymous, `name="_csrf"`, 100},
		{"municipality dashboard (200 measures)", fmt.Sprintf("/municipalities/%d/dashboard", t.BigMunicipalityID), AsCoordinator, "<svg", 100},
		{"municipality dashboard (50 measures)", fmt.Sprintf("/municipalities/%d/dashboard", t.TypicalMunicipalityID), AsAdmin, "<svg", 100},
		{"plan page (200 measures)", fmt.Sprintf("/plans/%d", t.BigPlanID), AsCoordinator, "M001", 100},
		{"regional dashboard (admin)", "/region", AsAdmin, "Općina 001", 100},
		{"plan summary API", fmt.Sprintf("/api/v1/action-plans/%d/summary", t.BigPlanID), AsToken, `"planned_total"`, 100},
		{"report PDF (200 measures)", fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", t.BigPlanID, t.BigPeriodID), AsToken, "%PDF-", 300},
	}
}

// StatementCounter counts the SQL statements GORM runs on a *gorm.DB and
// the time they take (as seen by the client, round trip included).
type StatementCounter struct {
	n    atomic.Int64
	nano atomic.Int64
}

// Reset sets the count and the time to zero.
func (c *StatementCounter) Reset() { c.n.Store(0); c.nano.Store(0) }

// Load returns the count.
func (c *StatementCounter) Load() int64 { return c.n.Load() }

// Time returns the time spent in statements.
func (c *StatementCounter) Time() time.Duration { return time.Duration(c.nano.Load()) }

// CountStatements registers callbacks around every kind of GORM statement
// (query, raw, row, create, update, delete). Register it on a *gorm.DB of
// its own: the callbacks stay for the life of that handle.
func CountStatements(db *gorm.DB) (*StatementCounter, error) {
	c := &StatementCounter{}
	const key = "bench:start"
	start := func(tx *gorm.DB) { tx.InstanceSet(key, time.Now()) }
	done := func(tx *gorm.DB) {
		c.n.Add(1)
		if t, ok := tx.InstanceGet(key); ok {
			c.nano.Add(int64(time.Since(t.(time.Time))))
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("bench:start_query", start),
		cb.Query().After("gorm:query").Register("bench:count_query", done),
		cb.Raw().Before("gorm:raw").Register("bench:start_raw", start),
		cb.Raw().After("gorm:raw").Register("bench:count_raw", done),
		cb.Row().Before("gorm:row").Register("bench:start_row", start),
		cb.Row().After("gorm:row").Register("bench:count_row", done),
		cb.Create().Before("gorm:create").Register("bench:start_create", start),
		cb.Create().After("gorm:create").Register("bench:count_create", done),
		cb.Update().Before("gorm:update").Register("bench:start_update", start),
		cb.Update().After("gorm:update").Register("bench:count_update", done),
		cb.Delete().Before("gorm:delete").Register("bench:start_delete", start),
		cb.Delete().After("gorm:delete").Register("bench:count_delete", done),
	} {
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}
