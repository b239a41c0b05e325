package app

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/docs"
)

// demoMeasure is one measure of the demo plans; amounts are per year in KM
// before the municipality's scale factor.
type demoMeasure struct {
	code, objective, title, lead string
	partners                     []string
	groups                       []string
	budget                       map[string]int // source -> amount per year
	indicator                    string
	target                       int
}

var demoMeasures = []demoMeasure{
	{"M1.1", "C1", "Profesionalna orijentacija i savjetovanje dugotrajno nezaposlenih", "pes", []string{"csw", "ngo"},
		[]string{"long_term_unemployed", "social_assistance"}, map[string]int{"municipal": 4000, "pes": 6000}, "Osobe koje su prošle savjetovanje", 120},
	{"M1.2", "C1", "Obuka za deficitarna zanimanja (njegovatelji, zavarivači, kuhari)", "pes", []string{"education", "employer"},
		[]string{"long_term_unemployed", "youth_neet"}, map[string]int{"donor": 12000, "municipal": 3000}, "Osobe koje su završile obuku", 40},
	{"M1.3", "C1", "Subvencionisano zapošljavanje korisnika socijalne pomoći", "municipality", []string{"pes", "employer"},
		[]string{"social_assistance", "disability"}, map[string]int{"municipal": 15000, "pes": 10000}, "Zaposlene osobe", 15},
	{"M2.1", "C2", "Završetak osnovne škole za odrasle Rome", "education", []string{"csw", "ngo"},
		[]string{"roma", "dropouts"}, map[string]int{"municipal": 3000, "government": 2000}, "Osobe koje su završile osnovnu školu", 12},
	{"M2.2", "C2", "Podrška samozapošljavanju žena", "ngo", []string{"municipality"},
		[]string{"women"}, map[string]int{"donor": 7500, "municipal": 2500}, "Pokrenuti obrti", 6},
	{"M2.3", "C2", "Organizovani prevoz i čuvanje djece za polaznike obuka", "csw", []string{"ngo"},
		[]string{"women", "social_assistance"}, map[string]int{"municipal": 3500}, "Korisnici usluge", 30},
}

// demoScale makes the bigger municipalities plan and reach more.
var demoScale = map[string]int{"bratunac": 2, "milici": 1, "srebrenica": 2, "vlasenica": 1, "zvornik": 4}

// seedPlans gives each municipality its 2017–2018 Municipal Action Plan,
// adopted unanimously in 2017, with two reporting periods: 2017 (closed and
// published) and the first half of 2018 (open, partly reported).
func seedPlans(ctx context.Context, tx *gorm.DB, a models.Actor, m *models.Municipality) error {
	ids, err := demoPeople(tx, m)
	if err != nil {
		return err
	}
	coord := actorOf(ids["koordinator"])
	p, err := models.CreatePlan(ctx, tx, coord, m.ID, models.PlanInput{Title: "Lokalni akcioni plan zapošljavanja ranjivih grupa 2017–2018",
		PeriodStart: models.MustDate("2017-01-01"), PeriodEnd: models.MustDate("2018-12-31")})
	if err != nil {
		return err
	}
	objectives := map[string]int64{}
	for code, title := range map[string]string{"C1": "Povećati zapošljavanje dugotrajno nezaposlenih i korisnika socijalne pomoći",
		"C2": "Ukloniti prepreke učešću: obrazovanje, brigu o djeci i informisanost"} {
		o, err := models.CreateObjective(ctx, tx, coord, m.ID, p.ID, code, title)
		if err != nil {
			return err
		}
		objectives[code] = o.ID
	}
	needs, err := demoNeeds(tx, m.ID)
	if err != nil {
		return err
	}
	var measures []*models.Measure
	for i, dm := range demoMeasures {
		mm, err := models.CreateMeasure(ctx, tx, coord, m.ID, p.ID, demoMeasureInput(dm, objectives, ids, needs, i, demoScale[m.Slug]))
		if err != nil {
			return fmt.Errorf("demo measure %s of %s: %w", dm.code, m.Name, err)
		}
		measures = append(measures, mm)
	}
	if _, err := models.SubmitPlan(ctx, tx, coord, m.ID, p.ID, false); err != nil {
		return err
	}
	votes := 15 + len(m.Name)
	zero := 0
	if _, err := models.AdoptPlan(ctx, tx, coord, m.ID, p.ID, models.AdoptionInput{DecidedOn: models.MustDate("2017-04-27"),
		DecisionNumber: "01-022-" + fmt.Sprint(40+len(m.Slug)) + "/17", VotesFor: &votes, VotesAgainst: &zero, VotesAbstained: &zero}); err != nil {
		return err
	}
	return seedProgress(ctx, tx, coord, m, p.ID, measures)
}

