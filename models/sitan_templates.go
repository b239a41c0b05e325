package models

import (
	"strings"

	"pakt/i18n"
)

// The built-in questionnaire templates of the situation analysis and the
// baseline indicators their numeric questions feed. Texts are kept here in
// every language Pakt ships (English, Bosnian, Serbian Cyrillic, Albanian,
// Macedonian) so that a questionnaire copies them at creation: a later change
// of wording never alters what a partner was asked. Serbian Latin is derived
// from the Cyrillic text (i18n.ToSerbianLatin), as the interface is.

// Phrase is a phrase in the languages Pakt ships.
type Phrase struct{ En, Bs, Sr, Sq, Mk string }

// In returns the text for lang ("sr-Latn" transliterates the Serbian text).
// A missing translation falls back to a language the reader most likely
// understands: Serbian readers get Bosnian, everyone else English, then
// whatever text there is.
func (t Phrase) In(lang string) string {
	base, latin := lang, false
	if i := strings.IndexByte(lang, '-'); i >= 0 {
		base, latin = lang[:i], strings.EqualFold(lang[i+1:], "Latn")
	}
	var order []string
	switch strings.ToLower(base) {
	case "bs", "hr", "cnr":
		order = []string{t.Bs, t.En}
	case "sr":
		sr := t.Sr
		if latin {
			sr = i18n.ToSerbianLatin(sr)
		}
		order = []string{sr, t.Bs, t.En}
	case "sq":
		order = []string{t.Sq, t.En, t.Bs}
	case "mk":
		order = []string{t.Mk, t.En, t.Bs}
	default:
		order = []string{t.En, t.Bs}
	}
	for _, s := range append(order, t.En, t.Bs, t.Sr, t.Sq, t.Mk) {
		if s != "" {
			return s
		}
	}
	return ""
}

// Complete says whether the phrase has a text in every language.
func (t Phrase) Complete() bool {
	return t.En != "" && t.Bs != "" && t.Sr != "" && t.Sq != "" && t.Mk != ""
}

