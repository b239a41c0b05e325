package sitan

import (
	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/models/disclosure"
	"pakt/web"
)

// focusRow is one focus group in a table; counts are formatted (disclosed
// for the public).
type focusRow struct {
	ID                int64
	HeldOn, Place     string
	Groups            []string
	Total, Women, Men string
	Ages              [3]string
	Needs             int
}

type heardNeed struct {
	ID                        int64
	Statement, Barrier, Quote string
	Priority, HeldOn, Place   string
	FocusGroupID              int64
}

type heardGroup struct {
	Code, Name string
	Needs      []heardNeed
}

// heardView is "what we heard", the data that views/pages/focus_list.html
// and views/pages/focus_heard.html share: the focus groups with a totals
// row and the needs by group.
type heardView struct {
	Municipality *models.Municipality
	Rows         []focusRow
	Totals       focusRow
	ByGroup      []heardGroup
}

// focusHeardPage is the data of views/pages/focus_heard.html.
type focusHeardPage struct{ heardView }

// heardData is "what we heard": the focus groups (with a totals row) and
// the needs by group. public hides small counts (<5) and their complements.
func (h *Handler) heardData(c *fiber.Ctx, m *models.Municipality, public bool) (heardView, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fgs, err := models.ListFocusGroups(ctx, h.DB, m.ID)
	if err != nil {
		return heardView{}, err
	}
	needs, err := models.FocusNeeds(ctx, h.DB, m.ID, 0)
	if err != nil {
		return heardView{}, err
	}
	l := h.Localizer(c)
	rows, totals := focusRows(l, fgs, needs, public)
	return heardView{Municipality: m, Rows: rows, Totals: totals, ByGroup: focusNeedsByGroup(l, fgs, needs)}, nil
}

// focusRows formats the focus groups' counts, and their totals when there
// are any.
func focusRows(l *i18n.Localizer, fgs []models.FocusGroup, needs []models.Need, public bool) ([]focusRow, focusRow) {
	tab := focusCounts(fgs)
	d := tab.Disclose()
	if !public {
		d = tab.Exact()
	}
	rows := make([]focusRow, 0, len(fgs))
	for i, fg := range fgs {
		r := focusCells(l, d.Rows[i])
		r.ID, r.HeldOn, r.Place, r.Needs = fg.ID, l.Date(fg.HeldOn), fg.Place, len(focusNeedsOf(needs, fg.ID))
		for _, g := range fg.Groups {
			r.Groups = append(r.Groups, l.T("sitan.group."+g))
		}
		rows = append(rows, r)
	}
	var totals focusRow
	if len(fgs) > 0 {
		totals = focusCells(l, d.Totals)
	}
	return rows, totals
}

// focusCounts is the focus groups' participants: total, women, men and by
// age, the parts of the total (one table for this page and the open-data API).
func focusCounts(fgs []models.FocusGroup) models.CountTable { return models.FocusCountTable(fgs) }

func focusCells(l *i18n.Localizer, cells []models.PublicCell) focusRow {
	r := focusRow{Total: sitanCell(l, cells[0]), Women: sitanCell(l, cells[1]), Men: sitanCell(l, cells[2])}
	for i := 0; i < 3; i++ {
		r.Ages[i] = sitanCell(l, cells[3+i])
	}
	return r
}

// focusNeedsByGroup files each need under its group; needs of mixed focus groups
// without a group go under "other".
func focusNeedsByGroup(l *i18n.Localizer, fgs []models.FocusGroup, needs []models.Need) []heardGroup {
	byID := map[int64]models.FocusGroup{}
	for _, fg := range fgs {
		byID[fg.ID] = fg
	}
	var out []heardGroup
	for _, code := range append(models.VulnerableGroupCodes, "") {
		hg := heardGroup{Code: code, Name: l.T("sitan.group." + code)}
		if code == "" {
			hg.Name = l.T("focus.mixed_groups")
		}
		for _, n := range needs {
			if (n.Group == nil && code == "") || (n.Group != nil && *n.Group == code) {
				fg := byID[n.FocusGroupID]
				hg.Needs = append(hg.Needs, heardNeed{ID: n.ID, Statement: n.Statement, Barrier: l.T("sitan.barrier." + n.Barrier),
					Quote: n.Quote, Priority: l.T("focus.priority." + web.Itoa(int64(n.Priority))), HeldOn: l.Date(fg.HeldOn),
					Place: fg.Place, FocusGroupID: fg.ID})
			}
		}
		if len(hg.Needs) > 0 {
			out = append(out, hg)
		}
	}
	return out
}

// PublicHeard is the public "what we heard" page of a municipality.
func (h *Handler) PublicHeard(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return err
	}
	d, err := h.heardData(c, m, true)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "focus_heard", "focus.heard.title", focusHeardPage{d})
}

type regionRow struct {
	Name, Slug        string
	FocusGroups       int
	Total, Women, Men string
}

// focusRegionPage is the data of views/pages/focus_region.html.
type focusRegionPage struct {
	Rows   []regionRow
	Totals regionRow
}

// RegionHeard totals focus-group participants across municipalities.
func (h *Handler) RegionHeard(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	rows, err := models.RegionalParticipants(ctx, h.DB)
	if err != nil {
		return err
	}
	// A municipality's row is the totals row of its own "what we heard"
	// page (the sum of its focus groups' bands), the region's the sum of those.
	l := h.Localizer(c)
	groups := 0
	var sums [3][]disclosure.Band
	out := make([]regionRow, 0, len(rows))
	for _, r := range rows {
		b := [3]disclosure.Band{r.TotalBand(), r.WomenBand(), r.MenBand()}
		for i := range b {
			sums[i] = append(sums[i], b[i])
		}
		out = append(out, regionRow{r.Name, r.Slug, r.FocusGroups, b[0].Text(l.Int), b[1].Text(l.Int), b[2].Text(l.Int)})
		groups += r.FocusGroups
	}
	var totals regionRow
	if len(rows) > 0 {
		totals = regionRow{"", "", groups, disclosure.Sum(sums[0]...).Text(l.Int), disclosure.Sum(sums[1]...).Text(l.Int),
			disclosure.Sum(sums[2]...).Text(l.Int)}
	}
	return h.Render(c, 200, "focus_region", "focus.region.title", focusRegionPage{Rows: out, Totals: totals})
}
