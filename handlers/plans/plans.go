package plans

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/charts"
	"pakt/web"
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
	web.SetDate(f, "period_start", &in.PeriodStart, r.PeriodStart)
	web.SetDate(f, "period_end", &in.PeriodEnd, r.PeriodEnd)
}

func planFormInput(c *fiber.Ctx) models.PlanInput {
	in := models.PlanInput{Title: c.FormValue("title")}
	web.SetDateForm(&in.PeriodStart, c.FormValue("period_start"))
	web.SetDateForm(&in.PeriodEnd, c.FormValue("period_end"))
	return in
}

// plansPage is the data of views/pages/plans.html.
type plansPage struct {
	web.FormState
	Municipality *models.Municipality
	Plans        []models.PlanSummary
	Coordinator  bool
}

// PlanList lists a municipality's action plans with the new-plan form.
func (h *Handler) PlanList(c *fiber.Ctx) error {
	return h.planList(c, 200, map[string]string{}, nil)
}

func (h *Handler) planList(c *fiber.Ctx, status int, form, errs map[string]string) error {
	s := web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	plans, err := models.ListPlans(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.Render(c, status, "plans", "plans.title", plansPage{FormState: web.FormState{Form: form, Errors: errs},
		Municipality: m, Plans: plans, Coordinator: s.Role == models.RoleCoordinator})
}

// PlanCreate handles the new-plan form.
func (h *Handler) PlanCreate(c *fiber.Ctx) error {
	in := planFormInput(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	p, err := models.CreatePlan(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, in)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.planList(c, 422, map[string]string{"title": c.FormValue("title"), "period_start": c.FormValue("period_start"),
			"period_end": c.FormValue("period_end")}, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID), "flash.saved")
}

// scopedPlan loads the :id plan inside the policy's municipality.
func (h *Handler) scopedPlan(c *fiber.Ctx) (*models.Plan, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetPlan(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// planShowPage is the data of views/pages/plan_show.html: the cached
// fragments of the plan's content around the forms and comments drawn per
// request. Plan holds only the plan's id, status and consultation end
// (planRef.state).
type planShowPage struct {
	web.FormState
	Plan        *models.Plan
	Head        template.HTML // partials/plan_head, cached
	Content     template.HTML // partials/plan_content, cached
	Comments    []models.Comment
	Coordinator bool
	Draft       bool
	Editable    bool                   // draft or in consultation: objectives and measures may change
	Filters     *web.MeasureFilterForm // by lead organisation and group (issue #17)
}

// PlanShow is the plan page: measures by objective with their evidence flags,
// unanswered needs, budget matrix, timeline, consultation and adoption.
func (h *Handler) PlanShow(c *fiber.Ctx) error {
	return h.planPage(c, 200, nil, nil)
}

// planPage draws the plan page. The plan's content (head; needs, measures,
// budget, timeline, changes) is rendered once per municipality revision and
// language and cached; only the forms (CSRF token, form nonce) and the
// comments are drawn per request, outside the cached fragments.
func (h *Handler) planPage(c *fiber.Ctx, status int, form, errs map[string]string) error {
	r, err := h.scopedPlanRef(c)
	if err != nil {
		return err
	}
	p, err := r.state()
	if err != nil {
		return err
	}
	pg := planShowPage{FormState: web.FormState{Form: form, Errors: errs}, Plan: p,
		Coordinator: web.ScopeOf(c).Role == models.RoleCoordinator, Draft: p.Status == models.PlanDraft, Editable: p.PlanEditable()}
	if pg.Filters, err = r.measureFilters(); err != nil {
		return err
	}
	r.filter = pg.Filters.Filter
	if pg.Filters.Errors != nil && status == 200 {
		status = 422
	}
	// A coordinator's draft (also in consultation) gets edit links on the measures.
	if pg.Head, pg.Content, err = h.planFragments(c, r, pg.Coordinator && pg.Editable); err != nil {
		return err
	}
	if !pg.Draft {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		if pg.Comments, err = models.ListComments(ctx, h.DB, r.muniID, r.id, false); err != nil {
			return err
		}
	}
	return h.Render(c, status, "plan_show", "plan.title", pg)
}

// planFragments are the plan page's head and content, from the cache or
// drawn and cached.
func (h *Handler) planFragments(c *fiber.Ctx, r *planRef, edit bool) (head, content template.HTML, err error) {
	lang := h.Localizer(c).Lang
	head, err = h.CachedFragment(c, r.key("plan.head", lang), "partials/plan_head", func() (any, error) {
		return r.view(false)
	})
	if err != nil {
		return "", "", err
	}
	content, err = h.CachedFragment(c, r.key("plan.content", lang, edit, r.filter.LeadID, r.filter.Group), "partials/plan_content", func() (any, error) {
		return r.staffView(edit)
	})
	return head, content, err
}

// planPublicPage is the data of views/pages/plan_public.html: the cached
// partials/plan_public fragment, the approved comments and, while the
// consultation is open, the comment form (Plan is then loaded in full, for
// its measures).
type planPublicPage struct {
	web.FormState
	Municipality *models.Municipality
	Plan         *models.Plan
	Content      template.HTML
	Comments     []models.Comment
}

// PublicPlan shows a plan in consultation (with the comment form) or adopted.
func (h *Handler) PublicPlan(c *fiber.Ctx) error {
	return h.publicPlan(c, 200, nil, nil)
}

// publicPlan draws a plan's public page: its content cached like the plan
// page's, the approved comments and the comment form live.
func (h *Handler) publicPlan(c *fiber.Ctx, status int, form, errs map[string]string) error {
	m, r, p, err := h.publicPlanRef(c)
	if err != nil {
		return err
	}
	open := p.ConsultationOpen()
	pg := planPublicPage{FormState: web.FormState{Form: form, Errors: errs}, Municipality: m, Plan: p}
	if pg.Content, err = h.publicPlanContent(c, m, r, open); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if pg.Comments, err = models.ListComments(ctx, h.DB, m.ID, r.id, true); err != nil {
		return err
	}
	if open {
		// The comment form lets the reader pick a measure.
		if pg.Plan, err = r.plan(); err != nil {
			return err
		}
		if err := h.EnsureSession(c); err != nil {
			return err
		}
	}
	return h.Render(c, status, "plan_public", "plan.title", pg)
}

// publicPlanContent is the public page's content, from the cache or drawn
// and cached.
func (h *Handler) publicPlanContent(c *fiber.Ctx, m *models.Municipality, r *planRef, open bool) (template.HTML, error) {
	return h.CachedFragment(c, r.key("plan.public", h.Localizer(c).Lang, open), "partials/plan_public", func() (any, error) {
		v, err := r.view(false)
		v.ConsultationOpen, v.Public = open, true
		v.TimelineURL = fmt.Sprintf("/m/%s/plans/%d/timeline.svg", m.Slug, r.id)
		return v, err
	})
}

// publicPlanRef finds the plan of a public URL /m/:slug/plans/:id: its
// municipality, reference and state; a draft is private (not found) until
// it is published for consultation.
func (h *Handler) publicPlanRef(c *fiber.Ctx) (*models.Municipality, *planRef, *models.Plan, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipalityBySlug(ctx, h.DB, c.Params("slug"))
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := h.planRefOf(c, m.ID, id)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := r.state()
	if err != nil {
		return nil, nil, nil, err
	}
	if p.Status == models.PlanDraft {
		return nil, nil, nil, models.ErrNotFound
	}
	return m, r, p, nil
}

// planRef is one plan at its municipality's current content revision: it
// names the cache entries of the plan's content and loads the plan only
// when one of them is missing, at most once per request.
type planRef struct {
	h          *Handler
	c          *fiber.Ctx
	muniID, id int64
	scope      string // the municipality's revision and the plan id
	p          *models.Plan
	m          *models.Municipality
	names      map[int64]string
	filter     models.MeasureFilter // the plan page's measure filter
}

// planRefOf reads the municipality's revision. Call it before reading
// anything that ends up in a cached rendering of the plan: what is cached
// under a revision was then read at that revision or later.
func (h *Handler) planRefOf(c *fiber.Ctx, muniID, id int64) (*planRef, error) {
	scope, err := h.MuniKey(c, "plan", muniID, id)
	if err != nil {
		return nil, err
	}
	return &planRef{h: h, c: c, muniID: muniID, id: id, scope: scope}, nil
}

// key names a cache entry of the plan's content.
func (r *planRef) key(kind string, parts ...any) string { return web.CacheKey(kind, r.scope, parts...) }

// plan loads the plan with its municipality and the municipality's
// organisation names (the plan must belong to that municipality).
func (r *planRef) plan() (*models.Plan, error) {
	if r.p != nil {
		return r.p, nil
	}
	ctx, cancel := r.h.Ctx(r.c)
	defer cancel()
	p, err := models.GetPlan(ctx, r.h.DB, r.muniID, r.id)
	if err != nil {
		return nil, err
	}
	m, err := models.GetMunicipality(ctx, r.h.DB, r.muniID)
	if err != nil {
		return nil, err
	}
	names, err := r.h.OrgNames(r.c, r.muniID)
	if err != nil {
		return nil, err
	}
	r.p, r.m, r.names = p, m, names
	return p, nil
}

// planState is what the live parts of the plan pages need to know of the
// plan, cached next to its rendered content.
type planState struct {
	Status   string       `json:"status"`
	ClosesOn *models.Date `json:"closes_on"`
	Version  int          `json:"version"`
}

// state returns the plan's id, status, version and consultation end (the rest of
// the returned plan is empty), cached like the content; ErrNotFound when
// the plan is not the municipality's.
func (r *planRef) state() (*models.Plan, error) {
	b, err := r.h.Cache.Do(r.key("plan.state"), func() ([]byte, error) {
		p, err := r.plan()
		if err != nil {
			return nil, err
		}
		return json.Marshal(planState{Status: p.Status, ClosesOn: p.ConsultationClosesOn, Version: p.Version})
	})
	if err != nil {
		return nil, err
	}
	var st planState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	return &models.Plan{ID: r.id, MunicipalityID: r.muniID, Status: st.Status, ConsultationClosesOn: st.ClosesOn, Version: st.Version}, nil
}

// planView is the data of the cached plan fragments partials/plan_head,
// partials/plan_content and partials/plan_public (and of partials/plan_body,
// which the last two draw): the
// plan's content in one language, and of the viewer only whether measures
// get edit links.
type planView struct {
	L                *i18n.Localizer
	P                *models.Plan
	M                *models.Municipality
	Groups           []objectiveMeasures
	OrgNames         map[int64]string
	Matrix           *models.BudgetMatrix
	TimelineURL      string // the timeline chart, an image of its own
	TimelineH        int
	Edit             bool
	Needs            []models.UnansweredNeed // plan page only
	Diff             *models.PlanChange      // plan page of a revision only
	Changes          []models.PlanChangeRow  // made since the consultation opened
	Filtered         bool                    // the measures are narrowed by the page's filter
	Revises          *models.Plan            // plan page of a revision only
	ConsultationOpen bool                    // public page
	Public           bool                    // public page: a baseline that counts people prints as its band
}

// objectiveMeasures is an objective with its measures, in code order.
type objectiveMeasures struct {
	Objective *models.Objective
	Measures  []*models.Measure
}

// groupMeasures puts the measures under their objectives once, instead of
// the template scanning all measures for every objective.
func groupMeasures(p *models.Plan) []objectiveMeasures {
	groups := make([]objectiveMeasures, len(p.Objectives))
	at := make(map[int64]int, len(p.Objectives))
	for i := range p.Objectives {
		groups[i].Objective = &p.Objectives[i]
		at[p.Objectives[i].ID] = i
	}
	for i := range p.Measures {
		if g, ok := at[p.Measures[i].ObjectiveID]; ok {
			groups[g].Measures = append(groups[g].Measures, &p.Measures[i])
		}
	}
	return groups
}

// view is the data of the plan's head and body.
func (r *planRef) view(edit bool) (planView, error) {
	p, err := r.plan()
	if err != nil {
		return planView{}, err
	}
	l := r.h.Localizer(r.c)
	_, th := charts.TimelineSize(len(p.Measures))
	ctx, cancel := r.h.Ctx(r.c)
	defer cancel()
	changes, err := models.PlanChanges(ctx, r.h.DB, r.muniID, p)
	if err != nil {
		return planView{}, err
	}
	return planView{L: l, P: p, M: r.m, Groups: r.filteredGroups(p), Filtered: r.filter.Active(), OrgNames: r.names, Matrix: p.Matrix(),
		TimelineURL: fmt.Sprintf("/plans/%d/timeline.svg", p.ID), TimelineH: int(th), Edit: edit, Changes: changes}, nil
}

// staffView adds what the plan page shows around the body: the priority
// needs no measure answers and, for a revision, the changes.
func (r *planRef) staffView(edit bool) (planView, error) {
	v, err := r.view(edit)
	if err != nil {
		return v, err
	}
	ctx, cancel := r.h.Ctx(r.c)
	defer cancel()
	if v.Needs, err = models.UnansweredNeeds(ctx, r.h.DB, r.muniID, r.id); err != nil {
		return v, err
	}
	if v.P.RevisesID != nil {
		old, err := models.GetPlan(ctx, r.h.DB, r.muniID, *v.P.RevisesID)
		if err != nil {
			return v, err
		}
		diff := models.DiffPlans(old, v.P)
		v.Diff, v.Revises = &diff, old
	}
	return v, nil
}

// PlanUpdate saves the plan head form (title, period) with a version check.
func (h *Handler) PlanUpdate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.UpdatePlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, web.Atoi(c.FormValue("version")), planFormInput(c))
	return h.planFormResult(c, p, err, "flash.saved")
}

// planFormResult re-renders the plan page with errors, or redirects on success.
func (h *Handler) planFormResult(c *fiber.Ctx, p *models.Plan, err error, flash string) error {
	if errors.Is(err, models.ErrStale) {
		err = models.Invalid("form", "error.stale_form")
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.planPage(c, 422, web.FormValues(c), fe)
	}
	// Refused for the plan's state: the page again, with what was typed.
	if se := web.StateErrors(h.Localizer(c), err); se != nil {
		return h.planPage(c, 409, web.FormValues(c), se)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(p.ID), flash)
}

// ObjectiveCreate adds an objective from the plan page.
func (h *Handler) ObjectiveCreate(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.CreateObjective(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, c.FormValue("code"), c.FormValue("title"))
	return h.planFormResult(c, p, err, "flash.saved")
}

// PlanConsultation opens the public consultation.
func (h *Handler) PlanConsultation(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	var closes models.Date
	web.SetDateForm(&closes, c.FormValue("closes_on"))
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.OpenConsultation(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, closes)
	return h.planFormResult(c, p, err, "flash.consultation_opened")
}

// PlanSubmit sends the plan to the assembly; before the consultation's
// announced closing date the form must confirm that this ends it.
func (h *Handler) PlanSubmit(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.SubmitPlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, c.FormValue("end_consultation") == "yes")
	var se *models.StateError
	if errors.As(err, &se) && se.Key == "error.consultation_still_open" {
		// Shown next to the confirmation box the form asks to tick.
		err = models.Invalid("end_consultation", se.Key)
	}
	return h.planFormResult(c, p, err, "flash.plan_submitted")
}

