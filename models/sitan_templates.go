package models

// The built-in questionnaire templates of the situation analysis and the
// baseline indicators their numeric questions feed. Texts are kept here in
// English and Bosnian so that a questionnaire copies them at creation: a later
// change of wording never alters what a partner was asked.

// Phrase is a phrase in the languages Pakt ships.
type Phrase struct{ En, Bs string }

// In returns the text for lang, falling back to the other language.
func (t Phrase) In(lang string) string {
	if lang == "bs" && t.Bs != "" {
		return t.Bs
	}
	if t.En != "" {
		return t.En
	}
	return t.Bs
}

// BaselineIndicator is a baseline indicator. Owners are the organisation types that
// keep its register, most authoritative first: the aggregation takes the
// headline value from the first of them that answered (see AggregateIndicators).
type BaselineIndicator struct {
	Code   string
	Owners []string
	Split  bool // asked by sex (women/men)
	Name   Phrase
}

// BaselineIndicators is the catalogue, in the order of the baseline table.
var BaselineIndicators = []BaselineIndicator{
	{"registered_unemployed", []string{"pes"}, true, Phrase{"Registered unemployed persons", "Registrovana nezaposlena lica"}},
	{"long_term_unemployed", []string{"pes"}, true, Phrase{"Long-term unemployed (registered 12 months or more)", "Dugoročno nezaposleni (prijavljeni 12 i više mjeseci)"}},
	{"youth_registered_unemployed", []string{"pes"}, true, Phrase{"Registered unemployed aged 15–29", "Registrovani nezaposleni od 15 do 29 godina"}},
	{"unemployed_without_primary_education", []string{"pes"}, true, Phrase{"Registered unemployed without completed primary school", "Registrovani nezaposleni bez završene osnovne škole"}},
	{"roma_registered_unemployed", []string{"pes"}, true, Phrase{"Roma registered as unemployed", "Romi prijavljeni kao nezaposleni"}},
	{"pwd_registered_unemployed", []string{"pes"}, true, Phrase{"Persons with disabilities registered as unemployed", "Osobe s invaliditetom prijavljene kao nezaposlene"}},
	{"returnees_registered_unemployed", []string{"pes"}, true, Phrase{"Returnees registered as unemployed", "Povratnici prijavljeni kao nezaposleni"}},
	{"social_assistance_recipients", []string{"csw"}, true, Phrase{"Recipients of permanent financial assistance", "Korisnici stalne novčane pomoći"}},
	{"social_assistance_able_to_work", []string{"csw", "pes"}, true, Phrase{"Social-assistance recipients able to work", "Korisnici socijalne pomoći sposobni za rad"}},
	{"pes_referrals_to_csw", []string{"pes"}, true, Phrase{"Clients referred by the employment service to the centre for social work", "Klijenti koje je zavod za zapošljavanje uputio centru za socijalni rad"}},
	{"csw_referrals_to_pes", []string{"csw"}, true, Phrase{"Clients referred by the centre for social work to the employment service", "Klijenti koje je centar za socijalni rad uputio zavodu za zapošljavanje"}},
	{"school_dropouts", []string{"education", "csw"}, true, Phrase{"Pupils who dropped out of school (last school year)", "Učenici koji su napustili školovanje (prošla školska godina)"}},
	{"adults_without_primary_education", []string{"education"}, true, Phrase{"Adults without completed primary education", "Odrasli bez završene osnovne škole"}},
	{"adults_in_primary_education", []string{"education"}, true, Phrase{"Adults enrolled in primary education for adults", "Odrasli upisani u osnovno obrazovanje odraslih"}},
	{"roma_pupils", []string{"education"}, true, Phrase{"Roma pupils in primary and secondary school", "Romski učenici u osnovnoj i srednjoj školi"}},
	{"pwd_working_age", []string{"health", "csw"}, true, Phrase{"Persons with disabilities of working age", "Osobe s invaliditetom radno sposobne dobi"}},
	{"mental_health_working_age", []string{"health"}, true, Phrase{"Working-age patients of the community mental-health centre", "Pacijenti centra za mentalno zdravlje radno sposobne dobi"}},
	{"domestic_violence_victims", []string{"police", "csw"}, true, Phrase{"Recorded victims of domestic violence", "Evidentirane žrtve nasilja u porodici"}},
	{"juvenile_offenders", []string{"police", "judiciary"}, true, Phrase{"Juveniles in conflict with the law", "Maloljetnici u sukobu sa zakonom"}},
	{"released_prisoners", []string{"judiciary"}, true, Phrase{"Persons released from prison (last year)", "Lica puštena s izdržavanja kazne (prošla godina)"}},
	{"community_service", []string{"judiciary"}, true, Phrase{"Persons doing community service instead of prison", "Lica na radu za opšte dobro umjesto zatvorske kazne"}},
	{"ngo_beneficiaries", []string{"ngo"}, true, Phrase{"Persons served by NGO programmes (last year)", "Korisnici programa nevladinih organizacija (prošla godina)"}},
	{"ngo_employed", []string{"ngo"}, true, Phrase{"Persons who found work with NGO support (last year)", "Lica koja su uz podršku NVO našla posao (prošla godina)"}},
}

