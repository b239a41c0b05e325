package inbox

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// outboxPage is the data of views/pages/outbox.html.
type outboxPage struct {
	Status   string
	Statuses []string
	Messages []models.OutboxMessage
}

// outboxMessagePage is the data of views/pages/outbox_message.html.
type outboxMessagePage struct {
	Message *models.OutboxMessage
	Links   []string // the links of this site in the mail, to click
}

var linkRe = regexp.MustCompile(`https?://[^\s<>"]+`)

// linksOf are the distinct links under base in a mail's text.
func linksOf(text, base string) []string {
	var out []string
	for _, l := range linkRe.FindAllString(text, -1) {
		if strings.HasPrefix(l, base+"/") && !contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

var statuses = []string{models.OutboxQueued, models.OutboxSent, models.OutboxKept, models.OutboxFailed}

// Outbox lists the newest mail for platform admins: without an SMTP server
// (make run) this is where a newcomer finds an invitation link.
func (h *Handler) Outbox(c *fiber.Ctx) error {
	status := c.Query("status")
	if status != "" && !contains(statuses, status) {
		status = ""
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	ms, err := models.ListOutbox(ctx, h.DB, status, 200)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "outbox", "inbox.outbox.title", outboxPage{Status: status, Statuses: statuses, Messages: ms})
}

// OutboxMessage shows one mail, text and the HTML part's links. The HTML
// is shown as text: a mail is never rendered into the admin's page.
func (h *Handler) OutboxMessage(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetOutboxMessage(ctx, h.DB, int64(id))
	if err != nil {
		return err
	}
	return h.Render(c, 200, "outbox_message", "inbox.outbox.message", outboxMessagePage{Message: m, Links: linksOf(m.TextBody, h.BaseURL)})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
