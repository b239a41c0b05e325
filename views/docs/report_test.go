package docs

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/models/disclosure"
)

func rpDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func rpPtr[T any](v T) *T { return &v }

const rpPlanTitle = "Lokalni akcioni plan zapošljavanja Zvornik 2017–2018"

var rpDate = time.Date(2018, 1, 25, 0, 0, 0, 0, time.UTC)

var rpMuni = &models.Municipality{ID: 7, Name: "Općina Zvornik", Currency: "BAM", Language: "bs"}

var rpOrgs = map[int64]string{101: "JU Centar za socijalni rad Zvornik", 102: "Zavod za zapošljavanje — biro Zvornik",
	103: "Udruženje „Ђорђе“", 104: "Srednja škola „Petar Kočić“"}

// rpPlan: two objectives, four measures; planned amounts whose float64 sum
// would be wrong (0.10 + 0.20, 9999999999.99).
func rpPlan() *models.Plan {
	return &models.Plan{
		ID: 42, MunicipalityID: 7, Title: rpPlanTitle, Status: models.PlanAdopted,
		PeriodStart: models.MustDate("2017-01-01"), PeriodEnd: models.MustDate("2018-12-31"),
		AdoptedOn: rpPtr(models.MustDate("2017-04-20")), DecisionNumber: rpPtr("01-022-134/17"),
		Objectives: []models.Objective{
			{ID: 1, PlanID: 42, Code: "C1", Title: "Povećati zapošljavanje Roma i dugoročno nezaposlenih (č ć đ š ž)"},
			{ID: 2, PlanID: 42, Code: "C2", Title: "Ојачати сарадњу центра за социјални рад и службе за запошљавање"},
		},
		Measures: []models.Measure{
			{ID: 11, PlanID: 42, ObjectiveID: 1, Code: "M1.1", Title: "Obuka za zanimanja tražena na tržištu rada",
				LeadOrganisationID: 101, PartnerOrganisationIDs: models.Int64s{102, 104},
				Indicators: []models.Indicator{{ID: 1, Name: "Broj osoba koje su završile obuku", Unit: "osoba", Baseline: rpDec("0"), Target: rpDec("60")}},
				Budget: []models.BudgetLine{
					{Year: 2017, Source: "municipal", Funder: "Općina Zvornik", Amount: rpDec("0.10")},
					{Year: 2018, Source: "donor", Funder: "UNDP", Amount: rpDec("12500.50")},
				}},
			{ID: 12, PlanID: 42, ObjectiveID: 1, Code: "M1.2", Title: "Радионице за младе — ментор Ђорђе Јовановић",
				LeadOrganisationID: 102, PartnerOrganisationIDs: models.Int64s{103},
				Indicators: []models.Indicator{{ID: 2, Name: "Број младих у радионицама", Unit: "особа", Baseline: rpDec("0"), Target: rpDec("120")}},
				Budget: []models.BudgetLine{
					{Year: 2017, Source: "municipal", Funder: "Општина Зворник", Amount: rpDec("0.20")},
					{Year: 2018, Source: "government", Funder: "Vlada Republike Srpske", Amount: rpDec("9999999999.99")},
				}},
			{ID: 13, PlanID: 42, ObjectiveID: 2, Code: "M2.1", Title: "Zajednički tim CSR-a i biroa za upućivanje korisnika",
				LeadOrganisationID: 103, PartnerOrganisationIDs: models.Int64s{101, 102},
				Indicators: []models.Indicator{{ID: 3, Name: "Udio upućenih korisnika socijalne pomoći", Unit: "%", Baseline: rpDec("0.5"), Target: rpDec("10")}},
				Budget:     []models.BudgetLine{{Year: 2017, Source: "csw", Funder: "JU CSR Zvornik", Amount: rpDec("3000")}}},
			{ID: 14, PlanID: 42, ObjectiveID: 2, Code: "M2.2", Title: "Informativna kampanja u mjesnim zajednicama",
				LeadOrganisationID: 101,
				Indicators:         []models.Indicator{{ID: 4, Name: "Broj održanih sastanaka", Unit: "sastanak", Baseline: rpDec("0"), Target: rpDec("12")}},
				Budget:             []models.BudgetLine{{Year: 2018, Source: "pes", Funder: "Zavod", Amount: rpDec("1500.00")}}},
		},
	}
}

var rpPeriod = &models.Period{ID: 5, PlanID: 42, Label: "2017", StartDate: models.MustDate("2017-01-01"),
	EndDate: models.MustDate("2017-12-31"), Status: "closed"}

