package docs

import (
	"bytes"
	"encoding/csv"
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
)

func pdDate(s string) models.Date {
	d, err := models.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func pdDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func pdPtr[T any](v T) *T { return &v }

const pdTitle = "Lokalni akcioni plan zapošljavanja Zvornik 2017–2018"

// testPlan is an adopted plan with Latin and Cyrillic text and amounts whose
// float64 sums would be wrong (0.10 + 0.20, 9999999999.99).
func pdTestPlan() *models.Plan {
	return &models.Plan{
		ID: 42, MunicipalityID: 7, Title: pdTitle, Status: models.PlanAdopted,
		PeriodStart: pdDate("2017-01-01"), PeriodEnd: pdDate("2018-12-31"),
		ConsultationClosesOn: pdPtr(pdDate("2017-03-15")), AdoptedOn: pdPtr(pdDate("2017-04-20")),
		DecisionNumber: pdPtr("01-022-134/17"), VotesFor: pdPtr(23), VotesAgainst: pdPtr(0), VotesAbstained: pdPtr(0),
		UpdatedAt: time.Date(2017, 4, 20, 10, 0, 0, 0, time.UTC),
		Objectives: []models.Objective{
			{ID: 1, PlanID: 42, Code: "C1", Title: "Povećati zapošljavanje Roma i dugoročno nezaposlenih (č ć đ š ž)"},
			{ID: 2, PlanID: 42, Code: "C2", Title: "Ојачати сарадњу центра за социјални рад и службе за запошљавање"},
		},
		Measures: []models.Measure{
			{ID: 11, PlanID: 42, ObjectiveID: 1, Code: "M1.1", Title: "Obuka za zanimanja tražena na tržištu rada",
				Description: "Šestomjesečna obuka u saradnji sa poslodavcima iz Zvornika; učesnici dobijaju certifikat i pomoć pri traženju posla.",
				Groups:      models.CodeList{"roma", "long_term_unemployed"}, LeadOrganisationID: 101,
				PartnerOrganisationIDs: models.Int64s{102, 103}, StartDate: pdDate("2017-03-01"), EndDate: pdDate("2018-06-30"),
				Indicators: []models.Indicator{
					{Name: "Broj osoba koje su završile obuku", Unit: "osoba", Baseline: pdDec("0"), Target: pdDec("60")},
					{Name: "Udio zaposlenih šest mjeseci nakon obuke", Unit: "%", Baseline: pdDec("12.5"), Target: pdDec("35")},
				},
				Budget: []models.BudgetLine{
					{Year: 2017, Source: "municipal", Funder: "Općina Zvornik", Amount: pdDec("0.10")},
					{Year: 2018, Source: "donor", Funder: "-UNDP-", Amount: pdDec("12500.50")},
				},
				Evidence: []models.EvidenceRef{
					{Kind: "finding", EvidenceID: 5, Statement: "Dvije trećine registrovanih nezaposlenih nema završenu srednju školu."},
					{Kind: "need", EvidenceID: 9, Statement: "Žene iz romske zajednice traže obuku blizu mjesta stanovanja."},
				}},
			{ID: 12, PlanID: 42, ObjectiveID: 1, Code: "M1.2", Title: "Радионице за младе — ментор Ђорђе Јовановић",
				Groups: models.CodeList{"youth_neet", "dropouts"}, LeadOrganisationID: 102,
				StartDate: pdDate("2017-09-01"), EndDate: pdDate("2018-12-31"),
				Indicators: []models.Indicator{{Name: "Број младих у радионицама", Unit: "особа", Baseline: pdDec("0"), Target: pdDec("120")}},
				Budget: []models.BudgetLine{
					{Year: 2017, Source: "municipal", Funder: "Општина Зворник", Amount: pdDec("0.20")},
					{Year: 2018, Source: "government", Funder: "Vlada Republike Srpske", Amount: pdDec("9999999999.99")},
				},
				Evidence: []models.EvidenceRef{{Kind: "need", EvidenceID: 14, Statement: "Млади траже праксу код послодаваца."}}},
			{ID: 13, PlanID: 42, ObjectiveID: 2, Code: "M2.1", Title: "=SUM(A1)",
				Groups: models.CodeList{"social_assistance"}, LeadOrganisationID: 103, PartnerOrganisationIDs: models.Int64s{101},
				StartDate: pdDate("2017-01-15"), EndDate: pdDate("2017-12-31")},
		},
	}
}

var pdOrgs = map[int64]string{101: "JU Centar za socijalni rad Zvornik", 102: "Zavod za zapošljavanje — biro Zvornik",
	103: "Udruženje „Ђорђе“"}

var pdMuni = &models.Municipality{ID: 7, Name: "Općina Zvornik", Currency: "BAM", Language: "bs"}

func pdComments() []models.Comment {
	m11 := int64(11)
	at := time.Date(2017, 3, 2, 9, 30, 0, 0, time.UTC)
	return []models.Comment{
		{ID: 1, PlanID: 42, MeasureID: &m11, MeasureCode: "M1.1", Name: "Ђорђе Ђурић", Text: "Predlažem da obuka uključi i vozački ispit.",
			Moderation: "approved", Decision: pdPtr("accepted"), Response: pdPtr("Prihvaćeno: dodano u opis mjere."), CreatedAt: at},
		{ID: 2, PlanID: 42, Text: "Plan ne spominje povratnike.", Moderation: "approved", Decision: pdPtr("rejected"),
			Response: pdPtr("Povratnici su obuhvaćeni mjerom M2.1."), CreatedAt: at.Add(time.Hour)},
		{ID: 3, PlanID: 42, Name: "Spammer", Text: "SPAM-HIDDEN kupite odmah", Moderation: "hidden", CreatedAt: at.Add(2 * time.Hour)},
		{ID: 4, PlanID: 42, Name: "Šemsa Ćatić", Text: "Kada počinje prijava za obuku?", Moderation: "pending", CreatedAt: at.Add(3 * time.Hour)},
	}
}

func pdLocalizers(t *testing.T) map[string]*i18n.Localizer {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*i18n.Localizer{"bs": b.For("bs"), "en": b.For("en")}
}

// layoutText extracts text with pdftotext -layout; a missing binary fails.
func pdLayoutText(t *testing.T, name string, doc []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext not found (install poppler-utils): %v", err)
	}
	dir := t.TempDir()
	if out := os.Getenv("PLANDOC_OUT"); out != "" {
		dir = out // keep the files to look at them
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

func TestPlanPDF(t *testing.T) {
	t.Parallel()
	p := pdTestPlan()
	total := pdDec("0.10").Add(pdDec("0.20")).Add(pdDec("12500.50")).Add(pdDec("9999999999.99"))
	for lang, l := range pdLocalizers(t) {
		doc, err := Plan(l, PlanInput{Plan: p, Municipality: pdMuni, OrgNames: pdOrgs, VerifyURL: "https://pakt.example/verify/plan/42"})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !bytes.HasPrefix(doc, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", lang)
		}
		again, _ := Plan(l, PlanInput{Plan: p, Municipality: pdMuni, OrgNames: pdOrgs, VerifyURL: "https://pakt.example/verify/plan/42"})
		if !bytes.Equal(doc, again) {
			t.Errorf("%s: output is not deterministic", lang)
		}
		text := pdLayoutText(t, "plan-"+lang, doc)
		want := []string{pdTitle, "Ђорђе", "M1.2", "Udruženje „Ђорђе“", "01-022-134/17",
			l.Money(total, "BAM"),                                             // grand total
			l.Money(pdDec("0.30"), "BAM"),                                     // municipal 2017: 0.10 + 0.20, exact
			l.Money(pdDec("10000000000.19"), "BAM"),                           // 2017+2018 of M1.2
			l.Money(pdDec("9999999999.99"), "BAM"),                            // government 2018
			l.T("plandoc.unanimous", "For", l.Int(23)),                        // adopted unanimously
			l.T("plandoc.no_evidence"),                                        // M2.1 cites nothing
			l.T("plandoc.group.roma") + ",", l.T("plandoc.source.government"), // groups translated
			l.Date(p.AdoptedOn.Time),
		}
		if lang == "bs" {
			want = append(want, "Strana 1 od", "10.000.012.500,79 KM", "0,30 KM", "Nalaz analize stanja br. 5")
		} else {
			want = append(want, "Page 1 of", "10,000,012,500.79 KM", "Focus group need no. 14")
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: plan PDF lacks %q", lang, w)
			}
		}
		if strings.Contains(text, "plandoc.") {
			t.Errorf("%s: untranslated key in plan PDF", lang)
		}
		if strings.Contains(text, "0.30000000000000004") || strings.Contains(text, "0,30000000000000004") {
			t.Errorf("%s: float64 arithmetic leaked into the PDF", lang)
		}
	}
}

func TestPlanPDFDraftWithoutBudget(t *testing.T) {
	t.Parallel()
	l := pdLocalizers(t)["en"]
	p := pdTestPlan()
	p.Status, p.AdoptedOn, p.VotesFor = models.PlanDraft, nil, nil
	for i := range p.Measures {
		p.Measures[i].Budget = nil
	}
	p.Measures = append(p.Measures, models.Measure{ID: 99, ObjectiveID: 777, Code: "X9", Title: "Orphan measure"})
	doc, err := Plan(l, PlanInput{Plan: p, Municipality: pdMuni, OrgNames: pdOrgs})
	if err != nil {
		t.Fatal(err)
	}
	text := pdLayoutText(t, "plan-draft", doc)
	for _, w := range []string{l.T("pdf.not_final"), l.T("plandoc.no_budget"), "Orphan measure", l.T("plandoc.status.draft")} {
		if !strings.Contains(text, w) {
			t.Errorf("draft PDF lacks %q", w)
		}
	}
	if strings.Contains(text, l.T("plandoc.adopted_on")) {
		t.Error("a draft must not show adoption data")
	}
	if _, err := Plan(l, PlanInput{Plan: p}); err == nil {
		t.Error("missing municipality must be an error")
	}
}

func TestPlanVotesNotUnanimous(t *testing.T) {
	t.Parallel()
	l := pdLocalizers(t)["bs"]
	p := pdTestPlan()
	p.VotesAgainst, p.VotesAbstained = pdPtr(2), pdPtr(1)
	if got, want := votes(l, p), "za: 23, protiv: 2, suzdržanih: 1"; got != want {
		t.Errorf("votes %q, want %q", got, want)
	}
}

func TestConsultationReport(t *testing.T) {
	t.Parallel()
	p := pdTestPlan()
	for lang, l := range pdLocalizers(t) {
		doc, err := ConsultationReport(l, ConsultationInput{Plan: p, Municipality: pdMuni, Comments: pdComments()})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		text := pdLayoutText(t, "consultation-"+lang, doc)
		want := []string{pdTitle, "Ђорђе Ђурић", "Šemsa Ćatić", "M1.1", l.T("plandoc.whole_plan"), l.T("plandoc.anonymous"),
			l.Date(p.ConsultationClosesOn.Time), l.T("plandoc.decision.accepted"), l.T("plandoc.decision.rejected"),
			l.T("plandoc.decision.none"), "Povratnici su obuhvaćeni mjerom M2.1."}
		if lang == "bs" {
			want = append(want, "Strana 1 od")
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: consultation report lacks %q", lang, w)
			}
		}
		if strings.Contains(text, "SPAM-HIDDEN") {
			t.Errorf("%s: hidden comment printed", lang)
		}
		if strings.Contains(text, "plandoc.") {
			t.Errorf("%s: untranslated key in consultation report", lang)
		}
	}
	c := countComments(pdComments())
	if c != (consultationCounts{received: 4, published: 2, pending: 1, hidden: 1, accepted: 1, rejected: 1, unanswered: 1, n: 3}) {
		t.Errorf("counts %+v", c)
	}
	if _, err := ConsultationReport(pdLocalizers(t)["en"], ConsultationInput{Plan: p, Municipality: pdMuni}); err != nil {
		t.Errorf("no comments: %v", err)
	}
}

func TestPlanCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := PlanCSV(&buf, pdTestPlan(), pdOrgs); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\xEF\xBB\xBF") {
		t.Fatal("CSV must start with a UTF-8 BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\xEF\xBB\xBF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "plan_id,measure_code,measure_title,objective_code,lead_organisation,start_date,end_date,year,source,funder,amount,measure_total" {
		t.Errorf("header %q", rows[0])
	}
	if len(rows) != 6 { // header + 2 + 2 lines + 1 measure without budget
		t.Fatalf("%d rows", len(rows))
	}
	want := [][]string{
		{"42", "M1.1", "Obuka za zanimanja tražena na tržištu rada", "C1", "JU Centar za socijalni rad Zvornik", "2017-03-01", "2018-06-30", "2017", "municipal", "Općina Zvornik", "0.10", "12500.60"},
		{"42", "M1.1", "Obuka za zanimanja tražena na tržištu rada", "C1", "JU Centar za socijalni rad Zvornik", "2017-03-01", "2018-06-30", "2018", "donor", "'-UNDP-", "12500.50", "12500.60"},
		{"42", "M1.2", "Радионице за младе — ментор Ђорђе Јовановић", "C1", "Zavod za zapošljavanje — biro Zvornik", "2017-09-01", "2018-12-31", "2017", "municipal", "Општина Зворник", "0.20", "10000000000.19"},
		{"42", "M1.2", "Радионице за младе — ментор Ђорђе Јовановић", "C1", "Zavod za zapošljavanje — biro Zvornik", "2017-09-01", "2018-12-31", "2018", "government", "Vlada Republike Srpske", "9999999999.99", "10000000000.19"},
		{"42", "M2.1", "'=SUM(A1)", "C2", "Udruženje „Ђорђе“", "2017-01-15", "2017-12-31", "", "", "", "", "0.00"},
	}
	for i, w := range want {
		if strings.Join(rows[i+1], "|") != strings.Join(w, "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, rows[i+1], w)
		}
	}
	for in, out := range map[string]string{"=1+1": "'=1+1", "+387": "'+387", "-5": "'-5", "@x": "'@x", "\tx": "'\tx",
		"\rx": "'\rx", "a=b": "a=b", "": "", "Ђорђе": "Ђорђе"} {
		if got := safeCell(in); got != out {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, out)
		}
	}
}

