package plans

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// APIPlanCreate is POST /api/v1/municipalities/{id}/action-plans.
func (h *Handler) APIPlanCreate(c *fiber.Ctx) error {
	var r planReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	var in models.PlanInput
	r.apply(&in)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	p, err := models.CreatePlan(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, in)
	if err != nil {
		return err
	}
	return h.planAnswer(c, p.ID, fiber.StatusCreated)
}

// APIPlanList is GET /api/v1/municipalities/{id}/action-plans.
func (h *Handler) APIPlanList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	items, err := models.ListPlans(ctx, h.DB, web.ScopeOf(c).MunicipalityID)
	if err != nil {
		return err
	}
	return web.SendList(c, items)
}

// APIPlanGet is GET /api/v1/action-plans/{id}, with the changes made since
// its consultation opened.
func (h *Handler) APIPlanGet(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if p.Changes, err = models.PlanChanges(ctx, h.DB, p.MunicipalityID, p); err != nil {
		return err
	}
	return web.SendVersioned(c, 200, p.Version, p)
}

// APIPlanUpdate is PATCH /api/v1/action-plans/{id} (title, period; draft only).
func (h *Handler) APIPlanUpdate(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var r planReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	in := models.PlanInput{Title: p.Title, PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd}
	r.apply(&in)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.UpdatePlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, version, in); err != nil {
		return err
	}
	return h.planAnswer(c, p.ID, 200)
}

type objectiveReq struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// APIObjectiveCreate is POST /api/v1/action-plans/{id}/objectives.
func (h *Handler) APIObjectiveCreate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var r objectiveReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	o, err := models.CreateObjective(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, r.Code, r.Title)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(o)
}

// APIMeasureCreate is POST /api/v1/action-plans/{id}/measures.
func (h *Handler) APIMeasureCreate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var in models.MeasureInput
	if err := web.ParseJSON(c, &in); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.CreateMeasure(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, in)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, m.Version, m)
}

// APIMeasureGet is GET /api/v1/measures/{id}.
func (h *Handler) APIMeasureGet(c *fiber.Ctx) error {
	m, _, err := h.scopedMeasure(c)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, m.Version, m)
}

// APIMeasureUpdate is PATCH /api/v1/measures/{id}: absent fields keep their
// value; 409 unless the plan is a draft (also in public consultation); 412
// on a stale If-Match.
func (h *Handler) APIMeasureUpdate(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	m, p, err := h.scopedMeasure(c)
	if err != nil {
		return err
	}
	in := m.InputOf()
	if err := web.ParseJSON(c, &in); err != nil {
		return err
	}
	if !p.PlanEditable() {
		return &models.StateError{Key: "error.plan_not_editable"}
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err = models.UpdateMeasure(ctx, h.DB, web.Actor(c), m.MunicipalityID, m.ID, version, in)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, m.Version, m)
}

// APIMeasureDelete is DELETE /api/v1/measures/{id}.
func (h *Handler) APIMeasureDelete(c *fiber.Ctx) error {
	m, _, err := h.scopedMeasure(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.DeleteMeasure(ctx, h.DB, web.Actor(c), m.MunicipalityID, m.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type consultationReq struct {
	ClosesOn string `json:"closes_on"`
}

// APIPlanConsultation is POST /api/v1/action-plans/{id}/consultation.
func (h *Handler) APIPlanConsultation(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var r consultationReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	var closes models.Date
	web.SetDateForm(&closes, r.ClosesOn)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.OpenConsultation(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, closes); err != nil {
		return err
	}
	return h.planAnswer(c, p.ID, 200)
}

type submitReq struct {
	EndConsultation bool `json:"end_consultation"`
}

// APIPlanSubmit is POST /api/v1/action-plans/{id}/submit: 409 while a
// consultation is open before its closes_on, unless end_consultation is
// true. The body is optional.
func (h *Handler) APIPlanSubmit(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var r submitReq
	if len(c.Body()) > 0 {
		if err := web.ParseJSON(c, &r); err != nil {
			return err
		}
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.SubmitPlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, r.EndConsultation); err != nil {
		return err
	}
	return h.planAnswer(c, p.ID, 200)
}

type adoptionReq struct {
	DecidedOn      string `json:"decided_on"`
	DecisionNumber string `json:"decision_number"`
	VotesFor       *int   `json:"votes_for"`
	VotesAgainst   *int   `json:"votes_against"`
	VotesAbstained *int   `json:"votes_abstained"`
}

// APIPlanAdoption is POST /api/v1/action-plans/{id}/adoption.
func (h *Handler) APIPlanAdoption(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var r adoptionReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	in := models.AdoptionInput{DecisionNumber: r.DecisionNumber, VotesFor: r.VotesFor, VotesAgainst: r.VotesAgainst, VotesAbstained: r.VotesAbstained}
	web.SetDateForm(&in.DecidedOn, r.DecidedOn)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.AdoptPlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, in); err != nil {
		return err
	}
	h.RegisterAdopted(c, p.MunicipalityID, p.ID)
	return h.planAnswer(c, p.ID, 200)
}

// APIPlanReturn is POST /api/v1/action-plans/{id}/return: the assembly sent it back.
func (h *Handler) APIPlanReturn(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var r web.ReasonReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if _, err := models.ReturnPlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, r.Reason); err != nil {
		return err
	}
	return h.planAnswer(c, p.ID, 200)
}

// APIPlanRevise is POST /api/v1/action-plans/{id}/revise.
func (h *Handler) APIPlanRevise(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	np, err := models.RevisePlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	return h.planAnswer(c, np.ID, fiber.StatusCreated)
}

// APIPlanComments is GET /api/v1/action-plans/{id}/comments (all, for the commission).
func (h *Handler) APIPlanComments(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	items, err := models.ListComments(ctx, h.DB, p.MunicipalityID, p.ID, false)
	if err != nil {
		return err
	}
	return web.SendList(c, items)
}

func (h *Handler) planAnswer(c *fiber.Ctx, id int64, status int) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	p, err := models.GetPlan(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, status, p.Version, p)
}
