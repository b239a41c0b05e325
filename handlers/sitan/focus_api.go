package sitan

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

type focusAgesReq struct {
	Age1529   *int `json:"15_29"`
	Age3049   *int `json:"30_49"`
	Age50Plus *int `json:"50_plus"`
}

type needReq struct {
	Statement string       `json:"statement"`
	Barrier   string       `json:"barrier"`
	Priority  needPriority `json:"priority"`
	Group     string       `json:"group"`
	Quote     string       `json:"quote"`
}

// needPriority is 1 (high) to 3 (low); "high", "medium" and "low" are
// accepted too. Anything else reads as 0, which the model refuses.
type needPriority int

func (p *needPriority) UnmarshalJSON(b []byte) error {
	var n int
	if json.Unmarshal(b, &n) == nil {
		*p = needPriority(n)
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		*p = needPriority(map[string]int{"high": 1, "medium": 2, "low": 3, "1": 1, "2": 2, "3": 3}[strings.ToLower(s)])
	}
	return nil
}

type focusReq struct {
	HeldOn             string        `json:"held_on" validate:"required"`
	Place              string        `json:"place" validate:"required,max=200"`
	Groups             []string      `json:"groups" validate:"required,min=1,max=10"`
	ParticipantsTotal  *int          `json:"participants_total" validate:"required"`
	ParticipantsWomen  *int          `json:"participants_women" validate:"required"`
	ParticipantsMen    *int          `json:"participants_men" validate:"required"`
	ParticipantsByAge  *focusAgesReq `json:"participants_by_age"`
	ConsentObtained    *bool         `json:"consent_obtained"`
	Summary            string        `json:"summary" validate:"max=4000"`
	FacilitatorUserIDs []int64       `json:"facilitator_user_ids" validate:"max=20"`
	Needs              []needReq     `json:"needs" validate:"max=50"`
}

func focusInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// input builds the model input; absent numbers count as 0 (the validator
// already reported them) so the model can report the sums as well.
func (r *focusReq) input(errs map[string]string) models.FocusGroupInput {
	in := models.FocusGroupInput{Place: r.Place, Groups: r.Groups, Total: focusInt(r.ParticipantsTotal),
		Women: focusInt(r.ParticipantsWomen), Men: focusInt(r.ParticipantsMen), Summary: r.Summary,
		ConsentObtained: r.ConsentObtained != nil && *r.ConsentObtained, FacilitatorUserIDs: r.FacilitatorUserIDs}
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(r.HeldOn)); err == nil {
		in.HeldOn = d
	} else if r.HeldOn != "" {
		errs["held_on"] = "sitan.error.date"
	}
	if a := r.ParticipantsByAge; a != nil {
		in.Ages = []int{focusInt(a.Age1529), focusInt(a.Age3049), focusInt(a.Age50Plus)}
	}
	for _, n := range r.Needs {
		in.Needs = append(in.Needs, models.NeedInput{Statement: n.Statement, Barrier: n.Barrier,
			Priority: int(n.Priority), Group: n.Group, Quote: n.Quote})
	}
	return in
}

// APIFocusGroupCreate is POST /api/v1/municipalities/{id}/focus-groups.
func (h *Handler) APIFocusGroupCreate(c *fiber.Ctx) error {
	var r focusReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	errs := map[string]string{}
	if err := sitanMergeErrors(errs, h.Check(&r)); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fg, err := models.CreateCheckedFocusGroup(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, r.input(errs), errs)
	if err != nil {
		return err
	}
	return h.sendFocusGroup(c, fiber.StatusCreated, fg)
}

func (h *Handler) sendFocusGroup(c *fiber.Ctx, status int, fg *models.FocusGroup) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	needs, err := models.FocusNeeds(ctx, h.DB, fg.MunicipalityID, fg.ID)
	if err != nil {
		return err
	}
	fac, err := models.FocusFacilitators(ctx, h.DB, fg.MunicipalityID, fg.ID)
	if err != nil {
		return err
	}
	return web.SendVersioned(c, status, fg.Version, focusGroupJSON(fg, needs, fac))
}

// scopedFocusGroup loads the :id focus group inside the policy's municipality.
func (h *Handler) scopedFocusGroup(c *fiber.Ctx) (*models.FocusGroup, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.GetFocusGroup(ctx, h.DB, web.ScopeOf(c).MunicipalityID, id)
}

// APIFocusGroupGet is GET /api/v1/focus-groups/{id}.
func (h *Handler) APIFocusGroupGet(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	return h.sendFocusGroup(c, 200, fg)
}

// APIFocusGroupList is GET /api/v1/municipalities/{id}/focus-groups.
func (h *Handler) APIFocusGroupList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	fgs, err := models.ListFocusGroups(ctx, h.DB, muni)
	if err != nil {
		return err
	}
	needs, err := models.FocusNeeds(ctx, h.DB, muni, 0)
	if err != nil {
		return err
	}
	fac, err := models.FocusFacilitators(ctx, h.DB, muni, 0)
	if err != nil {
		return err
	}
	items := []fiber.Map{}
	for i := range fgs {
		items = append(items, focusGroupJSON(&fgs[i], focusNeedsOf(needs, fgs[i].ID), focusFacilitatorsOf(fac, fgs[i].ID)))
	}
	return web.SendList(c, items)
}

func focusNeedsOf(all []models.Need, fgID int64) []models.Need {
	var out []models.Need
	for _, n := range all {
		if n.FocusGroupID == fgID {
			out = append(out, n)
		}
	}
	return out
}

func focusFacilitatorsOf(all []models.Facilitator, fgID int64) []models.Facilitator {
	var out []models.Facilitator
	for _, f := range all {
		if f.FocusGroupID == fgID {
			out = append(out, f)
		}
	}
	return out
}

// APIConsentFormPut is PUT /api/v1/focus-groups/{id}/consent-form: the body
// is the file (PDF, PNG, JPEG, DOCX or ODT), its name in ?name=.
func (h *Handler) APIConsentFormPut(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	name := c.Query("name", "consent-form")
	if err := h.saveConsentForm(c, fg, name, c.Body()); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fg, err = models.GetFocusGroup(ctx, h.DB, fg.MunicipalityID, fg.ID)
	if err != nil {
		return err
	}
	return h.sendFocusGroup(c, 200, fg)
}