// PlanAdoption records the assembly's decision.
func (h *Handler) PlanAdoption(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	in := models.AdoptionInput{DecisionNumber: c.FormValue("decision_number"), VotesFor: web.FormIntPtr(c, "votes_for"),
		VotesAgainst: web.FormIntPtr(c, "votes_against"), VotesAbstained: web.FormIntPtr(c, "votes_abstained")}
	web.SetDateForm(&in.DecidedOn, c.FormValue("decided_on"))
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.AdoptPlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, in)
	if err == nil {
		h.RegisterAdopted(c, p.MunicipalityID, p.ID)
	}
	return h.planFormResult(c, p, err, "flash.plan_adopted")
}

// PlanReturn records that the assembly returned the plan.
func (h *Handler) PlanReturn(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.ReturnPlan(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, c.FormValue("reason"))
	return h.planFormResult(c, p, err, "flash.plan_returned")
}

// PlanRevise starts a revision of an adopted plan.
func (h *Handler) PlanRevise(c *fiber.Ctx) error {
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
	return h.RedirectWithFlash(c, "/plans/"+web.Itoa(np.ID), "flash.revision_started")
}

// PlanTimeline is the plan's timeline chart as an SVG image: apart from the
// page so that a plan of 200 measures stays light (the chart alone was a
// fifth of it) and browsers keep the image while the plan is unchanged.
func (h *Handler) PlanTimeline(c *fiber.Ctx) error {
	r, err := h.scopedPlanRef(c)
	if err != nil {
		return err
	}
	return h.sendTimeline(c, r)
}

// scopedPlanRef is the plan of the URL's :id in the municipality the
// route's policy scoped the request to.
func (h *Handler) scopedPlanRef(c *fiber.Ctx) (*planRef, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.planRefOf(c, web.ScopeOf(c).MunicipalityID, id)
}

// PublicPlanTimeline is PlanTimeline of a public plan page.
func (h *Handler) PublicPlanTimeline(c *fiber.Ctx) error {
	_, r, _, err := h.publicPlanRef(c)
	if err != nil {
		return err
	}
	return h.sendTimeline(c, r)
}

func (h *Handler) sendTimeline(c *fiber.Ctx, r *planRef) error {
	l := h.Localizer(c)
	return h.SendCachedSVG(c, r.key("plan.timeline", l.Lang), func() ([]byte, error) {
		p, err := r.plan()
		if err != nil {
			return nil, err
		}
		return []byte(charts.Timeline(p, l)), nil
	})
}
