package plans

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// honeypotField is a form field hidden from people (CSS) that bots fill in.
const honeypotField = "website"

// ipHash keeps only a keyed hash of the commenter's IP: enough to rate-limit,
// not enough to identify (the key is per installation, the base URL here).
func (h *Handler) ipHash(c *fiber.Ctx) string {
	mac := hmac.New(sha256.New, []byte("pakt-comments:"+h.BaseURL))
	mac.Write([]byte(c.IP()))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// PublicComment takes a comment from the public form (no account needed).
func (h *Handler) PublicComment(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	form := map[string]string{"name": c.FormValue("name"), "text": c.FormValue("text"), "measure_id": c.FormValue("measure_id")}
	back := "/m/" + c.Params("slug") + "/plans/" + web.Itoa(id)
	if c.FormValue(honeypotField) != "" {
		// Pretend success so the bot learns nothing; store nothing.
		return h.RedirectWithFlash(c, back, "flash.comment_received")
	}
	err = h.addComment(c, id, c.FormValue("text"), c.FormValue("name"), formIntOpt(c, "measure_id"))
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.publicPlan(c, 422, form, fe)
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, back, "flash.comment_received")
}

func formIntOpt(c *fiber.Ctx, key string) *int64 {
	if n := web.FormInt(c, key); n > 0 {
		return &n
	}
	return nil
}

// addComment checks that the plan belongs to the slug's municipality (HTML)
// and stores the comment.
func (h *Handler) addComment(c *fiber.Ctx, planID int64, text, name string, measure *int64) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if slug := c.Params("slug"); slug != "" {
		m, err := models.GetMunicipalityBySlug(ctx, h.DB, slug)
		if err != nil {
			return err
		}
		if owner, err := models.MunicipalityOfPlan(ctx, h.DB, planID); err != nil || owner != m.ID {
			return models.ErrNotFound
		}
	}
	_, err := models.AddComment(ctx, h.DB, planID, models.CommentInput{Text: text, Name: name, MeasureID: measure, IPHash: h.ipHash(c)})
	return err
}

type commentReq struct {
	Text      string `json:"text"`
	Name      string `json:"name"`
	MeasureID *int64 `json:"measure_id"`
	Website   string `json:"website"`
}

// APIPublicComment is POST /api/v1/public/action-plans/{id}/comments (no auth).
func (h *Handler) APIPublicComment(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var r commentReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	if r.Website != "" {
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"status": "pending"})
	}
	if err := h.addComment(c, id, r.Text, r.Name, r.MeasureID); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"status": "pending"})
}

// CommentModerate approves or hides a comment.
func (h *Handler) CommentModerate(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.ModerateComment(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id, c.FormValue("action") == "approve"); err != nil {
		return err
	}
	return h.RedirectWithFlash(c, web.SafeBack(c, "/dashboard"), "flash.saved")
}

// CommentRespond records the commission's answer from the plan page.
func (h *Handler) CommentRespond(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	_, err = models.RespondToComment(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id, c.FormValue("decision"), c.FormValue("text"))
	if fe := web.FieldErrors(h.Localizer(c), err); fe != nil {
		return h.RedirectWithFlash(c, web.SafeBack(c, "/dashboard"), "flash.response_invalid")
	}
	if err != nil {
		return err
	}
	return h.RedirectWithFlash(c, web.SafeBack(c, "/dashboard"), "flash.saved")
}

type responseReq struct {
	Decision string `json:"decision"`
	Text     string `json:"text"`
}

// APICommentResponse is POST /api/v1/comments/{id}/response.
func (h *Handler) APICommentResponse(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var r responseReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	cm, err := models.RespondToComment(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id, r.Decision, r.Text)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

type moderationReq struct {
	Approve bool `json:"approve"`
}

// APICommentModerate is POST /api/v1/comments/{id}/moderation.
func (h *Handler) APICommentModerate(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var r moderationReq
	if err := web.ParseJSON(c, &r); err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.ModerateComment(ctx, h.DB, web.Actor(c), web.ScopeOf(c).MunicipalityID, id, r.Approve); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": id, "approved": r.Approve})
}

// consultationReportPage is the data of views/pages/consultation_report.html.
type consultationReportPage struct {
	Plan     *models.Plan
	Comments []models.Comment
}

// ConsultationReport is the HTML report: every comment and its answer.
func (h *Handler) ConsultationReport(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return err
	}
	comments, err := models.ListComments(ctx, h.DB, m.ID, p.ID, false)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "consultation_report", "consultation.report", consultationReportPage{Plan: p, Comments: comments})
}
