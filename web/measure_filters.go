package web

import (
	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
)

// LeadChoice is one lead organisation in the measure filter's list.
type LeadChoice struct {
	ID   int64
	Name string
}

// MeasureFilterForm is the data of partials/measure_filters (issue #17):
// the filter read from the query, the choices, what was chosen (kept
// selected) and the error next to each field. Without Periods the form
// offers only the lead organisation and the group.
type MeasureFilterForm struct {
	L        *i18n.Localizer
	Action   string // the page the GET form is sent to
	Filter   models.MeasureFilter
	Active   bool
	Chosen   map[string]string // the raw query values
	Errors   map[string]string
	Statuses []string
	Groups   []string
	Leads    []LeadChoice
	Periods  []models.Period
}

// Leads are the distinct lead organisations of measures, in measure order,
// named from names.
func Leads(measures []models.Measure, names map[int64]string) []LeadChoice {
	var out []LeadChoice
	seen := map[int64]bool{}
	for _, m := range measures {
		if !seen[m.LeadOrganisationID] {
			seen[m.LeadOrganisationID] = true
			out = append(out, LeadChoice{m.LeadOrganisationID, names[m.LeadOrganisationID]})
		}
	}
	return out
}

// MeasureFilter reads the measure filter of the request for a list of
// measures whose lead organisations are leads. Without periods, status
// and period_id are not read. A value that is not one of the choices is
// returned in the form's Errors (and filters nothing).
func (h *Kernel) MeasureFilter(c *fiber.Ctx, action string, leads []LeadChoice, periods []models.Period) (*MeasureFilterForm, error) {
	f := &MeasureFilterForm{L: h.Localizer(c), Action: action, Chosen: map[string]string{},
		Statuses: models.MeasureFilterStatuses, Groups: models.VulnerableGroupCodes, Leads: leads, Periods: periods}
	keys := []string{models.FilterLead, models.FilterGroup}
	if len(periods) > 0 {
		keys = append(keys, models.FilterStatus, models.FilterPeriod)
	}
	for _, k := range keys {
		f.Chosen[k] = c.Query(k)
	}
	orgs := make(map[int64]string, len(leads))
	for _, l := range leads {
		orgs[l.ID] = l.Name
	}
	filter, err := models.ParseMeasureFilter(func(k string) string { return f.Chosen[k] }, orgs, periods)
	if fe := FieldErrors(f.L, err); fe != nil {
		f.Errors = fe
	} else if err != nil {
		return nil, err
	}
	f.Filter, f.Active = filter, filter.Active()
	return f, nil
}