const rpNarrative = "Obuku je završilo 25 polaznika; šestoro je dobilo posao kod poslodavaca iz Zvornika."

// rpProgress: M1.1, M1.2 and M2.1 reported; M2.2 did not. M2.1 reached
// 2 women (small), M1.1 has 3 self-employed and M1.2 4 employed (small).
func rpProgress() map[int64]*models.Progress {
	return map[int64]*models.Progress{
		11: {MeasureID: 11, PeriodID: 5, Status: "on_track", PercentComplete: 60, Narrative: rpNarrative,
			BeneficiariesTotal: 30, BeneficiariesWomen: 18, BeneficiariesMen: 12, Employed: 8, Trained: 25, SelfEmployed: 3,
			Spent: []models.Spending{{Source: "municipal", Amount: rpDec("0.10")}, {Source: "donor", Amount: rpDec("12000.25")}}},
		12: {MeasureID: 12, PeriodID: 5, Status: "delayed", PercentComplete: 35, Narrative: "Радионице су почеле са закашњењем због простора.",
			BeneficiariesTotal: 20, BeneficiariesWomen: 11, BeneficiariesMen: 9, Employed: 4, Trained: 15, CompletedEducation: 7,
			Spent: []models.Spending{{Source: "municipal", Amount: rpDec("0.20")}}},
		13: {MeasureID: 13, PeriodID: 5, Status: "completed", PercentComplete: 100, Narrative: "Tim je formiran i radi sedmično.",
			BeneficiariesTotal: 7, BeneficiariesWomen: 2, BeneficiariesMen: 5,
			Spent: []models.Spending{{Source: "csw", Amount: rpDec("2999.99")}}},
	}
}

// rpSummary is what models.PlanSummaryOf returns for the first period.
func rpSummary() *models.Summary {
	planned := map[string]decimal.Decimal{"municipal": rpDec("0.30"), "donor": rpDec("12500.50"),
		"government": rpDec("9999999999.99"), "csw": rpDec("3000"), "pes": rpDec("1500.00")}
	spent := map[string]decimal.Decimal{"municipal": rpDec("0.30"), "donor": rpDec("12000.25"), "csw": rpDec("2999.99")}
	s := &models.Summary{PlanID: 42, PeriodID: rpPtr(int64(5)), Currency: "BAM", Planned: planned, Spent: spent,
		PlannedTotal: rpDec("10000017000.79"), SpentTotal: rpDec("15000.54"),
		MeasuresByStatus: map[string]int{"on_track": 1, "delayed": 1, "completed": 1, "not_reported": 1},
		Beneficiaries: models.Beneficiaries{Total: 57, Women: 31, Men: 26,
			ByGroup: map[string]int{"roma": 21, "long_term_unemployed": 30, "youth_neet": 17, "disability": 9, "returnees": 2}},
		Outcomes: models.Outcomes{Employed: 12, Trained: 40, CompletedEducation: 7, SelfEmployed: 3},
		Indicators: []models.IndicatorActual{
			{IndicatorID: 1, MeasureCode: "M1.1", Name: "Broj osoba koje su završile obuku", Unit: "osoba", Baseline: rpDec("0"), Target: rpDec("60"), Actual: rpPtr(rpDec("25"))},
			{IndicatorID: 2, MeasureCode: "M1.2", Name: "Број младих у радионицама", Unit: "особа", Baseline: rpDec("0"), Target: rpDec("120"), Actual: rpPtr(rpDec("20"))},
			{IndicatorID: 3, MeasureCode: "M2.1", Name: "Udio upućenih korisnika socijalne pomoći", Unit: "%", Baseline: rpDec("0.5"), Target: rpDec("10"), Actual: rpPtr(rpDec("4.25"))},
			{IndicatorID: 4, MeasureCode: "M2.2", Name: "Broj održanih sastanaka", Unit: "sastanak", Baseline: rpDec("0"), Target: rpDec("12")},
		},
	}
	var reps []*models.Progress
	for _, id := range []int64{11, 12, 13} {
		reps = append(reps, rpProgress()[id])
	}
	s.Public = models.PeopleBandsOf(reps)
	s.Public.ByGroup = map[string]disclosure.Band{"roma": disclosure.Of(21), "long_term_unemployed": disclosure.Of(30),
		"youth_neet": disclosure.Of(17), "disability": disclosure.Of(9), "returnees": disclosure.Of(2)}
	return s
}

