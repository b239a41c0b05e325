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

// demoStep is one measure's report for one period: its status, how far
// the measure got and where the report stands ("accept": written,
// submitted and accepted; "submit": waiting for the coordinator; "draft":
// being written; "return": sent back to the partner with a reason; "":
// not written yet).
type demoStep struct {
	status string
	pc     int
	review string
}

// demoRun is how one municipality's plan went: each differs, so the
// regional comparison has something to compare.
type demoRun struct {
	consultation bool        // the plan is still in public consultation: nothing reported yet
	spend        int         // percent of a year's budget a measure on track spends
	last, now    [6]demoStep // last year's reports (published) and this year's (running), by measure
}

func acc(status string, pc int) demoStep { return demoStep{status, pc, "accept"} }

var demoRuns = map[string]demoRun{
	"bratunac": {spend: 72,
		last: [6]demoStep{acc("on_track", 50), acc("on_track", 45), acc("completed", 100), acc("on_track", 40), acc("delayed", 25), acc("on_track", 50)},
		now: [6]demoStep{acc("on_track", 80), acc("on_track", 75), acc("completed", 100), {"on_track", 70, "submit"},
			{"delayed", 45, "return"}, {"on_track", 60, "draft"}}},
	"milici": {spend: 48,
		last: [6]demoStep{acc("on_track", 35), acc("delayed", 20), acc("delayed", 60), acc("on_track", 30), acc("delayed", 15), acc("delayed", 10)},
		now:  [6]demoStep{acc("on_track", 55), acc("delayed", 35), acc("delayed", 85), {"on_track", 45, "draft"}, {}, {}}},
	"srebrenica": {spend: 63,
		last: [6]demoStep{acc("on_track", 45), acc("on_track", 50), acc("completed", 100), acc("on_track", 40), acc("delayed", 20), acc("on_track", 45)},
		now: [6]demoStep{acc("on_track", 70), acc("completed", 100), acc("completed", 100), {"on_track", 65, "submit"},
			acc("cancelled", 20), acc("on_track", 60)}},
	"vlasenica": {consultation: true},
	"zvornik": {spend: 86,
		last: [6]demoStep{acc("on_track", 55), acc("on_track", 60), acc("completed", 100), acc("on_track", 50), acc("on_track", 45), acc("on_track", 55)},
		now: [6]demoStep{acc("completed", 100), acc("on_track", 85), acc("completed", 100), acc("on_track", 80),
			{"on_track", 75, "submit"}, {"on_track", 70, "draft"}}},
}

// demoReturnReason is why the coordinator sent the one returned report back.
const demoReturnReason = "Nedostaje podjela korisnika po spolu i potvrda o utrošku sredstava; molimo dopunite izvještaj."

// seedPlans gives each municipality its two-year Municipal Action Plan for
// last year and this year, adopted unanimously last spring, with two
// reporting periods: last year (closed, its report published) and this
// year (running, partly reported). Vlasenica's plan, for the next two
// years, is in public consultation now, with comments from the public.
func seedPlans(ctx context.Context, tx *gorm.DB, a models.Actor, m *models.Municipality) error {
	ids, err := demoPeople(tx, m)
	if err != nil {
		return err
	}
	clk := clockOf(ctx)
	run := demoRuns[m.Slug]
	first := -1 // the plan's first year, relative to this one
	if run.consultation {
		first = 1
	}
	coord := actorOf(ids["koordinator"])
	p, err := models.CreatePlan(ctx, tx, coord, m.ID, models.PlanInput{
		Title:       fmt.Sprintf("Lokalni akcioni plan zapošljavanja ranjivih grupa %d–%d", clk.year+first, clk.year+first+1),
		PeriodStart: clk.day(first, time.January, 1), PeriodEnd: clk.day(first+1, time.December, 31)})
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
		mm, err := models.CreateMeasure(ctx, tx, coord, m.ID, p.ID, demoMeasureInput(clk, first, dm, objectives, ids, needs, i, demoScale[m.Slug]))
		if err != nil {
			return fmt.Errorf("demo measure %s of %s: %w", dm.code, m.Name, err)
		}
		measures = append(measures, mm)
	}
	if run.consultation {
		return seedConsultation(ctx, tx, coord, m, p.ID, measures)
	}
	if _, err := models.SubmitPlan(ctx, tx, coord, m.ID, p.ID, false); err != nil {
		return err
	}
	votes := 15 + len(m.Name)
	zero := 0
	if _, err := models.AdoptPlan(ctx, tx, coord, m.ID, p.ID, models.AdoptionInput{DecidedOn: clk.day(-1, time.April, 20+len(m.Slug)),
		DecisionNumber: fmt.Sprintf("01-022-%d/%02d", 40+len(m.Slug), (clk.year-1)%100), VotesFor: &votes, VotesAgainst: &zero, VotesAbstained: &zero}); err != nil {
		return err
	}
	return seedProgress(ctx, tx, ids, m, p.ID, measures, run)
}

