package sitan

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// focusNeedRows is how many need rows the new-focus-group form offers at
// least (the form works without JavaScript; more on request, form_rows.go);
// maxNeedRows is how many a post is read for.
const (
	focusNeedRows = 6
	maxNeedRows   = 50
)

type needRow struct {
	Index, Number                              int
	Statement, Barrier, Priority, Group, Quote string
	ErrStatement, ErrBarrier, ErrPriority      string
	ErrGroup, ErrQuote                         string
}

// focusListPage is the data of views/pages/focus_list.html.
type focusListPage struct {
	heardView
	Coordinator bool
}

// FocusGroupList is a municipality's focus groups with exact counts and the
// needs heard, by group (members of the municipality only).
func (h *Handler) FocusGroupList(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	s := web.ScopeOf(c)
	m, err := models.GetMunicipality(ctx, h.DB, s.MunicipalityID)
	if err != nil {
		return err
	}
	heard, err := h.heardData(c, m, false)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "focus_list", "focus.title", focusListPage{heardView: heard,
		Coordinator: s.Role == models.RoleCoordinator})
}

// FocusGroupNew shows the form to record a focus group.
func (h *Handler) FocusGroupNew(c *fiber.Ctx) error {
	return h.focusForm(c, 200, map[string]string{}, blankNeedRows(0, 0), nil)
}

// blankNeedRows numbers empty rows from from up to the form's own rows, plus
// more.
func blankNeedRows(from, more int) []needRow {
	var rows []needRow
	for i := from; i < min(max(focusNeedRows, from)+more, maxNeedRows); i++ {
		rows = append(rows, needRow{Index: i, Number: i + 1, Priority: "2"})
	}
	return rows
}

// focusFormPage is the data of views/pages/focus_form.html.
type focusFormPage struct {
	web.FormState
	Municipality *models.Municipality
	Members      []models.Member
	Needs        []needRow
	GroupCodes   []string
	Families     []string
	Priorities   []int
	MoreNeeds    int
	FileDropped  bool // a consent form was chosen: the browser drops it when the form comes back
}

func (h *Handler) focusForm(c *fiber.Ctx, status int, form map[string]string, needs []needRow, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	muni := web.ScopeOf(c).MunicipalityID
	m, err := models.GetMunicipality(ctx, h.DB, muni)
	if err != nil {
		return err
	}
	members, err := models.ListMembers(ctx, h.DB, muni)
	if err != nil {
		return err
	}
	// A browser cannot be told to keep a chosen file when the form comes back.
	file, err := c.FormFile("consent_form")
	return h.Render(c, status, "focus_form", "focus.new", focusFormPage{FormState: web.FormState{Form: form, Errors: errs},
		Municipality: m, Members: members, Needs: needs, GroupCodes: models.VulnerableGroupCodes,
		Families: models.BarrierFamilies, Priorities: models.NeedPriorities, MoreNeeds: web.MoreRows(c, "needs"),
		FileDropped: err == nil && file.Size > 0})
}

// focusValues reads a repeated field of a urlencoded or multipart form.
func focusValues(c *fiber.Ctx, field string) []string {
	if mf, err := c.MultipartForm(); err == nil {
		return mf.Value[field]
	}
	return sitanFormValues(c, field)
}

