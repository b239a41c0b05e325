package models

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	pmail "pakt/mail"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// ErrTokenGone means an invitation or reset link was already used or has
// expired (API.md: 410). An unknown token is ErrNotFound.
var ErrTokenGone = errors.New("link used or expired")

// What InviteUser did.
const (
	InvitePending = "pending" // a new person: an invitation mail with a link went out
	InviteAdded   = "added"   // an existing account: the role is given, the person told
)

// Invitation is one invitation link; only the SHA-256 of its token is kept.
type Invitation struct {
	ID             int64      `json:"id" gorm:"primaryKey"`
	MunicipalityID int64      `json:"municipality_id"`
	UserID         int64      `json:"user_id"`
	Email          string     `json:"email"`
	Role           string     `json:"role"`
	OrganisationID *int64     `json:"organisation_id"`
	TokenHash      []byte     `json:"-"`
	InvitedBy      *int64     `json:"-"`
	ExpiresAt      time.Time  `json:"expires_at"`
	AcceptedAt     *time.Time `json:"accepted_at"`
	CreatedAt      time.Time  `json:"created_at"`
}

// InviteInput is what a coordinator or admin enters.
type InviteInput struct {
	Email          string
	Name           string
	OrganisationID *int64 // must belong to the municipality
	Role           string // coordinator, member or viewer
}

// InviteResult tells the handler what happened: Status InvitePending with
// the Invitation (201), or InviteAdded (200).
type InviteResult struct {
	Status     string
	User       *User
	Invitation *Invitation
}

// InviteUser brings a person into a municipality with a role. An e-mail
// that has an account gets the role at once and a member_added
// notification (Status InviteAdded). Anyone else gets an account without a
// password (status invited), the role, and an invitation mail with the link
// {base}/invitations/{token}, valid InvitationTTL, once (Status
// InvitePending). Runs in db's transaction or its own; the mail is queued
// in the same transaction.
func InviteUser(ctx context.Context, db *gorm.DB, a Actor, base string, muniID int64, in InviteInput) (*InviteResult, error) {
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	var res *InviteResult
	err := inTx(ctx, db, func(tx *gorm.DB) error {
		muni, err := GetMunicipality(ctx, tx, muniID)
		if err != nil {
			return err
		}
		if err := in.validate(ctx, tx, muniID); err != nil {
			return err
		}
		res, err = invite(ctx, tx, a, base, muni, in)
		return err
	})
	return res, err
}

func (in *InviteInput) validate(ctx context.Context, tx *gorm.DB, muniID int64) error {
	bad := map[string]string{}
	if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email || len(in.Email) > 254 {
		bad["email"] = "validation.email"
	}
	if len([]rune(in.Name)) > 200 {
		bad["name"] = "validation.max"
	}
	if !slices.Contains(Roles, in.Role) {
		bad["role"] = "validation.role"
	}
	if in.OrganisationID != nil {
		if _, err := GetOrganisation(ctx, tx, muniID, *in.OrganisationID); err != nil {
			bad["organisation_id"] = "error.unknown_organisation"
		}
	}
	if len(bad) > 0 {
		return &ValidationError{Fields: bad}
	}
	return nil
}

