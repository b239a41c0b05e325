package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"gorm.io/gorm"

	"pakt/models"
)

// DemoPassword is the password of every demo account; printed by make run.
const DemoPassword = "pakt-demo-2026"

// DemoAdminTOTPSecret is the demo admin's two-step sign-in key (platform
// admins must have one): published like the password, printed by make run,
// to add to any authenticator app.
const DemoAdminTOTPSecret = "PAKTDEMOPAKTDEMOPAKTDEMOPAKTDEMO"

// Login is one demo account to print.
type Login struct{ Email, Role, Where string }

type demoMunicipality struct {
	name, slug string
	ngos       [2]string
	employer   string
	school     string
}

// The five Birac municipalities of the model practice (DOMAIN.md).
var birac = []demoMunicipality{
	{"Bratunac", "bratunac", [2]string{"Udruženje žena \"Podrinjke\"", "Omladinski centar Bratunac"}, "Bratunac Agrar d.o.o.", "JU Srednja škola \"Bratunac\""},
	{"Milići", "milici", [2]string{"Udruženje \"Sunce\" Milići", "Romski informativni centar Milići"}, "Kamenolom Milići a.d.", "JU Centar srednjih škola Milići"},
	{"Srebrenica", "srebrenica", [2]string{"Fondacija \"Srebrenica se vraća\"", "Udruženje osoba s invaliditetom Srebrenica"}, "Srebrenica Wood d.o.o.", "JU Srednja škola Srebrenica"},
	{"Vlasenica", "vlasenica", [2]string{"Udruženje \"Nova nada\" Vlasenica", "Centar za mlade Vlasenica"}, "Birač Tekstil d.o.o.", "JU Srednjoškolski centar Vlasenica"},
	{"Zvornik", "zvornik", [2]string{"Udruženje \"Žene Drine\" Zvornik", "Romsko udruženje \"Budućnost\" Zvornik"}, "Alumina d.o.o. Zvornik", "JU Tehnička škola Zvornik"},
}

// DemoLogins lists the demo accounts (same every time).
func DemoLogins() []Login {
	out := []Login{{"admin@pakt.demo", "platform admin", "everywhere"},
		{"regija@pakt.demo", "viewer", "all five municipalities (regional coordinator)"}}
	for _, m := range birac {
		out = append(out,
			Login{"koordinator." + m.slug + "@pakt.demo", "coordinator", m.name},
			Login{"zzz." + m.slug + "@pakt.demo", "member (employment service)", m.name},
			Login{"csr." + m.slug + "@pakt.demo", "member (centre for social work)", m.name},
			Login{"ngo." + m.slug + "@pakt.demo", "member (NGO)", m.name},
			Login{"pregled." + m.slug + "@pakt.demo", "viewer", m.name})
	}
	return out
}

func printLogins(w io.Writer, logins []Login) {
	fmt.Fprintf(w, "Demo logins (password for all: %s; the admin's two-step sign-in key: %s):\n",
		DemoPassword, DemoAdminTOTPSecret)
	for _, l := range logins {
		fmt.Fprintf(w, "  %-34s %-32s %s\n", l.Email, l.Role, l.Where)
	}
}

// SeedDemo loads the Birac-region example into a database without it, its
// dates worked out from today (see demoClock).
// baseURL is where this Pakt is reached (PAKT_BASE_URL): the demo's
// published report, a frozen PDF, prints it as its verification address.
func SeedDemo(ctx context.Context, db *gorm.DB, baseURL string) ([]Login, error) {
	ctx = context.WithValue(ctx, demoBaseURLKey{}, strings.TrimRight(baseURL, "/"))
	ctx = withDemoClock(ctx, models.Today())
	// The demo's events notify its people like real ones, with links that work.
	ctx = models.WithBaseURL(ctx, strings.TrimRight(baseURL, "/"))
	a := models.Actor{IP: "seed"}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Municipality{}).Where("slug = ?", birac[0].slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the demo data is already loaded")
		}
		admin, err := models.CreateUser(ctx, tx, a, 0, models.UserInput{Email: "admin@pakt.demo",
			Name: "Platform Admin", Password: DemoPassword, IsAdmin: true, Locale: "en"})
		if err != nil {
			return err
		}
		if err := models.SetConfirmedTOTP(ctx, tx, admin.ID, DemoAdminTOTPSecret); err != nil {
			return err
		}
		region, err := models.CreateUser(ctx, tx, a, 0, models.UserInput{Email: "regija@pakt.demo",
			Name: "Regionalni koordinator Birač", Password: DemoPassword, Locale: "bs"})
		if err != nil {
			return err
		}
		for _, m := range birac {
			if err := seedMunicipality(ctx, tx, a, m, region.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return DemoLogins(), err
}

func seedMunicipality(ctx context.Context, tx *gorm.DB, a models.Actor, d demoMunicipality, regionID int64) error {
	m, err := models.CreateMunicipality(ctx, tx, a, models.MunicipalityInput{Name: d.name, Country: "BA", Currency: "BAM", Language: "bs"})
	if err != nil {
		return err
	}
	orgs := []models.OrganisationInput{
		{Name: "Općinska uprava " + d.name, Type: "municipality"},
		{Name: "JU Zavod za zapošljavanje RS – Biro " + d.name, Type: "pes"},
		{Name: "JU Centar za socijalni rad " + d.name, Type: "csw"},
		{Name: d.ngos[0], Type: "ngo"},
		{Name: d.ngos[1], Type: "ngo"},
		{Name: d.employer, Type: "employer"},
		{Name: d.school, Type: "education"},
		{Name: "JZU Dom zdravlja " + d.name, Type: "health"},
	}
	ids := make([]int64, len(orgs))
	for i, o := range orgs {
		org, err := models.CreateOrganisation(ctx, tx, a, m.ID, o)
		if err != nil {
			return err
		}
		ids[i] = org.ID
	}
	people := []struct {
		prefix, name, role string
		org                int
	}{
		{"koordinator", "Koordinator – " + d.name, models.RoleCoordinator, 0},
		{"zzz", "Biro za zapošljavanje – " + d.name, models.RoleMember, 1},
		{"csr", "Centar za socijalni rad – " + d.name, models.RoleMember, 2},
		{"ngo", "NVO – " + d.name, models.RoleMember, 3},
		{"pregled", "Pregled – " + d.name, models.RoleViewer, 0},
	}
	for _, p := range people {
		u, err := models.CreateUser(ctx, tx, a, m.ID, models.UserInput{Email: p.prefix + "." + d.slug + "@pakt.demo",
			Name: p.name, Password: DemoPassword, OrganisationID: &ids[p.org], Locale: "bs"})
		if err != nil {
			return err
		}
		if err := models.SetRole(ctx, tx, a, m.ID, u.ID, p.role); err != nil {
			return err
		}
	}
	if err := models.SetRole(ctx, tx, a, m.ID, regionID, models.RoleViewer); err != nil {
		return err
	}
	return seedFeatures(ctx, tx, a, m)
}
