package sitan

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
	"pakt/web"
)

// Editing and deleting findings, vulnerable groups, focus groups and needs
// (API.md "Working the cycle"): PATCH takes the fields as when created,
// absent ones keep their value; 409 once published or cited.

// APIFindingUpdate is PATCH /api/v1/findings/{id}.
func (h *Handler) APIFindingUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	f, err := models.FindingOf(ctx, h.DB, muni, pathID(c))
	if err != nil {
		return err
	}
	src := f.SourceOrganisationID
	r := findingReq{Statement: f.Statement, Group: f.Group, Barrier: f.Barrier, SourceOrganisationID: &src}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if err := h.Check(&r); err != nil {
		return err
	}
	out, err := models.UpdateFinding(ctx, h.DB, web.Actor(c), muni, f.ID, r.input())
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// APIFindingDelete is DELETE /api/v1/findings/{id}.
func (h *Handler) APIFindingDelete(c *fiber.Ctx) error {
	return h.apiDelete(c, models.DeleteFinding)
}

// APIGroupUpdate is PATCH /api/v1/vulnerable-groups/{id}.
func (h *Handler) APIGroupUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	g, err := models.VulnerableGroupOf(ctx, h.DB, muni, pathID(c))
	if err != nil {
		return err
	}
	size, prio := g.EstimatedSize, g.Priority
	r := groupReq{Group: g.Group, Label: g.Label, EstimatedSize: &size, Women: g.Women, Men: g.Men,
		Barriers: append(append([]string{}, g.Barriers...), g.SpecificBarriers...), Priority: &prio}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	errs := map[string]string{}
	if err := sitanMergeErrors(errs, h.Check(&r)); err != nil {
		return err
	}
	if err := sitanMergeErrors(errs, models.CheckVulnerableGroup(r.input())); err != nil || len(errs) > 0 {
		return sitanWithErrors(errs, err)
	}
	out, err := models.UpdateVulnerableGroup(ctx, h.DB, web.Actor(c), muni, g.ID, r.input())
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// APIGroupDelete is DELETE /api/v1/vulnerable-groups/{id}.
func (h *Handler) APIGroupDelete(c *fiber.Ctx) error {
	return h.apiDelete(c, models.DeleteVulnerableGroup)
}

// APIFocusGroupUpdate is PATCH /api/v1/focus-groups/{id}: the focus group's
// own fields (needs change through /needs/{id}); If-Match checks the version.
func (h *Handler) APIFocusGroupUpdate(c *fiber.Ctx) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	in := fg.InputOf()
	total, women, men, consent := in.Total, in.Women, in.Men, in.ConsentObtained
	r := focusReq{HeldOn: in.HeldOn.Format(time.DateOnly), Place: in.Place, Groups: in.Groups, ParticipantsTotal: &total,
		ParticipantsWomen: &women, ParticipantsMen: &men, ConsentObtained: &consent, Summary: in.Summary}
	if len(in.Ages) == 3 {
		r.ParticipantsByAge = &focusAgesReq{&in.Ages[0], &in.Ages[1], &in.Ages[2]}
	}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if len(r.Needs) > 0 || len(r.FacilitatorUserIDs) > 0 {
		return models.Invalid("needs", "focus.error.needs_one_by_one")
	}
	errs := map[string]string{}
	if err := sitanMergeErrors(errs, h.Check(&r)); err != nil {
		return err
	}
	next := r.input(errs)
	if len(errs) > 0 {
		return &models.ValidationError{Fields: errs}
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	out, err := models.UpdateFocusGroup(ctx, h.DB, web.Actor(c), fg.MunicipalityID, fg.ID, version, next)
	if err != nil {
		return err
	}
	return h.sendFocusGroup(c, 200, out)
}

// APIFocusGroupDelete is DELETE /api/v1/focus-groups/{id}.
func (h *Handler) APIFocusGroupDelete(c *fiber.Ctx) error {
	return h.apiDelete(c, models.DeleteFocusGroup)
}

// APINeedUpdate is PATCH /api/v1/needs/{id}.
func (h *Handler) APINeedUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	n, err := models.NeedOf(ctx, h.DB, muni, pathID(c))
	if err != nil {
		return err
	}
	in := n.InputOf()
	r := needReq{Statement: in.Statement, Barrier: in.Barrier, Priority: needPriority(in.Priority), Group: in.Group, Quote: in.Quote}
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	out, err := models.UpdateNeed(ctx, h.DB, web.Actor(c), muni, n.ID, models.NeedInput{Statement: r.Statement,
		Barrier: r.Barrier, Priority: int(r.Priority), Group: r.Group, Quote: r.Quote})
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// APINeedDelete is DELETE /api/v1/needs/{id}.
func (h *Handler) APINeedDelete(c *fiber.Ctx) error {
	return h.apiDelete(c, models.DeleteNeed)
}

type deleteFunc func(ctx context.Context, db *gorm.DB, a models.Actor, muniID, id int64) error

func (h *Handler) apiDelete(c *fiber.Ctx, del deleteFunc) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := del(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// Browser: a delete button next to each finding, group, focus group and
// need; a refusal (published, cited) comes back as the page's message.

// FindingDelete is POST /findings/{id}/delete.
func (h *Handler) FindingDelete(c *fiber.Ctx) error {
	return h.formDelete(c, models.DeleteFinding, "/situation-analyses/"+c.FormValue("sitan")+"#findings")
}

// GroupDelete is POST /vulnerable-groups/{id}/delete.
func (h *Handler) GroupDelete(c *fiber.Ctx) error {
	return h.formDelete(c, models.DeleteVulnerableGroup, "/situation-analyses/"+c.FormValue("sitan")+"#groups")
}

// FocusGroupDelete is POST /focus-groups/{id}/delete.
func (h *Handler) FocusGroupDelete(c *fiber.Ctx) error {
	return h.formDelete(c, models.DeleteFocusGroup, "/municipalities/"+web.Itoa(web.ScopeOf(c).MunicipalityID)+"/focus-groups")
}

// NeedDelete is POST /needs/{id}/delete.
func (h *Handler) NeedDelete(c *fiber.Ctx) error {
	return h.formDelete(c, models.DeleteNeed, "/focus-groups/"+c.FormValue("focus_group"))
}

// formDelete deletes and goes back to the page the button was on (its
// "back" field) with a message: done, or why not.
func (h *Handler) formDelete(c *fiber.Ctx, del deleteFunc, fallback string) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	back := web.SafeBack(c, fallback)
	ctx, cancel := h.Ctx(c)
	defer cancel()
	err = del(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id)
	var se *models.StateError
	if errors.As(err, &se) {
		return h.RedirectWithFlash(c, back, se.Key)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, back, "flash.deleted")
}

// pathID is the :id of the path (the route's policy has read it already).
func pathID(c *fiber.Ctx) int64 {
	id, _ := web.ParamID(c, "id")
	return id
}