func invite(ctx context.Context, tx *gorm.DB, a Actor, base string, muni *Municipality, in InviteInput) (*InviteResult, error) {
	var u User
	err := tx.Where("lower(email) = lower(?)", in.Email).First(&u).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if in.Name == "" {
			return nil, Invalid("name", "validation.required")
		}
		if err := createInvitedUser(ctx, tx, a, muni.ID, in, &u); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	}
	if err := SetRole(ctx, tx, a, muni.ID, u.ID, in.Role); err != nil {
		return nil, err
	}
	// An existing account gets the organisation chosen, unless it represents
	// one of another municipality: then it is added with its own (the
	// members page names it), not refused.
	if in.OrganisationID != nil {
		err := setMemberOrganisation(ctx, tx, a, muni.ID, u.ID, in.OrganisationID)
		var ve *ValidationError
		if err != nil && !(errors.As(err, &ve) && ve.Fields["organisation_id"] == "members.organisation_elsewhere") {
			return nil, err
		}
	}
	if u.Status == UserActive {
		return &InviteResult{Status: InviteAdded, User: &u}, Notify(ctx, tx, base, Notice{Kind: KindMemberAdded,
			MunicipalityID: muni.ID, Role: in.Role, Path: "/municipalities/" + strconv.FormatInt(muni.ID, 10), UserIDs: []int64{u.ID}})
	}
	inv, err := newInvitation(ctx, tx, a, base, muni, &u, in)
	return &InviteResult{Status: InvitePending, User: &u, Invitation: inv}, err
}

// createInvitedUser stores the account without a password.
func createInvitedUser(ctx context.Context, tx *gorm.DB, a Actor, muniID int64, in InviteInput, u *User) error {
	*u = User{Email: in.Email, Name: in.Name, Status: UserInvited, OrganisationID: in.OrganisationID, Version: 1}
	if err := tx.WithContext(ctx).Create(u).Error; err != nil {
		return err
	}
	return Audit(ctx, tx, a, muniID, "create", "user", u.ID,
		map[string]any{"email": u.Email, "name": u.Name, "organisation_id": u.OrganisationID, "status": u.Status})
}

// newInvitation stores a link for u and queues its mail.
func newInvitation(ctx context.Context, tx *gorm.DB, a Actor, base string, muni *Municipality, u *User, in InviteInput) (*Invitation, error) {
	token := RandomToken()
	inv := &Invitation{MunicipalityID: muni.ID, UserID: u.ID, Email: u.Email, Role: in.Role,
		OrganisationID: in.OrganisationID, TokenHash: HashToken(token), ExpiresAt: time.Now().Add(InvitationTTL).UTC()}
	if a.UserID != 0 {
		inv.InvitedBy = &a.UserID
	}
	// Inviting again retires the earlier links of this person here: only the
	// newest mail works (a forwarded or mis-sent old one no longer does).
	if err := tx.WithContext(ctx).Model(&Invitation{}).
		Where("user_id = ? AND municipality_id = ? AND accepted_at IS NULL AND expires_at > now()", u.ID, muni.ID).
		Update("expires_at", gorm.Expr("now()")).Error; err != nil {
		return nil, err
	}
	if err := tx.WithContext(ctx).Omit("AcceptedAt").Create(inv).Error; err != nil {
		return nil, err
	}
	inviter, err := inviterName(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	to := pmail.Recipient{Email: u.Email, Name: u.Name, Lang: recipientLang(u.Locale, muni)}
	m, err := pmail.ComposeInvitation(to, pmail.Invitation{Inviter: inviter, Municipality: muni.Name, Role: in.Role,
		Link: base + "/invitations/" + token, Expires: inv.ExpiresAt})
	if err != nil {
		return nil, err
	}
	if _, err := queueMail(ctx, tx, &u.ID, m); err != nil {
		return nil, err
	}
	return inv, Audit(ctx, tx, a, muni.ID, "invite", "user", u.ID, map[string]any{"email": u.Email, "role": in.Role})
}

// inviterName is who the mail says invited: the acting person, or Pakt.
func inviterName(ctx context.Context, tx *gorm.DB, a Actor) (string, error) {
	if a.UserID == 0 {
		return "Pakt", nil
	}
	u, err := GetUser(ctx, tx, a.UserID)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// InvitationInfo is what the accept page shows before the password is set.
type InvitationInfo struct {
	Email            string    `json:"email"`
	Name             string    `json:"name"`
	MunicipalityName string    `json:"municipality_name"`
	Role             string    `json:"role"`
	OrganisationName string    `json:"organisation_name"`
	InviterName      string    `json:"inviter_name"`
	ExpiresAt        time.Time `json:"expires_at"`
}

// LookupInvitation reads a link's invitation: ErrNotFound for an unknown
// token, ErrTokenGone when used, expired, or the person has joined already.
func LookupInvitation(ctx context.Context, db *gorm.DB, token string) (*InvitationInfo, error) {
	var info InvitationInfo
	var row struct {
		InvitationInfo
		AcceptedAt *time.Time
		Status     string
	}
	res := db.WithContext(ctx).Raw(`SELECT i.email, u.name, mu.name AS municipality_name, i.role, i.expires_at,
		coalesce(o.name, '') AS organisation_name, coalesce(iv.name, '') AS inviter_name,
		i.accepted_at, u.status FROM invitations i JOIN users u ON u.id = i.user_id
		JOIN municipalities mu ON mu.id = i.municipality_id
		LEFT JOIN organisations o ON o.id = i.organisation_id LEFT JOIN users iv ON iv.id = i.invited_by
		WHERE i.token_hash = ?`, HashToken(token)).Scan(&row)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	if row.AcceptedAt != nil || time.Now().After(row.ExpiresAt) || row.Status != UserInvited {
		return nil, ErrTokenGone
	}
	info = row.InvitationInfo
	return &info, nil
}

// AcceptInvitation lets the invited person choose their password (and
// correct their name): the account becomes active and the user is
// returned. ErrNotFound for an unknown token, ErrTokenGone when used,
// expired or the person has joined through another link (a stale link must
// never set a password again), a ValidationError on "password" for a weak
// one (CheckPasswordRule).
func AcceptInvitation(ctx context.Context, db *gorm.DB, ip, token, password, name string) (*User, error) {
	var u *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var inv Invitation
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", HashToken(token)).First(&inv).Error
		if err != nil {
			return notFound(err)
		}
		if u, err = lockUser(tx, inv.UserID); err != nil {
			return err
		}
		if inv.AcceptedAt != nil || time.Now().After(inv.ExpiresAt) || u.Status != UserInvited {
			return ErrTokenGone
		}
		return accept(ctx, tx, ip, &inv, u, password, strings.TrimSpace(name))
	})
	if err != nil {
		return nil, err
	}
	return GetUser(ctx, db, u.ID)
}

