package tracking

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// TrackingPage shows a plan's reporting periods and, per period, each
// measure's report and review state.
func (h *Handler) TrackingPage(c *fiber.Ctx) error {
	return h.trackingPage(c, 200, nil, nil)
}

// trackingPage is the data of views/pages/tracking.html.
type trackingPage struct {
	web.FormState
	Municipality *models.Municipality
	Plan         *models.Plan
	Periods      []models.Period
	Reports      map[int64]map[int64]*models.Progress // by period, then measure
	Files        map[int64]map[int64]int              // evidence files, by period, then measure
	Summary      *models.Summary
	Coordinator  bool
	Today        models.Date
	Filters      *measureFilters // the measure filters (issue #17)
}

func (h *Handler) trackingPage(c *fiber.Ctx, status int, form, errs map[string]string) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	d := trackingPage{FormState: web.FormState{Form: form, Errors: errs}, Plan: p,
		Coordinator: web.ScopeOf(c).Role == models.RoleCoordinator, Today: models.Today()}
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, p.MunicipalityID); err != nil {
		return err
	}
	if d.Periods, err = models.ListPeriods(ctx, h.DB, p.MunicipalityID, p.ID); err != nil {
		return err
	}
	d.Reports = map[int64]map[int64]*models.Progress{}
	for _, per := range d.Periods {
		if d.Reports[per.ID], err = models.PeriodProgress(ctx, h.DB, p.MunicipalityID, per.ID); err != nil {
			return err
		}
	}
	if d.Files, err = models.EvidenceCounts(ctx, h.DB, p.MunicipalityID, p.ID); err != nil {
		return err
	}
	if d.Summary, err = models.PlanSummaryOf(ctx, h.DB, p.MunicipalityID, p.ID, nil); err != nil {
		return err
	}
	if d.Filters, err = h.filterMeasures(c, p, d.Periods, d.Reports); err != nil {
		return err
	}
	if d.Filters.Form.Errors != nil && status == 200 {
		status = 422
	}
	return h.Render(c, status, "tracking", "tracking.title", d)
}

// PeriodCreate opens a reporting period from the tracking page.
func (h *Handler) PeriodCreate(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	r := periodReq{Label: c.FormValue("label"), StartDate: c.FormValue("start_date"), EndDate: c.FormValue("end_date"), DueDate: c.FormValue("due_date")}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.OpenPeriod(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, r.input())
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.trackingPage(c, 422, web.FormValues(c), fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID)+"/tracking", "flash.saved")
}

// PeriodClose locks a period from the tracking page.
func (h *Handler) PeriodClose(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	per, err := models.ClosePeriod(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id)
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(per.PlanID)+"/tracking", "flash.period_closed")
}

// ProgressForm shows a measure's report for a period (editable when allowed).
func (h *Handler) ProgressForm(c *fiber.Ctx) error {
	return h.progressForm(c, 200, nil, nil)
}

// progressFormPage is the data of views/pages/progress_form.html: a
// measure's report for a period, as stored or as typed.
type progressFormPage struct {
	web.FormState
	Measure      *models.Measure
	Municipality *models.Municipality
	Period       *models.Period
	Report       *models.Progress // nil until the first save
	In           *models.ProgressInput
	CanEdit      bool
	Coordinator  bool
	Statuses     []string
	Sources      []string
	Groups       []string
	SpentRows    []spentRow
	MoreSpent    int
	Version      string // empty for a report not yet saved
	Evidence     []evidenceRow
	CanAttach    bool   // files may be added (and the caller's own removed) now
	Notice       string // what an evidence post did, on a page drawn with the typed report
}

func (h *Handler) progressForm(c *fiber.Ctx, status int, in *models.ProgressInput, errs map[string]string) error {
	return h.progressFormNotice(c, status, in, errs, "")
}

