package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

type periodReq struct {
	Label     string `json:"label"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	DueDate   string `json:"due_date"`
}

func (r periodReq) input() models.PeriodInput {
	in := models.PeriodInput{Label: r.Label}
	setDateForm(&in.StartDate, r.StartDate)
	setDateForm(&in.EndDate, r.EndDate)
	setDateForm(&in.DueDate, r.DueDate)
	return in
}

// APIPeriodCreate is POST /api/v1/action-plans/{id}/reporting-periods (409 unless adopted).
func (h *Handler) APIPeriodCreate(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	var r periodReq
	if err := parseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	per, err := models.OpenPeriod(ctx, h.DB, actor(c), p.MunicipalityID, p.ID, r.input())
	if err != nil {
		return err
	}
	return sendVersioned(c, fiber.StatusCreated, per.Version, per)
}

// APIPeriodList is GET /api/v1/action-plans/{id}/reporting-periods.
func (h *Handler) APIPeriodList(c *fiber.Ctx) error {
	p, err := h.trackedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	items, err := models.ListPeriods(ctx, h.DB, p.MunicipalityID, p.ID)
	if err != nil {
		return err
	}
	return sendList(c, items)
}

// APIPeriodClose is POST /api/v1/reporting-periods/{id}/close.
func (h *Handler) APIPeriodClose(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	per, err := models.ClosePeriod(ctx, h.DB, actor(c), ScopeOf(c).MunicipalityID, id)
	if err != nil {
		return err
	}
	return sendVersioned(c, 200, per.Version, per)
}

// progressAnswer is a report in the API.md shape.
func progressAnswer(p *models.Progress) fiber.Map {
	return fiber.Map{"id": p.ID, "measure_id": p.MeasureID, "period_id": p.PeriodID, "status": p.Status,
		"percent_complete": p.PercentComplete, "narrative": p.Narrative, "spent": p.Spent, "indicator_values": p.IndicatorValues,
		"beneficiaries": p.BeneficiariesOf(), "outcomes": p.OutcomesOf(), "review": p.Review, "review_comment": p.ReviewComment,
		"version": p.Version, "flags": orEmptyStrings(p.Flags)}
}

func orEmptyStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// measurePeriod reads :id (measure) and :period_id.
func measurePeriod(c *fiber.Ctx) (int64, int64, error) {
	m, err := paramID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	p, err := paramID(c, "period_id")
	return m, p, err
}

// APIProgressPut is PUT /api/v1/measures/{id}/progress/{period_id}.
func (h *Handler) APIProgressPut(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in models.ProgressInput
	if err := parseJSON(c, &in); err != nil {
		return err
	}
	p, s := PrincipalOf(c), ScopeOf(c)
	ctx, cancel := h.ctx(c)
	defer cancel()
	pr, err := models.SaveProgress(ctx, h.DB, actor(c), s.MunicipalityID, mID, pID, version, p.User.OrganisationID,
		s.Role == models.RoleCoordinator, in)
	if err != nil {
		return err
	}
	return sendVersioned(c, 200, pr.Version, progressAnswer(pr))
}

// APIProgressGet is GET /api/v1/measures/{id}/progress/{period_id}.
func (h *Handler) APIProgressGet(c *fiber.Ctx) error {
	mID, pID, err := measurePeriod(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	pr, err := models.GetProgress(ctx, h.DB, ScopeOf(c).MunicipalityID, mID, pID)
	if err != nil {
		return err
	}
	return sendVersioned(c, 200, pr.Version, progressAnswer(pr))
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
			if err := parseJSON(c, &r); err != nil {
				return err
			}
		}
		p, s := PrincipalOf(c), ScopeOf(c)
		ctx, cancel := h.ctx(c)
		defer cancel()
		pr, err := models.ReviewProgress(ctx, h.DB, actor(c), s.MunicipalityID, mID, pID, action, r.Comment,
			p.User.OrganisationID, s.Role == models.RoleCoordinator)
		if err != nil {
			return err
		}
		return sendVersioned(c, 200, pr.Version, progressAnswer(pr))
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
// The JSON is cached per municipality revision, plan and period.
func (h *Handler) APIPlanSummary(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	period, err := periodQuery(c)
	if err != nil {
		return err
	}
	upTo := "latest"
	if period != nil {
		upTo = itoa(*period)
	}
	muni := ScopeOf(c).MunicipalityID
	key, err := h.muniKey(c, "summary", muni, id, upTo)
	if err != nil {
		return err
	}
	out, err := h.Cache.Do(key, func() ([]byte, error) {
		ctx, cancel := h.ctx(c)
		defer cancel()
		s, err := models.PlanSummaryOf(ctx, h.DB, muni, id, period)
		if err != nil {
			return nil, err
		}
		return c.App().Config().JSONEncoder(s) // what c.JSON sends
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(out)
}
