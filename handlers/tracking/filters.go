package tracking

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// measureFilters is the tracking page's filter form (issue #17) and, per
// period, the measures that pass it.
type measureFilters struct {
	Form  *web.MeasureFilterForm
	Shown []models.Period            // the periods that pass the period filter
	Rows  map[int64][]models.Measure // by period: the measures that pass
}

// filterMeasures fills the tracking page's filter from the query; a value
// that is not a choice is shown next to its field and filters nothing.
func (h *Handler) filterMeasures(c *fiber.Ctx, p *models.Plan, periods []models.Period,
	reports map[int64]map[int64]*models.Progress) (*measureFilters, error) {
	names, err := h.OrgNames(c, p.MunicipalityID)
	if err != nil {
		return nil, err
	}
	form, err := h.MeasureFilter(c, "/plans/"+web.Itoa(p.ID)+"/tracking", web.Leads(p.Measures, names), periods)
	if err != nil {
		return nil, err
	}
	mf := &measureFilters{Form: form, Rows: map[int64][]models.Measure{}}
	f := form.Filter
	for _, per := range periods {
		if !f.ShowsPeriod(per.ID) {
			continue
		}
		mf.Shown = append(mf.Shown, per)
		for _, m := range p.Measures {
			if f.Matches(&m, reports[per.ID][m.ID], true) {
				mf.Rows[per.ID] = append(mf.Rows[per.ID], m)
			}
		}
	}
	return mf, nil
}

// measureItem is one measure of GET /api/v1/action-plans/{id}/measures,
// with its report in the period asked for.
type measureItem struct {
	ID                     int64          `json:"id"`
	Code                   string         `json:"code"`
	Title                  string         `json:"title"`
	ObjectiveID            int64          `json:"objective_id"`
	Groups                 []string       `json:"groups"`
	LeadOrganisationID     int64          `json:"lead_organisation_id"`
	PartnerOrganisationIDs []int64        `json:"partner_organisation_ids"`
	StartDate              models.Date    `json:"start_date"`
	EndDate                models.Date    `json:"end_date"`
	Progress               *progressBrief `json:"progress"`
}

// progressBrief is a measure's report in a period, in short.
type progressBrief struct {
	PeriodID        int64  `json:"period_id"`
	Status          string `json:"status"`
	PercentComplete int    `json:"percent_complete"`
	Review          string `json:"review"`
}

// APIMeasureList is GET /api/v1/action-plans/{id}/measures: the plan's
// measures, filtered by ?status= (of the report in ?period_id=, which it
// needs), ?lead_organisation_id=, ?group= and ?period_id=; 422 with the
// parameter in fields for a value that is not a choice.
func (h *Handler) APIMeasureList(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	periods, err := models.ListPeriods(ctx, h.DB, p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	orgs, err := h.OrgNames(c, p.MunicipalityID)
	if err != nil {
		return err
	}
	f, err := models.ParseMeasureFilter(func(k string) string { return c.Query(k) }, orgs, periods)
	if err != nil {
		return err
	}
	if f.Status != "" && f.PeriodID == 0 {
		return &models.ValidationError{Fields: map[string]string{models.FilterStatus: "search.filter.need_period"}}
	}
	var reports map[int64]*models.Progress
	if f.PeriodID != 0 {
		if reports, err = models.PeriodProgress(ctx, h.DB, p.MunicipalityID, f.PeriodID); err != nil {
			return err
		}
	}
	items := []measureItem{}
	for _, m := range p.Measures {
		r := reports[m.ID]
		if !f.Matches(&m, r, f.PeriodID != 0) {
			continue
		}
		it := measureItem{ID: m.ID, Code: m.Code, Title: m.Title, ObjectiveID: m.ObjectiveID, Groups: append([]string{}, m.Groups...),
			LeadOrganisationID: m.LeadOrganisationID, PartnerOrganisationIDs: append([]int64{}, m.PartnerOrganisationIDs...),
			StartDate: m.StartDate, EndDate: m.EndDate}
		if r != nil {
			it.Progress = &progressBrief{PeriodID: r.PeriodID, Status: r.Status, PercentComplete: r.PercentComplete, Review: r.Review}
		}
		items = append(items, it)
	}
	return web.SendList(c, items)
}
