package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// demoFocus is one demo focus group: participants as total, women, men and
// age bands (15–29, 30–49, 50+). Across the five Birac municipalities the
// participants add up to 85, as in the model practice (DOMAIN.md).
type demoFocus struct {
	day        string
	place      string
	groups     []string
	women, men int
	ages       []int
	summary    string
	needs      []NeedInput
}

var demoFocusGroups = map[string][]demoFocus{
	"bratunac": {
		{"2016-11-08", "Mjesna zajednica Voljavica", []string{"roma", "long_term_unemployed"}, 6, 4, []int{4, 4, 2},
			"Razgovor o preprekama pri prijavi na biro i o poslovima koje nude lokalni poslodavci.", []NeedInput{
				{"Pratnja pri prvoj prijavi na biro i pri vađenju dokumenata.", "information", 1, "roma", "Kad odem sama u biro, ne znam ni koji papir da tražim."},
				{"Obuka za zanimanja koja traže poljoprivredna gazdinstva u okolini.", "employment", 2, "long_term_unemployed", ""},
			}},
		{"2016-11-15", "Omladinski centar Bratunac", []string{"youth_neet"}, 3, 5, []int{8, 0, 0},
			"Mladi bez posla i bez škole o tome šta bi ih vratilo obrazovanju ili radu.", []NeedInput{
				{"Prakse kod poslodavaca koje se plaćaju, makar i malo.", "employment", 1, "", "Niko neće da te primi bez iskustva, a iskustvo nemaš gdje da stekneš."},
				{"Informacije o programima na jednom mjestu, i na društvenim mrežama.", "information", 2, "", ""},
			}},
	},
	"milici": {
		{"2016-11-10", "Dom kulture Milići", []string{"women", "social_assistance"}, 9, 0, []int{2, 5, 2},
			"Žene korisnice socijalne pomoći o čuvanju djece i sezonskom radu.", []NeedInput{
				{"Vrtić ili čuvanje djece u vrijeme obuke i prvih mjeseci rada.", "participation", 1, "women", "Ne mogu na obuku dok mi je dijete kod kuće samo."},
				{"Sigurnost da se pomoć neće odmah ukinuti kad se prihvati sezonski posao.", "information", 1, "social_assistance", ""},
			}},
		{"2016-11-17", "Romski informativni centar Milići", []string{"roma"}, 2, 4, []int{3, 2, 1},
			"Razgovor o završavanju osnovne škole za odrasle.", []NeedInput{
				{"Završavanje osnovne škole za odrasle uz nadoknadu prevoza.", "employment", 1, "", "Bez osnovne škole ne mogu ni na kurs za vozača."},
			}},
	},
	"srebrenica": {
		{"2016-11-09", "Potočari, prostorije fondacije", []string{"returnees", "older_workers"}, 5, 6, []int{0, 4, 7},
			"Povratnici u udaljena naselja o prevozu i poljoprivredi.", []NeedInput{
				{"Organizovan prevoz do radnih mjesta u gradu.", "participation", 1, "returnees", "Autobus ide jednom dnevno, a smjena počinje u šest."},
				{"Podrška za registraciju gazdinstva i plasman proizvoda.", "employment", 2, "older_workers", ""},
			}},
		{"2016-11-16", "Udruženje osoba s invaliditetom Srebrenica", []string{"disability"}, 2, 4, []int{1, 3, 2},
			"Osobe s invaliditetom o pristupačnosti i poslodavcima.", []NeedInput{
				{"Prilagođena radna mjesta i informacije poslodavcima o sufinansiranju.", "information", 1, "", "Poslodavac nije ni znao da može dobiti novac za prilagođavanje."},
				{"Pristupačan ulaz u biro i centar za socijalni rad.", "participation", 2, "", ""},
			}},
	},
	"vlasenica": {
		{"2016-11-11", "Centar za mlade Vlasenica", []string{"youth_neet", "dropouts"}, 4, 5, []int{9, 0, 0},
			"Mladi koji su napustili školu o povratku u obrazovanje.", []NeedInput{
				{"Vanredno završavanje srednje škole uz stipendiju za prevoz.", "employment", 1, "dropouts", "Otišao sam iz škole jer nisam imao za autobus."},
				{"Mentor koji prati mladu osobu prvih mjeseci na poslu.", "participation", 2, "youth_neet", ""},
			}},
		{"2016-11-18", "Sala Skupštine opštine Vlasenica", []string{"women", "long_term_unemployed"}, 7, 0, []int{1, 4, 2},
			"Dugoročno nezaposlene žene o prekvalifikaciji.", []NeedInput{
				{"Prekvalifikacija za njegu starih lica, s certifikatom.", "employment", 1, "women", ""},
			}},
	},
	"zvornik": {
		{"2016-11-07", "Romsko naselje Karakaj", []string{"roma"}, 7, 5, []int{5, 5, 2},
			"Romske porodice o zapošljavanju i školovanju djece.", []NeedInput{
				{"Romski medijator u biru i u školi.", "information", 1, "", "Kad neko od naših objasni, onda i vjerujemo."},
				{"Javni radovi s obukom, a ne samo fizički poslovi.", "employment", 2, "", ""},
				{"Pomoć za udžbenike i prevoz da djeca ne napuštaju školu.", "participation", 1, "", ""},
			}},
		{"2016-11-14", "Udruženje \"Žene Drine\" Zvornik", []string{"women", "social_assistance"}, 7, 0, []int{2, 4, 1},
			"Žene žrtve nasilja i korisnice pomoći o ekonomskom osamostaljenju.", []NeedInput{
				{"Podrška za samozapošljavanje i mali početni kapital.", "employment", 1, "women", "Treba mi posao da bih mogla otići od njega."},
				{"Savjetovanje na jednom mjestu: pravo, posao, smještaj.", "information", 1, "social_assistance", ""},
			}},
	},
}

// seedFocusDemo records the demo focus groups of one municipality, led by
// its coordinator and the centre for social work's representative.
func seedFocusDemo(ctx context.Context, tx *gorm.DB, a Actor, m *Municipality, year int) error {
	members, err := ListMembers(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	var facilitators []int64
	for _, u := range members {
		if u.Role == RoleCoordinator || (u.Role == RoleMember && strings.HasPrefix(u.OrganisationName, "JU Centar za socijalni rad")) {
			facilitators = append(facilitators, u.UserID)
		}
	}
	for _, d := range demoFocusGroups[m.Slug] {
		day, err := time.Parse(time.DateOnly, d.day)
		if err != nil {
			return err
		}
		// The table's days are of the analysis's autumn; the year is the demo's.
		day = day.AddDate(year-day.Year(), 0, 0)
		in := FocusGroupInput{HeldOn: day, Place: d.place, Groups: d.groups, Total: d.women + d.men, Women: d.women,
			Men: d.men, Ages: d.ages, ConsentObtained: true, Summary: d.summary, FacilitatorUserIDs: facilitators, Needs: d.needs}
		if _, err := CreateFocusGroup(ctx, tx, a, m.ID, in); err != nil {
			return err
		}
	}
	return nil
}
