package docs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
)

// bigReportInput is a report shaped like the 200-measure plan of the
// national benchmark (app/bench): 5 objectives, 200 measures with 2
// indicators and 3 budget lines each, every measure reported in the period.
func bigReportInput(measures int) ReportInput {
	in := rpInput(false)
	p := rpPlan()
	p.Objectives = nil
	p.Measures = nil
	objectives := []string{"Zaposlenost dugotrajno nezaposlenih", "Uključivanje Roma na tržište rada",
		"Zapošljavanje osoba s invaliditetom", "Mladi koji nisu zaposleni ni u obrazovanju", "Žene korisnice socijalne pomoći"}
	for i, t := range objectives {
		p.Objectives = append(p.Objectives, models.Objective{ID: int64(i + 1), PlanID: p.ID, Code: fmt.Sprintf("C%d", i+1), Title: t})
	}
	sources := []string{"municipal", "pes", "csw", "government", "donor", "in_kind", "other"}
	kinds := []string{"obuka za deficitarna zanimanja", "subvencija zapošljavanja", "javni radovi",
		"podrška samozapošljavanju", "mentorstvo i praćenje na radnom mjestu", "dokvalifikacija odraslih", "sajam zapošljavanja"}
	progress := map[int64]*models.Progress{}
	s := &models.Summary{PlanID: p.ID, PeriodID: rpPtr(rpPeriod.ID), Currency: "BAM", Planned: map[string]decimal.Decimal{},
		Spent: map[string]decimal.Decimal{}, MeasuresByStatus: map[string]int{},
		Beneficiaries: models.Beneficiaries{ByGroup: map[string]int{}}}
	statuses := []string{"on_track", "delayed", "completed", "not_started"}
	for k := 1; k <= measures; k++ {
		id := int64(1000 + k)
		m := models.Measure{ID: id, PlanID: p.ID, ObjectiveID: int64((k-1)%len(objectives) + 1), Code: fmt.Sprintf("M%03d", k),
			Title:       fmt.Sprintf("Mjera %d: %s", k, kinds[k%len(kinds)]),
			Description: strings.Repeat("Mjera se provodi u saradnji biroa za zapošljavanje, centra za socijalni rad i poslodavaca. ", 3),
			Groups:      models.CodeList{"roma", "long_term_unemployed"}, LeadOrganisationID: int64(101 + k%3),
			PartnerOrganisationIDs: models.Int64s{int64(101 + (k+1)%3)},
			StartDate:              models.MustDate("2017-01-01"), EndDate: models.MustDate("2018-12-31")}
		for i, name := range []string{"Broj zaposlenih korisnika", "Broj osoba koje su završile obuku"} {
			ind := models.Indicator{ID: id*10 + int64(i), Name: name, Unit: "osoba", Baseline: decimal.NewFromInt(id % 10),
				Target: decimal.NewFromInt(20 + id%50)}
			m.Indicators = append(m.Indicators, ind)
			actual := decimal.NewFromInt((id + int64(i)) % 25)
			s.Indicators = append(s.Indicators, models.IndicatorActual{IndicatorID: ind.ID, MeasureCode: m.Code, Name: ind.Name,
				Unit: ind.Unit, Baseline: ind.Baseline, Target: ind.Target, Actual: &actual})
		}
		for b := 1; b <= 3; b++ {
			src := sources[(k+b)%len(sources)]
			amt := decimal.New(int64(100000+(k*7919+b*104729)%5000000), -2)
			m.Budget = append(m.Budget, models.BudgetLine{Year: 2017 + (k+b)%2, Source: src, Amount: amt})
			s.Planned[src] = s.Planned[src].Add(amt)
			s.PlannedTotal = s.PlannedTotal.Add(amt)
		}
		p.Measures = append(p.Measures, m)
		x := (k * 31) % 100
		st := statuses[k%len(statuses)]
		spent := decimal.New(int64(10000+(k*7919)%500000), -2)
		src := sources[k%len(sources)]
		total := 5 + x%40
		progress[id] = &models.Progress{MeasureID: id, PeriodID: rpPeriod.ID, Status: st, PercentComplete: x,
			Narrative: "U periodu 2017 mjera " + m.Code + " je provedena prema planu: " +
				strings.Repeat("korisnici su upućeni na obuku, poslodavci su uključeni, a rezultati su evidentirani. ", 2),
			BeneficiariesTotal: total, BeneficiariesWomen: total / 2, BeneficiariesMen: total - total/2,
			Employed: x % 7, Trained: x % 11, CompletedEducation: x % 3, SelfEmployed: x % 2,
			Spent: []models.Spending{{Source: src, Amount: spent}}}
		s.Spent[src] = s.Spent[src].Add(spent)
		s.SpentTotal = s.SpentTotal.Add(spent)
		s.MeasuresByStatus[st]++
		s.Beneficiaries.Total += total
		s.Beneficiaries.Women += total / 2
		s.Beneficiaries.Men += total - total/2
		s.Beneficiaries.ByGroup["roma"] += total / 3
		s.Outcomes.Employed += x % 7
		s.Outcomes.Trained += x % 11
	}
	in.Plan, in.Summary, in.Progress = p, s, progress
	return in
}

// BenchmarkReportPDF renders the assembly report of a 200-measure plan
// (about 60 pages), as GET /api/v1/action-plans/:id/report.pdf does on a
// cache miss.
func BenchmarkReportPDF(b *testing.B) {
	bundle, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	l := bundle.For("bs")
	in := bigReportInput(200)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := Report(l, in)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