// seedConsultation opens the plan for public comment for three more weeks;
// two people commented, and the coordinator approved both comments.
func seedConsultation(ctx context.Context, tx *gorm.DB, coord models.Actor, m *models.Municipality, planID int64, measures []*models.Measure) error {
	if _, err := models.OpenConsultation(ctx, tx, coord, m.ID, planID, clockOf(ctx).in(21)); err != nil {
		return err
	}
	comments := []models.CommentInput{
		{Name: "Mirsada H.", Text: "Predlažem da obuka za njegovateljice bude i u mjesnim zajednicama, ne samo u gradu: mnoge žene nemaju prevoz.",
			MeasureID: &measures[1].ID, IPHash: "demo-comment-1"},
		{Text: "Dobro je što je predviđen prevoz i čuvanje djece. Koliko će mjesta biti u vrtiću za djecu polaznica?",
			MeasureID: &measures[5].ID, IPHash: "demo-comment-2"},
	}
	for _, in := range comments {
		c, err := models.AddComment(ctx, tx, planID, in)
		if err != nil {
			return fmt.Errorf("demo comment: %w", err)
		}
		if err := models.ModerateComment(ctx, tx, coord, m.ID, c.ID, true); err != nil {
			return err
		}
	}
	return nil
}

func demoMeasureInput(clk demoClock, first int, dm demoMeasure, objectives map[string]int64, ids map[string]int64, needs []int64, i, scale int) models.MeasureInput {
	in := models.MeasureInput{Code: dm.code, Title: dm.title, ObjectiveID: objectives[dm.objective], Groups: dm.groups,
		LeadOrganisationID: ids[dm.lead], StartDate: clk.day(first, time.March, 1).String(),
		EndDate:     clk.day(first+1, time.December, 31).String(),
		Description: "Mjera iz Lokalnog akcionog plana, dogovorena na sjednici Komisije za socijalnu zaštitu i inkluziju.",
		Indicators:  []models.IndicatorInput{{Name: dm.indicator, Unit: "osoba", Baseline: "0", Target: models.NumText(fmt.Sprint(dm.target * scale))}}}
	if dm.code == "M1.3" {
		in.EndDate = clk.day(first, time.December, 31).String() // ends in the first year: late if not completed
	}
	for _, p := range dm.partners {
		if ids[p] != 0 && ids[p] != ids[dm.lead] {
			in.PartnerOrganisationIDs = append(in.PartnerOrganisationIDs, ids[p])
		}
	}
	for _, year := range []int{clk.year + first, clk.year + first + 1} {
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

// seedProgress reports on last year and this year, and publishes last
// year's report.
func seedProgress(ctx context.Context, tx *gorm.DB, ids map[string]int64, m *models.Municipality, planID int64, measures []*models.Measure, run demoRun) error {
	clk := clockOf(ctx)
	coord := actorOf(ids["koordinator"])
	last, err := models.OpenPeriod(ctx, tx, coord, m.ID, planID, models.PeriodInput{Label: fmt.Sprint(clk.year - 1),
		StartDate: clk.day(-1, time.January, 1), EndDate: clk.day(-1, time.December, 31), DueDate: clk.day(0, time.January, 31)})
	if err != nil {
		return err
	}
	now, err := models.OpenPeriod(ctx, tx, coord, m.ID, planID, models.PeriodInput{Label: fmt.Sprint(clk.year),
		StartDate: clk.day(0, time.January, 1), EndDate: clk.day(0, time.December, 31), DueDate: clk.day(1, time.January, 31)})
	if err != nil {
		return err
	}
	scale := demoScale[m.Slug]
	for i, mm := range measures {
		if err := seedReport(ctx, tx, ids, mm, last.ID, clk.year-1, i, scale, run.spend, run.last[i]); err != nil {
			return err
		}
		if err := seedReport(ctx, tx, ids, mm, now.ID, clk.year, i, scale, run.spend, run.now[i]); err != nil {
			return err
		}
	}
	if _, err := models.ClosePeriod(ctx, tx, coord, m.ID, last.ID); err != nil {
		return err
	}
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	_, err = models.PublishReport(ctx, tx, coord, m.ID, last.ID, func(per *models.Period) ([]byte, error) {
		return renderDemoReport(ctx, tx, bundle, m, planID, per)
	})
	return err
}

// demoReporter is who writes a measure's report: a member of the lead
// organisation when the demo has one, else the coordinator.
func demoReporter(ids map[string]int64, mm *models.Measure) (models.Actor, *int64, bool) {
	for org, person := range map[string]string{"pes": "zzz", "csw": "csr", "ngo": "ngo-user"} {
		if ids[org] == mm.LeadOrganisationID {
			orgID := ids[org]
			return actorOf(ids[person]), &orgID, false
		}
	}
	return actorOf(ids["koordinator"]), nil, true
}

func seedReport(ctx context.Context, tx *gorm.DB, ids map[string]int64, mm *models.Measure, periodID int64, year, i, scale, spend int, st demoStep) error {
	if st.review == "" {
		return nil
	}
	total := (6 + 3*i) * scale * max(st.pc, 10) / 40
	women := total * 3 / 5
	pc := st.pc
	var spent []models.SpentInput
	if st.status != "not_started" {
		ratio := min(spend*max(pc, 20)/60+2*i, 100) // further along, more spent; never over the budget
		for _, b := range mm.Budget {
			if b.Year == year {
				spent = append(spent, models.SpentInput{Source: b.Source, Funder: b.Funder,
					Amount: models.NumText(models.Money(b.Amount.Mul(decimalPercent(ratio))))})
			}
		}
	}
	narrative := fmt.Sprintf("U periodu je obuhvaćeno %d osoba; aktivnosti se provode u saradnji s partnerima.", total)
	switch st.status {
	case "cancelled":
		narrative = "Mjera je obustavljena: donator je povukao sredstva, a korisnici su upućeni na mjeru M1.2."
	case "delayed":
		narrative += " Aktivnosti kasne zbog kašnjenja javne nabavke."
	case "completed":
		narrative = fmt.Sprintf("Mjera je završena: obuhvaćeno je %d osoba.", total)
	}
	in := models.ProgressInput{Status: st.status, PercentComplete: &pc, Spent: spent, Narrative: narrative,
		IndicatorValues: []models.ValueInput{{IndicatorID: mm.Indicators[0].ID, Value: models.NumText(fmt.Sprint(total / 2))}},
		Beneficiaries: models.Beneficiaries{Total: total, Women: women, Men: total - women,
			ByGroup: map[string]int{mm.Groups[0]: total * 2 / 3}},
		Outcomes: models.Outcomes{Employed: total / 6, Trained: total / 3, CompletedEducation: map[bool]int{true: total / 4}[mm.Code == "M2.1"],
			SelfEmployed: map[bool]int{true: 1 + pc/30}[mm.Code == "M2.2"]}}
	who, org, isCoord := demoReporter(ids, mm)
	if _, err := models.SaveProgress(ctx, tx, who, mm.MunicipalityID, mm.ID, periodID, 0, org, isCoord, in); err != nil {
		return fmt.Errorf("demo report %s: %w", mm.Code, err)
	}
	if st.review == "draft" {
		return nil
	}
	if _, err := models.ReviewProgress(ctx, tx, who, mm.MunicipalityID, mm.ID, periodID, "submit", "", org, isCoord); err != nil {
		return err
	}
	coord, reason := actorOf(ids["koordinator"]), ""
	switch st.review {
	case "submit":
		return nil
	case "return":
		reason = demoReturnReason
	}
	_, err := models.ReviewProgress(ctx, tx, coord, mm.MunicipalityID, mm.ID, periodID, st.review, reason, nil, true)
	return err
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
		Date: earliest(clockOf(ctx).today, clockOf(ctx).day(0, time.February, 15)).Time, Suppress: true,
		Registered: &docs.Registration{ContentSHA256: per.ContentSHA256, BaseURL: demoBaseURL(ctx)}})
}

func decimalPercent(p int) decimal.Decimal {
	return decimal.NewFromInt(int64(p)).Div(decimal.NewFromInt(100))
}

func demoBaseURL(ctx context.Context) string {
	u, _ := ctx.Value(demoBaseURLKey{}).(string)
	return u
}
