package models

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Roles a user can hold in a municipality, strongest first.
const (
	RoleCoordinator = "coordinator"
	RoleMember      = "member"
	RoleViewer      = "viewer"
)

// Roles lists the membership roles in display order.
var Roles = []string{RoleCoordinator, RoleMember, RoleViewer}

// RoleRank orders roles so "at least member" can be checked.
func RoleRank(role string) int {
	switch role {
	case RoleCoordinator:
		return 3
	case RoleMember:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

// User statuses: an invited person has no password yet and cannot sign in.
const (
	UserInvited = "invited"
	UserActive  = "active"
)

// User is a person who signs in.
type User struct {
	ID             int64     `json:"id" gorm:"primaryKey"`
	Email          string    `json:"email"`
	Name           string    `json:"name"`
	PasswordHash   string    `json:"-"`
	Status         string    `json:"status"`
	Locale         string    `json:"locale"`
	IsAdmin        bool      `json:"is_admin"`
	OrganisationID *int64    `json:"organisation_id"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Membership is a user's role in one municipality.
type Membership struct {
	UserID           int64     `json:"user_id" gorm:"primaryKey"`
	MunicipalityID   int64     `json:"municipality_id" gorm:"primaryKey"`
	Role             string    `json:"role"`
	CreatedAt        time.Time `json:"-"`
	UpdatedAt        time.Time `json:"-"`
	MunicipalityName string    `json:"municipality_name" gorm:"->;-:migration"`
	MunicipalitySlug string    `json:"municipality_slug" gorm:"->;-:migration"`
}

// UserInput carries the fields for a new user.
type UserInput struct {
	Email string
	Name  string
	// Password is for the command line (pakt create-admin), the demo data
	// and tests only: nobody chooses or learns another person's password.
	// Empty, the account is created invited, without a password; people
	// join through InviteUser and set their own with AcceptInvitation.
	Password       string
	OrganisationID *int64
	IsAdmin        bool
	Locale         string
}

// CreateUser stores a user; the e-mail must be unused in any letter case.
//
// A password is accepted only when no signed-in person acts (a.UserID == 0:
// the command line, seeding, tests); a person acting for someone else gets
// a ValidationError on "password" (API.md: 422), so no handler can set or
// learn another person's password through it.
func CreateUser(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in UserInput) (*User, error) {
	if in.Password != "" && a.UserID != 0 {
		return nil, Invalid("password", "account.password_is_personal")
	}
	u := &User{Email: strings.TrimSpace(in.Email), Name: in.Name, Status: UserInvited,
		OrganisationID: in.OrganisationID, IsAdmin: in.IsAdmin, Locale: in.Locale, Version: 1}
	if in.Password != "" {
		hash, err := HashPassword(in.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash, u.Status = hash, UserActive
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("lower(email) = lower(?)", u.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return Invalid("email", "error.email_taken")
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "user", u.ID,
			map[string]any{"email": u.Email, "name": u.Name, "organisation_id": u.OrganisationID, "is_admin": u.IsAdmin})
	})
	return u, err
}

// GetUser loads a user by id.
func GetUser(ctx context.Context, db *gorm.DB, id int64) (*User, error) {
	var u User
	err := db.WithContext(ctx).First(&u, id).Error
	return &u, notFound(err)
}

// Authenticate returns the user when email and password match, else
// ErrNotFound. An invited account (no password yet) never matches; every
// refusal costs one argon2 check, so timing tells nothing.
func Authenticate(ctx context.Context, db *gorm.DB, email, password string) (*User, error) {
	var u User
	err := db.WithContext(ctx).Where("lower(email) = lower(?)", strings.TrimSpace(email)).First(&u).Error
	if err != nil {
		if _, gateErr := checkPasswordGated(ctx, dummyHash, password); gateErr != nil {
			return nil, gateErr
		}
		return nil, notFound(err)
	}
	hash := u.PasswordHash
	if u.Status != UserActive {
		hash = dummyHash // an invited account never matches, at the same cost
	}
	ok, err := checkPasswordGated(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u.Status != UserActive {
		return nil, ErrNotFound
	}
	return &u, nil
}

// SetUserLocale remembers the interface language a user chose.
func SetUserLocale(ctx context.Context, db *gorm.DB, id int64, locale string) error {
	return db.WithContext(ctx).Model(&User{}).Where("id = ?", id).Update("locale", locale).Error
}

// membershipsJSON selects the memberships of the user u, with the
// municipalities' names and slugs, as a JSON array ordered by name.
const membershipsJSON = `coalesce((
	SELECT json_agg(json_build_object('user_id', m.user_id, 'municipality_id', m.municipality_id, 'role', m.role,
		'municipality_name', mu.name, 'municipality_slug', mu.slug) ORDER BY mu.name)
	FROM memberships m JOIN municipalities mu ON mu.id = m.municipality_id WHERE m.user_id = u.id), '[]')`

// GetUserAndMemberships loads a user with their memberships in one
// statement: it runs on every API request, so one round trip to PostgreSQL
// instead of two matters.
func GetUserAndMemberships(ctx context.Context, db *gorm.DB, id int64) (*User, []Membership, error) {
	var row struct {
		User
		MembershipsJSON []byte
	}
	res := db.WithContext(ctx).Raw(`SELECT u.*, `+membershipsJSON+` AS memberships_json
		FROM users u WHERE u.id = ?`, id).Scan(&row)
	if res.Error != nil {
		return nil, nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, nil, ErrNotFound
	}
	var ms []Membership
	if err := json.Unmarshal(row.MembershipsJSON, &ms); err != nil {
		return nil, nil, err
	}
	return &row.User, ms, nil
}

// Member is a row of a municipality's member list.
type Member struct {
	UserID           int64  `json:"user_id"`
	Name             string `json:"name"`
	Email            string `json:"email"`
	Role             string `json:"role"`
	OrganisationID   *int64 `json:"organisation_id"`
	OrganisationName string `json:"organisation_name"`
	// OrganisationHere: no organisation, or one of this municipality's, so
	// this municipality's coordinator may change it.
	OrganisationHere bool `json:"-"`
}

// ListMembers returns who holds a role in the municipality.
func ListMembers(ctx context.Context, db *gorm.DB, muniID int64) ([]Member, error) {
	var ms []Member
	err := db.WithContext(ctx).Table("memberships m").
		Select(`u.id AS user_id, u.name, u.email, m.role, u.organisation_id, coalesce(o.name, '') AS organisation_name,
			(u.organisation_id IS NULL OR o.municipality_id = m.municipality_id) AS organisation_here`).
		Joins("JOIN users u ON u.id = m.user_id").
		Joins("LEFT JOIN organisations o ON o.id = u.organisation_id").
		Where("m.municipality_id = ?", muniID).Order("lower(u.name)").Scan(&ms).Error
	return ms, err
}

// SetRole gives a user a role in a municipality (insert or update).
func SetRole(ctx context.Context, db *gorm.DB, a Actor, muniID, userID int64, role string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before *string
		if err := tx.Raw(`SELECT role FROM memberships WHERE user_id = ? AND municipality_id = ? FOR UPDATE`, userID, muniID).
			Scan(&before).Error; err != nil {
			return err
		}
		err := tx.Exec(`INSERT INTO memberships (user_id, municipality_id, role) VALUES (?, ?, ?)
			ON CONFLICT (user_id, municipality_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()`,
			userID, muniID, role).Error
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "set_role", "user", userID, map[string]any{"role": map[string]any{"from": before, "to": role}})
	})
}

// RemoveRole takes a user's role in a municipality away.
func RemoveRole(ctx context.Context, db *gorm.DB, a Actor, muniID, userID int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM memberships WHERE user_id = ? AND municipality_id = ?`, userID, muniID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, a, muniID, "remove_role", "user", userID, map[string]any{})
	})
}

