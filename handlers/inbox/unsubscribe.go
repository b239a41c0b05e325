package inbox

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// unsubscribePage is the data of views/pages/unsubscribe.html.
type unsubscribePage struct {
	Token   string
	Kind    string   // what the link turns off ("digest": the daily summary)
	Invalid bool     // no such link
	Done    []string // the kinds turned off, after the POST
}

// Unsubscribe (GET) only asks: mail scanners and link previews fetch every
// link in a mail, and fetching must not unsubscribe anybody.
func (h *Handler) Unsubscribe(c *fiber.Ctx) error {
	token := c.Params("token")
	ctx, cancel := h.Ctx(c)
	defer cancel()
	kind, err := models.UnsubscribeKind(ctx, h.DB, token)
	if errors.Is(err, models.ErrNotFound) {
		return h.Render(c, 404, "unsubscribe", "inbox.unsubscribe.title", unsubscribePage{Invalid: true})
	}
	if err != nil {
		return err
	}
	return h.Render(c, 200, "unsubscribe", "inbox.unsubscribe.title", unsubscribePage{Token: token, Kind: kind})
}

// UnsubscribeDo (POST) turns the mail's kind off: the confirmation form, or
// a mail client's RFC 8058 one-click POST (List-Unsubscribe=One-Click), with
// no sign-in and no CSRF token — the secret token in the path is the proof.
func (h *Handler) UnsubscribeDo(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	done, err := models.Unsubscribe(ctx, h.DB, c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return h.Render(c, 404, "unsubscribe", "inbox.unsubscribe.title", unsubscribePage{Invalid: true})
	}
	if err != nil {
		return err
	}
	kinds := done.Kinds
	if kinds == nil {
		kinds = []string{}
	}
	return h.Render(c, 200, "unsubscribe", "inbox.unsubscribe.title", unsubscribePage{Done: kinds})
}
