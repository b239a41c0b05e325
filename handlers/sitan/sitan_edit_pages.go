package sitan

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// Browser edit forms for findings, vulnerable groups, focus groups and
// needs (issue #17). They call the model functions the API's PATCH calls;
// a refusal (published, cited by an adopted plan, changed meanwhile) is the
// form's message, what was typed is kept.

// editRefusal turns a refused update into the form's errors and status:
// 422 with a message next to each field, 409 with the reason above the
// form; nil for other errors.
func (h *Handler) editRefusal(c *fiber.Ctx, err error) (map[string]string, int) {
	l := h.Localizer(c)
	if fe := web.FieldErrors(l, err); fe != nil {
		return fe, fiber.StatusUnprocessableEntity
	}
	if errors.Is(err, models.ErrStale) {
		return map[string]string{"form": l.T("error.stale_form")}, fiber.StatusConflict
	}
	if se := web.StateErrors(l, err); se != nil {
		return se, fiber.StatusConflict
	}
	return nil, 0
}

// findingEditPage is the data of views/pages/finding_edit.html.
type findingEditPage struct {
	web.FormState
	Municipality *models.Municipality
	Sitan        *models.SituationAnalysis
	Finding      *models.Finding
	Orgs         []models.Organisation
	GroupCodes   []string
	Families     []string
}

// FindingEdit is GET /findings/{id}/edit.
func (h *Handler) FindingEdit(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	f, err := models.FindingOf(ctx, h.DB, web.ScopeOf(c).MunicipalityID, pathID(c))
	if err != nil {
		return err
	}
	form := map[string]string{"statement": f.Statement, "group": f.Group, "barrier": f.Barrier,
		"source_organisation_id": web.Itoa(f.SourceOrganisationID)}
	return h.findingEditPage(c, 200, f, form, nil)
}

func (h *Handler) findingEditPage(c *fiber.Ctx, status int, f *models.Finding, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	d := findingEditPage{FormState: web.FormState{Form: form, Errors: errs}, Finding: f,
		GroupCodes: models.VulnerableGroupCodes, Families: models.BarrierFamilies}
	var err error
	if d.Sitan, err = models.GetSitan(ctx, h.DB, f.MunicipalityID, f.SituationAnalysisID); err != nil {
		return err
	}
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, f.MunicipalityID); err != nil {
		return err
	}
	if d.Orgs, err = models.ListOrganisations(ctx, h.DB, f.MunicipalityID); err != nil {
		return err
	}
	if errs == nil && d.Sitan.Published() {
		d.Errors = map[string]string{"form": h.Localizer(c).T("sitan.error.published")}
	}
	return h.Render(c, status, "finding_edit", "sitan.findings.edit", d)
}

// FindingUpdate is POST /findings/{id}: the edit form.
func (h *Handler) FindingUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	f, err := models.FindingOf(ctx, h.DB, muni, pathID(c))
	if err != nil {
		return err
	}
	r := findingReq{Statement: strings.TrimSpace(c.FormValue("statement")), Group: c.FormValue("group"), Barrier: c.FormValue("barrier")}
	if src := sitanFormID(c, "source_organisation_id"); src > 0 {
		r.SourceOrganisationID = &src
	}
	err = h.Check(&r)
	if err == nil {
		_, err = models.UpdateFinding(ctx, h.DB, web.Actor(c), muni, f.ID, r.input())
	}
	if errs, status := h.editRefusal(c, err); errs != nil {
		form := map[string]string{"statement": r.Statement, "group": r.Group, "barrier": r.Barrier,
			"source_organisation_id": c.FormValue("source_organisation_id")}
		return h.findingEditPage(c, status, f, form, errs)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(f.SituationAnalysisID)+"#finding-"+web.Itoa(f.ID), "flash.saved")
}

// groupEditPage is the data of views/pages/group_edit.html.
type groupEditPage struct {
	web.FormState
	Municipality *models.Municipality
	Sitan        *models.SituationAnalysis
	Group        *models.VulnerableGroup
	GroupCodes   []string
	Families     []string
	Specific     []models.SpecificBarrier
}

