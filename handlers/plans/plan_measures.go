package plans

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// measureForm is the browser form of a measure: rows for indicators and
// budget lines, a few of them empty, more on request (form_rows.go; no
// JavaScript needed; empty rows are ignored).
type measureForm struct {
	In               models.MeasureInput
	IndRows          []indRow
	BudRows          []budRow
	MoreInd, MoreBud int // extra empty rows asked for
	indIdx           []int
	budIdx           []int
}

type indRow struct {
	N                               int
	Name, Unit, Baseline, Target    string
	ErrName, ErrBaseline, ErrTarget string
}

type budRow struct {
	N                             int
	Year, Source, Funder, Amount  string
	ErrYear, ErrSource, ErrAmount string
}

func parseMeasureForm(c *fiber.Ctx) *measureForm {
	f := &measureForm{MoreInd: web.MoreRows(c, "indicators"), MoreBud: web.MoreRows(c, "budget")}
	in := &f.In
	in.Code, in.Title, in.Description = c.FormValue("code"), c.FormValue("title"), c.FormValue("description")
	in.ObjectiveID, in.LeadOrganisationID = web.FormInt(c, "objective_id"), web.FormInt(c, "lead_organisation_id")
	in.PartnerOrganisationIDs = web.FormInts(c, "partner_organisation_ids")
	in.StartDate, in.EndDate = c.FormValue("start_date"), c.FormValue("end_date")
	for _, g := range c.Context().PostArgs().PeekMulti("groups") {
		in.Groups = append(in.Groups, string(g))
	}
	for _, e := range c.Context().PostArgs().PeekMulti("evidence") {
		kind, id, _ := strings.Cut(string(e), ":")
		var n int64
		fmt.Sscan(id, &n)
		in.Evidence = append(in.Evidence, models.EvidenceInput{Kind: kind, ID: n})
	}
	for n := 0; n < web.MaxFormRows; n++ {
		k := func(s string) string { return c.FormValue(fmt.Sprintf("%s_%d", s, n)) }
		if name := strings.TrimSpace(k("ind_name")); name != "" || k("ind_base") != "" || k("ind_target") != "" {
			in.Indicators = append(in.Indicators, models.IndicatorInput{Name: name, Unit: k("ind_unit"), Baseline: models.NumText(k("ind_base")), Target: models.NumText(k("ind_target"))})
			f.indIdx = append(f.indIdx, n)
		}
		if k("b_amount") != "" || k("b_funder") != "" {
			var year int
			fmt.Sscan(k("b_year"), &year)
			in.Budget = append(in.Budget, models.BudgetInput{Year: year, Source: k("b_source"), Funder: k("b_funder"), Amount: models.NumText(k("b_amount"))})
			f.budIdx = append(f.budIdx, n)
		}
	}
	return f
}

// rows lays out the input with its errors, plus spare empty rows.
func (f *measureForm) rows(errs map[string]string) {
	for i, x := range f.In.Indicators {
		k := fmt.Sprintf("indicators[%d].", i)
		f.IndRows = append(f.IndRows, indRow{N: rowN(f.indIdx, i), Name: x.Name, Unit: x.Unit, Baseline: string(x.Baseline), Target: string(x.Target),
			ErrName: errs[k+"name"], ErrBaseline: errs[k+"baseline"], ErrTarget: errs[k+"target"]})
	}
	for i, x := range f.In.Budget {
		k := fmt.Sprintf("budget[%d].", i)
		year := ""
		if x.Year != 0 {
			year = fmt.Sprint(x.Year)
		}
		f.BudRows = append(f.BudRows, budRow{N: rowN(f.budIdx, i), Year: year, Source: x.Source, Funder: x.Funder, Amount: string(x.Amount),
			ErrYear: errs[k+"year"], ErrSource: errs[k+"source"], ErrAmount: errs[k+"amount"]})
	}
	next := 0
	for _, r := range f.IndRows {
		next = max(next, r.N+1)
	}
	for i := range web.SpareRows(next, 2, f.MoreInd) {
		f.IndRows = append(f.IndRows, indRow{N: next + i})
	}
	next = 0
	for _, r := range f.BudRows {
		next = max(next, r.N+1)
	}
	for i := range web.SpareRows(next, 3, f.MoreBud) {
		f.BudRows = append(f.BudRows, budRow{N: next + i})
	}
}

