package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

type planReq struct {
	Title       *string `json:"title"`
	PeriodStart *string `json:"period_start"`
	PeriodEnd   *string `json:"period_end"`
}

// apply overlays the request; an unparsable date becomes empty and is reported by the model.
func (r *planReq) apply(in *models.PlanInput) {
	if r.Title != nil {
		in.Title = *r.Title
	}
	f := map[string]string{}
	setDate(f, "period_start", &in.PeriodStart, r.PeriodStart)
	setDate(f, "period_end", &in.PeriodEnd, r.PeriodEnd)
}

func planFormInput(c *fiber.Ctx) models.PlanInput {
	in := models.PlanInput{Title: c.FormValue("title")}
	setDateForm(&in.PeriodStart, c.FormValue("period_start"))
	setDateForm(&in.PeriodEnd, c.FormValue("period_end"))
	return in
}

// PlanList lists a municipality's action plans with the new-plan form.
func (h *Handler) PlanList(c *fiber.Ctx) error {
	return h.planList(c, 200, map[string]string{}, nil)
}

func (h *Handler) planList(c *fiber.Ctx, status int, form, errs map[string]string) error {
	s := ScopeOf(c)
	ctx, cancel := h.ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	plans, err := models.ListPlans(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.render(c, status, "plans", "plans.title", fiber.Map{"m": m, "plans": plans, "form": form, "errors": errs,
		"coordinator": s.Role == models.RoleCoordinator})
}

// PlanCreate handles the new-plan form.
func (h *Handler) PlanCreate(c *fiber.Ctx) error {
	in := planFormInput(c)
	ctx, cancel := h.ctx(c)
	defer cancel()
	p, err := models.CreatePlan(ctx, h.DB, actor(c), ScopeOf(c).MunicipalityID, in)
	if fe := fieldErrors(h.Localizer(c), err); fe != nil {
		return h.planList(c, 422, map[string]string{"title": c.FormValue("title"), "period_start": c.FormValue("period_start"),
			"period_end": c.FormValue("period_end")}, fe)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/plans/"+itoa(p.ID), "flash.saved")
}

// scopedPlan loads the :id plan inside the policy's municipality.
func (h *Handler) scopedPlan(c *fiber.Ctx) (*models.Plan, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	return models.GetPlan(ctx, h.DB, ScopeOf(c).MunicipalityID, id)
}

// PlanShow is the plan page: measures by objective with their evidence flags,
// unanswered needs, budget matrix, timeline, consultation and adoption.
func (h *Handler) PlanShow(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	data, err := h.planPageData(c, p)
	if err != nil {
		return err
	}
	return h.render(c, 200, "plan_show", "plan.title", data)
}

func (h *Handler) planPageData(c *fiber.Ctx, p *models.Plan) (fiber.Map, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	s := ScopeOf(c)
	m, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return nil, err
	}
	names, err := h.orgNames(c, m.ID)
	if err != nil {
		return nil, err
	}
	needs, err := models.UnansweredNeeds(ctx, h.DB, m.ID, p.ID)
	if err != nil {
		return nil, err
	}
	comments, err := models.ListComments(ctx, h.DB, m.ID, p.ID, false)
	if err != nil {
		return nil, err
	}
	data := fiber.Map{"m": m, "p": p, "orgNames": names, "needs": needs, "matrix": p.Matrix(), "comments": comments,
		"timeline": timelineSVG(p, h.Localizer(c)), "coordinator": s.Role == models.RoleCoordinator,
		"draft": p.Status == models.PlanDraft, "sources": models.BudgetSources, "today": models.Today().String()}
	if p.RevisesID != nil {
		old, err := models.GetPlan(ctx, h.DB, m.ID, *p.RevisesID)
		if err != nil {
			return nil, err
		}
		diff := models.DiffPlans(old, p)
		data["diff"], data["revises"] = &diff, old
	}
	return data, nil
}

// orgNames maps a municipality's organisation ids to names.
func (h *Handler) orgNames(c *fiber.Ctx, muniID int64) (map[int64]string, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	orgs, err := models.ListOrganisations(ctx, h.DB, muniID)
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return names, err
}

// PlanUpdate saves the plan head form (title, period) with a version check.
func (h *Handler) PlanUpdate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err = models.UpdatePlan(ctx, h.DB, actor(c), p.MunicipalityID, p.ID, atoi(c.FormValue("version")), planFormInput(c))
	return h.planFormResult(c, p, err, "flash.saved")
}

// planFormResult re-renders the plan page with errors, or redirects on success.
func (h *Handler) planFormResult(c *fiber.Ctx, p *models.Plan, err error, flash string) error {
	if err == models.ErrStale {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := fieldErrors(h.Localizer(c), err); fe != nil {
		data, derr := h.planPageData(c, p)
		if derr != nil {
			return derr
		}
		data["errors"] = fe
		data["form"] = formValues(c)
		return h.render(c, 422, "plan_show", "plan.title", data)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/plans/"+itoa(p.ID), flash)
}

// formValues keeps what the user typed, to show it again next to the errors.
func formValues(c *fiber.Ctx) map[string]string {
	out := map[string]string{}
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) != "_csrf" {
			out[string(k)] = string(v)
		}
	})
	return out
}

// ObjectiveCreate adds an objective from the plan page.
func (h *Handler) ObjectiveCreate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err = models.CreateObjective(ctx, h.DB, actor(c), p.MunicipalityID, p.ID, c.FormValue("code"), c.FormValue("title"))
	return h.planFormResult(c, p, err, "flash.saved")
}

// PlanConsultation opens the public consultation.
func (h *Handler) PlanConsultation(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var closes models.Date
	setDateForm(&closes, c.FormValue("closes_on"))
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err = models.OpenConsultation(ctx, h.DB, actor(c), p.MunicipalityID, p.ID, closes)
	return h.planFormResult(c, p, err, "flash.consultation_opened")
}

// PlanSubmit sends the plan to the assembly.
func (h *Handler) PlanSubmit(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err = models.SubmitPlan(ctx, h.DB, actor(c), p.MunicipalityID, p.ID)
	return h.planFormResult(c, p, err, "flash.plan_submitted")
}

// PlanAdoption records the assembly's decision.
func (h *Handler) PlanAdoption(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	in := models.AdoptionInput{DecisionNumber: c.FormValue("decision_number"), VotesFor: formIntPtr(c, "votes_for"),
		VotesAgainst: formIntPtr(c, "votes_against"), VotesAbstained: formIntPtr(c, "votes_abstained")}
	setDateForm(&in.DecidedOn, c.FormValue("decided_on"))
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err = models.AdoptPlan(ctx, h.DB, actor(c), p.MunicipalityID, p.ID, in)
	return h.planFormResult(c, p, err, "flash.plan_adopted")
}

// PlanReturn records that the assembly returned the plan.
func (h *Handler) PlanReturn(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err = models.ReturnPlan(ctx, h.DB, actor(c), p.MunicipalityID, p.ID, c.FormValue("reason"))
	return h.planFormResult(c, p, err, "flash.plan_returned")
}

// PlanRevise starts a revision of an adopted plan.
func (h *Handler) PlanRevise(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	np, err := models.RevisePlan(ctx, h.DB, actor(c), p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/plans/"+itoa(np.ID), "flash.revision_started")
}

func formIntPtr(c *fiber.Ctx, key string) *int {
	v := c.FormValue(key)
	if v == "" {
		return nil
	}
	n := atoi(v)
	if itoa(int64(n)) != v {
		n = -1 // not a whole number: the model reports it
	}
	return &n
}