func demoMeasureInput(dm demoMeasure, objectives map[string]int64, ids map[string]int64, needs []int64, i, scale int) models.MeasureInput {
	in := models.MeasureInput{Code: dm.code, Title: dm.title, ObjectiveID: objectives[dm.objective], Groups: dm.groups,
		LeadOrganisationID: ids[dm.lead], StartDate: "2017-03-01", EndDate: "2018-12-31",
		Description: "Mjera iz Lokalnog akcionog plana, dogovorena na sjednici Komisije za socijalnu zaštitu i inkluziju.",
		Indicators:  []models.IndicatorInput{{Name: dm.indicator, Unit: "osoba", Baseline: "0", Target: models.NumText(fmt.Sprint(dm.target * scale))}}}
	if dm.code == "M1.3" {
		in.EndDate = "2017-12-31" // ends in the first year: late if not completed
	}
	for _, p := range dm.partners {
		if ids[p] != 0 && ids[p] != ids[dm.lead] {
			in.PartnerOrganisationIDs = append(in.PartnerOrganisationIDs, ids[p])
		}
	}
	for _, year := range []int{2017, 2018} {
		for src, amount := range dm.budget {
			funder := map[string]string{"donor": "UNDP", "government": "Vlada Republike Srpske", "pes": "Zavod za zapošljavanje"}[src]
			in.Budget = append(in.Budget, models.BudgetInput{Year: year, Source: src, Funder: funder,
				Amount: models.NumText(fmt.Sprintf("%d.50", amount*scale))})
		}
	}
	if len(needs) > 0 && dm.code != "M2.3" { // one measure without evidence, to show the flag
		in.Evidence = []models.EvidenceInput{{Kind: "need", ID: needs[i%len(needs)]}}
	}
	return in
}

func demoNeeds(tx *gorm.DB, muniID int64) ([]int64, error) {
	var ids []int64
	err := tx.Table("focus_group_needs").Where("municipality_id = ?", muniID).Order("priority, id").Pluck("id", &ids).Error
	return ids, err
}

// seedProgress reports on both periods and publishes the 2017 report.
func seedProgress(ctx context.Context, tx *gorm.DB, coord models.Actor, m *models.Municipality, planID int64, measures []*models.Measure) error {
	y2017, err := models.OpenPeriod(ctx, tx, coord, m.ID, planID, models.PeriodInput{Label: "2017", StartDate: models.MustDate("2017-01-01"),
		EndDate: models.MustDate("2017-12-31"), DueDate: models.MustDate("2018-01-31")})
	if err != nil {
		return err
	}
	h2018, err := models.OpenPeriod(ctx, tx, coord, m.ID, planID, models.PeriodInput{Label: "2018 – prvo polugodište",
		StartDate: models.MustDate("2018-01-01"), EndDate: models.MustDate("2018-06-30"), DueDate: models.MustDate("2018-07-31")})
	if err != nil {
		return err
	}
	scale := demoScale[m.Slug]
	for i, mm := range measures {
		if err := seedReport(ctx, tx, coord, mm, y2017.ID, i, scale, 1, true); err != nil {
			return err
		}
		if i < 4 { // two measures have not reported the 2018 half-year yet
			if err := seedReport(ctx, tx, coord, mm, h2018.ID, i, scale, 2, i < 2); err != nil {
				return err
			}
		}
	}
	if _, err := models.ClosePeriod(ctx, tx, coord, m.ID, y2017.ID); err != nil {
		return err
	}
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	_, err = models.PublishReport(ctx, tx, coord, m.ID, y2017.ID, func(per *models.Period) ([]byte, error) {
		return renderDemoReport(ctx, tx, bundle, m, planID, per)
	})
	return err
}

