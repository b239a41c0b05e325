package models

import (
	"context"

	"gorm.io/gorm"
)

// PlanSummaryFromRows is PlanSummaryOf summed from every report, spending
// line and group count, not from the aggregates the writes keep: what the
// tests hold the aggregates to.
func PlanSummaryFromRows(ctx context.Context, db *gorm.DB, muniID, planID int64, periodID *int64) (*Summary, error) {
	return planSummary(ctx, db, muniID, planID, periodID, true)
}