// FocusGroupCreate handles the form: the focus group, its needs and the
// optional blank consent form are stored in one transaction.
func (h *Handler) FocusGroupCreate(c *fiber.Ctx) error {
	errs := map[string]string{}
	in, rows, form := focusFormInput(c, errs)
	if web.AddingRows(c) {
		return h.focusForm(c, 200, form, needRowErrors(rows, nil, web.MoreRows(c, "needs")), nil)
	}
	consent, err := consentUpload(c)
	if err = sitanMergeErrors(errs, err); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fg, err := models.RecordFocusGroup(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, in, errs, consent)
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.focusForm(c, 422, form, needRowErrors(rows, fe, web.MoreRows(c, "needs")), fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/focus-groups/"+web.Itoa(fg.ID), "focus.flash.created")
}

// focusFormInput reads the form into the model input, the need rows to show
// again and the plain values.
func focusFormInput(c *fiber.Ctx, errs map[string]string) (models.FocusGroupInput, []needRow, map[string]string) {
	form := map[string]string{}
	for _, k := range []string{"held_on", "place", "participants_total", "participants_women", "participants_men",
		"age_15_29", "age_30_49", "age_50_plus", "summary", "consent_obtained"} {
		form[k] = c.FormValue(k)
	}
	in := models.FocusGroupInput{Place: form["place"], Summary: form["summary"], ConsentObtained: form["consent_obtained"] != "",
		Groups: focusValues(c, "groups")}
	for _, g := range in.Groups {
		form["g_"+g] = "on"
	}
	for _, id := range focusValues(c, "facilitator_user_ids") {
		var uid int64
		fmt.Sscan(id, &uid)
		in.FacilitatorUserIDs = append(in.FacilitatorUserIDs, uid)
		form["f_"+id] = "on"
	}
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(form["held_on"])); err == nil {
		in.HeldOn = d
	} else if form["held_on"] != "" {
		errs["held_on"] = "sitan.error.date"
	}
	in.Total = focusInt(sitanFormInt(c, "participants_total", errs))
	in.Women = focusInt(sitanFormInt(c, "participants_women", errs))
	in.Men = focusInt(sitanFormInt(c, "participants_men", errs))
	ages := []*int{sitanFormInt(c, "age_15_29", errs), sitanFormInt(c, "age_30_49", errs), sitanFormInt(c, "age_50_plus", errs)}
	if ages[0] != nil || ages[1] != nil || ages[2] != nil {
		in.Ages = []int{focusInt(ages[0]), focusInt(ages[1]), focusInt(ages[2])}
	}
	for k := range errs {
		if strings.HasPrefix(k, "age_") {
			errs["participants_by_age"] = errs[k]
		}
	}
	rows := formNeedRows(c, &in)
	return in, rows, form
}

// formNeedRows reads need rows; blank rows are skipped, the others become
// in.Needs in order (errors come back as needs[i].field).
func formNeedRows(c *fiber.Ctx, in *models.FocusGroupInput) []needRow {
	var rows []needRow
	for i := 0; i < maxNeedRows; i++ {
		p := fmt.Sprintf("need_%d_", i)
		r := needRow{Index: i, Statement: strings.TrimSpace(c.FormValue(p + "statement")), Barrier: c.FormValue(p + "barrier"),
			Priority: c.FormValue(p + "priority"), Group: c.FormValue(p + "group"), Quote: strings.TrimSpace(c.FormValue(p + "quote"))}
		if r.Statement == "" && r.Quote == "" {
			continue
		}
		rows = append(rows, r)
		in.Needs = append(in.Needs, models.NeedInput{Statement: r.Statement, Barrier: r.Barrier,
			Priority: web.Atoi(r.Priority), Group: r.Group, Quote: r.Quote})
	}
	return rows
}

// needRowErrors puts needs[i].field messages on the rows and pads the form
// with blank rows again, and more when asked for.
func needRowErrors(rows []needRow, fe map[string]string, more int) []needRow {
	for i := range rows {
		key := func(f string) string { return fe[fmt.Sprintf("needs[%d].%s", i, f)] }
		rows[i].ErrStatement, rows[i].ErrBarrier, rows[i].ErrPriority = key("statement"), key("barrier"), key("priority")
		rows[i].ErrGroup, rows[i].ErrQuote = key("group"), key("quote")
		rows[i].Index, rows[i].Number = i, i+1
	}
	return append(rows, blankNeedRows(len(rows), more)...)
}

// FocusGroupShow is one focus group with its needs.
func (h *Handler) FocusGroupShow(c *fiber.Ctx) error {
	fg, err := h.scopedFocusGroup(c)
	if err != nil {
		return err
	}
	return h.renderFocusShow(c, 200, fg, nil)
}

// focusShowPage is the data of views/pages/focus_show.html.
type focusShowPage struct {
	web.FormState
	Municipality *models.Municipality
	FocusGroup   *models.FocusGroup
	Needs        []models.Need
	Facilitators []models.Facilitator
	Coordinator  bool
}

func (h *Handler) renderFocusShow(c *fiber.Ctx, status int, fg *models.FocusGroup, errs map[string]string) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, fg.MunicipalityID)
	if err != nil {
		return err
	}
	needs, err := models.FocusNeeds(ctx, h.DB, fg.MunicipalityID, fg.ID)
	if err != nil {
		return err
	}
	fac, err := models.FocusFacilitators(ctx, h.DB, fg.MunicipalityID, fg.ID)
	if err != nil {
		return err
	}
	return h.Render(c, status, "focus_show", "focus.group", focusShowPage{FormState: web.FormState{Errors: errs},
		Municipality: m, FocusGroup: fg, Needs: needs, Facilitators: fac, Coordinator: web.ScopeOf(c).Role == models.RoleCoordinator})
}
