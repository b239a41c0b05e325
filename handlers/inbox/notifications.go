package inbox

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// pageSize is how many notifications a page of the list shows.
const pageSize = 50

// notificationsPage is the data of views/pages/notifications.html.
type notificationsPage struct {
	Items  []models.Notification
	Next   int64 // ?before= of the next (older) page, 0 when none
	Unread int64
}

// page reads one page of the caller's notifications older than before
// (0: the newest) and says where the next one starts.
func (h *Handler) page(c *fiber.Ctx, before int64, limit int) ([]models.Notification, int64, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	items, err := models.ListNotifications(ctx, h.DB, web.PrincipalOf(c).User.ID, before, limit+1)
	if err != nil || len(items) <= limit {
		return items, 0, err
	}
	items = items[:limit]
	return items, items[limit-1].ID, nil
}

// Notifications lists the caller's notifications, newest first, paged.
func (h *Handler) Notifications(c *fiber.Ctx) error {
	before, err := strconv.ParseInt(c.Query("before", "0"), 10, 64)
	if err != nil || before < 0 {
		return fiber.ErrBadRequest
	}
	items, next, err := h.page(c, before, pageSize)
	if err != nil {
		return err
	}
	return h.Render(c, 200, "notifications", "inbox.title", notificationsPage{Items: items, Next: next,
		Unread: web.PrincipalOf(c).Unread})
}

// NotificationOpen marks a notification read and goes to what it is about.
// A GET, so the list's links are plain links; marking read twice is harmless.
func (h *Handler) NotificationOpen(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	n, err := models.ReadNotification(ctx, h.DB, web.PrincipalOf(c).User.ID, int64(id))
	if err != nil {
		return err
	}
	to := n.URL
	if to == "" || to[0] != '/' || (len(to) > 1 && (to[1] == '/' || to[1] == '\\')) {
		to = "/me/notifications" // only ever a path of this site
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// NotificationRead marks one notification read (the list's button).
func (h *Handler) NotificationRead(c *fiber.Ctx) error {
	if err := h.markRead(c); err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/me/notifications", "inbox.flash.read")
}

// NotificationsReadAll empties the bell.
func (h *Handler) NotificationsReadAll(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.MarkAllNotificationsRead(ctx, h.DB, web.PrincipalOf(c).User.ID); err != nil {
		return err
	}
	return h.RedirectWithFlash(c, "/me/notifications", "inbox.flash.read_all")
}

func (h *Handler) markRead(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.MarkNotificationRead(ctx, h.DB, web.PrincipalOf(c).User.ID, int64(id))
}

// APINotifications is GET /api/v1/me/notifications: newest first,
// ?limit= (1..200, 50) and ?cursor= (next_cursor of the previous page).
func (h *Handler) APINotifications(c *fiber.Ctx) error {
	limit, before := pageSize, int64(0)
	f := map[string]string{}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			f["limit"] = "validation.limit"
		}
		limit = n
	}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			f["cursor"] = "validation.cursor"
		}
		before = n
	}
	if len(f) > 0 {
		return &models.ValidationError{Fields: f}
	}
	items, next, err := h.page(c, before, limit)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	unread, err := models.UnreadCount(ctx, h.DB, web.PrincipalOf(c).User.ID)
	if err != nil {
		return err
	}
	var cursor any
	if next != 0 {
		cursor = strconv.FormatInt(next, 10)
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": cursor, "unread": unread})
}

// APINotificationRead is POST /api/v1/me/notifications/{id}/read: 204;
// another person's notification is 404.
func (h *Handler) APINotificationRead(c *fiber.Ctx) error {
	if err := h.markRead(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// APINotificationsReadAll is POST /api/v1/me/notifications/read: 204.
func (h *Handler) APINotificationsReadAll(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	if err := models.MarkAllNotificationsRead(ctx, h.DB, web.PrincipalOf(c).User.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
