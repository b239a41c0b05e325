package models

import (
	"context"

	"gorm.io/gorm"
)

// OrganisationOfUser loads the organisation the user works for; nil when
// the user belongs to none.
func OrganisationOfUser(ctx context.Context, db *gorm.DB, u *User) (*Organisation, error) {
	if u.OrganisationID == nil {
		return nil, nil
	}
	var o Organisation
	if err := db.WithContext(ctx).First(&o, *u.OrganisationID).Error; err != nil {
		return nil, notFound(err)
	}
	return &o, nil
}
