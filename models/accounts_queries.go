package models

import (
	"context"

	"gorm.io/gorm"
)

// CreateUserWithRole stores a user and, when muniID is not 0, gives it role
// in that municipality, both in one transaction: a user is never left
// without the role it was created for.
func CreateUserWithRole(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in UserInput, role string) (*User, error) {
	var u *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = CreateUser(ctx, tx, a, muniID, in); err != nil || muniID == 0 {
			return err
		}
		return SetRole(ctx, tx, a, muniID, u.ID, role)
	})
	return u, err
}
