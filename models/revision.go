package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RevisionOf is the content revision of a municipality: the database raises
// it once at the commit of any transaction that wrote that municipality's
// data (migrations 00008 and 00023). Read it before the data a cached
// rendering is made of: then whatever is cached under revision N was read at
// N or later, never before. Inside a writing transaction the raise still to
// come counts already (the transaction's own pending mark).
func RevisionOf(ctx context.Context, db *gorm.DB, muniID int64) (int64, error) {
	var rev []int64
	err := db.WithContext(ctx).Raw(`SELECT r.rev + CASE WHEN EXISTS (SELECT 1 FROM revision_pending p
			WHERE p.xid = pg_current_xact_id_if_assigned() AND p.kind = 'm' AND p.ref = r.municipality_id) THEN 1 ELSE 0 END
		FROM municipality_revisions r WHERE r.municipality_id = ?`, muniID).
		Scan(&rev).Error
	if err != nil || len(rev) == 0 {
		return 0, err
	}
	return rev[0], nil
}

// RegionRevision names the state of what pages comparing municipalities
// show (/region, the public list of municipalities): the municipalities
// themselves, their agreements, plans, reporting periods and plans' totals
// (migration 00023). A write that changes none of these — a narrative, an
// organisation, a report whose figures stay — leaves it as it is, so the
// regional page does not depend on every municipality's revision.
func RegionRevision(ctx context.Context, db *gorm.DB) (string, error) {
	var rev []int64
	err := db.WithContext(ctx).Raw(`SELECT rev + CASE WHEN EXISTS (SELECT 1 FROM revision_pending p
			WHERE p.xid = pg_current_xact_id_if_assigned() AND p.kind IN ('r', 'p', 'P')) THEN 1 ELSE 0 END
		FROM region_revision`).Scan(&rev).Error
	if err != nil || len(rev) == 0 {
		return "", err
	}
	return fmt.Sprintf("r%d", rev[0]), nil
}