// BaselineIndicatorByCode finds an indicator of the catalogue.
func BaselineIndicatorByCode(code string) (BaselineIndicator, bool) {
	for _, in := range BaselineIndicators {
		if in.Code == code {
			return in, true
		}
	}
	return BaselineIndicator{}, false
}

// QuestionChoice is one option of a choice question.
type QuestionChoice struct {
	Value string `json:"value"`
	En    string `json:"en"`
	Bs    string `json:"bs"`
}

// Label is the option's text in lang.
func (c QuestionChoice) Label(lang string) string { return Phrase{c.En, c.Bs}.In(lang) }

// TemplateQuestion is one question of a built-in template. A number question
// with an indicator inherits the indicator's women/men split.
type TemplateQuestion struct {
	Code, Kind, Indicator string
	Text                  Phrase
	Options               []QuestionChoice
}

// Question kinds.
const (
	QuestionNumber     = "number"
	QuestionText       = "text"
	QuestionChoiceKind = "choice"
)

// QuestionKinds lists the kinds a question may have.
var QuestionKinds = []string{QuestionNumber, QuestionText, QuestionChoiceKind}

// TemplateNames are the institution types with a built-in questionnaire.
var TemplateNames = []string{"pes", "csw", "health", "education", "police", "judiciary", "ngo"}

func sitanNum(indicator string, en, bs string) TemplateQuestion {
	return TemplateQuestion{Code: indicator, Kind: QuestionNumber, Indicator: indicator, Text: Phrase{en, bs}}
}

func sitanTxt(code, en, bs string) TemplateQuestion {
	return TemplateQuestion{Code: code, Kind: QuestionText, Text: Phrase{en, bs}}
}

func sitanChoice(code, en, bs string, opts ...QuestionChoice) TemplateQuestion {
	return TemplateQuestion{Code: code, Kind: QuestionChoiceKind, Text: Phrase{en, bs}, Options: opts}
}

var sitanFrequency = []QuestionChoice{{"never", "Never", "Nikad"}, {"occasionally", "Occasionally, case by case", "Povremeno, od slučaja do slučaja"},
	{"monthly", "At least monthly", "Najmanje jednom mjesečno"}, {"weekly", "Weekly or more often", "Sedmično ili češće"}}

var sitanYesPartlyNo = []QuestionChoice{{"yes", "Yes", "Da"}, {"partly", "Partly", "Djelimično"}, {"no", "No", "Ne"}}