func seedReport(ctx context.Context, tx *gorm.DB, coord models.Actor, mm *models.Measure, periodID int64, i, scale, half int, accept bool) error {
	total := (6 + 3*i) * scale * half
	women := total * 3 / 5
	pc := 35 * half
	status := []string{"on_track", "on_track", "delayed", "on_track", "delayed", "on_track"}[i]
	if mm.Code == "M1.3" && half == 2 {
		status, pc = "delayed", 80
	}
	var spent []models.SpentInput
	for _, b := range mm.Budget {
		if b.Year == 2016+half {
			spent = append(spent, models.SpentInput{Source: b.Source, Funder: b.Funder,
				Amount: models.NumText(models.Money(b.Amount.Mul(decimalPercent(70 + 5*i))))})
		}
	}
	in := models.ProgressInput{Status: status, PercentComplete: &pc, Spent: spent,
		Narrative:       fmt.Sprintf("U periodu je obuhvaćeno %d osoba; aktivnosti se provode u saradnji s partnerima.", total),
		IndicatorValues: []models.ValueInput{{IndicatorID: mm.Indicators[0].ID, Value: models.NumText(fmt.Sprint(total / 2))}},
		Beneficiaries: models.Beneficiaries{Total: total, Women: women, Men: total - women,
			ByGroup: map[string]int{mm.Groups[0]: total * 2 / 3}},
		Outcomes: models.Outcomes{Employed: total / 6, Trained: total / 3, CompletedEducation: map[bool]int{true: total / 4}[mm.Code == "M2.1"],
			SelfEmployed: map[bool]int{true: 2 * half}[mm.Code == "M2.2"]}}
	if _, err := models.SaveProgress(ctx, tx, coord, mm.MunicipalityID, mm.ID, periodID, 0, nil, true, in); err != nil {
		return fmt.Errorf("demo report %s: %w", mm.Code, err)
	}
	if !accept {
		return nil
	}
	for _, action := range []string{"submit", "accept"} {
		if _, err := models.ReviewProgress(ctx, tx, coord, mm.MunicipalityID, mm.ID, periodID, action, "", nil, true); err != nil {
			return err
		}
	}
	return nil
}

// demoBaseURLKey carries SeedDemo's base URL to the documents it freezes,
// through the features' common seeding signature.
type demoBaseURLKey struct{}

// renderDemoReport draws the published 2017 report in the municipality's language.
func renderDemoReport(ctx context.Context, tx *gorm.DB, bundle *i18n.Bundle, m *models.Municipality, planID int64, per *models.Period) ([]byte, error) {
	p, err := models.GetPlan(ctx, tx, m.ID, planID)
	if err != nil {
		return nil, err
	}
	summary, err := models.PlanSummaryOf(ctx, tx, m.ID, planID, &per.ID)
	if err != nil {
		return nil, err
	}
	progress, err := models.PeriodProgress(ctx, tx, m.ID, per.ID)
	if err != nil {
		return nil, err
	}
	agreements, err := models.ListAgreements(ctx, tx, m.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	orgs, err := models.ListOrganisations(ctx, tx, m.ID)
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	if err != nil {
		return nil, err
	}
	return docs.Report(bundle.For(m.Language), docs.ReportInput{Plan: p, Municipality: m, Period: per, Summary: summary,
		Progress: progress, OrgNames: names, Agreements: agreements, VerifyURL: demoBaseURL(ctx) + "/m/" + m.Slug,
		Date: time.Date(2018, 2, 15, 0, 0, 0, 0, time.UTC), Suppress: true,
		Registered: &docs.Registration{ContentSHA256: per.ContentSHA256, BaseURL: demoBaseURL(ctx)}})
}

func decimalPercent(p int) decimal.Decimal {
	return decimal.NewFromInt(int64(p)).Div(decimal.NewFromInt(100))
}

func demoBaseURL(ctx context.Context) string {
	u, _ := ctx.Value(demoBaseURLKey{}).(string)
	return u
}
