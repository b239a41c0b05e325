package sitan

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// VulnerableGroupCreate handles the overview's vulnerable-group form.
func (h *Handler) VulnerableGroupCreate(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	if err := sitanCollecting(s); err != nil {
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
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err = models.AddVulnerableGroup(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, r.input())
	}
	if fe := web.FieldErrors(h.Localizer(c), sitanWithErrors(errs, err)); fe != nil {
		form := map[string]string{}
		for _, k := range []string{"group", "label", "estimated_size", "women", "men", "priority"} {
			form[k] = c.FormValue(k)
		}
		for _, b := range append(r.Barriers, r.SpecificBarriers...) {
			form["b_"+b] = "on"
		}
		return h.sitanShowPage(c, 422, s, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(s.ID)+"#groups", "sitan.flash.group_added")
}

// FindingCreate handles the overview's finding form. Its group field is
// named finding_group (the group form on the same page has "group").
func (h *Handler) FindingCreate(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	if err := sitanCollecting(s); err != nil {
		return err
	}
	src := sitanFormID(c, "source_organisation_id")
	r := findingReq{Statement: strings.TrimSpace(c.FormValue("statement")), Group: c.FormValue("finding_group"),
		Barrier: c.FormValue("barrier")}
	if src > 0 {
		r.SourceOrganisationID = &src
	}
	err = h.Check(&r)
	if err == nil {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		_, err = models.AddFinding(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, r.input())
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		if msg, ok := fe["group"]; ok {
			fe["finding_group"] = msg
			delete(fe, "group")
		}
		form := map[string]string{"statement": r.Statement, "finding_group": r.Group, "barrier": r.Barrier,
			"source_organisation_id": c.FormValue("source_organisation_id")}
		return h.sitanShowPage(c, 422, s, form, fe)
	}
	if err != nil {
		return err
	}
	if web.AddAnother(c) {
		return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(s.ID)+"#add-finding", "flash.saved_add_another")
	}
	return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(s.ID)+"#findings", "sitan.flash.finding_added")
}