// UserLinkedTo says whether a user belongs to the municipality, by role or organisation;
// coordinators may only manage such users.
func UserLinkedTo(ctx context.Context, db *gorm.DB, muniID, userID int64) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Raw(`SELECT count(*) FROM users u WHERE u.id = ? AND (
		EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.municipality_id = ?)
		OR EXISTS (SELECT 1 FROM organisations o WHERE o.id = u.organisation_id AND o.municipality_id = ?))`,
		userID, muniID, muniID).Scan(&n).Error
	return n > 0, err
}

// EmailTaken says whether an account has this e-mail, in any letter case.
func EmailTaken(ctx context.Context, db *gorm.DB, email string) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&User{}).Where("lower(email) = lower(?)", strings.TrimSpace(email)).Count(&n).Error
	return n > 0, err
}

// SetMemberOrganisation sets which of the municipality's organisations a
// member represents (nil: none). That organisation is what the person signs
// agreements and reports progress for, so a coordinator must be able to fix
// it after joining. An organisation of another municipality is never taken
// from its own coordinators: a person who represents one there cannot be
// moved from here (members.organisation_elsewhere).
func SetMemberOrganisation(ctx context.Context, db *gorm.DB, a Actor, muniID, userID int64, orgID *int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return setMemberOrganisation(ctx, tx, a, muniID, userID, orgID)
	})
}

func setMemberOrganisation(ctx context.Context, tx *gorm.DB, a Actor, muniID, userID int64, orgID *int64) error {
	if orgID != nil {
		if _, err := GetOrganisation(ctx, tx, muniID, *orgID); err != nil {
			return Invalid("organisation_id", "error.unknown_organisation")
		}
	}
	var cur struct {
		OrganisationID  *int64
		OrgMunicipality *int64
	}
	err := tx.Raw(`SELECT u.organisation_id, o.municipality_id AS org_municipality FROM users u
		LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ? FOR UPDATE OF u`, userID).Scan(&cur).Error
	if err != nil {
		return err
	}
	if sameOrg(cur.OrganisationID, orgID) {
		return nil
	}
	if cur.OrgMunicipality != nil && *cur.OrgMunicipality != muniID {
		return Invalid("organisation_id", "members.organisation_elsewhere")
	}
	if err := tx.Exec(`UPDATE users SET organisation_id = ?, version = version + 1, updated_at = now() WHERE id = ?`,
		orgID, userID).Error; err != nil {
		return err
	}
	return Audit(ctx, tx, a, muniID, "set_organisation", "user", userID,
		map[string]any{"organisation_id": map[string]any{"from": cur.OrganisationID, "to": orgID}})
}

func sameOrg(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
