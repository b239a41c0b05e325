package sitan

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// SitanTasks lists questionnaires the user's organisation must answer: sent,
// not yet submitted, in analyses still collecting, in municipalities where
// the user may answer (member or coordinator). Past due ones are late.
func (h *Handler) SitanTasks(c *fiber.Ctx) ([]web.Task, error) {
	p := web.PrincipalOf(c)
	if !p.SignedIn() || p.User.OrganisationID == nil {
		return nil, nil
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	open, err := models.OpenQuestionnairesFor(ctx, h.DB, p.User.ID, *p.User.OrganisationID)
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	tasks := make([]web.Task, 0, len(open))
	for _, q := range open {
		tasks = append(tasks, web.Task{Kind: "task.questionnaire", Title: fmt.Sprintf("%s (%s)", q.SitanTitle, q.MunicipalityName),
			Link: "/questionnaires/" + web.Itoa(q.ID), Due: l.Date(q.DueDate), Late: q.Late()})
	}
	return tasks, nil
}

// SitanPublic lists published situation analyses and links "what we heard"
// when the municipality held focus groups.
func (h *Handler) SitanPublic(c *fiber.Ctx, muniID int64) (*web.PublicSection, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	ss, err := models.ListPublishedSitans(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	fgs, err := models.ListFocusGroups(ctx, h.DB, muniID)
	if err != nil {
		return nil, err
	}
	l := h.Localizer(c)
	sec := &web.PublicSection{Title: l.T("sitan.public.section")}
	for _, s := range ss {
		sec.Items = append(sec.Items, web.PublicLink{Text: s.Title, Own: true, Link: fmt.Sprintf("/m/%s/situation-analyses/%d", m.Slug, s.ID),
			Note: l.T("sitan.public.published_on", "Date", l.Date(*s.PublishedAt))})
	}
	if len(fgs) > 0 {
		sec.Items = append(sec.Items, web.PublicLink{Text: l.T("focus.heard.title"), Link: "/m/" + m.Slug + "/heard",
			Note: l.T("focus.public.count", "N", len(fgs))})
	}
	return sec, nil
}