// modelInput is the form's measure with its budget amounts and indicator
// values read the way the page writes them (web.LocalAmount,
// web.LocalQuantity); bad names the fields that are no number, with the
// message the form shows for them. The form keeps the text as typed, to
// show it again.
func (f *measureForm) modelInput(l *i18n.Localizer) (models.MeasureInput, map[string]string) {
	in := f.In
	in.Budget = slices.Clone(f.In.Budget)
	in.Indicators = slices.Clone(f.In.Indicators)
	bad := map[string]string{}
	for i := range in.Budget {
		var ok bool
		if in.Budget[i].Amount, ok = web.LocalAmount(l, in.Budget[i].Amount); !ok {
			bad[fmt.Sprintf("budget[%d].amount", i)] = "validation.amount_in"
		}
	}
	for i := range in.Indicators {
		var ok bool
		if in.Indicators[i].Baseline, ok = web.LocalQuantity(l, in.Indicators[i].Baseline); !ok {
			bad[fmt.Sprintf("indicators[%d].baseline", i)] = "validation.number_in"
		}
		if in.Indicators[i].Target, ok = web.LocalQuantity(l, in.Indicators[i].Target); !ok {
			bad[fmt.Sprintf("indicators[%d].target", i)] = "validation.number_in"
		}
	}
	return in, bad
}

func rowN(idx []int, i int) int {
	if i < len(idx) {
		return idx[i]
	}
	return i
}

// evidenceChecked says whether the form cites kind:id.
func (f *measureForm) Cites(kind string, id int64) bool {
	for _, e := range f.In.Evidence {
		if e.Kind == kind && e.ID == id {
			return true
		}
	}
	return false
}

// MeasureNew shows an empty measure form.
func (h *Handler) MeasureNew(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	f := &measureForm{}
	f.In.StartDate, f.In.EndDate = p.PeriodStart.String(), p.PeriodEnd.String()
	return h.renderMeasureForm(c, 200, p, nil, f, nil)
}

// measureFormPage is the data of views/pages/measure_form.html: the
// measure's fields in FormState, its indicator and budget rows, and the
// choices of the selects and checkboxes.
type measureFormPage struct {
	web.FormState
	Plan          *models.Plan
	Measure       *models.Measure // nil for a new measure
	Rows          *measureForm
	Organisations []models.Organisation
	Evidence      []models.EvidenceOption
	Groups        []string
	Sources       []string
	Years         []int
}

// renderMeasureForm draws the measure form with its choices and errors.
func (h *Handler) renderMeasureForm(c *fiber.Ctx, status int, p *models.Plan, m *models.Measure, f *measureForm, errs map[string]string) error {
	pg, err := h.measureFormChoices(c, p)
	if err != nil {
		return err
	}
	f.rows(errs)
	form := map[string]string{"code": f.In.Code, "title": f.In.Title, "description": f.In.Description,
		"start_date": f.In.StartDate, "end_date": f.In.EndDate}
	title := "measures.new"
	if m != nil {
		form["version"] = web.FormVersion(c, m.Version)
		title = "measures.edit"
	}
	pg.FormState, pg.Measure, pg.Rows = web.FormState{Form: form, Errors: web.TopLevel(errs)}, m, f
	return h.Render(c, status, "measure_form", title, pg)
}

