package dashboards

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// FrontJSON is GET /api/v1/public/front: what the front page lists, for
// other sites (a ministry's or a donor's page).
type FrontJSON struct {
	Consultations []FrontPlanJSON   `json:"consultations"`
	Adopted       []FrontPlanJSON   `json:"adopted"`
	Reports       []FrontReportJSON `json:"reports"`
}

// FrontPlanJSON is a plan in consultation or adopted.
type FrontPlanJSON struct {
	MunicipalitySlug     string       `json:"municipality_slug"`
	MunicipalityName     string       `json:"municipality_name"`
	PlanID               int64        `json:"plan_id"`
	Title                string       `json:"title"`
	ConsultationClosesOn *models.Date `json:"consultation_closes_on"`
	AdoptedOn            *models.Date `json:"adopted_on"`
	URL                  string       `json:"url"`
}

// FrontReportJSON is a published progress report.
type FrontReportJSON struct {
	MunicipalitySlug string    `json:"municipality_slug"`
	MunicipalityName string    `json:"municipality_name"`
	PlanID           int64     `json:"plan_id"`
	PeriodID         int64     `json:"period_id"`
	PlanTitle        string    `json:"plan_title"`
	PeriodLabel      string    `json:"period_label"`
	PublishedAt      time.Time `json:"published_at"`
	SHA256           string    `json:"sha256"`
	PDFURL           string    `json:"pdf_url"`
}

// APIFront answers the front page's lists as JSON, cached and tagged like
// the page under the revision of every municipality and today's date.
func (h *Handler) APIFront(c *fiber.Ctx) error {
	today := models.Today()
	key, err := h.RegionKey(c, "front.json", today, h.BaseURL)
	if err != nil {
		return err
	}
	return h.Cache.SendTagged(c, key, h.Version, fiber.MIMEApplicationJSONCharsetUTF8, func() ([]byte, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		f, err := models.FrontOf(ctx, h.DB, today)
		if err != nil {
			return nil, err
		}
		return json.Marshal(h.frontJSON(f))
	})
}

func (h *Handler) frontJSON(f *models.Front) FrontJSON {
	out := FrontJSON{Consultations: h.frontPlans(f.Consultations), Adopted: h.frontPlans(f.Adopted),
		Reports: make([]FrontReportJSON, 0, len(f.Reports))}
	for _, r := range f.Reports {
		out.Reports = append(out.Reports, FrontReportJSON{MunicipalitySlug: r.MunicipalitySlug, MunicipalityName: r.MunicipalityName,
			PlanID: r.PlanID, PeriodID: r.PeriodID, PlanTitle: r.PlanTitle, PeriodLabel: r.PeriodLabel, PublishedAt: r.PublishedAt.UTC(),
			SHA256: r.SHA256, PDFURL: h.BaseURL + "/api/v1/action-plans/" + strconv.FormatInt(r.PlanID, 10) + "/report.pdf?period_id=" +
				strconv.FormatInt(r.PeriodID, 10)})
	}
	return out
}

func (h *Handler) frontPlans(ps []models.FrontPlan) []FrontPlanJSON {
	out := make([]FrontPlanJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, FrontPlanJSON{MunicipalitySlug: p.MunicipalitySlug, MunicipalityName: p.MunicipalityName, PlanID: p.PlanID,
			Title: p.Title, ConsultationClosesOn: p.ConsultationClosesOn, AdoptedOn: p.AdoptedOn,
			URL: h.BaseURL + "/m/" + p.MunicipalitySlug + "/plans/" + strconv.FormatInt(p.PlanID, 10)})
	}
	return out
}
