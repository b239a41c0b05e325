package plans

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// planDiffPage is the data of views/pages/plan_diff.html: two versions of
// a plan compared measure by measure.
type planDiffPage struct {
	web.FormState
	Plan         *models.Plan
	Municipality *models.Municipality
	Versions     []versionOption
	FromLabel    string
	ToLabel      string
	Diff         *planDiffView // nil when there is nothing to compare with
}

type versionOption struct {
	Value, Label string
}

type fieldView struct {
	Label, Before, After string
}

type lineView struct {
	Code, Title, Total string
}

type indicatorView struct {
	Name   string
	Fields []fieldView
}

type measureView struct {
	Code, Title              string
	Fields                   []fieldView
	IndAdded, IndRemoved     []string
	IndChanged               []indicatorView
	BudAdded, BudRemoved     []string
	BudChanged               []fieldView
	HasIndicators, HasBudget bool
}

type planDiffView struct {
	Fields                   []fieldView
	Added, Removed           []lineView
	Changed                  []measureView
	Empty                    bool
	AddedTotal, RemovedTotal string
}

// diffChoice is the result of reading ?from= and ?to=.
type diffChoice struct {
	plan     *models.Plan
	versions []models.PlanVersion
	from, to *models.PlanVersion
	errs     map[string]string
}

// versionParam reads one version choice; "" is the default, "current" or 0
// the plan as it is now.
func versionParam(c *fiber.Ctx, name string, versions []models.PlanVersion, errs map[string]string) (*models.PlanVersion, bool) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return nil, false
	}
	if v == "current" {
		v = "0"
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err == nil {
		for i := range versions {
			if versions[i].ID == id {
				return &versions[i], true
			}
		}
	}
	errs[name] = "validation.plan_version"
	return nil, true
}

func (h *Handler) diffChoice(c *fiber.Ctx) (*diffChoice, error) {
	p, err := h.scopedPlan(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	d := &diffChoice{plan: p, errs: map[string]string{}}
	if d.versions, err = models.PlanVersions(ctx, h.DB, p.MunicipalityID, p); err != nil {
		return nil, err
	}
	var given bool
	if d.from, given = versionParam(c, "from", d.versions, d.errs); !given {
		if id, ok := models.DefaultFrom(p, d.versions); ok {
			d.from, _ = findVersion(d.versions, id)
		}
	}
	if d.to, given = versionParam(c, "to", d.versions, d.errs); !given {
		d.to = &d.versions[0]
	}
	return d, nil
}

func findVersion(vs []models.PlanVersion, id int64) (*models.PlanVersion, bool) {
	for i := range vs {
		if vs[i].ID == id {
			return &vs[i], true
		}
	}
	return nil, false
}

func (d *diffChoice) compute(h *Handler, c *fiber.Ctx) (models.PlanDiff, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	from, err := models.VersionContent(ctx, h.DB, d.plan.MunicipalityID, d.plan, d.from.ID)
	if err != nil {
		return models.PlanDiff{}, err
	}
	to, err := models.VersionContent(ctx, h.DB, d.plan.MunicipalityID, d.plan, d.to.ID)
	if err != nil {
		return models.PlanDiff{}, err
	}
	return models.DiffPlanVersions(from, to), nil
}

// PlanDiff is GET /plans/:id/diff: two versions of the plan compared; by
// default the plan now against the adopted plan it revises or what its
// consultation opened with.
func (h *Handler) PlanDiff(c *fiber.Ctx) error {
	d, err := h.diffChoice(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, d.plan.MunicipalityID)
	if err != nil {
		return err
	}
	l := h.Localizer(c)
	pg := planDiffPage{Plan: d.plan, Municipality: m,
		FormState: web.FormState{Form: map[string]string{"from": c.Query("from"), "to": c.Query("to")}, Errors: map[string]string{}}}
	for _, v := range d.versions {
		pg.Versions = append(pg.Versions, versionOption{strconv.FormatInt(v.ID, 10), versionLabel(l, d.plan, v)})
	}
	if d.from != nil && pg.Form["from"] == "" {
		pg.Form["from"] = strconv.FormatInt(d.from.ID, 10)
	}
	if d.to != nil && (pg.Form["to"] == "" || pg.Form["to"] == "current") {
		pg.Form["to"] = strconv.FormatInt(d.to.ID, 10)
	}
	if len(d.errs) > 0 {
		for k, v := range d.errs {
			pg.Errors[k] = l.T(v)
		}
		return h.Render(c, fiber.StatusUnprocessableEntity, "plan_diff", "plandiff.title", pg)
	}
	if d.from != nil {
		diff, err := d.compute(h, c)
		if err != nil {
			return err
		}
		pg.FromLabel, pg.ToLabel = versionLabel(l, d.plan, *d.from), versionLabel(l, d.plan, *d.to)
		pg.Diff = diffView(l, m.Currency, diff)
	}
	return h.Render(c, fiber.StatusOK, "plan_diff", "plandiff.title", pg)
}

// APIPlanDiff is GET /api/v1/action-plans/{id}/diff?from=&to=.
func (h *Handler) APIPlanDiff(c *fiber.Ctx) error {
	d, err := h.diffChoice(c)
	if err != nil {
		return err
	}
	if len(d.errs) > 0 {
		return &models.ValidationError{Fields: d.errs}
	}
	if d.from == nil {
		return &models.StateError{Key: "error.plan_no_earlier_version"}
	}
	diff, err := d.compute(h, c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"plan_id": d.plan.ID, "from": d.from, "to": d.to, "versions": d.versions,
		"fields": diff.Fields, "measures_added": diff.Added, "measures_removed": diff.Removed, "measures_changed": diff.Changed})
}