// GroupEdit is GET /vulnerable-groups/{id}/edit.
func (h *Handler) GroupEdit(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	g, err := models.VulnerableGroupOf(ctx, h.DB, web.ScopeOf(c).MunicipalityID, pathID(c))
	if err != nil {
		return err
	}
	form := map[string]string{"group": g.Group, "label": g.Label, "estimated_size": web.Itoa(int64(g.EstimatedSize)),
		"priority": web.Itoa(int64(g.Priority))}
	if g.Women != nil {
		form["women"] = web.Itoa(int64(*g.Women))
	}
	if g.Men != nil {
		form["men"] = web.Itoa(int64(*g.Men))
	}
	for _, b := range append(append([]string{}, g.Barriers...), g.SpecificBarriers...) {
		form["b_"+b] = "on"
	}
	return h.groupEditPage(c, 200, g, form, nil)
}

func (h *Handler) groupEditPage(c *fiber.Ctx, status int, g *models.VulnerableGroup, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	d := groupEditPage{FormState: web.FormState{Form: form, Errors: errs}, Group: g,
		GroupCodes: models.VulnerableGroupCodes, Families: models.BarrierFamilies, Specific: models.SpecificBarriers}
	var err error
	if d.Sitan, err = models.GetSitan(ctx, h.DB, g.MunicipalityID, g.SituationAnalysisID); err != nil {
		return err
	}
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, g.MunicipalityID); err != nil {
		return err
	}
	if errs == nil && d.Sitan.Published() {
		d.Errors = map[string]string{"form": h.Localizer(c).T("sitan.error.published")}
	}
	return h.Render(c, status, "group_edit", "sitan.groups.edit", d)
}

// GroupUpdate is POST /vulnerable-groups/{id}: the edit form.
func (h *Handler) GroupUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	g, err := models.VulnerableGroupOf(ctx, h.DB, muni, pathID(c))
	if err != nil {
		return err
	}
	errs := map[string]string{}
	r := groupReq{Group: c.FormValue("group"), Label: strings.TrimSpace(c.FormValue("label")),
		EstimatedSize: sitanFormInt(c, "estimated_size", errs), Women: sitanFormInt(c, "women", errs),
		Men: sitanFormInt(c, "men", errs), Priority: sitanFormInt(c, "priority", errs),
		Barriers: sitanFormValues(c, "barriers"), SpecificBarriers: sitanFormValues(c, "specific_barriers")}
	err = sitanMergeErrors(errs, h.Check(&r))
	if err == nil {
		err = sitanMergeErrors(errs, models.CheckVulnerableGroup(r.input()))
	}
	if err == nil && len(errs) == 0 {
		_, err = models.UpdateVulnerableGroup(ctx, h.DB, web.Actor(c), muni, g.ID, r.input())
	}
	if fe, status := h.editRefusal(c, sitanWithErrors(errs, err)); fe != nil {
		form := map[string]string{}
		for _, k := range []string{"group", "label", "estimated_size", "women", "men", "priority"} {
			form[k] = c.FormValue(k)
		}
		for _, b := range append(r.Barriers, r.SpecificBarriers...) {
			form["b_"+b] = "on"
		}
		return h.groupEditPage(c, status, g, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(g.SituationAnalysisID)+"#groups", "flash.saved")
}

// focusEditPage is the data of views/pages/focus_edit.html: the focus
// group's own fields (its needs are edited one by one).
type focusEditPage struct {
	web.FormState
	Municipality *models.Municipality
	FocusGroup   *models.FocusGroup
	GroupCodes   []string
}

// FocusGroupEdit is GET /focus-groups/{id}/edit.
func (h *Handler) FocusGroupEdit(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	in := fg.InputOf()
	form := map[string]string{"held_on": in.HeldOn.Format(time.DateOnly), "place": in.Place, "summary": in.Summary,
		"participants_total": web.Itoa(int64(in.Total)), "participants_women": web.Itoa(int64(in.Women)),
		"participants_men": web.Itoa(int64(in.Men)), "version": web.Itoa(int64(fg.Version))}
	if len(in.Ages) == 3 {
		form["age_15_29"], form["age_30_49"], form["age_50_plus"] = web.Itoa(int64(in.Ages[0])), web.Itoa(int64(in.Ages[1])), web.Itoa(int64(in.Ages[2]))
	}
	if in.ConsentObtained {
		form["consent_obtained"] = "1"
	}
	for _, g := range in.Groups {
		form["g_"+g] = "on"
	}
	return h.focusEditPage(c, 200, fg, form, nil)
}

