package sitan

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// SitanList shows a municipality's situation analyses and, to coordinators,
// the form to open one.
func (h *Handler) SitanList(c *fiber.Ctx) error {
	year := web.Itoa(int64(time.Now().Year()))
	return h.sitanListPage(c, 200, map[string]string{"year": year}, nil)
}

// sitanListPage is the data of views/pages/sitan_list.html.
type sitanListPage struct {
	web.FormState
	Municipality *models.Municipality
	Analyses     []models.SituationAnalysis
	Coordinator  bool
}

func (h *Handler) sitanListPage(c *fiber.Ctx, status int, form, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s := web.ScopeOf(c)
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	ss, err := models.ListSitans(ctx, h.DB, m.ID)
	if err != nil {
		return err
	}
	return h.Render(c, status, "sitan_list", "sitan.title", sitanListPage{FormState: web.FormState{Form: form, Errors: errs},
		Municipality: m, Analyses: ss, Coordinator: s.Role == models.RoleCoordinator})
}

// SitanCreate handles the new-analysis form.
func (h *Handler) SitanCreate(c *fiber.Ctx) error {
	errs := map[string]string{}
	r := sitanReq{Title: strings.TrimSpace(c.FormValue("title")), Year: sitanFormInt(c, "year", errs)}
	err := sitanMergeErrors(errs, h.Check(&r))
	var s *models.SituationAnalysis
	if err == nil && len(errs) == 0 {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		s, err = models.CreateSitan(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, r.input())
	}
	if fe := web.FieldErrors(h.Localizer(c), sitanWithErrors(errs, err)); fe != nil {
		return h.sitanListPage(c, 422, map[string]string{"title": r.Title, "year": c.FormValue("year")}, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(s.ID), "sitan.flash.created")
}

// SitanShow is the coordinator's overview of an analysis: who was asked, who
// answered, who is late; the indicators; groups and findings.
func (h *Handler) SitanShow(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	due := time.Now().AddDate(0, 0, 21).Format(time.DateOnly)
	return h.sitanShowPage(c, 200, s, map[string]string{"due_date": due, "priority": "1"}, nil)
}

// sitanShowPage is the data of views/pages/sitan_show.html: the
// analysis's questionnaires, indicators, groups and findings, and the
// coordinator's forms while it collects.
type sitanShowPage struct {
	web.FormState
	Municipality   *models.Municipality
	Sitan          *models.SituationAnalysis
	Questionnaires []models.Questionnaire
	Progress       sitanCounts
	Orgs           []models.Organisation
	Templates      []string
	Indicators     []indicatorView
	Groups         []reportGroup
	Findings       []models.Finding
	GroupCodes     []string
	Families       []string
	Specific       []models.SpecificBarrier
	Coordinator    bool
	Collecting     bool
}

func (h *Handler) sitanShowPage(c *fiber.Ctx, status int, s *models.SituationAnalysis, form, errs map[string]string) error {
	d, err := h.sitanOverview(c, s)
	if err != nil {
		return err
	}
	d.FormState = web.FormState{Form: form, Errors: errs}
	return h.Render(c, status, "sitan_show", "sitan.overview", d)
}

// sitanOverview gathers the data of the overview page.
func (h *Handler) sitanOverview(c *fiber.Ctx, s *models.SituationAnalysis) (sitanShowPage, error) {
	d := sitanShowPage{Sitan: s, Templates: models.TemplateNames, GroupCodes: models.VulnerableGroupCodes,
		Families: models.BarrierFamilies, Specific: models.SpecificBarriers,
		Coordinator: web.ScopeOf(c).Role == models.RoleCoordinator, Collecting: !s.Published()}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var err error
	if d.Municipality, err = models.GetMunicipality(ctx, h.DB, s.MunicipalityID); err != nil {
		return d, err
	}
	if d.Questionnaires, err = models.ListQuestionnaires(ctx, h.DB, s.MunicipalityID, s.ID); err != nil {
		return d, err
	}
	d.Progress = sitanProgress(d.Questionnaires)
	if d.Orgs, err = models.ListOrganisations(ctx, h.DB, s.MunicipalityID); err != nil {
		return d, err
	}
	return d, h.sitanContent(c, &d)
}

// sitanContent adds the analysis's indicators, groups and findings.
func (h *Handler) sitanContent(c *fiber.Ctx, d *sitanShowPage) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni, id := d.Sitan.MunicipalityID, d.Sitan.ID
	vals, err := models.SitanIndicators(ctx, h.DB, muni, id)
	if err != nil {
		return err
	}
	groups, err := models.ListVulnerableGroups(ctx, h.DB, muni, id)
	if err != nil {
		return err
	}
	if d.Findings, err = models.ListFindings(ctx, h.DB, muni, id); err != nil {
		return err
	}
	l := h.Localizer(c)
	d.Indicators, d.Groups = indicatorViews(l, vals), reportGroups(l, groups, false)
	return nil
}