func rpAgreements() []models.AgreementSummary {
	return []models.AgreementSummary{
		{ID: 3, Title: "Протокол о сарадњи ЦСР и Завода за запошљавање", Level: "collaboration", Status: models.AgreementInForce,
			VersionNo: 2, ValidFrom: models.MustDate("2017-02-01"), ValidTo: models.MustDate("2019-01-31"), Parties: 4, Signed: 4},
		{ID: 2, Title: "NACRT-SPORAZUMA-SKRIVEN", Level: "cooperation", Status: models.AgreementDraft,
			ValidFrom: models.MustDate("2017-02-01"), ValidTo: models.MustDate("2018-01-31"), Parties: 2},
		{ID: 1, Title: "Memorandum o razumijevanju sa školama", Level: "coordination", Status: models.AgreementInForce,
			VersionNo: 1, ValidFrom: models.MustDate("2016-09-01"), ValidTo: models.MustDate("2018-08-31"), Parties: 3, Signed: 3},
	}
}

func rpInput(suppress bool) ReportInput {
	return ReportInput{Plan: rpPlan(), Municipality: rpMuni, Period: rpPeriod, Summary: rpSummary(), Progress: rpProgress(),
		OrgNames: rpOrgs, Agreements: rpAgreements(), VerifyURL: "https://pakt.example/verify/report/5", Date: rpDate, Suppress: suppress}
}

func rpBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rpText extracts text with pdftotext -layout; a missing binary fails. With
// REPORT_OUT set, the PDFs are kept there to be looked at.
func rpText(t *testing.T, name string, doc []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext not found (install poppler-utils): %v", err)
	}
	dir := t.TempDir()
	if out := os.Getenv("REPORT_OUT"); out != "" {
		dir = out
	}
	f := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// rpLine returns the first extracted line that starts (after spaces) with
// prefix; "" when there is none.
func rpLine(text, prefix string) string {
	for _, ln := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(ln), prefix) {
			return ln
		}
	}
	return ""
}

// rpLineRe returns the first extracted line matching re; "" when none.
func rpLineRe(text, re string) string {
	return regexp.MustCompile(`(?m)` + re + `.*$`).FindString(text)
}

// rpCells splits a layout line into its cells (runs of two or more spaces).
func rpCells(line string) []string {
	return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
}

func TestReportPDF(t *testing.T) {
	t.Parallel()
	b := rpBundle(t)
	for _, lang := range []string{"bs", "en"} {
		l := b.For(lang)
		for _, suppress := range []bool{false, true} {
			name := fmt.Sprintf("report-%s-suppress-%v", lang, suppress)
			doc, err := Report(l, rpInput(suppress))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.HasPrefix(doc, []byte("%PDF-")) {
				t.Fatalf("%s: not a PDF", name)
			}
			again, err := Report(l, rpInput(suppress))
			if err != nil || !bytes.Equal(doc, again) {
				t.Errorf("%s: output is not deterministic (%v)", name, err)
			}
			text := rpText(t, name, doc)
			want := []string{
				l.T("report.title", "Period", "2017"), rpPlanTitle, "Općina Zvornik", l.T("report.doc_type"),
				l.Date(rpDate), l.Date(rpPeriod.StartDate.Time) + " – " + l.Date(rpPeriod.EndDate.Time),
				l.Money(rpDec("10000017000.79"), "BAM"), // planned total, exact
				l.Money(rpDec("15000.54"), "BAM"),       // spent total, exact
				l.Money(rpDec("12000.35"), "BAM"),       // M1.1 spent in the period: 0.10 + 12000.25
				l.Money(rpDec("0.30"), "BAM"),           // municipal planned = spent: 0.10 + 0.20
				"Радионице за младе", "Ђорђе", "č ć đ š ž", "M2.2", l.T("report.status.not_reported"),
				l.T("report.no_report"), l.T("report.status.on_track"), l.T("report.status.delayed"),
				l.T("report.status.completed"), l.T("plandoc.group.returnees"), l.T("plandoc.source.government"),
				"Протокол о сарадњи ЦСР", l.T("level.collaboration"), "Memorandum o razumijevanju sa školama",
				"Srednja škola „Petar Kočić“", "https://pakt.example/verify/report/5", rpNarrative[:40],
			}
			if lang == "bs" {
				want = append(want, "Strana 1 od", "10.000.017.000,79 KM", "15.000,54 KM", "0,0 %", "4,25")
			} else {
				want = append(want, "Page 1 of", "10,000,017,000.79 KM", "15,000.54 KM", "4.25")
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: report lacks %q", name, w)
				}
			}
			for _, bad := range []string{"report.", "plandoc.", "level.", "NACRT-SPORAZUMA-SKRIVEN", "{nb}"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s: report contains %q", name, bad)
				}
			}
			// M2.2 has no actual value: its indicator row ends with a dash.
			if row := rpLineRe(text, `^\s*M2\.2\s+Broj održanih`); row == "" || !strings.HasSuffix(strings.TrimSpace(row), "—") {
				t.Errorf("%s: indicator without actual should end with —: %q", name, row)
			}
			rpCheckSuppression(t, name, l, text, suppress)
		}
	}
}

