package models_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"gorm.io/gorm"

	"pakt/dbtest"
	"pakt/models"
)

const (
	base         = "https://pakt.example.org"
	testPassword = "Tačno-jedna-lozinka"
)

// fixture is one municipality with a partner organisation and a coordinator,
// on a database of its own.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	muni  *models.Municipality
	org   *models.Organisation
	coord *models.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: t.Context(), db: dbtest.DB(t)}
	var err error
	f.muni, err = models.CreateMunicipality(f.ctx, f.db, models.Actor{}, models.MunicipalityInput{
		Name: "Bratunac", Country: "BA", Currency: "BAM", Language: "bs"})
	if err != nil {
		t.Fatal(err)
	}
	f.org, err = models.CreateOrganisation(f.ctx, f.db, models.Actor{}, f.muni.ID,
		models.OrganisationInput{Name: "Biro za zapošljavanje", Type: "pes"})
	if err != nil {
		t.Fatal(err)
	}
	f.coord = f.user("koordinator@example.org", models.RoleCoordinator)
	return f
}

// user is an active account (password testPassword) of the organisation
// with role in the municipality ("" for none).
func (f *fixture) user(email, role string) *models.User {
	f.t.Helper()
	u, err := models.CreateUser(f.ctx, f.db, models.Actor{}, 0, models.UserInput{Email: email, Name: "User " + email,
		Password: testPassword, OrganisationID: &f.org.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		if err := models.SetRole(f.ctx, f.db, models.Actor{}, f.muni.ID, u.ID, role); err != nil {
			f.t.Fatal(err)
		}
	}
	return u
}

// mails returns the outbox rows to an address, oldest first, with bodies.
func (f *fixture) mails(to string) []models.OutboxMessage {
	f.t.Helper()
	var out []models.OutboxMessage
	if err := f.db.Where("to_email = ?", to).Order("id").Find(&out).Error; err != nil {
		f.t.Fatal(err)
	}
	return out
}

// jobsFor counts the River send_mail jobs of an outbox message.
func (f *fixture) jobsFor(outboxID int64) int {
	f.t.Helper()
	var n int
	err := f.db.Raw(`SELECT count(*) FROM river_job WHERE kind = 'send_mail' AND (args->>'outbox_id')::bigint = ?`, outboxID).
		Scan(&n).Error
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// tokenIn finds the token of a link base+prefix+token in a mail body.
func tokenIn(t *testing.T, body, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(base+prefix) + `([A-Za-z0-9_-]{43})`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s link in:\n%s", prefix, body)
	}
	return m[1]
}

// field returns the catalog key of a ValidationError's field ("" if none).
func field(err error, name string) string {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return ve.Fields[name]
	}
	return ""
}