// sitanCounts is how many questionnaires were sent (asked), answered and
// are late, and how many are drafts not yet sent.
type sitanCounts struct {
	Asked, Answered, Late, Drafts int
}

// sitanProgress counts who was asked, who answered and who is late.
func sitanProgress(qs []models.Questionnaire) sitanCounts {
	var p sitanCounts
	for i := range qs {
		switch {
		case qs[i].Status == models.QuestionnaireDraft:
			p.Drafts++
			continue
		case qs[i].Status == models.QuestionnaireSubmitted:
			p.Answered++
		case qs[i].Late():
			p.Late++
		}
		p.Asked++
	}
	return p
}

// QuestionnaireCreate handles the overview's form: a draft is made (to add
// own questions) unless "send now" is ticked.
func (h *Handler) QuestionnaireCreate(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	if err := sitanCollecting(s); err != nil {
		return err
	}
	form := map[string]string{"organisation_id": c.FormValue("organisation_id"), "template": c.FormValue("template"),
		"due_date": c.FormValue("due_date"), "send": c.FormValue("send")}
	id := sitanFormID(c, "organisation_id")
	r := questionnaireReq{Template: form["template"], DueDate: form["due_date"], Draft: form["send"] == ""}
	if id > 0 {
		r.OrganisationID = &id
	}
	err = h.Check(&r)
	var q *models.Questionnaire
	if err == nil {
		var in models.QuestionnaireInput
		if in, err = r.input(); err == nil {
			ctx, cancel := h.Ctx(c)
			defer cancel()
			q, err = models.CreateQuestionnaire(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, in)
		}
	}
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.sitanShowPage(c, 422, s, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/questionnaires/"+web.Itoa(q.ID), "sitan.flash.questionnaire_created")
}

// SitanPublish publishes the analysis from the overview page.
func (h *Handler) SitanPublish(c *fiber.Ctx) error {
	s, err := h.scopedSitan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.PublishSitanConfirmed(ctx, h.DB, web.Actor(c), s.MunicipalityID, s.ID, web.Atoi(c.FormValue("version")),
		c.FormValue("confirm_unanswered") == "yes")
	if errors.Is(err, models.ErrStale) {
		return h.sitanShowPage(c, 422, s, nil, map[string]string{"form": h.Localizer(c).T("error.stale_form")})
	}
	var se *models.StateError
	if errors.As(err, &se) && se.Key == "sitan.error.unanswered" {
		// Shown next to the box that confirms publishing without them.
		return h.sitanShowPage(c, 409, s, nil, map[string]string{"confirm_unanswered": h.Localizer(c).T(se.Key)})
	}
	if err != nil {
		return err
	}
	h.RegisterPublished(c, s.MunicipalityID, s.ID)
	return h.RedirectWithFlash(c, "/situation-analyses/"+web.Itoa(s.ID), "sitan.flash.published")
}