// Every code the models know has a label in both catalogs.
func TestPlanCatalogComplete(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, g := range models.VulnerableGroupCodes {
		keys = append(keys, "plandoc.group."+g)
	}
	for _, s := range models.BudgetSources {
		keys = append(keys, "plandoc.source."+s)
	}
	for _, s := range []string{models.PlanDraft, models.PlanConsultation, models.PlanSubmitted, models.PlanAdopted, models.PlanSuperseded} {
		keys = append(keys, "plandoc.status."+s)
	}
	for _, d := range models.CommentDecisions {
		keys = append(keys, "plandoc.decision."+d)
	}
	keys = append(keys, "plandoc.evidence.finding", "plandoc.evidence.need", "pdf.page_format", "field.title", "field.status")
	for lang, l := range pdLocalizers(t) {
		for _, k := range keys {
			if l.T(k) == k {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}

// A long plan breaks its measure tables over pages and repeats their header.
func TestPlanPDFLong(t *testing.T) {
	t.Parallel()
	l := pdLocalizers(t)["en"]
	p := pdTestPlan()
	base := p.Measures[0]
	for i := 0; i < 40; i++ {
		m := base
		m.ID, m.Code = int64(1000+i), fmt.Sprintf("L%02d", i)
		m.Description = strings.Repeat("Zajednička aktivnost centra za socijalni rad i službe za zapošljavanje. ", 3)
		p.Measures = append(p.Measures, m)
	}
	doc, err := Plan(l, PlanInput{Plan: p, Municipality: pdMuni, OrgNames: pdOrgs})
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdLayoutText(t, "plan-long", doc), "\f")
	row, header := regexp.MustCompile(`(?m)^L\d\d `), regexp.MustCompile(`(?m)^(Code|Measure)\s`)
	withRows := 0
	for i, pg := range pages {
		if !row.MatchString(pg) {
			continue
		}
		withRows++
		if !header.MatchString(pg) {
			t.Errorf("page %d: table rows without the repeated header", i+1)
		}
	}
	if withRows < 6 {
		t.Errorf("expected the tables to span at least 6 pages, got %d", withRows)
	}
}
