package models

import (
	"context"
	"encoding/json"
	"sort"

	"gorm.io/gorm"
)

// AuditFilter narrows a municipality's audit log; zero fields do not filter.
// Before is the keyset cursor: only rows with a smaller id.
type AuditFilter struct {
	UserID     int64
	ObjectType string
	ObjectID   int64
	From, To   *Date
	Before     int64
	Limit      int
}

// FieldChange is one field of an audited write, before and after (nil when
// the write stored no value for that side).
type FieldChange struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// ListAuditPage returns one page of a municipality's audit log, newest first,
// and the cursor of the next page (0 when this is the last).
func ListAuditPage(ctx context.Context, db *gorm.DB, muniID int64, f AuditFilter) ([]AuditEntry, int64, error) {
	if f.Limit < 1 || f.Limit > 200 {
		f.Limit = 50
	}
	q := db.WithContext(ctx).Table("audit_log a").
		Select("a.*, coalesce(u.name, '') AS user_name").
		Joins("LEFT JOIN users u ON u.id = a.user_id").
		Where("a.municipality_id = ?", muniID)
	if f.UserID != 0 {
		q = q.Where("a.user_id = ?", f.UserID)
	}
	if f.ObjectType != "" {
		q = q.Where("a.object_type = ?", f.ObjectType)
	}
	if f.ObjectID != 0 {
		q = q.Where("a.object_id = ?", f.ObjectID)
	}
	if f.From != nil {
		q = q.Where("a.created_at >= ?", f.From.Time)
	}
	if f.To != nil {
		q = q.Where("a.created_at < ?", f.To.Time.AddDate(0, 0, 1))
	}
	if f.Before != 0 {
		q = q.Where("a.id < ?", f.Before)
	}
	var rows []AuditEntry
	if err := q.Order("a.id DESC").Limit(f.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	var next int64
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = rows[len(rows)-1].ID
	}
	return rows, next, nil
}

// AuditPerson is someone who appears in a municipality's audit log.
type AuditPerson struct {
	ID   int64
	Name string
}

// AuditPeople lists who wrote to a municipality's audit log, by name.
func AuditPeople(ctx context.Context, db *gorm.DB, muniID int64) ([]AuditPerson, error) {
	var out []AuditPerson
	err := db.WithContext(ctx).Raw(`SELECT u.id, u.name FROM users u
		WHERE u.id IN (SELECT DISTINCT user_id FROM audit_log WHERE municipality_id = ? AND user_id IS NOT NULL)
		ORDER BY u.name, u.id`, muniID).Scan(&out).Error
	return out, err
}

// AuditObjectTypes lists the object types a municipality's audit log holds.
func AuditObjectTypes(ctx context.Context, db *gorm.DB, muniID int64) ([]string, error) {
	var out []string
	err := db.WithContext(ctx).Raw(`SELECT DISTINCT object_type FROM audit_log WHERE municipality_id = ? ORDER BY 1`, muniID).
		Scan(&out).Error
	return out, err
}

// auditTitleSQL names each object type's label and page in its own table;
// every table is tenant-owned, so the municipality is in the WHERE clause.
var auditTitleSQL = map[string]string{
	"agreement":          "SELECT id, title AS label, '/agreements/' || id AS link FROM agreements",
	"action_plan":        "SELECT id, title AS label, '/plans/' || id AS link FROM action_plans",
	"measure":            "SELECT id, code || ' ' || title AS label, '/plans/' || plan_id || '#measure-' || id AS link FROM plan_measures",
	"objective":          "SELECT id, code || ' ' || title AS label, '/plans/' || plan_id || '#obj-' || id AS link FROM plan_objectives",
	"organisation":       "SELECT id, name AS label, '/organisations/' || id || '/edit' AS link FROM organisations",
	"situation_analysis": "SELECT id, title AS label, '/situation-analyses/' || id AS link FROM situation_analyses",
	"finding":            "SELECT id, left(statement, 80) AS label, '/situation-analyses/' || situation_analysis_id AS link FROM sitan_findings",
	"vulnerable_group":   "SELECT id, group_code AS label, '/situation-analyses/' || situation_analysis_id AS link FROM vulnerable_groups",
	"questionnaire":      "SELECT id, template AS label, '/questionnaires/' || id AS link FROM questionnaires",
	"need":               "SELECT id, left(statement, 80) AS label, '/focus-groups/' || focus_group_id || '#need-' || id AS link FROM focus_group_needs",
	"focus_group":        "SELECT id, place || ' ' || held_on::text AS label, '/focus-groups/' || id AS link FROM focus_groups",
	"reporting_period":   "SELECT id, label, '/plans/' || plan_id || '/tracking' AS link FROM reporting_periods",
	// People are named while they hold a role in the municipality.
	"user": `SELECT * FROM (SELECT u.id, u.name AS label, '/municipalities/' || m.municipality_id || '/members' AS link,
		m.municipality_id FROM users u JOIN memberships m ON m.user_id = u.id) x`,
}

