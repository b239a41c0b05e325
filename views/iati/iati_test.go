package iati_test

import (
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/iati"
)

// The mapping of docs/iati.md, value by value.
func TestSectorMapping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lead   string
		groups []string
		want   string
	}{
		{"education", []string{"roma", "dropouts"}, "11230"},
		{"education", []string{"youth_neet"}, "11330"},
		{"csw", []string{"women"}, "16010"},
		{"health", nil, "16010"},
		{"pes", []string{"dropouts"}, "16020"},
		{"municipality", nil, "16020"},
		{"ngo", []string{"women"}, "16020"},
		{"employer", nil, "16020"},
		{"", nil, "16020"},
	}
	for _, c := range cases {
		if got := iati.SectorOf(c.lead, c.groups); got != c.want {
			t.Errorf("SectorOf(%q, %v) = %s, want %s", c.lead, c.groups, got, c.want)
		}
	}
}

// Every organisation type of API.md has an IATI OrganisationType code from
// the codelist; funders from a known public source too.
func TestOrganisationTypeMapping(t *testing.T) {
	t.Parallel()
	codelist := map[string]bool{"10": true, "11": true, "15": true, "21": true, "22": true, "23": true, "24": true, "30": true,
		"40": true, "60": true, "70": true, "71": true, "72": true, "73": true, "80": true, "90": true}
	want := map[string]string{"municipality": "11", "pes": "15", "csw": "15", "ngo": "24", "employer": "72", "education": "80",
		"health": "15", "police": "10", "judiciary": "10", "media": "90", "international": "40", "other": "90"}
	for _, typ := range models.OrganisationTypes {
		got := iati.OrgTypeOf(typ)
		if !codelist[got] || got != want[typ] {
			t.Errorf("OrgTypeOf(%q) = %q, want %q", typ, got, want[typ])
		}
	}
	for src, code := range map[string]string{"municipal": "11", "pes": "15", "csw": "15", "government": "10", "donor": "",
		"in_kind": "", "other": ""} {
		if got := iati.SourceOrgType(src); got != code {
			t.Errorf("SourceOrgType(%q) = %q, want %q", src, got, code)
		}
	}
	if iati.LangOf("sr-Latn") != "sr" || iati.LangOf("bs") != "bs" {
		t.Error("LangOf must give ISO 639-1 codes")
	}
	if got := iati.ActivityID("XM-PAKT-bratunac", 4, 17); got != "XM-PAKT-bratunac-MAP4-M17" {
		t.Errorf("ActivityID = %s", got)
	}
}

func TestActivityStatus(t *testing.T) {
	t.Parallel()
	m := &models.Measure{StartDate: models.MustDate("2017-03-01"), EndDate: models.MustDate("2018-12-31")}
	day := func(s string) time.Time { return models.MustDate(s).Time }
	cases := []struct {
		latest, today, want string
	}{
		{"", "2017-01-15", "1"},
		{"", "2017-06-01", "2"},
		{"on_track", "2018-01-01", "2"},
		{"delayed", "2019-02-01", "3"},
		{"completed", "2018-01-01", "3"},
		{"cancelled", "2017-06-01", "5"},
	}
	for _, c := range cases {
		if got := iati.StatusOf(m, c.latest, day(c.today)); got != c.want {
			t.Errorf("StatusOf(%q, %s) = %s, want %s", c.latest, c.today, got, c.want)
		}
	}
}