// rpCheckSuppression looks at the cells that hold small counts.
func rpCheckSuppression(t *testing.T, name string, l *i18n.Localizer, text string, suppress bool) {
	t.Helper()
	selfEmployed := rpCells(rpLine(text, l.T("report.outcome.self_employed")))
	returnees := rpCells(rpLine(text, l.T("plandoc.group.returnees")))
	disability := rpCells(rpLine(text, l.T("plandoc.group.disability")))
	m21 := rpCells(rpLine(text, "M2.1 "))
	women := rpCells(rpLine(text, l.T("report.women")))
	if len(selfEmployed) < 2 || len(returnees) < 2 || len(disability) < 2 || len(m21) < 8 || len(women) < 2 {
		t.Fatalf("%s: lines not found: %q %q %q %q %q", name, selfEmployed, returnees, disability, m21, women)
	}
	last := func(c []string) string { return c[len(c)-1] }
	// M2.1 row: code, title, status, %, spent, people, women, men, narrative
	if !suppress {
		if last(selfEmployed) != "3" || last(returnees) != "2" || last(disability) != "9" {
			t.Errorf("%s: internal version must print every count: %q %q %q", name, selfEmployed, returnees, disability)
		}
		if m21[5] != "7" || m21[6] != "2" || m21[7] != "5" {
			t.Errorf("%s: M2.1 people %q", name, m21)
		}
		if strings.Contains(text, disclosure.Small) {
			t.Errorf("%s: %q printed in the internal version", name, disclosure.Small)
		}
		return
	}
	// cumulative: sums of the reports' bands (3 + 0 + 0 → 0–12)
	if last(selfEmployed) != "0–12" {
		t.Errorf("%s: self-employed must print 0–12: %q", name, selfEmployed)
	}
	if last(returnees) != disclosure.Small || last(disability) != "5–9" {
		t.Errorf("%s: returnees 2 must print %q, disability 9 5–9: %q %q", name, disclosure.Small, returnees, disability)
	}
	if m21[5] != "5–9" || m21[6] != disclosure.Small || m21[7] != "5–9" {
		t.Errorf("%s: M2.1 people must be 5–9, <5, 5–9: %q", name, m21)
	}
	if last(women) != "25–37" { // 15–19 + 10–14 + 0–4
		t.Errorf("%s: women total %q", name, women)
	}
	if !strings.Contains(text, l.T("report.public_version")) {
		t.Errorf("%s: public version note missing", name)
	}
}

func TestReportRequiresInput(t *testing.T) {
	t.Parallel()
	l := rpBundle(t).For("en")
	in := rpInput(false)
	in.Summary = nil
	if _, err := Report(l, in); err == nil {
		t.Error("missing summary must be an error")
	}
	// An empty plan with no data still renders.
	in = ReportInput{Plan: &models.Plan{Title: "Prazan plan"}, Municipality: rpMuni, Period: rpPeriod,
		Summary: &models.Summary{}, Date: rpDate, Suppress: true}
	doc, err := Report(l, in)
	if err != nil {
		t.Fatal(err)
	}
	text := rpText(t, "report-empty", doc)
	for _, w := range []string{l.T("report.no_agreements"), l.T("report.no_indicators"), l.T("plandoc.no_budget"), l.T("report.no_groups")} {
		if !strings.Contains(text, w) {
			t.Errorf("empty report lacks %q", w)
		}
	}
}

// Both catalogs define the same report keys, and every status has a label.
func TestReportCatalog(t *testing.T) {
	t.Parallel()
	b := rpBundle(t)
	en, bs := b.Keys("en"), b.Keys("bs")
	for k := range en {
		if strings.HasPrefix(k, "report.") && !bs[k] {
			t.Errorf("bs lacks %s", k)
		}
	}
	for k := range bs {
		if strings.HasPrefix(k, "report.") && !en[k] {
			t.Errorf("en lacks %s", k)
		}
	}
	for _, s := range reportStatuses {
		for _, lang := range []string{"en", "bs"} {
			if k := "report.status." + s; b.For(lang).T(k) == k {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
	for _, g := range models.VulnerableGroupCodes {
		if k := "plandoc.group." + g; b.For("bs").T(k) == k {
			t.Errorf("missing %s", k)
		}
	}
}
