package models

import (
	"context"

	"gorm.io/gorm"
)

// CheckCanSign tells, without locking, whether a user could sign an
// agreement now: ErrNotSignatory (403) for someone who is no signatory, a
// StateError (409) when the agreement is not open or the user already signed.
// Signing checks the same under its lock; this lets the slow password
// check be skipped for a request that would be refused anyway.
func CheckCanSign(ctx context.Context, db *gorm.DB, muniID, id, userID int64) error {
	var ag Agreement
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&ag).Error
	if err != nil {
		return notFound(err)
	}
	_, err = partyToSign(db.WithContext(ctx), &ag, userID)
	return err
}
