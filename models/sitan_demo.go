package models

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
)

// Demo data of the Birac region (app.SeedDemo): per municipality a published
// situation analysis two years before today (PES, CSW, health, education and an NGO were
// asked; one of them never answered and is late) and focus groups. Numbers
// are plausible for municipalities of 10–60 thousand people, scaled from
// Bratunac's profile.

// demoProfile says how one municipality differs from Bratunac.
type demoProfile struct {
	scale     float64            // population relative to Bratunac (≈18,000)
	boost     map[string]float64 // per-indicator factors (Zvornik's Roma, Srebrenica's returnees)
	late      string             // template of the questionnaire that was never submitted
	thirdKind string             // group ranked after the long-term unemployed and Roma
	ngoGroup  string             // what the NGO mainly works with
}

var demoProfiles = map[string]demoProfile{
	"bratunac":   {1.0, nil, "health", "women", "women"},
	"milici":     {0.62, map[string]float64{"roma_registered_unemployed": 1.4}, "education", "youth_neet", "roma"},
	"srebrenica": {0.72, map[string]float64{"returnees_registered_unemployed": 2.6}, "ngo", "returnees", "returnees"},
	"vlasenica":  {0.64, nil, "health", "women", "youth_neet"},
	"zvornik":    {3.2, map[string]float64{"roma_registered_unemployed": 2.8, "roma_pupils": 2.5}, "csw", "youth_neet", "women"},
}

// demoNumbers are Bratunac's answers: women and men per indicator question.
var demoNumbers = map[string]map[string][2]float64{
	"pes": {"registered_unemployed": {1490, 1380}, "long_term_unemployed": {1050, 910}, "youth_registered_unemployed": {300, 310},
		"unemployed_without_primary_education": {250, 170}, "roma_registered_unemployed": {20, 26}, "pwd_registered_unemployed": {31, 57},
		"returnees_registered_unemployed": {160, 180}, "social_assistance_able_to_work": {58, 84}, "pes_referrals_to_csw": {5, 4}},
	"csw": {"social_assistance_recipients": {121, 115}, "social_assistance_able_to_work": {70, 95}, "csw_referrals_to_pes": {8, 6},
		"school_dropouts": {4, 7}, "domestic_violence_victims": {24, 3}, "pwd_working_age": {80, 110}},
	"education": {"school_dropouts": {5, 8}, "adults_without_primary_education": {380, 230}, "adults_in_primary_education": {15, 9},
		"roma_pupils": {17, 21}},
	"health": {"pwd_working_age": {170, 240}, "mental_health_working_age": {80, 70}},
	"ngo":    {"ngo_beneficiaries": {120, 60}, "ngo_employed": {10, 4}},
}

// demoTexts are the text and choice answers (the same wording everywhere).
var demoTexts = map[string]map[string]string{
	"pes": {"csw_cooperation": "occasionally",
		"almp_last_year": "Sufinansiranje zapošljavanja za 35 lica (od toga 12 Roma i osoba s invaliditetom), obuka za njegovateljice za 20 žena i javni radovi za 40 lica.",
		"main_obstacles": "Niska kvalifikaciona struktura, dugotrajna nezaposlenost i nedostatak prevoza iz udaljenih naselja; dio korisnika socijalne pomoći strahuje da će izgubiti pravo ako prihvati sezonski posao."},
	"csw": {"case_plans": "partly",
		"hardest_to_activate": "Dugoročno nezaposleni bez završene osnovne škole i samohrane majke s malom djecom, jer nema vrtića ni prevoza iz ruralnih naselja."},
	"education": {"adult_courses": "planned", "missing_occupations": "Zavarivači, vozači C kategorije, njegovateljice starih lica i kuhari."},
	"health":    {"work_capacity": "on_request", "health_barriers": "Hronične bolesti, posljedice ratne traume i depresija; mnogi nemaju procjenu radne sposobnosti."},
	"ngo":       {"needs": "Pratnja pri prvom odlasku u biro, kratke obuke s certifikatom i pomoć oko čuvanja djece."},
}