func (h *Handler) progressFormNotice(c *fiber.Ctx, status int, in *models.ProgressInput, errs map[string]string, notice string) error {
	d, err := h.progressReport(c)
	if err != nil {
		return err
	}
	if in == nil {
		in = progressInputOf(d.Report)
	}
	if d.Report != nil || web.AddingRows(c) {
		d.Version = web.FormVersion(c, progressVersion(d.Report))
	}
	if carriesReport(c) {
		d.Version = c.FormValue("version") // nothing was saved: the save is still checked against it
	}
	s := web.ScopeOf(c)
	d.FormState, d.In, d.Coordinator = web.FormState{Errors: errs}, in, s.Role == models.RoleCoordinator
	d.CanEdit = d.Period.Status == "open" && s.Role != models.RoleViewer &&
		models.ReporterRights(d.Measure, web.PrincipalOf(c).User.OrganisationID, d.Coordinator) &&
		(d.Report == nil || d.Report.Review == "draft" || d.Report.Review == "returned")
	d.Statuses, d.Sources, d.Groups = models.ProgressStatuses, models.BudgetSources, models.VulnerableGroupCodes
	d.MoreSpent = web.MoreRows(c, "spent")
	d.SpentRows = spentRows(in, d.MoreSpent)
	if err := h.loadEvidence(c, &d); err != nil {
		return err
	}
	d.Notice = notice
	return h.Render(c, status, "progress_form", "progress.title", d)
}

// progressReport loads the URL's measure and period (of the same plan),
// the municipality and the stored report, if any.
func (h *Handler) progressReport(c *fiber.Ctx) (progressFormPage, error) {
	var d progressFormPage
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return d, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	if d.Measure, err = models.GetMeasure(ctx, h.DB, muni, mID); err != nil {
		return d, err
	}
	if d.Period, err = models.GetPeriod(ctx, h.DB, muni, pID); err != nil || d.Period.PlanID != d.Measure.PlanID {
		return d, models.ErrNotFound
	}
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, muni); err != nil {
		return d, err
	}
	if d.Report, err = models.GetProgress(ctx, h.DB, muni, mID, pID); err != nil && !errors.Is(err, models.ErrNotFound) {
		return d, err
	}
	return d, nil
}

// progressInputOf turns a stored report into form values: the blank
// report starts as "not started".
func progressInputOf(pr *models.Progress) *models.ProgressInput {
	in := models.ProgressInputOf(pr)
	if pr == nil {
		in.Status = "not_started"
	}
	return &in
}

// spentRow is one spending row of the form; two empty rows follow, more on
// request (form_rows.go).
type spentRow struct {
	N                      int
	Source, Funder, Amount string
}

func spentRows(in *models.ProgressInput, more int) []spentRow {
	var rows []spentRow
	for i, s := range in.Spent {
		rows = append(rows, spentRow{i, s.Source, s.Funder, string(s.Amount)})
	}
	for i := range web.SpareRows(len(in.Spent), 2, more) {
		rows = append(rows, spentRow{N: len(in.Spent) + i})
	}
	return rows
}

// ProgressSave handles the report form.
func (h *Handler) ProgressSave(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	in := parseProgressForm(c)
	if web.AddingRows(c) {
		return h.progressForm(c, 200, in, nil) // read-only unless the caller may report
	}
	p, s := web.PrincipalOf(c), web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	l := h.Localizer(c)
	saved, bad := localNumbers(l, in)
	_, err = models.SaveProgress(ctx, h.DB, web.Actor(c), s.MunicipalityID, mID, pID, web.Atoi(c.FormValue("version")),
		p.User.OrganisationID, s.Role == models.RoleCoordinator, saved)
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(l, err); fe != nil {
		web.FormatErrors(l, fe, bad)
		if msg, ok := fe["period_id"]; ok {
			fe["form"] = msg // the period is not a field of the form: said above it
		}
		return h.progressForm(c, 422, in, valueErrorsByField(in, fe))
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, fmt.Sprintf("/measures/%d/progress/%d", mID, pID), "flash.saved")
}

// localNumbers is the report with its spending amounts and indicator
// values read the way the page writes them (web.LocalAmount,
// web.LocalQuantity); bad names the fields that are no number, with the
// message the form shows for them. The form keeps the text as typed, to
// show it again.
func localNumbers(l *i18n.Localizer, in *models.ProgressInput) (models.ProgressInput, map[string]string) {
	out := *in
	out.Spent = slices.Clone(in.Spent)
	out.IndicatorValues = slices.Clone(in.IndicatorValues)
	bad := map[string]string{}
	for i := range out.Spent {
		var ok bool
		if out.Spent[i].Amount, ok = web.LocalAmount(l, out.Spent[i].Amount); !ok {
			bad[fmt.Sprintf("spent[%d].amount", i)] = "validation.amount_in"
		}
	}
	for i := range out.IndicatorValues {
		var ok bool
		if out.IndicatorValues[i].Value, ok = web.LocalQuantity(l, out.IndicatorValues[i].Value); !ok {
			bad[fmt.Sprintf("indicator_values[%d].value", i)] = "validation.number_in"
		}
	}
	return out, bad
}

