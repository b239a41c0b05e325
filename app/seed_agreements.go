package app

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"pakt/models"
)

// demoAgreement says how far each municipality's protocol got: as in the
// Birac practice, three were signed and two were still in progress.
// Of the signed ones, two already did the referrals they promised for last
// year; Srebrenica's are overdue.
var demoAgreement = map[string]struct {
	level            string
	signed, referred bool
}{
	"bratunac": {"coordination", true, true}, "milici": {"coordination", false, false}, "srebrenica": {"cooperation", true, false},
	"vlasenica": {"cooperation", false, false}, "zvornik": {"collaboration", true, true},
}

// seedAgreements gives each municipality a protocol of cooperation among the
// municipality, the employment office and the centre for social work.
func seedAgreements(ctx context.Context, tx *gorm.DB, a models.Actor, m *models.Municipality) error {
	ids, err := demoPeople(tx, m)
	if err != nil {
		return err
	}
	d := demoAgreement[m.Slug]
	clk := clockOf(ctx)
	in := models.AgreementInput{
		Title: "Protokol o saradnji u oblasti socijalne zaštite i inkluzije – " + m.Name, Level: d.level,
		Goal: "Zajedničkim djelovanjem povećati zapošljavanje najranjivijih grupa: dugotrajno nezaposlenih, korisnika socijalne pomoći sposobnih za rad, Roma i osoba s invaliditetom.",
		Body: "Član 1.\nStrane potpisnice osnivaju Komisiju za socijalnu zaštitu i inkluziju i u njoj djeluju.\n\n" +
			"Član 2.\nStrane razmjenjuju podatke o zajedničkim korisnicima u skladu sa zakonom o zaštiti ličnih podataka.\n\n" +
			"Član 3.\nCentar za socijalni rad i Biro za zapošljavanje međusobno upućuju korisnike i o tome vode evidenciju.\n\n" +
			"Član 4.\nStrane jednom godišnje izvještavaju Skupštinu opštine o provođenju ovog protokola.",
		ValidFrom: clk.day(-1, time.January, 15), ValidTo: clk.day(5, time.December, 31),
		Parties: []models.PartyInput{{OrganisationID: ids["municipality"], SignatoryUserID: ids["koordinator"]}, {OrganisationID: ids["pes"], SignatoryUserID: ids["zzz"]}, {OrganisationID: ids["csw"], SignatoryUserID: ids["csr"]}},
		Commitments: []models.CommitmentInput{
			{Action: "Uspostaviti mjesečne sastanke operativnog tima za zajedničke korisnike", ResponsibleOrganisationID: ids["csw"],
				SupportingOrganisationIDs: []int64{ids["pes"]}, DueDate: clk.day(-1, time.March, 31)},
			{Action: "Uputiti najmanje 50 korisnika socijalne pomoći sposobnih za rad na profesionalnu orijentaciju", ResponsibleOrganisationID: ids["pes"],
				SupportingOrganisationIDs: []int64{ids["csw"]}, DueDate: clk.day(-1, time.December, 31)},
			{Action: "Obezbijediti sufinansiranje mjera iz općinskog budžeta", ResponsibleOrganisationID: ids["municipality"],
				DueDate: clk.day(4, time.June, 30)},
		},
	}
	ag, err := models.CreateAgreement(ctx, tx, actorOf(ids["koordinator"]), m.ID, in)
	if err != nil {
		return fmt.Errorf("demo agreement %s: %w", m.Name, err)
	}
	if _, err := models.OpenAgreement(ctx, tx, actorOf(ids["koordinator"]), m.ID, ag.ID); err != nil {
		return err
	}
	signers := []string{"koordinator"}
	if d.signed {
		signers = []string{"koordinator", "zzz", "csr"}
	}
	for _, s := range signers {
		if _, err := models.SignAgreement(ctx, tx, actorOf(ids[s]), m.ID, ag.ID, models.SignInput{IP: "127.0.0.1", UserAgent: "seed-demo"}); err != nil {
			return err
		}
	}
	if !d.signed {
		return nil
	}
	full, err := models.GetAgreement(ctx, tx, m.ID, ag.ID)
	if err != nil {
		return err
	}
	csw, pes := ids["csw"], ids["pes"]
	if err := models.RecordProgress(ctx, tx, actorOf(ids["csr"]), m.ID, full.Commitments[0].ID, &csw, false, "done",
		"Operativni tim se sastaje svakog prvog utorka u mjesecu."); err != nil {
		return err
	}
	if !d.referred { // the referrals are late where the demo says so
		return nil
	}
	return models.RecordProgress(ctx, tx, actorOf(ids["zzz"]), m.ID, full.Commitments[1].ID, &pes, false, "done",
		"Upućeno je 56 korisnika socijalne pomoći; svi su prošli razgovor u birou.")
}

func actorOf(userID int64) models.Actor { return models.Actor{UserID: userID, IP: "seed"} }

// demoPeople maps organisation types and demo e-mail prefixes to ids.
func demoPeople(tx *gorm.DB, m *models.Municipality) (map[string]int64, error) {
	ids := map[string]int64{}
	var orgs []models.Organisation
	if err := tx.Where("municipality_id = ?", m.ID).Order("id").Find(&orgs).Error; err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if ids[o.Type] == 0 {
			ids[o.Type] = o.ID
		}
	}
	for _, p := range []string{"koordinator", "zzz", "csr", "ngo", "pregled"} {
		var id int64
		if err := tx.Model(&models.User{}).Where("email = ?", p+"."+m.Slug+"@pakt.demo").Pluck("id", &id).Error; err != nil {
			return nil, err
		}
		if p == "ngo" {
			p = "ngo-user" // "ngo" is already the NGO organisation's key
		}
		ids[p] = id
	}
	return ids, nil
}
