package plans

import (
	"encoding/json"

	"pakt/models"
	"pakt/web"
)

// measureFilters reads the plan page's measure filter (lead organisation
// and vulnerable group; issue #17). The lead organisations offered are
// cached with the plan's revision, so a cached plan page reads no more.
func (r *planRef) measureFilters() (*web.MeasureFilterForm, error) {
	b, err := r.h.Cache.Do(r.key("plan.leads"), func() ([]byte, error) {
		p, err := r.plan()
		if err != nil {
			return nil, err
		}
		return json.Marshal(web.Leads(p.Measures, r.names))
	})
	if err != nil {
		return nil, err
	}
	var leads []web.LeadChoice
	if err := json.Unmarshal(b, &leads); err != nil {
		return nil, err
	}
	return r.h.MeasureFilter(r.c, "/plans/"+web.Itoa(r.id), leads, nil)
}

// filteredGroups are the plan's measures by objective, only those that pass
// the page's filter, and then only the objectives that keep any.
func (r *planRef) filteredGroups(p *models.Plan) []objectiveMeasures {
	groups := groupMeasures(p)
	if !r.filter.Active() {
		return groups
	}
	out := groups[:0]
	for _, g := range groups {
		kept := g.Measures[:0]
		for _, m := range g.Measures {
			if r.filter.Matches(m, nil, false) {
				kept = append(kept, m)
			}
		}
		if g.Measures = kept; len(kept) > 0 {
			out = append(out, g)
		}
	}
	return out
}