// Empty says whether the phrase has no text at all.
func (t Phrase) Empty() bool {
	return t.En == "" && t.Bs == "" && t.Sr == "" && t.Sq == "" && t.Mk == ""
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
	{"registered_unemployed", []string{"pes"}, true, Phrase{
		"Registered unemployed persons",
		"Registrovana nezaposlena lica",
		"Регистрована незапослена лица",
		"Persona të papunë të regjistruar",
		"Регистрирани невработени лица"}},
	{"long_term_unemployed", []string{"pes"}, true, Phrase{
		"Long-term unemployed (registered 12 months or more)",
		"Dugoročno nezaposleni (prijavljeni 12 i više mjeseci)",
		"Дугорочно незапослени (пријављени 12 и више месеци)",
		"Të papunë afatgjatë (të regjistruar 12 muaj ose më shumë)",
		"Долгорочно невработени лица (пријавени 12 или повеќе месеци)"}},
	{"youth_registered_unemployed", []string{"pes"}, true, Phrase{
		"Registered unemployed aged 15–29",
		"Registrovani nezaposleni od 15 do 29 godina",
		"Регистровани незапослени од 15 до 29 година",
		"Të papunë të regjistruar të moshës 15–29 vjeç",
		"Регистрирани невработени лица на возраст од 15 до 29 години"}},
	{"unemployed_without_primary_education", []string{"pes"}, true, Phrase{
		"Registered unemployed without completed primary school",
		"Registrovani nezaposleni bez završene osnovne škole",
		"Регистровани незапослени без завршене основне школе",
		"Të papunë të regjistruar pa shkollë fillore të përfunduar",
		"Регистрирани невработени лица без завршено основно образование"}},
	{"roma_registered_unemployed", []string{"pes"}, true, Phrase{
		"Roma registered as unemployed",
		"Romi prijavljeni kao nezaposleni",
		"Роми пријављени као незапослени",
		"Romë të regjistruar si të papunë",
		"Роми пријавени како невработени"}},
	{"pwd_registered_unemployed", []string{"pes"}, true, Phrase{
		"Persons with disabilities registered as unemployed",
		"Osobe s invaliditetom prijavljene kao nezaposlene",
		"Особе са инвалидитетом пријављене као незапослене",
		"Persona me aftësi të kufizuara të regjistruar si të papunë",
		"Лица со попреченост пријавени како невработени"}},
	{"returnees_registered_unemployed", []string{"pes"}, true, Phrase{
		"Returnees registered as unemployed",
		"Povratnici prijavljeni kao nezaposleni",
		"Повратници пријављени као незапослени",
		"Të kthyer të regjistruar si të papunë",
		"Повратници пријавени како невработени"}},
	{"social_assistance_recipients", []string{"csw"}, true, Phrase{
		"Recipients of permanent financial assistance",
		"Korisnici stalne novčane pomoći",
		"Корисници сталне новчане помоћи",
		"Përfitues të ndihmës së përhershme financiare",
		"Корисници на постојана парична помош"}},
	{"social_assistance_able_to_work", []string{"csw", "pes"}, true, Phrase{
		"Social-assistance recipients able to work",
		"Korisnici socijalne pomoći sposobni za rad",
		"Корисници социјалне помоћи способни за рад",
		"Përfitues të ndihmës sociale të aftë për punë",
		"Корисници на социјална помош способни за работа"}},
	{"pes_referrals_to_csw", []string{"pes"}, true, Phrase{
		"Clients referred by the employment service to the centre for social work",
		"Klijenti koje je zavod za zapošljavanje uputio centru za socijalni rad",
		"Клијенти које је служба за запошљавање упутила центру за социјални рад",
		"Klientë të referuar nga shërbimi i punësimit te qendra për punë sociale",
		"Клиенти упатени од агенцијата за вработување во центарот за социјална работа"}},
	{"csw_referrals_to_pes", []string{"csw"}, true, Phrase{
		"Clients referred by the centre for social work to the employment service",
		"Klijenti koje je centar za socijalni rad uputio zavodu za zapošljavanje",
		"Клијенти које је центар за социјални рад упутио служби за запошљавање",
		"Klientë të referuar nga qendra për punë sociale te shërbimi i punësimit",
		"Клиенти упатени од центарот за социјална работа во агенцијата за вработување"}},
	{"school_dropouts", []string{"education", "csw"}, true, Phrase{
		"Pupils who dropped out of school (last school year)",
		"Učenici koji su napustili školovanje (prošla školska godina)",
		"Ученици који су напустили школовање (претходна школска година)",
		"Nxënës që e kanë braktisur shkollën (viti i kaluar shkollor)",
		"Ученици што го напуштиле школувањето (минатата учебна година)"}},
	{"adults_without_primary_education", []string{"education"}, true, Phrase{
		"Adults without completed primary education",
		"Odrasli bez završene osnovne škole",
		"Одрасли без завршене основне школе",
		"Të rritur pa arsim fillor të përfunduar",
		"Возрасни лица без завршено основно образование"}},
	{"adults_in_primary_education", []string{"education"}, true, Phrase{
		"Adults enrolled in primary education for adults",
		"Odrasli upisani u osnovno obrazovanje odraslih",
		"Одрасли уписани у основно образовање одраслих",
		"Të rritur të regjistruar në arsimin fillor për të rritur",
		"Возрасни лица запишани во основно образование за возрасни"}},
	{"roma_pupils", []string{"education"}, true, Phrase{
		"Roma pupils in primary and secondary school",
		"Romski učenici u osnovnoj i srednjoj školi",
		"Ромски ученици у основној и средњој школи",
		"Nxënës romë në shkollën fillore dhe të mesme",
		"Ученици Роми во основното и средното училиште"}},
	{"pwd_working_age", []string{"health", "csw"}, true, Phrase{
		"Persons with disabilities of working age",
		"Osobe s invaliditetom radno sposobne dobi",
		"Особе са инвалидитетом у радно способном узрасту",
		"Persona me aftësi të kufizuara në moshë pune",
		"Лица со попреченост во работоспособна возраст"}},
	{"mental_health_working_age", []string{"health"}, true, Phrase{
		"Working-age patients of the community mental-health centre",
		"Pacijenti centra za mentalno zdravlje radno sposobne dobi",
		"Пацијенти центра за ментално здравље у радно способном узрасту",
		"Pacientë në moshë pune të qendrës komunitare të shëndetit mendor",
		"Пациенти во работоспособна возраст на центарот за ментално здравје во заедницата"}},
	{"domestic_violence_victims", []string{"police", "csw"}, true, Phrase{
		"Recorded victims of domestic violence",
		"Evidentirane žrtve nasilja u porodici",
		"Евидентиране жртве насиља у породици",
		"Viktima të regjistruara të dhunës në familje",
		"Евидентирани жртви на семејно насилство"}},
	{"juvenile_offenders", []string{"police", "judiciary"}, true, Phrase{
		"Juveniles in conflict with the law",
		"Maloljetnici u sukobu sa zakonom",
		"Малолетници у сукобу са законом",
		"Të mitur në konflikt me ligjin",
		"Малолетници во судир со законот"}},
	{"released_prisoners", []string{"judiciary"}, true, Phrase{
		"Persons released from prison (last year)",
		"Lica puštena s izdržavanja kazne (prošla godina)",
		"Лица отпуштена са издржавања казне затвора (претходна година)",
		"Persona të liruar nga burgu (viti i kaluar)",
		"Лица отпуштени од издржување казна затвор (минатата година)"}},
	{"community_service", []string{"judiciary"}, true, Phrase{
		"Persons doing community service instead of prison",
		"Lica na radu za opšte dobro umjesto zatvorske kazne",
		"Лица која обављају рад у јавном интересу уместо казне затвора",
		"Persona që kryejnë shërbim në komunitet në vend të burgimit",
		"Лица што вршат општокорисна работа наместо казна затвор"}},
	{"ngo_beneficiaries", []string{"ngo"}, true, Phrase{
		"Persons served by NGO programmes (last year)",
		"Korisnici programa nevladinih organizacija (prošla godina)",
		"Корисници програма невладиних организација (претходна година)",
		"Përfitues të programeve të OJQ-ve (viti i kaluar)",
		"Корисници на програмите на граѓанските организации (минатата година)"}},
	{"ngo_employed", []string{"ngo"}, true, Phrase{
		"Persons who found work with NGO support (last year)",
		"Lica koja su uz podršku NVO našla posao (prošla godina)",
		"Лица која су уз подршку НВО нашла посао (претходна година)",
		"Persona që gjetën punë me mbështetjen e OJQ-ve (viti i kaluar)",
		"Лица што најдоа работа со поддршка на граѓански организации (минатата година)"}},
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

// QuestionChoice is one option of a choice question. Options stored before
// Serbian, Albanian and Macedonian were added have only en/bs; Label falls
// back for them.
type QuestionChoice struct {
	Value string `json:"value"`
	En    string `json:"en"`
	Bs    string `json:"bs"`
	Sr    string `json:"sr,omitempty"`
	Sq    string `json:"sq,omitempty"`
	Mk    string `json:"mk,omitempty"`
}

// Texts is the option's label in every language.
func (c QuestionChoice) Texts() Phrase { return Phrase{c.En, c.Bs, c.Sr, c.Sq, c.Mk} }

// Label is the option's text in lang.
func (c QuestionChoice) Label(lang string) string { return c.Texts().In(lang) }

// choice builds an option from its value and label.
func choice(value string, p Phrase) QuestionChoice {
	return QuestionChoice{Value: value, En: p.En, Bs: p.Bs, Sr: p.Sr, Sq: p.Sq, Mk: p.Mk}
}

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

func sitanNum(indicator string, text Phrase) TemplateQuestion {
	return TemplateQuestion{Code: indicator, Kind: QuestionNumber, Indicator: indicator, Text: text}
}

func sitanTxt(code string, text Phrase) TemplateQuestion {
	return TemplateQuestion{Code: code, Kind: QuestionText, Text: text}
}

func sitanChoice(code string, text Phrase, opts ...QuestionChoice) TemplateQuestion {
	return TemplateQuestion{Code: code, Kind: QuestionChoiceKind, Text: text, Options: opts}
}

var (
	sitanYes = choice("yes", Phrase{"Yes", "Da", "Да", "Po", "Да"})
	sitanNo  = choice("no", Phrase{"No", "Ne", "Не", "Jo", "Не"})
)

var sitanFrequency = []QuestionChoice{
	choice("never", Phrase{"Never", "Nikad", "Никад", "Kurrë", "Никогаш"}),
	choice("occasionally", Phrase{"Occasionally, case by case", "Povremeno, od slučaja do slučaja",
		"Повремено, од случаја до случаја", "Herë pas here, rast pas rasti", "Повремено, од случај до случај"}),
	choice("monthly", Phrase{"At least monthly", "Najmanje jednom mjesečno", "Најмање једном месечно",
		"Të paktën një herë në muaj", "Најмалку еднаш месечно"}),
	choice("weekly", Phrase{"Weekly or more often", "Sedmično ili češće", "Недељно или чешће",
		"Çdo javë ose më shpesh", "Неделно или почесто"}),
}

var sitanYesPartlyNo = []QuestionChoice{sitanYes,
	choice("partly", Phrase{"Partly", "Djelimično", "Делимично", "Pjesërisht", "Делумно"}), sitanNo}

// QuestionnaireTemplates holds the questions of each built-in template.
var QuestionnaireTemplates = map[string][]TemplateQuestion{
	"pes": {
		sitanNum("registered_unemployed", Phrase{
			"How many persons were registered as unemployed on 31 December of the reference year?",
			"Koliko je lica bilo prijavljeno kao nezaposleno na dan 31. decembra referentne godine?",
			"Колико је лица било пријављено као незапослено на дан 31. децембра референтне године?",
			"Sa persona ishin të regjistruar si të papunë më 31 dhjetor të vitit referues?",
			"Колку лица биле пријавени како невработени на 31 декември во референтната година?"}),
		sitanNum("long_term_unemployed", Phrase{
			"Of them, how many had been registered for 12 months or more?",
			"Od toga, koliko ih je bilo prijavljeno 12 ili više mjeseci?",
			"Од тога, колико их је било пријављено 12 или више месеци?",
			"Prej tyre, sa ishin të regjistruar 12 muaj ose më shumë?",
			"Од нив, колку биле пријавени 12 или повеќе месеци?"}),
		sitanNum("youth_registered_unemployed", Phrase{
			"Of them, how many were aged 15 to 29?",
			"Od toga, koliko ih je imalo od 15 do 29 godina?",
			"Од тога, колико их је имало од 15 до 29 година?",
			"Prej tyre, sa ishin të moshës 15 deri 29 vjeç?",
			"Од нив, колку биле на возраст од 15 до 29 години?"}),
		sitanNum("unemployed_without_primary_education", Phrase{
			"Of them, how many have not completed primary school?",
			"Od toga, koliko ih nema završenu osnovnu školu?",
			"Од тога, колико их нема завршену основну школу?",
			"Prej tyre, sa nuk e kanë përfunduar shkollën fillore?",
			"Од нив, колку немаат завршено основно образование?"}),
		sitanNum("roma_registered_unemployed", Phrase{
			"How many registered unemployed persons declared themselves as Roma?",
			"Koliko se prijavljenih nezaposlenih lica izjasnilo kao Romi?",
			"Колико се пријављених незапослених лица изјаснило као Роми?",
			"Sa persona të papunë të regjistruar janë deklaruar si romë?",
			"Колку пријавени невработени лица се изјасниле како Роми?"}),
		sitanNum("pwd_registered_unemployed", Phrase{
			"How many registered unemployed persons have a recognised disability?",
			"Koliko prijavljenih nezaposlenih lica ima utvrđen invaliditet?",
			"Колико пријављених незапослених лица има утврђен инвалидитет?",
			"Sa persona të papunë të regjistruar kanë aftësi të kufizuar të njohur zyrtarisht?",
			"Колку пријавени невработени лица имаат утврдена попреченост?"}),
		sitanNum("returnees_registered_unemployed", Phrase{
			"How many registered unemployed persons are returnees?",
			"Koliko prijavljenih nezaposlenih lica su povratnici?",
			"Колико пријављених незапослених лица су повратници?",
			"Sa persona të papunë të regjistruar janë të kthyer?",
			"Колку пријавени невработени лица се повратници?"}),
		sitanNum("social_assistance_able_to_work", Phrase{
			"How many registered unemployed persons also receive social assistance from the centre for social work?",
			"Koliko prijavljenih nezaposlenih lica prima i socijalnu pomoć od centra za socijalni rad?",
			"Колико пријављених незапослених лица прима и социјалну помоћ од центра за социјални рад?",
			"Sa persona të papunë të regjistruar marrin edhe ndihmë sociale nga qendra për punë sociale?",
			"Колку пријавени невработени лица примаат и социјална помош од центарот за социјална работа?"}),
		sitanNum("pes_referrals_to_csw", Phrase{
			"How many clients did your office refer to the centre for social work during the year?",
			"Koliko je klijenata vaš biro uputio centru za socijalni rad tokom godine?",
			"Колико је клијената ваша филијала упутила центру за социјални рад током године?",
			"Sa klientë i ka referuar zyra juaj te qendra për punë sociale gjatë vitit?",
			"Колку клиенти ги упати вашиот центар за вработување во центарот за социјална работа во текот на годината?"}),
		sitanChoice("csw_cooperation", Phrase{
			"How often does your office work with the centre for social work on shared clients?",
			"Koliko često vaš biro sarađuje s centrom za socijalni rad oko zajedničkih klijenata?",
			"Колико често ваша филијала сарађује са центром за социјални рад у вези са заједничким клијентима?",
			"Sa shpesh bashkëpunon zyra juaj me qendrën për punë sociale për klientët e përbashkët?",
			"Колку често вашиот центар за вработување соработува со центарот за социјална работа за заедничките клиенти?"},
			sitanFrequency...),
		sitanTxt("almp_last_year", Phrase{
			"Which active labour-market measures did your office run last year, and for how many people?",
			"Koje je mjere aktivne politike zapošljavanja vaš biro provodio prošle godine i za koliko lica?",
			"Које је мере активне политике запошљавања ваша филијала спроводила прошле године и за колико лица?",
			"Cilat masa aktive të tregut të punës i ka zbatuar zyra juaj vitin e kaluar dhe për sa persona?",
			"Кои мерки за активна политика за вработување ги спроведуваше вашиот центар за вработување минатата година и за колку лица?"}),
		sitanTxt("main_obstacles", Phrase{
			"What keeps the hardest-to-employ from finding work, in your experience?",
			"Šta, prema vašem iskustvu, najteže zapošljivima najviše otežava zapošljavanje?",
			"Шта, према вашем искуству, најтеже запошљивим лицима највише отежава запошљавање?",
			"Sipas përvojës suaj, çfarë i pengon më shumë personat më të vështirë për t'u punësuar që të gjejnë punë?",
			"Според вашето искуство, што најмногу ги спречува најтешко вработливите лица да најдат работа?"}),
	},
	"csw": {
		sitanNum("social_assistance_recipients", Phrase{
			"How many persons received permanent financial assistance on 31 December?",
			"Koliko je lica primalo stalnu novčanu pomoć na dan 31. decembra?",
			"Колико је лица примало сталну новчану помоћ на дан 31. децембра?",
			"Sa persona merrnin ndihmë të përhershme financiare më 31 dhjetor?",
			"Колку лица примале постојана парична помош на 31 декември?"}),
		sitanNum("social_assistance_able_to_work", Phrase{
			"How many adult beneficiaries of social assistance are able to work?",
			"Koliko je odraslih korisnika socijalne pomoći sposobno za rad?",
			"Колико је одраслих корисника социјалне помоћи способно за рад?",
			"Sa përfitues të rritur të ndihmës sociale janë të aftë për punë?",
			"Колку возрасни корисници на социјална помош се способни за работа?"}),
		sitanNum("csw_referrals_to_pes", Phrase{
			"How many clients did the centre refer to the employment service during the year?",
			"Koliko je klijenata centar uputio zavodu za zapošljavanje tokom godine?",
			"Колико је клијената центар упутио служби за запошљавање током године?",
			"Sa klientë i ka referuar qendra te shërbimi i punësimit gjatë vitit?",
			"Колку клиенти центарот ги упати во агенцијата за вработување во текот на годината?"}),
		sitanNum("school_dropouts", Phrase{
			"How many children known to the centre dropped out of school during the last school year?",
			"Koliko je djece poznate centru napustilo školovanje tokom prošle školske godine?",
			"Колико је деце из евиденције центра напустило школовање током претходне школске године?",
			"Sa fëmijë të evidentuar në qendër e braktisën shkollën gjatë vitit të kaluar shkollor?",
			"Колку деца од евиденцијата на центарот го напуштиле школувањето во текот на минатата учебна година?"}),
		sitanNum("domestic_violence_victims", Phrase{
			"How many victims of domestic violence did the centre work with during the year?",
			"S koliko je žrtava nasilja u porodici centar radio tokom godine?",
			"Са колико је жртава насиља у породици центар радио током године?",
			"Me sa viktima të dhunës në familje ka punuar qendra gjatë vitit?",
			"Со колку жртви на семејно насилство работеше центарот во текот на годината?"}),
		sitanNum("pwd_working_age", Phrase{
			"How many persons with disabilities of working age receive rights or services from the centre?",
			"Koliko osoba s invaliditetom radno sposobne dobi ostvaruje prava ili usluge u centru?",
			"Колико особа са инвалидитетом у радно способном узрасту остварује права или услуге у центру?",
			"Sa persona me aftësi të kufizuara në moshë pune marrin të drejta ose shërbime nga qendra?",
			"Колку лица со попреченост во работоспособна возраст остваруваат права или услуги во центарот?"}),
		sitanChoice("case_plans", Phrase{
			"Does the centre make individual activation plans for clients able to work?",
			"Da li centar izrađuje individualne planove aktivacije za korisnike sposobne za rad?",
			"Да ли центар израђује индивидуалне планове активације за кориснике способне за рад?",
			"A harton qendra plane individuale aktivizimi për klientët e aftë për punë?",
			"Дали центарот изготвува индивидуални планови за активирање за корисниците способни за работа?"},
			sitanYesPartlyNo...),
		sitanTxt("hardest_to_activate", Phrase{
			"Which groups of clients are hardest to activate, and why?",
			"Koje grupe korisnika je najteže aktivirati i zašto?",
			"Које групе корисника је најтеже активирати и зашто?",
			"Cilat grupe klientësh janë më të vështirat për t'u aktivizuar dhe pse?",
			"Кои групи корисници најтешко се активираат и зошто?"}),
	},
	"health": {
		sitanNum("pwd_working_age", Phrase{
			"How many persons of working age (15–64) have a disability recorded by the health centre?",
			"Koliko lica radno sposobne dobi (15–64) ima invaliditet evidentiran u domu zdravlja?",
			"Колико лица у радно способном узрасту (15–64) има инвалидитет евидентиран у дому здравља?",
			"Sa persona në moshë pune (15–64) kanë aftësi të kufizuar të regjistruar në qendrën shëndetësore?",
			"Колку лица во работоспособна возраст (15–64) имаат попреченост евидентирана во здравствениот дом?"}),
		sitanNum("mental_health_working_age", Phrase{
			"How many working-age patients are treated by the community mental-health centre?",
			"Koliko pacijenata radno sposobne dobi liječi centar za mentalno zdravlje u zajednici?",
			"Колико пацијената у радно способном узрасту лечи центар за ментално здравље у заједници?",
			"Sa pacientë në moshë pune trajtohen në qendrën komunitare të shëndetit mendor?",
			"Колку пациенти во работоспособна возраст се лекуваат во центарот за ментално здравје во заедницата?"}),
		sitanChoice("work_capacity", Phrase{
			"Does the health centre assess work capacity for the employment service?",
			"Da li dom zdravlja procjenjuje radnu sposobnost za potrebe zavoda za zapošljavanje?",
			"Да ли дом здравља процењује радну способност за потребе службе за запошљавање?",
			"A e vlerëson qendra shëndetësore aftësinë për punë për nevojat e shërbimit të punësimit?",
			"Дали здравствениот дом ја проценува работната способност за потребите на агенцијата за вработување?"},
			choice("regularly", Phrase{"Yes, regularly", "Da, redovno", "Да, редовно", "Po, rregullisht", "Да, редовно"}),
			choice("on_request", Phrase{"Only on request", "Samo na zahtjev", "Само на захтев", "Vetëm me kërkesë", "Само на барање"}),
			sitanNo),
		sitanTxt("health_barriers", Phrase{
			"Which health problems most often keep people from working?",
			"Koji zdravstveni problemi najčešće sprečavaju ljude da rade?",
			"Који здравствени проблеми најчешће спречавају људе да раде?",
			"Cilat probleme shëndetësore i pengojnë më shpesh njerëzit të punojnë?",
			"Кои здравствени проблеми најчесто ги спречуваат луѓето да работат?"}),
	},
	"education": {
		sitanNum("school_dropouts", Phrase{
			"How many pupils dropped out of primary or secondary school during the last school year?",
			"Koliko je učenika napustilo osnovnu ili srednju školu tokom prošle školske godine?",
			"Колико је ученика напустило основну или средњу школу током претходне школске године?",
			"Sa nxënës e braktisën shkollën fillore ose të mesme gjatë vitit të kaluar shkollor?",
			"Колку ученици го напуштиле основното или средното училиште во текот на минатата учебна година?"}),
		sitanNum("adults_without_primary_education", Phrase{
			"By your records, how many adults (15 and older) have not completed primary school?",
			"Prema vašoj evidenciji, koliko odraslih (15 i više godina) nije završilo osnovnu školu?",
			"Према вашој евиденцији, колико одраслих (15 и више година) није завршило основну школу?",
			"Sipas evidencës suaj, sa të rritur (15 vjeç e lart) nuk e kanë përfunduar shkollën fillore?",
			"Според вашата евиденција, колку возрасни лица (15 и повеќе години) немаат завршено основно образование?"}),
		sitanNum("adults_in_primary_education", Phrase{
			"How many adults were enrolled in primary education for adults?",
			"Koliko je odraslih bilo upisano u osnovno obrazovanje odraslih?",
			"Колико је одраслих било уписано у основно образовање одраслих?",
			"Sa të rritur ishin të regjistruar në arsimin fillor për të rritur?",
			"Колку возрасни лица биле запишани во основно образование за возрасни?"}),
		sitanNum("roma_pupils", Phrase{
			"How many Roma pupils attend primary and secondary school?",
			"Koliko romskih učenika pohađa osnovnu i srednju školu?",
			"Колико ромских ученика похађа основну и средњу школу?",
			"Sa nxënës romë e ndjekin shkollën fillore dhe të mesme?",
			"Колку ученици Роми посетуваат основно и средно училиште?"}),
		sitanChoice("adult_courses", Phrase{
			"Does the school offer short vocational (re)training courses for adults?",
			"Da li škola nudi kratke programe stručnog (pre)kvalifikovanja za odrasle?",
			"Да ли школа нуди кратке програме стручног оспособљавања и преквалификације за одрасле?",
			"A ofron shkolla kurse të shkurtra të aftësimit dhe riaftësimit profesional për të rritur?",
			"Дали училиштето нуди кратки програми за стручно оспособување и преквалификација за возрасни?"},
			sitanYes,
			choice("planned", Phrase{"Planned", "Planirano", "Планирано", "Të planifikuara", "Планирано"}),
			sitanNo),
		sitanTxt("missing_occupations", Phrase{
			"Which occupations do local employers ask for that the schools do not train?",
			"Koja zanimanja traže lokalni poslodavci, a škole za njih ne obrazuju?",
			"Која занимања траже локални послодавци, а школе за њих не образују?",
			"Cilat profesione kërkojnë punëdhënësit vendorë, për të cilat shkollat nuk ofrojnë arsimim?",
			"Кои занимања ги бараат локалните работодавачи, а училиштата не образуваат кадар за нив?"}),
	},
	"police": {
		sitanNum("domestic_violence_victims", Phrase{
			"How many victims of domestic violence were recorded during the year?",
			"Koliko je žrtava nasilja u porodici evidentirano tokom godine?",
			"Колико је жртава насиља у породици евидентирано током године?",
			"Sa viktima të dhunës në familje janë regjistruar gjatë vitit?",
			"Колку жртви на семејно насилство се евидентирани во текот на годината?"}),
		sitanNum("juvenile_offenders", Phrase{
			"How many juveniles committed criminal offences during the year?",
			"Koliko je maloljetnika počinilo krivična djela tokom godine?",
			"Колико је малолетника починило кривична дела током године?",
			"Sa të mitur kanë kryer vepra penale gjatë vitit?",
			"Колку малолетници сториле кривични дела во текот на годината?"}),
		sitanTxt("risk_groups", Phrase{
			"Which groups at risk do you meet most often in your work?",
			"Koje rizične grupe najčešće susrećete u svom radu?",
			"Које ризичне групе најчешће срећете у свом раду?",
			"Me cilat grupe në rrezik ndesheni më shpesh në punën tuaj?",
			"Со кои ризични групи најчесто се среќавате во својата работа?"}),
	},
	"judiciary": {
		sitanNum("released_prisoners", Phrase{
			"How many persons from the municipality were released from prison during the year?",
			"Koliko je lica iz opštine pušteno s izdržavanja kazne tokom godine?",
			"Колико је лица из општине отпуштено са издржавања казне затвора током године?",
			"Sa persona nga komuna janë liruar nga burgu gjatë vitit?",
			"Колку лица од општината се отпуштени од издржување казна затвор во текот на годината?"}),
		sitanNum("juvenile_offenders", Phrase{
			"How many juveniles from the municipality were in court proceedings during the year?",
			"Protiv koliko je maloljetnika iz opštine vođen sudski postupak tokom godine?",
			"Против колико је малолетника из општине вођен судски поступак током године?",
			"Ndaj sa të miturve nga komuna është zhvilluar procedurë gjyqësore gjatë vitit?",
			"Против колку малолетници од општината се водела судска постапка во текот на годината?"}),
		sitanNum("community_service", Phrase{
			"How many persons did community service instead of a prison sentence?",
			"Koliko je lica obavljalo rad za opšte dobro umjesto zatvorske kazne?",
			"Колико је лица обављало рад у јавном интересу уместо казне затвора?",
			"Sa persona kryen shërbim në komunitet në vend të dënimit me burg?",
			"Колку лица вршеле општокорисна работа наместо казна затвор?"}),
		sitanTxt("reintegration", Phrase{
			"What would help people leaving prison or court measures to find work?",
			"Šta bi pomoglo licima nakon izdržane kazne ili sudske mjere da nađu posao?",
			"Шта би помогло лицима након издржане казне или судске мере да нађу посао?",
			"Çfarë do t'i ndihmonte personat që dalin nga burgu ose që kanë përfunduar masat gjyqësore të gjejnë punë?",
			"Што би им помогнало на лицата по издржаната казна или судска мерка да најдат работа?"}),
	},
	"ngo": {
		sitanNum("ngo_beneficiaries", Phrase{
			"How many persons did your organisation's programmes serve during the year?",
			"Koliko je lica bilo obuhvaćeno programima vaše organizacije tokom godine?",
			"Колико је лица било обухваћено програмима ваше организације током године?",
			"Sa persona kanë qenë të përfshirë në programet e organizatës suaj gjatë vitit?",
			"Колку лица биле опфатени со програмите на вашата организација во текот на годината?"}),
		sitanNum("ngo_employed", Phrase{
			"How many of them found a job with your support?",
			"Koliko ih je uz vašu podršku našlo posao?",
			"Колико их је уз вашу подршку нашло посао?",
			"Sa prej tyre gjetën punë me mbështetjen tuaj?",
			"Колку од нив најдоа работа со ваша поддршка?"}),
		sitanChoice("main_group", Phrase{
			"Which group does your organisation mainly work with?",
			"S kojom grupom vaša organizacija najviše radi?",
			"Са којом групом ваша организација највише ради?",
			"Me cilin grup punon kryesisht organizata juaj?",
			"Со која група најмногу работи вашата организација?"},
			choice("roma", Phrase{"Roma", "Romi", "Роми", "Romë", "Роми"}),
			choice("disability", Phrase{"Persons with disabilities", "Osobe s invaliditetom", "Особе са инвалидитетом",
				"Persona me aftësi të kufizuara", "Лица со попреченост"}),
			choice("women", Phrase{"Women", "Žene", "Жене", "Gra", "Жени"}),
			choice("youth_neet", Phrase{"Young people not in work or education", "Mladi koji ne rade i nisu u obrazovanju",
				"Млади који не раде и нису у образовању", "Të rinj që nuk punojnë dhe nuk janë në arsim",
				"Млади лица што не работат и не се во образование"}),
			choice("returnees", Phrase{"Returnees", "Povratnici", "Повратници", "Të kthyer", "Повратници"}),
			choice("other", Phrase{"Other", "Drugo", "Друго", "Tjetër", "Друго"})),
		sitanTxt("needs", Phrase{
			"What do the people you work with need most to find work?",
			"Šta je ljudima s kojima radite najpotrebnije da bi našli posao?",
			"Шта је људима са којима радите најпотребније да би нашли посао?",
			"Çfarë u nevojitet më së shumti njerëzve me të cilët punoni për të gjetur punë?",
			"Што им е најпотребно на луѓето со кои работите за да најдат работа?"}),
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
