package models

import (
	"slices"
	"strconv"
)

// NotReported is the status filter's value for a measure without a report
// in the period.
const NotReported = "not_reported"

// MeasureFilterStatuses are the values the status filter takes.
var MeasureFilterStatuses = append(slices.Clone(ProgressStatuses), NotReported)

// MeasureFilter narrows a plan's measures (issue #17): by the status of
// their report in a period, their lead organisation, a vulnerable group they
// target, and the reporting period. Zero values filter nothing.
type MeasureFilter struct {
	Status   string // one of MeasureFilterStatuses
	LeadID   int64  // an organisation of the municipality
	Group    string // one of VulnerableGroupCodes
	PeriodID int64  // a reporting period of the plan
}

// Measure filter parameters, the same in forms and in the API.
const (
	FilterStatus = "status"
	FilterLead   = "lead_organisation_id"
	FilterGroup  = "group"
	FilterPeriod = "period_id"
)

// ParseMeasureFilter reads the filter from query parameters (get answers
// one by name, "" when absent). A value that is not one of the choices is
// a ValidationError on its parameter: orgs are the municipality's
// organisations, periods the plan's reporting periods.
func ParseMeasureFilter(get func(string) string, orgs map[int64]string, periods []Period) (MeasureFilter, error) {
	var f MeasureFilter
	bad := map[string]string{}
	if v := get(FilterStatus); v != "" {
		if !slices.Contains(MeasureFilterStatuses, v) {
			bad[FilterStatus] = "search.filter.unknown"
		}
		f.Status = v
	}
	if v := get(FilterGroup); v != "" {
		if !slices.Contains(VulnerableGroupCodes, v) {
			bad[FilterGroup] = "search.filter.unknown"
		}
		f.Group = v
	}
	if v := get(FilterLead); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if _, ok := orgs[id]; err != nil || !ok {
			bad[FilterLead] = "search.filter.unknown"
		}
		f.LeadID = id
	}
	if v := get(FilterPeriod); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.ContainsFunc(periods, func(p Period) bool { return p.ID == id }) {
			bad[FilterPeriod] = "search.filter.unknown"
		}
		f.PeriodID = id
	}
	if len(bad) > 0 {
		return MeasureFilter{}, &ValidationError{Fields: bad}
	}
	return f, nil
}

// Active says whether the filter narrows anything.
func (f MeasureFilter) Active() bool { return f != MeasureFilter{} }

// ShowsPeriod says whether a period passes the period filter.
func (f MeasureFilter) ShowsPeriod(id int64) bool { return f.PeriodID == 0 || f.PeriodID == id }

// Matches says whether a measure passes the filter, report being its report
// in the period at hand (nil: none). Without a period the status filter
// has nothing to look at and lets every measure through.
func (f MeasureFilter) Matches(m *Measure, report *Progress, inPeriod bool) bool {
	if f.LeadID != 0 && m.LeadOrganisationID != f.LeadID {
		return false
	}
	if f.Group != "" && !m.Groups.Has(f.Group) {
		return false
	}
	if f.Status == "" || !inPeriod {
		return true
	}
	if f.Status == NotReported {
		return report == nil
	}
	return report != nil && report.Status == f.Status
}
