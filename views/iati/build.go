package iati

import (
	"encoding/xml"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/docs"
)

// Input is one adopted plan to write as IATI activities.
type Input struct {
	Municipality *models.Municipality
	OrgRef       string           // the municipality's IATI organisation identifier
	Data         *models.IATIData // the plan and its published progress
	BaseURL      string           // absolute links: the public plan page, report PDFs
	Today        time.Time        // the date activity statuses are judged on
}

// ErrNoMeasures means the plan has nothing to publish: the schema needs at
// least one activity.
var ErrNoMeasures = errors.New("iati: the plan has no measures")

// builder writes the activities of one plan; texts are in the plan's
// language (the municipality's), through l.
type builder struct {
	l      *i18n.Localizer
	in     Input
	lang   string
	people map[int64]map[int64]docs.PeopleCells // period id → measure id → counts as the public report prints them
	docs   []documentXML
}

// Build writes the plan as an iati-activities document, one activity per
// measure.
func Build(l *i18n.Localizer, in Input) ([]byte, error) {
	if in.Municipality == nil || in.Data == nil || in.Data.Plan == nil {
		return nil, errors.New("iati: municipality and plan are required")
	}
	p := in.Data.Plan
	if len(p.Measures) == 0 {
		return nil, ErrNoMeasures
	}
	b := &builder{l: l, in: in, lang: LangOf(in.Municipality.Language), people: map[int64]map[int64]docs.PeopleCells{}}
	for _, per := range in.Data.Periods {
		b.people[per.ID] = docs.PeopleGrid(p.Measures, in.Data.Progress[per.ID])
	}
	b.docs = b.documents()
	doc := activitiesXML{Version: Version, Generated: stamp(in.Data.Updated)}
	for i := range p.Measures {
		doc.Activities = append(doc.Activities, b.activity(&p.Measures[i]))
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

func (b *builder) narr(text string) []narrativeXML {
	return []narrativeXML{{Lang: b.lang, Text: text}}
}

func (b *builder) activity(m *models.Measure) activityXML {
	in, p := b.in, b.in.Data.Plan
	lead := in.Data.Orgs[m.LeadOrganisationID]
	a := activityXML{LastUpdated: stamp(in.Data.Updated), Lang: b.lang, Currency: in.Municipality.Currency,
		Identifier: ActivityID(in.OrgRef, p.ID, m.ID),
		Reporting:  orgXML{Ref: in.OrgRef, Type: orgTypeLocalGovernment, Narratives: b.narr(in.Municipality.Name)},
		Title:      textXML{b.narr(m.Title)}, Descriptions: b.descriptions(m), Participants: b.participants(m),
		Other:   []otherIDXML{{Ref: m.Code, Type: otherIDInternal}},
		Status:  codeXML{StatusOf(m, b.latestStatus(m), in.Today)},
		Dates:   b.dates(m),
		Sectors: []sectorXML{{Vocabulary: sectorVocabularyDAC5, Code: SectorOf(lead.Type, m.Groups), Percentage: "100"}},
		Budgets: b.budgets(m), Transactions: b.transactions(m), Documents: b.docs, Results: b.results(m)}
	if in.Municipality.Country != "" {
		a.Country = &countryXML{Code: in.Municipality.Country, Percentage: "100"}
	}
	return a
}

// descriptions: the measure's own text (its title when it has none) and
// the plan objective it serves.
func (b *builder) descriptions(m *models.Measure) []descriptionXML {
	text := m.Description
	if text == "" {
		text = m.Title
	}
	out := []descriptionXML{{Type: descriptionGeneral, Narratives: b.narr(text)}}
	for _, o := range b.in.Data.Plan.Objectives {
		if o.ID == m.ObjectiveID {
			out = append(out, descriptionXML{Type: descriptionObjectives, Narratives: b.narr(o.Code + " " + o.Title)})
		}
	}
	return out
}

// participants: who funds the budget lines, the municipality that is
// accountable (its assembly adopted the plan), the lead and partner
// organisations that implement.
func (b *builder) participants(m *models.Measure) []orgXML {
	out := b.funders(m.Budget)
	out = append(out, orgXML{Ref: b.in.OrgRef, Type: orgTypeLocalGovernment, Role: RoleAccountable,
		Narratives: b.narr(b.in.Municipality.Name)})
	for _, id := range append([]int64{m.LeadOrganisationID}, m.PartnerOrganisationIDs...) {
		if o, ok := b.in.Data.Orgs[id]; ok {
			out = append(out, orgXML{Type: OrgTypeOf(o.Type), Role: RoleImplementing, Narratives: b.narr(o.Name)})
		}
	}
	return out
}

// funders lists each source and funder of the budget once, in order.
func (b *builder) funders(lines []models.BudgetLine) []orgXML {
	var out []orgXML
	seen := map[string]bool{}
	for _, l := range lines {
		if key := l.Source + "\x00" + l.Funder; !seen[key] {
			seen[key] = true
			out = append(out, b.funder(l.Source, l.Funder, RoleFunding))
		}
	}
	return out
}

// funder names who pays from a source: the funder written on the line, the
// municipality for its own budget, or the source's name.
func (b *builder) funder(source, name, role string) orgXML {
	o := orgXML{Type: SourceOrgType(source), Role: role}
	switch {
	case source == "municipal":
		o.Ref = b.in.OrgRef
		if name == "" {
			name = b.in.Municipality.Name
		}
	case name == "":
		name = b.l.T("plandoc.source." + source)
	}
	o.Narratives = b.narr(name)
	return o
}

// budgets: one original, committed budget per year of the measure's lines,
// over the part of that year the measure runs (the whole year when its
// dates do not reach into it).
func (b *builder) budgets(m *models.Measure) []budgetXML {
	byYear := map[int]decimal.Decimal{}
	for _, l := range m.Budget {
		byYear[l.Year] = byYear[l.Year].Add(l.Amount)
	}
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	out := make([]budgetXML, 0, len(years))
	for _, y := range years {
		start, end := yearSpan(y, m)
		out = append(out, budgetXML{Type: budgetOriginal, Status: budgetCommitted, Start: isoDateXML{day(start)},
			End: isoDateXML{day(end)}, Value: b.value(byYear[y], start)})
	}
	return out
}

func yearSpan(y int, m *models.Measure) (time.Time, time.Time) {
	start, end := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	if m.StartDate.After(end) || m.EndDate.Before(start) {
		return start, end
	}
	if m.StartDate.After(start) {
		start = m.StartDate.Time
	}
	if m.EndDate.Before(end) {
		end = m.EndDate.Time
	}
	return start, end
}

func (b *builder) value(amount decimal.Decimal, on time.Time) valueXML {
	return valueXML{Currency: b.in.Municipality.Currency, ValueDate: day(on), Amount: models.Money(amount)}
}

// transactions: the money spent on the measure, from reports the
// coordinator accepted in published periods, one expenditure per line.
func (b *builder) transactions(m *models.Measure) []transactionXML {
	var out []transactionXML
	for _, per := range b.in.Data.Periods {
		r := b.in.Data.Progress[per.ID][m.ID]
		if r == nil || r.Review != "accepted" {
			continue
		}
		on := b.notAfterToday(per.EndDate.Time)
		for _, s := range r.Spent {
			if s.Amount.IsZero() {
				continue
			}
			provider := b.funder(s.Source, s.Funder, "")
			out = append(out, transactionXML{Type: codeXML{transactionExpenditure}, Date: isoDateXML{day(on)},
				Value: b.value(s.Amount, on), Description: &textXML{b.narr(b.l.T("opendata.iati.spent", "Period", per.Label))},
				Provider: &provider})
		}
	}
	return out
}

func (b *builder) notAfterToday(t time.Time) time.Time {
	if t.After(b.in.Today) {
		return b.in.Today
	}
	return t
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