func (h *Handler) focusEditPage(c *fiber.Ctx, status int, fg *models.FocusGroup, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, fg.MunicipalityID)
	if err != nil {
		return err
	}
	return h.Render(c, status, "focus_edit", "focus.edit", focusEditPage{FormState: web.FormState{Form: form, Errors: errs},
		Municipality: m, FocusGroup: fg, GroupCodes: models.VulnerableGroupCodes})
}

// FocusGroupUpdate is POST /focus-groups/{id}: the edit form; the version
// it was drawn with guards against a change made meanwhile.
func (h *Handler) FocusGroupUpdate(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	errs := map[string]string{}
	in, _, form := focusFormInput(c, errs)
	form["version"] = c.FormValue("version")
	err = sitanWithErrors(errs, nil)
	if err == nil {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err = models.UpdateFocusGroup(ctx, h.DB, web.Actor(c), fg.MunicipalityID, fg.ID, web.Atoi(form["version"]), in)
	}
	if fe, status := h.editRefusal(c, err); fe != nil {
		return h.focusEditPage(c, status, fg, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/focus-groups/"+web.Itoa(fg.ID), "flash.saved")
}

// needEditPage is the data of views/pages/need_edit.html.
type needEditPage struct {
	web.FormState
	Municipality *models.Municipality
	FocusGroup   *models.FocusGroup
	Need         *models.Need
	GroupCodes   []string
	Families     []string
	Priorities   []int
}

// NeedEdit is GET /needs/{id}/edit.
func (h *Handler) NeedEdit(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	n, err := models.NeedOf(ctx, h.DB, web.ScopeOf(c).MunicipalityID, pathID(c))
	if err != nil {
		return err
	}
	in := n.InputOf()
	form := map[string]string{"statement": in.Statement, "barrier": in.Barrier, "priority": web.Itoa(int64(in.Priority)),
		"group": in.Group, "quote": in.Quote}
	return h.needEditPage(c, 200, n, form, nil)
}

func (h *Handler) needEditPage(c *fiber.Ctx, status int, n *models.Need, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	d := needEditPage{FormState: web.FormState{Form: form, Errors: errs}, Need: n, GroupCodes: models.VulnerableGroupCodes,
		Families: models.BarrierFamilies, Priorities: models.NeedPriorities}
	var err error
	if d.FocusGroup, err = models.GetFocusGroup(ctx, h.DB, n.MunicipalityID, n.FocusGroupID); err != nil {
		return err
	}
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, n.MunicipalityID); err != nil {
		return err
	}
	return h.Render(c, status, "need_edit", "focus.need_edit", d)
}

// NeedUpdate is POST /needs/{id}: the edit form.
func (h *Handler) NeedUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	n, err := models.NeedOf(ctx, h.DB, muni, pathID(c))
	if err != nil {
		return err
	}
	form := map[string]string{"statement": strings.TrimSpace(c.FormValue("statement")), "barrier": c.FormValue("barrier"),
		"priority": c.FormValue("priority"), "group": c.FormValue("group"), "quote": strings.TrimSpace(c.FormValue("quote"))}
	_, err = models.UpdateNeed(ctx, h.DB, web.Actor(c), muni, n.ID, models.NeedInput{Statement: form["statement"],
		Barrier: form["barrier"], Priority: web.Atoi(form["priority"]), Group: form["group"], Quote: form["quote"]})
	if fe, status := h.editRefusal(c, err); fe != nil {
		return h.needEditPage(c, status, n, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/focus-groups/"+web.Itoa(n.FocusGroupID)+"#need-"+web.Itoa(n.ID), "flash.saved")
}