// QuestionnaireTemplates holds the questions of each built-in template.
var QuestionnaireTemplates = map[string][]TemplateQuestion{
	"pes": {
		sitanNum("registered_unemployed", "How many persons were registered as unemployed on 31 December of the reference year?", "Koliko je lica bilo prijavljeno kao nezaposleno na dan 31. decembra referentne godine?"),
		sitanNum("long_term_unemployed", "Of them, how many had been registered for 12 months or more?", "Od toga, koliko ih je bilo prijavljeno 12 ili više mjeseci?"),
		sitanNum("youth_registered_unemployed", "Of them, how many were aged 15 to 29?", "Od toga, koliko ih je imalo od 15 do 29 godina?"),
		sitanNum("unemployed_without_primary_education", "Of them, how many have not completed primary school?", "Od toga, koliko ih nema završenu osnovnu školu?"),
		sitanNum("roma_registered_unemployed", "How many registered unemployed persons declared themselves as Roma?", "Koliko se prijavljenih nezaposlenih lica izjasnilo kao Romi?"),
		sitanNum("pwd_registered_unemployed", "How many registered unemployed persons have a recognised disability?", "Koliko prijavljenih nezaposlenih lica ima utvrđen invaliditet?"),
		sitanNum("returnees_registered_unemployed", "How many registered unemployed persons are returnees?", "Koliko prijavljenih nezaposlenih lica su povratnici?"),
		sitanNum("social_assistance_able_to_work", "How many registered unemployed persons also receive social assistance from the centre for social work?", "Koliko prijavljenih nezaposlenih lica prima i socijalnu pomoć od centra za socijalni rad?"),
		sitanNum("pes_referrals_to_csw", "How many clients did your office refer to the centre for social work during the year?", "Koliko je klijenata vaš biro uputio centru za socijalni rad tokom godine?"),
		sitanChoice("csw_cooperation", "How often does your office work with the centre for social work on shared clients?", "Koliko često vaš biro sarađuje s centrom za socijalni rad oko zajedničkih klijenata?", sitanFrequency...),
		sitanTxt("almp_last_year", "Which active labour-market measures did your office run last year, and for how many people?", "Koje je mjere aktivne politike zapošljavanja vaš biro provodio prošle godine i za koliko lica?"),
		sitanTxt("main_obstacles", "What keeps the hardest-to-employ from finding work, in your experience?", "Šta, prema vašem iskustvu, najteže zapošljivima najviše otežava zapošljavanje?"),
	},
	"csw": {
		sitanNum("social_assistance_recipients", "How many persons received permanent financial assistance on 31 December?", "Koliko je lica primalo stalnu novčanu pomoć na dan 31. decembra?"),
		sitanNum("social_assistance_able_to_work", "How many adult beneficiaries of social assistance are able to work?", "Koliko je odraslih korisnika socijalne pomoći sposobno za rad?"),
		sitanNum("csw_referrals_to_pes", "How many clients did the centre refer to the employment service during the year?", "Koliko je klijenata centar uputio zavodu za zapošljavanje tokom godine?"),
		sitanNum("school_dropouts", "How many children known to the centre dropped out of school during the last school year?", "Koliko je djece poznate centru napustilo školovanje tokom prošle školske godine?"),
		sitanNum("domestic_violence_victims", "How many victims of domestic violence did the centre work with during the year?", "S koliko je žrtava nasilja u porodici centar radio tokom godine?"),
		sitanNum("pwd_working_age", "How many persons with disabilities of working age receive rights or services from the centre?", "Koliko osoba s invaliditetom radno sposobne dobi ostvaruje prava ili usluge u centru?"),
		sitanChoice("case_plans", "Does the centre make individual activation plans for clients able to work?", "Da li centar izrađuje individualne planove aktivacije za korisnike sposobne za rad?", sitanYesPartlyNo...),
		sitanTxt("hardest_to_activate", "Which groups of clients are hardest to activate, and why?", "Koje grupe korisnika je najteže aktivirati i zašto?"),
	},
	"health": {
		sitanNum("pwd_working_age", "How many persons of working age (15–64) have a disability recorded by the health centre?", "Koliko lica radno sposobne dobi (15–64) ima invaliditet evidentiran u domu zdravlja?"),
		sitanNum("mental_health_working_age", "How many working-age patients are treated by the community mental-health centre?", "Koliko pacijenata radno sposobne dobi liječi centar za mentalno zdravlje u zajednici?"),
		sitanChoice("work_capacity", "Does the health centre assess work capacity for the employment service?", "Da li dom zdravlja procjenjuje radnu sposobnost za potrebe zavoda za zapošljavanje?",
			QuestionChoice{"regularly", "Yes, regularly", "Da, redovno"}, QuestionChoice{"on_request", "Only on request", "Samo na zahtjev"}, QuestionChoice{"no", "No", "Ne"}),
		sitanTxt("health_barriers", "Which health problems most often keep people from working?", "Koji zdravstveni problemi najčešće sprečavaju ljude da rade?"),
	},
	"education": {
		sitanNum("school_dropouts", "How many pupils dropped out of primary or secondary school during the last school year?", "Koliko je učenika napustilo osnovnu ili srednju školu tokom prošle školske godine?"),
		sitanNum("adults_without_primary_education", "By your records, how many adults (15 and older) have not completed primary school?", "Prema vašoj evidenciji, koliko odraslih (15 i više godina) nije završilo osnovnu školu?"),
		sitanNum("adults_in_primary_education", "How many adults were enrolled in primary education for adults?", "Koliko je odraslih bilo upisano u osnovno obrazovanje odraslih?"),
		sitanNum("roma_pupils", "How many Roma pupils attend primary and secondary school?", "Koliko romskih učenika pohađa osnovnu i srednju školu?"),
		sitanChoice("adult_courses", "Does the school offer short vocational (re)training courses for adults?", "Da li škola nudi kratke programe stručnog (pre)kvalifikovanja za odrasle?",
			QuestionChoice{"yes", "Yes", "Da"}, QuestionChoice{"planned", "Planned", "Planirano"}, QuestionChoice{"no", "No", "Ne"}),
		sitanTxt("missing_occupations", "Which occupations do local employers ask for that the schools do not train?", "Koja zanimanja traže lokalni poslodavci, a škole za njih ne obrazuju?"),
	},
	"police": {
		sitanNum("domestic_violence_victims", "How many victims of domestic violence were recorded during the year?", "Koliko je žrtava nasilja u porodici evidentirano tokom godine?"),
		sitanNum("juvenile_offenders", "How many juveniles committed criminal offences during the year?", "Koliko je maloljetnika počinilo krivična djela tokom godine?"),
		sitanTxt("risk_groups", "Which groups at risk do you meet most often in your work?", "Koje rizične grupe najčešće susrećete u svom radu?"),
	},
	"judiciary": {
		sitanNum("released_prisoners", "How many persons from the municipality were released from prison during the year?", "Koliko je lica iz opštine pušteno s izdržavanja kazne tokom godine?"),
		sitanNum("juvenile_offenders", "How many juveniles from the municipality were in court proceedings during the year?", "Protiv koliko je maloljetnika iz opštine vođen sudski postupak tokom godine?"),
		sitanNum("community_service", "How many persons did community service instead of a prison sentence?", "Koliko je lica obavljalo rad za opšte dobro umjesto zatvorske kazne?"),
		sitanTxt("reintegration", "What would help people leaving prison or court measures to find work?", "Šta bi pomoglo licima nakon izdržane kazne ili sudske mjere da nađu posao?"),
	},
	"ngo": {
		sitanNum("ngo_beneficiaries", "How many persons did your organisation's programmes serve during the year?", "Koliko je lica bilo obuhvaćeno programima vaše organizacije tokom godine?"),
		sitanNum("ngo_employed", "How many of them found a job with your support?", "Koliko ih je uz vašu podršku našlo posao?"),
		sitanChoice("main_group", "Which group does your organisation mainly work with?", "S kojom grupom vaša organizacija najviše radi?",
			QuestionChoice{"roma", "Roma", "Romi"}, QuestionChoice{"disability", "Persons with disabilities", "Osobe s invaliditetom"},
			QuestionChoice{"women", "Women", "Žene"}, QuestionChoice{"youth_neet", "Young people not in work or education", "Mladi koji ne rade i nisu u obrazovanju"},
			QuestionChoice{"returnees", "Returnees", "Povratnici"}, QuestionChoice{"other", "Other", "Drugo"}),
		sitanTxt("needs", "What do the people you work with need most to find work?", "Šta je ljudima s kojima radite najpotrebnije da bi našli posao?"),
	},
}