// AuditObjectives names a municipality's plan objectives by id ("C1 title"),
// for audit rows that store an objective_id.
func AuditObjectives(ctx context.Context, db *gorm.DB, muniID int64) (map[int64]string, error) {
	var rows []struct {
		ID    int64
		Label string
	}
	err := db.WithContext(ctx).Raw(`SELECT id, code || ' ' || title AS label FROM plan_objectives WHERE municipality_id = ?`, muniID).
		Scan(&rows).Error
	out := map[int64]string{}
	for _, r := range rows {
		out[r.ID] = r.Label
	}
	return out, err
}

// AuditObject is what an audit row's object is called today and where it is.
type AuditObject struct {
	Label, Link string
}

// AuditLabels finds the current label (title, code, name) and page of each
// object the rows name, keyed "type:id"; users are named by the join already.
func AuditLabels(ctx context.Context, db *gorm.DB, muniID int64, rows []AuditEntry) map[string]AuditObject {
	ids := map[string][]int64{}
	for _, r := range rows {
		if r.ObjectID != nil && auditTitleSQL[r.ObjectType] != "" {
			ids[r.ObjectType] = append(ids[r.ObjectType], *r.ObjectID)
		}
	}
	out := map[string]AuditObject{}
	for typ, list := range ids {
		var found []struct {
			ID          int64
			Label, Link string
		}
		if err := db.WithContext(ctx).Raw(auditTitleSQL[typ]+" WHERE municipality_id = ? AND id IN ?", muniID, list).
			Scan(&found).Error; err != nil {
			continue
		}
		for _, f := range found {
			out[typ+":"+itoa(f.ID)] = AuditObject{f.Label, f.Link}
		}
	}
	return out
}

// AuditChanges reads what a write stored in audit_log.changes as field
// changes, whatever shape the write used: {"before":{..},"after":{..}}
// (compared field by field), {"field":{"from":..,"to":..}} (Diff), or the
// new values only (before unknown).
func AuditChanges(raw json.RawMessage) []FieldChange {
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return []FieldChange{}
	}
	var out []FieldChange
	if b, a, ok := beforeAfter(m); ok {
		for k := range union(b, a) {
			if !jsonEqual(b[k], a[k]) {
				out = append(out, FieldChange{k, b[k], a[k]})
			}
		}
	} else {
		for k, v := range m {
			if ft, ok := v.(map[string]any); ok && len(ft) == 2 && hasKeys(ft, "from", "to") {
				out = append(out, FieldChange{k, ft["from"], ft["to"]})
			} else {
				out = append(out, FieldChange{k, nil, v})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	if out == nil {
		out = []FieldChange{}
	}
	return out
}

func beforeAfter(m map[string]any) (map[string]any, map[string]any, bool) {
	if len(m) != 2 {
		return nil, nil, false
	}
	b, ok1 := m["before"].(map[string]any)
	a, ok2 := m["after"].(map[string]any)
	return b, a, ok1 && ok2
}

func union(a, b map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func hasKeys(m map[string]any, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
