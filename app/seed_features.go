package app

import (
	"context"

	"gorm.io/gorm"

	"pakt/models"
)

// seedFeatures adds each feature's demo content for one municipality; every
// feature owns its own function.
func seedFeatures(ctx context.Context, tx *gorm.DB, a models.Actor, m *models.Municipality) error {
	for _, f := range []func(context.Context, *gorm.DB, models.Actor, *models.Municipality) error{
		seedAgreements, seedSitan, seedPlans,
	} {
		if err := f(ctx, tx, a, m); err != nil {
			return err
		}
	}
	return nil
}

// seedSitan loads a published situation analysis of two years ago (before
// the plans it led to, adopted last year) and the focus groups of one Birac
// municipality (the data lives in models/sitan_demo.go).
func seedSitan(ctx context.Context, tx *gorm.DB, a models.Actor, m *models.Municipality) error {
	return models.SeedSitanDemo(ctx, tx, a, m, clockOf(ctx).year-2)
}
