package tracking

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

type periodReq struct {
	Label     string `json:"label"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	DueDate   string `json:"due_date"`
}

func (r periodReq) input() models.PeriodInput {
	in := models.PeriodInput{Label: r.Label}
	web.SetDateForm(&in.StartDate, r.StartDate)
	web.SetDateForm(&in.EndDate, r.EndDate)
	web.SetDateForm(&in.DueDate, r.DueDate)
	return in
}

// APIPeriodCreate is POST /api/v1/action-plans/{id}/reporting-periods (409 unless adopted).
func (h *Handler) APIPeriodCreate(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	var r periodReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	per, err := models.OpenPeriod(ctx, h.DB, web.Actor(c), p.MunicipalityID, p.ID, r.input())
	if err != nil {
		return err
	}
	return web.SendVersioned(c, fiber.StatusCreated, per.Version, per)
}

// APIPeriodList is GET /api/v1/action-plans/{id}/reporting-periods.
func (h *Handler) APIPeriodList(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	items, err := models.ListPeriods(ctx, h.DB, p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	return web.SendList(c, items)
}

// APIPeriodClose is POST /api/v1/reporting-periods/{id}/close.
func (h *Handler) APIPeriodClose(c *fiber.Ctx) error {
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
	return web.SendVersioned(c, 200, per.Version, per)
}

// progressAnswer is a report in the API.md shape.
func progressAnswer(p *models.Progress) fiber.Map {
	return fiber.Map{"id": p.ID, "measure_id": p.MeasureID, "period_id": p.PeriodID, "status": p.Status,
		"percent_complete": p.PercentComplete, "narrative": p.Narrative, "spent": p.Spent, "indicator_values": p.IndicatorValues,
		"beneficiaries": p.BeneficiariesOf(), "outcomes": p.OutcomesOf(), "review": p.Review, "review_comment": p.ReviewComment,
		"version": p.Version, "flags": orEmptyStrings(p.Flags),
		// public wording (null: the narrative is published as written) and the numbers
		// below five the published text still mentions (docs/disclosure.md)
		"public_narrative": p.PublicNarrative, "narrative_flags": orEmptyStrings(p.NarrativeFlags)}
}

func orEmptyStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// measurePeriod reads :id (measure) and :period_id.
func measurePeriod(c *fiber.Ctx) (int64, int64, error) {
	m, err := web.ParamID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	p, err := web.ParamID(c, "period_id")
	return m, p, err
}

// APIProgressPut is PUT /api/v1/measures/{id}/progress/{period_id}.
func (h *Handler) APIProgressPut(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	var in models.ProgressInput
	if err := web.ParseJSON(c, &in); err != nil {
		return err
	}
	p, s := web.PrincipalOf(c), web.ScopeOf(c)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	pr, err := models.SaveProgress(ctx, h.DB, web.Actor(c), s.MunicipalityID, mID, pID, version, p.User.OrganisationID,
		s.Role == models.RoleCoordinator, in)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, pr.Version, progressAnswer(pr))
}

// APIProgressGet is GET /api/v1/measures/{id}/progress/{period_id}.
func (h *Handler) APIProgressGet(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	pr, err := models.GetProgress(ctx, h.DB, web.ScopeOf(c).MunicipalityID, mID, pID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, 200, pr.Version, progressAnswer(pr))
}

type reviewReq struct {
	Comment string `json:"comment"`
}

// APIProgressReview handles .../submit, .../accept and .../return.
func (h *Handler) APIProgressReview(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		mID, pID, err := measurePeriod(c)
		if err != nil {
			return err
		}
		var r reviewReq
		if len(c.Body()) > 0 {
			if err := web.ParseJSON(c, &r); err != nil {
				return err
			}
		}
		p, s := web.PrincipalOf(c), web.ScopeOf(c)
		ctx, cancel := h.Ctx(c)
		defer cancel()
		pr, err := models.ReviewProgress(ctx, h.DB, web.Actor(c), s.MunicipalityID, mID, pID, action, r.Comment,
			p.User.OrganisationID, s.Role == models.RoleCoordinator)
		if err != nil {
			return err
		}
		return web.SendVersioned(c, 200, pr.Version, progressAnswer(pr))
	}
}

// periodQuery reads ?period_id= (optional); junk is 422.
func periodQuery(c *fiber.Ctx) (*int64, error) {
	raw := c.Query("period_id")
	if raw == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return nil, models.Invalid("period_id", "validation.period")
	}
	return &id, nil
}

// APIPlanSummary is GET /api/v1/action-plans/{id}/summary?period_id=.
// The JSON is cached per municipality revision, plan and period, and sent
// gzipped to clients that take it.
func (h *Handler) APIPlanSummary(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	period, err := periodQuery(c)
	if err != nil {
		return err
	}
	upTo := "latest"
	if period != nil {
		upTo = web.Itoa(*period)
	}
	muni := web.ScopeOf(c).MunicipalityID
	key, err := h.MuniKey(c, "summary", muni, id, upTo)
	if err != nil {
		return err
	}
	// Kept packed: a 200-measure summary is 57 KB of JSON and 6 KB gzipped,
	// so the cache holds ten times more of them.
	return h.Cache.SendPacked(c, key, fiber.MIMEApplicationJSON, func() ([]byte, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		s, err := models.PlanSummaryOf(ctx, h.DB, muni, id, period)
		if err != nil {
			return nil, err
		}
		return c.App().Config().JSONEncoder(s) // what c.JSON sends
	})
}