// measureFormChoices loads the choices of the measure form of plan p: the
// municipality's organisations and the evidence a measure may cite.
func (h *Handler) measureFormChoices(c *fiber.Ctx, p *models.Plan) (measureFormPage, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	pg := measureFormPage{Plan: p, Groups: models.VulnerableGroupCodes, Sources: models.BudgetSources, Years: p.Years()}
	var err error
	if pg.Organisations, err = models.ListOrganisations(ctx, h.DB, p.MunicipalityID); err != nil {
		return pg, err
	}
	pg.Evidence, err = models.EvidenceOptions(ctx, h.DB, p.MunicipalityID)
	return pg, err
}

// MeasureCreate saves a new measure from the form.
func (h *Handler) MeasureCreate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	f := parseMeasureForm(c)
	if web.AddingRows(c) {
		return h.moreMeasureRows(c, p, nil, f)
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	l := h.Localizer(c)
	in, bad := f.modelInput(l)
	_, err = models.CreateMeasure(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, in)
	if fe := web.FieldErrors(l, err); fe != nil {
		web.FormatErrors(l, fe, bad)
		return h.renderMeasureForm(c, 422, p, nil, f, fe)
	}
	if se := web.StateErrors(l, err); se != nil {
		return h.renderMeasureForm(c, 409, p, nil, f, se)
	}
	if err != nil {
		return err
	}
	if web.AddAnother(c) {
		return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID)+"/measures/new", "flash.saved_add_another")
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID), "flash.saved")
}

// scopedMeasure loads the :id measure and its plan inside the municipality.
func (h *Handler) scopedMeasure(c *fiber.Ctx) (*models.Measure, *models.Plan, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMeasure(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := models.GetPlan(ctx, h.DB, m.MunicipalityID, m.PlanID)
	return m, p, err
}

// MeasureEdit shows a measure's form; only a draft's measures (also in
// consultation) can be edited (409).
func (h *Handler) MeasureEdit(c *fiber.Ctx) error {
	m, p, err := h.scopedMeasure(c)
	if err != nil {
		return err
	}
	if !p.PlanEditable() {
		return &models.StateError{Key: "error.plan_not_editable"}
	}
	return h.renderMeasureForm(c, 200, p, m, &measureForm{In: m.InputOf()}, nil)
}

// MeasureUpdate saves a measure; a stale version keeps the newer stored data.
func (h *Handler) MeasureUpdate(c *fiber.Ctx) error {
	m, p, err := h.scopedMeasure(c)
	if err != nil {
		return err
	}
	f := parseMeasureForm(c)
	if web.AddingRows(c) {
		return h.moreMeasureRows(c, p, m, f)
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	l := h.Localizer(c)
	in, bad := f.modelInput(l)
	_, err = models.UpdateMeasure(ctx, h.DB, web.Actor(c), m.MunicipalityID, m.ID, web.Atoi(c.FormValue("version")), in)
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(l, err); fe != nil {
		web.FormatErrors(l, fe, bad)
		return h.renderMeasureForm(c, 422, p, m, f, fe)
	}
	if se := web.StateErrors(l, err); se != nil {
		return h.renderMeasureForm(c, 409, p, m, f, se)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID), "flash.saved")
}

// MeasureDelete removes a measure from a draft plan (also in consultation).
func (h *Handler) MeasureDelete(c *fiber.Ctx) error {
	m, p, err := h.scopedMeasure(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.DeleteMeasure(ctx, h.DB, web.Actor(c), m.MunicipalityID, m.ID); err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID), "flash.deleted")
}

// moreMeasureRows draws the posted form again with more empty rows; when
// the plan can no longer change, it says so next to what was typed, as
// when the form is saved.
func (h *Handler) moreMeasureRows(c *fiber.Ctx, p *models.Plan, m *models.Measure, f *measureForm) error {
	if !p.PlanEditable() {
		return h.renderMeasureForm(c, 409, p, m, f, map[string]string{"form": h.Localizer(c).T("error.plan_not_editable")})
	}
	return h.renderMeasureForm(c, 200, p, m, f, nil)
}
