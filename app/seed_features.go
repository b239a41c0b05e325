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
		seedAgreements, seedSitan,
	} {
		if err := f(ctx, tx, a, m); err != nil {
			return err
		}
	}
	return nil
}

func seedSitan(ctx context.Context, tx *gorm.DB, a models.Actor, m *models.Municipality) error {
	return nil
}