// testInput is a small adopted plan with hostile text, one published period
// whose report has small counts, and accepted spending.
func testInput() iati.Input {
	published := time.Date(2018, 2, 1, 9, 0, 0, 0, time.UTC)
	per := models.Period{ID: 7, PlanID: 3, Label: "2017 <godina> & više", StartDate: models.MustDate("2017-01-01"),
		EndDate: models.MustDate("2017-12-31"), Status: "closed", PublishedAt: &published}
	m1 := models.Measure{ID: 11, PlanID: 3, ObjectiveID: 5, Code: "M1", Title: "Škola za odrasle <script>alert(1)</script>",
		Description: "Završetak osnovne škole – Роми & „povratnici“", Groups: models.CodeList{"roma", "dropouts"}, LeadOrganisationID: 21,
		PartnerOrganisationIDs: models.Int64s{22}, StartDate: models.MustDate("2017-03-01"), EndDate: models.MustDate("2017-12-31"),
		Indicators: []models.Indicator{{ID: 31, MeasureID: 11, Name: "Završili školu", Unit: "osoba", Baseline: decimal.Zero,
			Target: decimal.NewFromInt(12)}},
		Budget: []models.BudgetLine{
			{Year: 2017, Source: "municipal", Amount: decimal.RequireFromString("3000.50")},
			{Year: 2018, Source: "donor", Funder: "UNDP & EU", Amount: decimal.RequireFromString("1500.25")},
		}}
	m2 := models.Measure{ID: 12, PlanID: 3, ObjectiveID: 5, Code: "M2", Title: "Savjetovanje", LeadOrganisationID: 22,
		StartDate: models.MustDate("2018-01-01"), EndDate: models.MustDate("2018-12-31")}
	report := &models.Progress{MeasureID: 11, PeriodID: 7, Status: "completed", Review: "accepted",
		BeneficiariesTotal: 7, BeneficiariesWomen: 3, BeneficiariesMen: 4, Employed: 2, CompletedEducation: 6,
		Spent:           []models.Spending{{Source: "municipal", Amount: decimal.RequireFromString("2500.10")}},
		IndicatorValues: []models.ActualValue{{IndicatorID: 31, Value: decimal.NewFromInt(6)}}}
	return iati.Input{
		Municipality: &models.Municipality{Name: `Općina "A&B"`, Slug: "a-b", Country: "BA", Currency: "BAM", Language: "sr-Latn"},
		OrgRef:       "XM-PAKT-a-b",
		BaseURL:      "https://pakt.example.org",
		Today:        time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC),
		Data: &models.IATIData{
			Plan: &models.Plan{ID: 3, Title: "Plan 2017–2018", Status: models.PlanAdopted, PeriodStart: models.MustDate("2017-01-01"),
				PeriodEnd: models.MustDate("2018-12-31"), Objectives: []models.Objective{{ID: 5, Code: "C1", Title: "Zapošljavanje"}},
				Measures: []models.Measure{m1, m2}},
			Orgs: map[int64]models.Organisation{21: {ID: 21, Name: "JU Škola <Milići>", Type: "education"},
				22: {ID: 22, Name: "Centar za socijalni rad", Type: "csw"}},
			Periods:  []models.Period{per},
			Progress: map[int64]map[int64]*models.Progress{7: {11: report}},
			Updated:  published,
		},
	}
}

func build(t *testing.T, in iati.Input) string {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	out, err := iati.Build(b.For("bs"), in)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The file validates against the IATI 2.03 schema, escapes what it was
// given, and leaves out every count of people the public report hides.
func TestBuildValidatesAndProtects(t *testing.T) {
	t.Parallel()
	out := build(t, testInput())
	validate(t, out)
	for _, bad := range []string{"<script>", "<godina>", "<Milići>", `"A&B"`} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped text %q in the file", bad)
		}
	}
	for _, want := range []string{`xml:lang="sr"`, "<iati-identifier>XM-PAKT-a-b-MAP3-M11</iati-identifier>", `code="11230"`,
		`code="16010"`, `<value currency="BAM" value-date="2017-03-01">3000.50</value>`, `<actual value="5"></actual>`, `<activity-date type="4" iso-date="2017-12-31">`, `<activity-status code="3">`,
		"https://pakt.example.org/api/v1/action-plans/3/report.pdf?period_id=7", "Rezultati mjere M1", ">2500.10</value>"} {
		if !strings.Contains(out, want) {
			t.Errorf("file lacks %s", want)
		}
	}
	// Counts of people are the lower bounds of their bands (package
	// disclosure): 7 reached and 6 completed education are written as 5.
	// Women 3 and men 4 are small: neither is written, not even as 0, nor
	// the 2 employed.
	for _, hidden := range []string{`value="female"`, `value="male"`, `value="3"`, `value="4"`, `value="2"`, `value="0"></actual>`,
		`<actual value="7">`, `<actual value="6">`} {
		if strings.Contains(out, hidden) {
			t.Errorf("a protected count is in the file: %s", hidden)
		}
	}
	if !strings.Contains(out, "Završili školovanje") {
		t.Error("the completed-education indicator is missing")
	}
}

// A plan without measures has no activity to write (the schema needs one).
func TestBuildNeedsMeasures(t *testing.T) {
	t.Parallel()
	in := testInput()
	in.Data.Plan.Measures = nil
	b, _ := i18n.Load()
	if _, err := iati.Build(b.For("en"), in); !errors.Is(err, iati.ErrNoMeasures) {
		t.Fatalf("no measures: %v", err)
	}
}

func validate(t *testing.T, doc string) {
	t.Helper()
	var v struct{ XMLName xml.Name }
	if err := xml.Unmarshal([]byte(doc), &v); err != nil || v.XMLName.Local != "iati-activities" {
		t.Fatalf("not an iati-activities document: %v", err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "plan.xml")
	if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("xmllint", "--noout", "--nonet", "--schema", "../shared/iati-2.03/iati-activities-schema.xsd", f)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("schema validation: %v\n%s\n%s", err, out, doc)
	}
}