// VulnerableGroupCodes are the group codes of API.md.
var VulnerableGroupCodes = []string{"roma", "disability", "long_term_unemployed", "social_assistance", "youth_neet",
	"women", "returnees", "dropouts", "older_workers", "other"}

// BarrierFamilies are the three kinds of barriers (DOMAIN.md).
var BarrierFamilies = []string{"employment", "participation", "information"}

// SpecificBarrier is a concrete barrier within its family.
type SpecificBarrier struct{ Code, Family string }

// SpecificBarriers lists the concrete barriers a group may face.
var SpecificBarriers = []SpecificBarrier{
	{"education", "employment"}, {"job_skills", "employment"}, {"behavioural_skills", "employment"},
	{"care_duties", "participation"}, {"low_confidence", "participation"}, {"distance", "participation"},
	{"health", "participation"}, {"discrimination", "participation"},
	{"job_information", "information"}, {"training_information", "information"}, {"benefit_information", "information"},
	{"complex_procedures", "information"}, {"institutional_support", "information"}, {"benefit_trap", "information"},
}

// barrierFamilyOf returns the family of a specific barrier ("" if unknown).
func barrierFamilyOf(code string) string {
	for _, b := range SpecificBarriers {
		if b.Code == code {
			return b.Family
		}
	}
	return ""
}