// versionLabel names a version in words: now, as opened for consultation,
// as adopted (this plan or the one it revises), with its date.
func versionLabel(l *i18n.Localizer, p *models.Plan, v models.PlanVersion) string {
	switch {
	case v.Kind == models.SnapshotCurrent:
		return l.T("plandiff.version.current", "N", v.PlanVersion)
	case v.PlanID != p.ID:
		return l.T("plandiff.version.previous_"+v.Kind, "Date", l.Date(v.TakenAt))
	}
	return l.T("plandiff.version."+v.Kind, "Date", l.Date(v.TakenAt))
}

// fieldKeys are the catalog keys of the compared fields.
var fieldKeys = map[string]string{
	"title": "field.title", "period_start": "plan.period_start", "period_end": "plan.period_end",
	"code": "measure.code", "description": "measure.description", "objective": "measure.objective",
	"groups": "measure.groups", "lead": "measure.lead", "partners": "measure.partners",
	"start_date": "measure.start", "end_date": "measure.end",
	"unit": "indicator.unit", "baseline": "indicator.baseline", "target": "indicator.target",
}

func diffValue(l *i18n.Localizer, field string, v any) string {
	switch x := v.(type) {
	case []string:
		parts := make([]string, 0, len(x))
		for _, s := range x {
			if field == "groups" {
				s = l.T("sitan.group." + s)
			}
			parts = append(parts, s)
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, ", ")
	case string:
		if x == "" {
			return "—"
		}
		if strings.HasSuffix(field, "_date") || strings.HasPrefix(field, "period_") {
			if d, err := models.ParseDate(x); err == nil {
				return l.Date(d.Time)
			}
		}
		if field == "baseline" || field == "target" {
			if d, err := decimal.NewFromString(x); err == nil {
				places := -d.Exponent()
				if places < 0 {
					places = 0
				}
				return l.Decimal(d, places)
			}
		}
		return x
	}
	return "—"
}

func fieldViews(l *i18n.Localizer, fs []models.DiffField) []fieldView {
	var out []fieldView
	for _, f := range fs {
		out = append(out, fieldView{l.T(fieldKeys[f.Field]), diffValue(l, f.Field, f.Before), diffValue(l, f.Field, f.After)})
	}
	return out
}

func money(l *i18n.Localizer, s, currency string) string {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return l.Money(d, currency)
}

func budgetHead(l *i18n.Localizer, year int, source, funder string) string {
	s := strconv.Itoa(year) + " · " + l.T("plandoc.source."+source)
	if funder != "" {
		s += " · " + funder
	}
	return s
}

func indicatorLine(l *i18n.Localizer, i models.SnapIndicator) string {
	return i.Name + ": " + diffValue(l, "baseline", i.Baseline) + " → " + diffValue(l, "target", i.Target) + " " + i.Unit
}

func measureTotal(l *i18n.Localizer, m models.SnapMeasure, currency string) (decimal.Decimal, string) {
	sum := decimal.Zero
	for _, b := range m.Budget {
		d, _ := decimal.NewFromString(b.Amount)
		sum = sum.Add(d)
	}
	return sum, l.Money(sum, currency)
}

func diffView(l *i18n.Localizer, currency string, d models.PlanDiff) *planDiffView {
	v := &planDiffView{Fields: fieldViews(l, d.Fields), Empty: d.Empty()}
	added, removed := decimal.Zero, decimal.Zero
	for _, m := range d.Added {
		sum, s := measureTotal(l, m, currency)
		added = added.Add(sum)
		v.Added = append(v.Added, lineView{m.Code, m.Title, s})
	}
	for _, m := range d.Removed {
		sum, s := measureTotal(l, m, currency)
		removed = removed.Add(sum)
		v.Removed = append(v.Removed, lineView{m.Code, m.Title, s})
	}
	v.AddedTotal, v.RemovedTotal = l.Money(added, currency), l.Money(removed, currency)
	for _, md := range d.Changed {
		mv := measureView{Code: md.Code, Title: md.Title, Fields: fieldViews(l, md.Fields)}
		for _, i := range md.IndicatorsAdded {
			mv.IndAdded = append(mv.IndAdded, indicatorLine(l, i))
		}
		for _, i := range md.IndicatorsRemoved {
			mv.IndRemoved = append(mv.IndRemoved, indicatorLine(l, i))
		}
		for _, i := range md.IndicatorsChanged {
			mv.IndChanged = append(mv.IndChanged, indicatorView{i.Name, fieldViews(l, i.Fields)})
		}
		for _, b := range md.BudgetAdded {
			mv.BudAdded = append(mv.BudAdded, budgetHead(l, b.Year, b.Source, b.Funder)+": "+money(l, b.Amount, currency))
		}
		for _, b := range md.BudgetRemoved {
			mv.BudRemoved = append(mv.BudRemoved, budgetHead(l, b.Year, b.Source, b.Funder)+": "+money(l, b.Amount, currency))
		}
		for _, b := range md.BudgetChanged {
			mv.BudChanged = append(mv.BudChanged, fieldView{budgetHead(l, b.Year, b.Source, b.Funder),
				money(l, b.Before, currency), money(l, b.After, currency)})
		}
		mv.HasIndicators = len(mv.IndAdded)+len(mv.IndRemoved)+len(mv.IndChanged) > 0
		mv.HasBudget = len(mv.BudAdded)+len(mv.BudRemoved)+len(mv.BudChanged) > 0
		v.Changed = append(v.Changed, mv)
	}
	return v
}