// SeedSitanDemo loads the demo analysis and focus groups of one municipality.
// year is the analysis's year: the demo's plans follow it.
func SeedSitanDemo(ctx context.Context, tx *gorm.DB, a Actor, m *Municipality, year int) error {
	p, ok := demoProfiles[m.Slug]
	if !ok {
		return nil
	}
	orgs, err := demoOrgs(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	s, err := CreateSitan(ctx, tx, a, m.ID, SitanInput{Title: fmt.Sprintf("Analiza stanja socijalne zaštite i uključenosti – %s %d", m.Name, year), Year: year})
	if err != nil {
		return err
	}
	for _, tmpl := range []string{"pes", "csw", "education", "health", "ngo"} {
		if err := demoQuestionnaire(ctx, tx, a, s, orgs[tmpl], tmpl, p, year); err != nil {
			return fmt.Errorf("demo questionnaire %s: %w", tmpl, err)
		}
	}
	if err := demoGroups(ctx, tx, a, s, p); err != nil {
		return err
	}
	if err := demoFindings(ctx, tx, a, s, orgs); err != nil {
		return err
	}
	if _, err := PublishSitan(ctx, tx, a, m.ID, s.ID, 0); err != nil {
		return err
	}
	if err := seedFocusDemo(ctx, tx, a, m, year); err != nil {
		return err
	}
	if m.Slug == "bratunac" {
		return demoLiveSitan(ctx, tx, a, m, orgs)
	}
	return nil
}

// demoOrgs finds the first organisation of each type.
func demoOrgs(ctx context.Context, tx *gorm.DB, muniID int64) (map[string]int64, error) {
	list, err := ListOrganisations(ctx, tx, muniID)
	out := map[string]int64{}
	for _, o := range list {
		if out[o.Type] == 0 || o.ID < out[o.Type] {
			out[o.Type] = o.ID
		}
	}
	return out, err
}

func demoQuestionnaire(ctx context.Context, tx *gorm.DB, a Actor, s *SituationAnalysis, orgID int64, tmpl string, p demoProfile, year int) error {
	q, err := CreateQuestionnaire(ctx, tx, a, s.MunicipalityID, s.ID, QuestionnaireInput{OrganisationID: orgID,
		Template: tmpl, DueDate: time.Date(year, 10, 14, 0, 0, 0, 0, time.UTC), Send: true})
	if err != nil {
		return err
	}
	qs, err := QuestionnaireQuestions(ctx, tx, s.MunicipalityID, q.ID)
	if err != nil {
		return err
	}
	answers := demoAnswers(qs, tmpl, p)
	if tmpl == p.late {
		answers = answers[:2] // started, never submitted
	}
	if _, err := SaveAnswers(ctx, tx, a, s.MunicipalityID, q.ID, 0, answers); err != nil {
		return err
	}
	if tmpl == p.late {
		return nil
	}
	_, err = SubmitQuestionnaire(ctx, tx, a, s.MunicipalityID, q.ID, 0)
	return err
}

func demoAnswers(qs []Question, tmpl string, p demoProfile) []AnswerInput {
	var out []AnswerInput
	for _, q := range qs {
		if wm, ok := demoNumbers[tmpl][q.Code]; ok {
			f := p.scale
			if b, ok := p.boost[q.Code]; ok {
				f *= b
			}
			w, m := int(math.Round(wm[0]*f)), int(math.Round(wm[1]*f))
			out = append(out, AnswerInput{QuestionID: q.ID, Value: fmt.Sprint(w + m), Women: fmt.Sprint(w), Men: fmt.Sprint(m)})
			continue
		}
		v := demoTexts[tmpl][q.Code]
		if q.Code == "main_group" {
			v = p.ngoGroup
		}
		if v != "" {
			out = append(out, AnswerInput{QuestionID: q.ID, Value: v})
		}
	}
	return out
}

func demoGroups(ctx context.Context, tx *gorm.DB, a Actor, s *SituationAnalysis, p demoProfile) error {
	n := func(x float64) int { return int(math.Round(x * p.scale)) }
	ip := func(x int) *int { return &x }
	third := map[string]VulnerableGroupInput{
		"women":      {Group: "women", Label: "Žene sa sela bez radnog iskustva", EstimatedSize: n(420), Women: ip(n(420)), Men: ip(0), SpecificBarriers: []string{"care_duties", "distance", "job_information"}},
		"youth_neet": {Group: "youth_neet", Label: "Mladi od 15 do 29 godina", EstimatedSize: n(350), Women: ip(n(160)), Men: ip(n(190)), SpecificBarriers: []string{"job_skills", "behavioural_skills", "low_confidence"}},
		"returnees":  {Group: "returnees", Label: "Povratnici u udaljena naselja", EstimatedSize: n(900), Women: ip(n(430)), Men: ip(n(470)), SpecificBarriers: []string{"distance", "complex_procedures", "institutional_support"}},
	}[p.thirdKind]
	third.Priority = 3
	groups := []VulnerableGroupInput{
		{Group: "long_term_unemployed", Label: "Bez završene osnovne škole", EstimatedSize: n(1960), Women: ip(n(1050)), Men: ip(n(910)), SpecificBarriers: []string{"education", "job_skills", "benefit_trap"}, Priority: 1},
		{Group: "roma", EstimatedSize: n(180 * demoBoost(p, "roma_registered_unemployed")), SpecificBarriers: []string{"education", "discrimination", "complex_procedures"}, Priority: 2},
		third,
		{Group: "disability", EstimatedSize: n(410), Women: ip(n(170)), Men: ip(n(240)), SpecificBarriers: []string{"health", "distance", "discrimination"}, Priority: 4},
		{Group: "other", Label: "Lica nakon izdržane kazne zatvora", EstimatedSize: 8, Women: ip(1), Men: ip(7), SpecificBarriers: []string{"discrimination", "institutional_support"}, Priority: 5},
	}
	for _, g := range groups {
		if g.Women != nil && g.Men != nil {
			g.EstimatedSize = *g.Women + *g.Men // rounding must not break the sum
		}
		if _, err := AddVulnerableGroup(ctx, tx, a, s.MunicipalityID, s.ID, g); err != nil {
			return fmt.Errorf("demo group %s: %w", g.Group, err)
		}
	}
	return nil
}

func demoBoost(p demoProfile, code string) float64 {
	if b, ok := p.boost[code]; ok {
		return b
	}
	return 1
}

func demoFindings(ctx context.Context, tx *gorm.DB, a Actor, s *SituationAnalysis, orgs map[string]int64) error {
	findings := []FindingInput{
		{"Dvije trećine registrovanih nezaposlenih traži posao duže od godinu dana, a svaki sedmi nema završenu osnovnu školu.", "long_term_unemployed", "employment", orgs["pes"]},
		{"Centar za socijalni rad i biro za zapošljavanje vode različit broj korisnika socijalne pomoći sposobnih za rad; zajednička evidencija ne postoji.", "social_assistance", "information", orgs["csw"]},
		{"Djeca iz siromašnih i romskih porodica najčešće napuštaju školu nakon petog razreda, zbog troškova prevoza i udžbenika.", "dropouts", "participation", orgs["education"]},
		{"Osobe s invaliditetom rijetko se javljaju na konkurse jer ne znaju za sufinansiranje prilagođavanja radnog mjesta.", "disability", "information", orgs["ngo"]},
	}
	for _, f := range findings {
		if _, err := AddFinding(ctx, tx, a, s.MunicipalityID, s.ID, f); err != nil {
			return err
		}
	}
	return nil
}

// demoLiveSitan is this year's analysis, still collecting, so the demo shows
// the partner's side: the employment service's questionnaire is late, the
// centre for social work's is due in three weeks, the NGO's is a draft.
func demoLiveSitan(ctx context.Context, tx *gorm.DB, a Actor, m *Municipality, orgs map[string]int64) error {
	year := time.Now().Year()
	s, err := CreateSitan(ctx, tx, a, m.ID, SitanInput{Title: fmt.Sprintf("Analiza stanja %s %d", m.Name, year), Year: year})
	if err != nil {
		return err
	}
	today := sitanDay(time.Now())
	for _, q := range []QuestionnaireInput{
		{OrganisationID: orgs["pes"], Template: "pes", DueDate: today.AddDate(0, 0, -5), Send: true},
		{OrganisationID: orgs["csw"], Template: "csw", DueDate: today.AddDate(0, 0, 21), Send: true},
		{OrganisationID: orgs["ngo"], Template: "ngo", DueDate: today.AddDate(0, 0, 30)},
	} {
		if _, err := CreateQuestionnaire(ctx, tx, a, m.ID, s.ID, q); err != nil {
			return err
		}
	}
	return nil
}
