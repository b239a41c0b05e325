package opendata

import (
	"context"
	"fmt"

	"pakt/models"
)

// publicData gathers what a municipality's public page shows into the
// answer of GET /api/v1/public/municipalities/{slug}.
func (h *Handler) publicData(ctx context.Context, m *models.Municipality) (*PublicMunicipality, error) {
	base := "/api/v1/public/municipalities/" + m.Slug
	out := &PublicMunicipality{Slug: m.Slug, Name: m.Name, Country: m.Country, Currency: m.Currency, Language: m.Language,
		PageURL: h.abs("/m/" + m.Slug), CSVURL: h.abs(base + ".csv"), FiguresCSVURL: h.abs(base + "/figures.csv")}
	orgs, err := models.ListOrganisations(ctx, h.DB, m.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	out.Organisations = make([]PublicOrg, 0, len(orgs))
	for _, o := range orgs {
		names[o.ID] = o.Name
		out.Organisations = append(out.Organisations, PublicOrg{Name: o.Name, Type: o.Type})
	}
	steps := []func() error{
		func() (err error) { out.Agreements, err = h.publicAgreements(ctx, m); return err },
		func() (err error) { out.ActionPlans, err = h.publicPlans(ctx, m, names); return err },
		func() (err error) { out.Reports, err = h.publicReports(ctx, m); return err },
		func() (err error) { out.SituationAnalyses, err = h.publicSitans(ctx, m); return err },
		func() (err error) { out.FocusGroups, err = h.publicFocus(ctx, m); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (h *Handler) publicAgreements(ctx context.Context, m *models.Municipality) ([]PublicAgreement, error) {
	rows, err := models.PublicAgreements(ctx, h.DB, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PublicAgreement, 0, len(rows))
	for _, a := range rows {
		pa := PublicAgreement{ID: a.ID, Title: a.Title, Level: a.Level, VersionNo: a.VersionNo, ValidFrom: a.ValidFrom,
			ValidTo: a.ValidTo, InForceAt: a.InForceAt, SHA256: a.SHA256, VerifyURL: h.abs("/verify/" + a.SHA256),
			Parties: make([]PublicParty, 0, len(a.Parties))}
		for _, p := range a.Parties {
			pa.Parties = append(pa.Parties, PublicParty{Organisation: p.OrganisationName, OrganisationType: p.OrganisationType,
				SignedAt: p.SignedAt})
		}
		out = append(out, pa)
	}
	return out, nil
}

func (h *Handler) publicPlans(ctx context.Context, m *models.Municipality, names map[int64]string) ([]PublicPlan, error) {
	plans, err := models.PublicPlans(ctx, h.DB, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PublicPlan, 0, len(plans))
	for _, p := range plans {
		page := fmt.Sprintf("/m/%s/plans/%d", m.Slug, p.ID)
		pp := PublicPlan{ID: p.ID, Title: p.Title, Status: p.Status, PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd,
			ConsultationClosesOn: p.ConsultationClosesOn, AdoptedOn: p.AdoptedOn, DecisionNumber: p.DecisionNumber,
			RevisesID: p.RevisesID, PlannedTotal: models.Money(p.Matrix().Total), URL: h.abs(page), PDFURL: h.abs(page + "/pdf"),
			Objectives: make([]PublicObjective, 0, len(p.Objectives)), Measures: make([]PublicMeasure, 0, len(p.Measures))}
		if p.Status == models.PlanAdopted || p.Status == models.PlanSuperseded {
			pp.IATIURL = h.abs(page + "/iati.xml")
		}
		codes := map[int64]string{}
		for _, o := range p.Objectives {
			codes[o.ID] = o.Code
			pp.Objectives = append(pp.Objectives, PublicObjective{Code: o.Code, Title: o.Title})
		}
		for _, ms := range p.Measures {
			pp.Measures = append(pp.Measures, publicMeasure(ms, codes, names))
		}
		out = append(out, pp)
	}
	return out, nil
}

func publicMeasure(ms models.Measure, objectives map[int64]string, names map[int64]string) PublicMeasure {
	pm := PublicMeasure{ID: ms.ID, Code: ms.Code, Title: ms.Title, Description: ms.Description,
		ObjectiveCode: objectives[ms.ObjectiveID], Groups: append([]string{}, ms.Groups...),
		LeadOrganisation: names[ms.LeadOrganisationID], PartnerOrganisations: []string{}, StartDate: ms.StartDate,
		EndDate: ms.EndDate, Total: models.Money(ms.Total()), Indicators: make([]PublicIndicator, 0, len(ms.Indicators)),
		Budget: make([]PublicBudget, 0, len(ms.Budget))}
	for _, id := range ms.PartnerOrganisationIDs {
		pm.PartnerOrganisations = append(pm.PartnerOrganisations, names[id])
	}
	for _, i := range ms.Indicators {
		pi := PublicIndicator{Name: i.Name, Unit: i.Unit,
			Baseline: models.PublicQuantity(i.Unit, i.Baseline), Target: models.QuantityText(i.Target)}
		if b, ok := models.PublicQuantityBand(i.Unit, i.Baseline); ok {
			c := bandCount(b)
			pi.BaselineCount = &c
		}
		pm.Indicators = append(pm.Indicators, pi)
	}
	for _, b := range ms.Budget {
		pm.Budget = append(pm.Budget, PublicBudget{Year: b.Year, Source: b.Source, Funder: b.Funder, Amount: models.Money(b.Amount)})
	}
	return pm
}

// publicReports lists the published reports with the figures their public
// PDF prints: the plan's summary up to the period as sums of the reports'
// bands (models.Summary.Public).
func (h *Handler) publicReports(ctx context.Context, m *models.Municipality) ([]PublicReport, error) {
	rows, err := models.PublishedReportsOf(ctx, h.DB, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PublicReport, 0, len(rows))
	for _, r := range rows {
		s, err := models.PlanSummaryOf(ctx, h.DB, m.ID, r.PlanID, &r.PeriodID)
		if err != nil {
			return nil, err
		}
		out = append(out, PublicReport{PlanID: r.PlanID, PeriodID: r.PeriodID, PlanTitle: r.PlanTitle, PeriodLabel: r.PeriodLabel,
			StartDate: r.StartDate, EndDate: r.EndDate, PublishedAt: r.PublishedAt, SHA256: r.SHA256,
			PDFURL:  h.abs(fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", r.PlanID, r.PeriodID)),
			Figures: reportFigures(s)})
	}
	return out, nil
}

func reportFigures(s *models.Summary) ReportFigures {
	p := s.Public
	f := ReportFigures{PlannedTotal: models.Money(s.PlannedTotal), SpentTotal: models.Money(s.SpentTotal),
		PeopleTotal: bandCount(p.Total), Women: bandCount(p.Women), Men: bandCount(p.Men),
		Employed: bandCount(p.Employed), Trained: bandCount(p.Trained), CompletedEducation: bandCount(p.CompletedEducation),
		SelfEmployed: bandCount(p.SelfEmployed), ByGroup: map[string]Count{}}
	for g, b := range p.ByGroup {
		f.ByGroup[g] = bandCount(b)
	}
	return f
}

func (h *Handler) publicSitans(ctx context.Context, m *models.Municipality) ([]PublicSitan, error) {
	ss, err := models.ListPublishedSitans(ctx, h.DB, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PublicSitan, 0, len(ss))
	for _, s := range ss {
		ps, err := h.publicSitan(ctx, m, s)
		if err != nil {
			return nil, err
		}
		out = append(out, ps)
	}
	return out, nil
}

// publicSitan is a published analysis as its public report shows it, with
// the same disclosure (models.DiscloseIndicator, models.DiscloseGroupSize).
func (h *Handler) publicSitan(ctx context.Context, m *models.Municipality, s models.SituationAnalysis) (PublicSitan, error) {
	page := fmt.Sprintf("/m/%s/situation-analyses/%d", m.Slug, s.ID)
	ps := PublicSitan{ID: s.ID, Title: s.Title, Year: s.Year, PublishedAt: s.PublishedAt, URL: h.abs(page),
		PDFURL: h.abs(page + "/report.pdf"), Indicators: []SitanIndicator{}, VulnerableGroups: []SitanGroup{}, Findings: []SitanFinding{}}
	vals, err := models.SitanIndicators(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return ps, err
	}
	for _, v := range vals {
		ps.Indicators = append(ps.Indicators, sitanIndicator(v))
	}
	groups, err := models.ListVulnerableGroups(ctx, h.DB, m.ID, s.ID)
	if err != nil {
		return ps, err
	}
	for i, g := range groups {
		d := models.DiscloseGroupSize(g)
		ps.VulnerableGroups = append(ps.VulnerableGroups, SitanGroup{Rank: i + 1, Group: g.Group, Label: g.Label,
			EstimatedSize: cellCount(d[0]), Women: cellCount(d[1]), Men: cellCount(d[2]), Barriers: append([]string{}, g.Barriers...)})
	}
	findings, err := models.ListFindings(ctx, h.DB, m.ID, s.ID)
	for _, f := range findings {
		ps.Findings = append(ps.Findings, SitanFinding{ID: f.ID, Statement: f.Statement, Group: f.Group, Barrier: f.Barrier,
			SourceOrganisation: f.SourceName})
	}
	return ps, err
}

func sitanIndicator(v models.IndicatorValue) SitanIndicator {
	head, sources := models.DiscloseIndicator(v)
	si := SitanIndicator{Indicator: v.Indicator, Value: cellCount(head[0]), Women: cellCount(head[1]), Men: cellCount(head[2]),
		Sources: make([]SitanSource, 0, len(v.Values))}
	for j, src := range v.Values {
		si.Sources = append(si.Sources, SitanSource{Organisation: src.OrganisationName, Value: cellCount(sources[j]), Counted: src.Counted})
	}
	return si
}

// publicFocus is "what we heard", protected as its public page is
// (models.FocusCountTable).
func (h *Handler) publicFocus(ctx context.Context, m *models.Municipality) (PublicFocusGroups, error) {
	out := PublicFocusGroups{URL: h.abs("/m/" + m.Slug + "/heard"), Groups: []FocusGroup{}, Needs: []FocusNeed{}}
	fgs, err := models.ListFocusGroups(ctx, h.DB, m.ID)
	if err != nil {
		return out, err
	}
	needs, err := models.FocusNeeds(ctx, h.DB, m.ID, 0)
	if err != nil {
		return out, err
	}
	d := models.FocusCountTable(fgs).Disclose()
	for i, fg := range fgs {
		n := 0
		for _, nd := range needs {
			if nd.FocusGroupID == fg.ID {
				n++
			}
		}
		out.Groups = append(out.Groups, FocusGroup{ID: fg.ID, HeldOn: fg.HeldOn.Format("2006-01-02"), Place: fg.Place,
			Groups: append([]string{}, fg.Groups...), Participants: focusCounts(d.Rows[i]), Needs: n})
	}
	if len(fgs) > 0 {
		t := focusCounts(d.Totals)
		out.Totals = &t
	}
	for _, nd := range needs {
		out.Needs = append(out.Needs, FocusNeed{ID: nd.ID, FocusGroupID: nd.FocusGroupID, Statement: nd.Statement,
			Barrier: nd.Barrier, Priority: nd.Priority, Group: nd.Group, Quote: nd.Quote})
	}
	return out, nil
}

func focusCounts(cells []models.PublicCell) FocusCounts {
	return FocusCounts{Total: cellCount(cells[0]), Women: cellCount(cells[1]), Men: cellCount(cells[2]),
		Age15to29: cellCount(cells[3]), Age30to49: cellCount(cells[4]), Age50Plus: cellCount(cells[5])}
}