func lockUser(tx *gorm.DB, id int64) (*User, error) {
	var u User
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&u, id).Error
	return &u, notFound(err)
}

func accept(ctx context.Context, tx *gorm.DB, ip string, inv *Invitation, u *User, password, name string) error {
	if err := CheckPasswordRule("password", password, u.Email); err != nil {
		return err
	}
	if len([]rune(name)) > 200 {
		return Invalid("name", "validation.max")
	}
	if name != "" && name != u.Name {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("name", name).Error; err != nil {
			return err
		}
	}
	if err := setPassword(ctx, tx, u.ID, password); err != nil {
		return err
	}
	if err := tx.Model(inv).Where("id = ?", inv.ID).Update("accepted_at", time.Now()).Error; err != nil {
		return err
	}
	return Audit(ctx, tx, Actor{UserID: u.ID, IP: ip}, inv.MunicipalityID, "accept_invitation", "user", u.ID, map[string]any{})
}

// ListPendingInvitations lists a municipality's invitations not yet
// accepted, the newest per person, newest first (expired ones included: the
// page can offer to invite again).
func ListPendingInvitations(ctx context.Context, db *gorm.DB, muniID int64) ([]Invitation, error) {
	var out []Invitation
	err := db.WithContext(ctx).Raw(`SELECT * FROM (
		SELECT DISTINCT ON (user_id) * FROM invitations
		WHERE municipality_id = ? AND accepted_at IS NULL
		  AND user_id IN (SELECT id FROM users WHERE status = ?)
		ORDER BY user_id, id DESC) latest ORDER BY id DESC`, muniID, UserInvited).Scan(&out).Error
	return out, err
}
