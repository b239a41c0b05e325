package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Actor is who performs a write and from where; every write is audited with it.
type Actor struct {
	UserID int64
	IP     string
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID             int64 `gorm:"primaryKey"`
	MunicipalityID *int64
	UserID         *int64
	Action         string
	ObjectType     string
	ObjectID       *int64
	Changes        json.RawMessage `gorm:"type:jsonb"`
	IP             string          `gorm:"column:ip"`
	CreatedAt      time.Time
	UserName       string `gorm:"->;-:migration"`
}

// TableName maps AuditEntry to audit_log.
func (AuditEntry) TableName() string { return "audit_log" }

// Audit records who changed what. Call it inside the transaction of the write
// so an audit row exists exactly when the change does.
func Audit(ctx context.Context, db *gorm.DB, a Actor, muniID int64, action, objType string, objID int64, changes any) error {
	e, err := auditEntry(a, muniID, action, objType, objID, changes)
	if err != nil {
		return err
	}
	return db.WithContext(ctx).Create(e).Error
}

// auditEntry is the audit row of a write.
func auditEntry(a Actor, muniID int64, action, objType string, objID int64, changes any) (*AuditEntry, error) {
	raw, err := json.Marshal(changes)
	if err != nil {
		return nil, err
	}
	e := &AuditEntry{Action: action, ObjectType: objType, Changes: raw, IP: a.IP}
	if a.UserID != 0 {
		e.UserID = &a.UserID
	}
	if muniID != 0 {
		e.MunicipalityID = &muniID
	}
	if objID != 0 {
		e.ObjectID = &objID
	}
	return e, nil
}

// ListAudit returns the newest audit rows of one municipality.
func ListAudit(ctx context.Context, db *gorm.DB, muniID int64, limit int) ([]AuditEntry, error) {
	var rows []AuditEntry
	err := db.WithContext(ctx).Table("audit_log a").
		Select("a.*, coalesce(u.name, '') AS user_name").
		Joins("LEFT JOIN users u ON u.id = a.user_id").
		Where("a.municipality_id = ?", muniID).
		Order("a.id DESC").Limit(limit).Scan(&rows).Error
	return rows, err
}

// Diff lists the fields whose values differ between before and after.
func Diff(before, after map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range after {
		if b, ok := before[k]; !ok || !jsonEqual(b, v) {
			out[k] = map[string]any{"from": before[k], "to": v}
		}
	}
	return out
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