// valueErrorsByField keys the model's indicator value errors
// ("indicator_values[i].value", i the position in the input) by the form
// field of that indicator ("ind_<indicator id>"), so the form shows each
// message next to its field.
func valueErrorsByField(in *models.ProgressInput, errs map[string]string) map[string]string {
	for i, v := range in.IndicatorValues {
		k := fmt.Sprintf("indicator_values[%d].value", i)
		if msg, ok := errs[k]; ok {
			delete(errs, k)
			errs[fmt.Sprintf("ind_%d", v.IndicatorID)] = msg
		}
	}
	return errs
}

// parseProgressForm reads the report form; non-numbers become -1 so the
// model reports them next to their field instead of silently using 0.
func parseProgressForm(c *fiber.Ctx) *models.ProgressInput {
	num := func(k string) int {
		v := c.FormValue(k)
		if v == "" {
			return 0
		}
		n := web.Atoi(v)
		if web.Itoa(int64(n)) != v {
			return -1
		}
		return n
	}
	pc := num("percent_complete")
	if c.FormValue("percent_complete") != "" && pc == -1 {
		pc = 101
	}
	in := &models.ProgressInput{Status: c.FormValue("status"), PercentComplete: &pc, Narrative: c.FormValue("narrative"),
		Beneficiaries: models.Beneficiaries{Total: num("b_total"), Women: num("b_women"), Men: num("b_men"), ByGroup: map[string]int{}},
		Outcomes:      models.Outcomes{Employed: num("o_employed"), Trained: num("o_trained"), CompletedEducation: num("o_education"), SelfEmployed: num("o_self")}}
	for _, g := range models.VulnerableGroupCodes {
		if v := c.FormValue("g_" + g); v != "" {
			in.Beneficiaries.ByGroup[g] = num("g_" + g)
		}
	}
	for n := 0; n < web.MaxFormRows; n++ {
		amount := c.FormValue(fmt.Sprintf("s_amount_%d", n))
		if amount == "" {
			continue
		}
		in.Spent = append(in.Spent, models.SpentInput{Source: c.FormValue(fmt.Sprintf("s_source_%d", n)),
			Funder: c.FormValue(fmt.Sprintf("s_funder_%d", n)), Amount: models.NumText(amount)})
	}
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		var id int64
		if _, err := fmt.Sscanf(string(k), "ind_%d", &id); err == nil && len(v) > 0 {
			in.IndicatorValues = append(in.IndicatorValues, models.ValueInput{IndicatorID: id, Value: models.NumText(v)})
		}
	})
	if mf, err := c.MultipartForm(); err == nil { // the report posted with a file (evidence.go)
		for k, vs := range mf.Value {
			var id int64
			if _, err := fmt.Sscanf(k, "ind_%d", &id); err == nil && len(vs) > 0 && vs[0] != "" {
				in.IndicatorValues = append(in.IndicatorValues, models.ValueInput{IndicatorID: id, Value: models.NumText(vs[0])})
			}
		}
		slices.SortFunc(in.IndicatorValues, func(a, b models.ValueInput) int { return cmp.Compare(a.IndicatorID, b.IndicatorID) })
	}
	return in
}

// ProgressReview handles submit / accept / return from the report page.
func (h *Handler) ProgressReview(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		mID, pID, err := measurePeriod(c)
		if err != nil {
			return err
		}
		p, s := web.PrincipalOf(c), web.ScopeOf(c)
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err = models.ReviewProgress(ctx, h.DB, web.Actor(c), s.MunicipalityID, mID, pID, action, c.FormValue("comment"),
			p.User.OrganisationID, s.Role == models.RoleCoordinator)
		if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
			return h.progressForm(c, 422, nil, fe)
		}
		if err != nil {
			return err
		}
		return h.RedirectWithFlash(c, fmt.Sprintf("/measures/%d/progress/%d", mID, pID), "flash.report_"+action)
	}
}

func progressVersion(pr *models.Progress) int {
	if pr == nil {
		return 0
	}
	return pr.Version
}

// trackedPlan loads the :id plan inside the policy's municipality.
func (h *Handler) trackedPlan(c *fiber.Ctx) (*models.Plan, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetPlan(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}
