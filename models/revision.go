package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RevisionOf is the content revision of a municipality: the database raises
// it in the same transaction as any write to that municipality's data
// (migration 00008). Read it before the data a cached rendering is made of:
// then whatever is cached under revision N was read at N or later, never
// before.
func RevisionOf(ctx context.Context, db *gorm.DB, muniID int64) (int64, error) {
	var rev []int64
	err := db.WithContext(ctx).Raw(`SELECT rev FROM municipality_revisions WHERE municipality_id = ?`, muniID).
		Scan(&rev).Error
	if err != nil || len(rev) == 0 {
		return 0, err
	}
	return rev[0], nil
}

// RegionRevision names the state of all municipalities at once (for pages
// that compare them): it changes whenever any municipality's revision does,
// or one is added or removed.
func RegionRevision(ctx context.Context, db *gorm.DB) (string, error) {
	var r struct{ Sum, N int64 }
	err := db.WithContext(ctx).Raw(`SELECT coalesce(sum(rev), 0) AS sum, count(*) AS n FROM municipality_revisions`).
		Scan(&r).Error
	return fmt.Sprintf("%d.%d", r.Sum, r.N), err
}
