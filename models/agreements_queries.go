package models

import (
	"context"

	"gorm.io/gorm"
)

// InForceAgreement is an agreement in force as the municipality's public
// page lists it: enough to name it and link to its verification page.
type InForceAgreement struct {
	Title, Level, SHA256 string
	VersionNo            int
}

// InForceAgreements lists a municipality's agreements in force, the most
// recently in force first.
func InForceAgreements(ctx context.Context, db *gorm.DB, muniID int64) ([]InForceAgreement, error) {
	var out []InForceAgreement
	err := db.WithContext(ctx).Raw(`SELECT title, level, sha256, version_no FROM agreements
		WHERE municipality_id = ? AND status = 'in_force' ORDER BY in_force_at DESC`, muniID).Scan(&out).Error
	return out, err
}
