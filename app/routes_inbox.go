package app

// inboxRoutes are what Pakt tells people (API.md "Accounts, invitations and
// notifications"): each person's own notifications and settings, the
// one-click unsubscribe of mails (no sign-in: the token is the proof), and
// the outbox of mail for platform admins.
func inboxRoutes(r *router, h *Handlers) {
	r.get("/me/notifications", SignedIn, h.Inbox.Notifications)
	r.get("/me/notifications/:id", SignedIn, h.Inbox.NotificationOpen)
	r.post("/me/notifications/read", SignedIn, h.Inbox.NotificationsReadAll)
	r.post("/me/notifications/:id/read", SignedIn, h.Inbox.NotificationRead)
	r.get("/me/notification-settings", SignedIn, h.Inbox.Settings)
	r.post("/me/notification-settings", SignedIn, h.Inbox.SettingsSave)
	r.get("/unsubscribe/:token", Public, h.Inbox.Unsubscribe)
	r.post("/unsubscribe/:token", Public, h.Inbox.UnsubscribeDo)
	r.get("/admin/outbox", AdminOnly, h.Inbox.Outbox)
	r.get("/admin/outbox/:id", AdminOnly, h.Inbox.OutboxMessage)

	api := "/api/v1"
	r.get(api+"/me/notifications", SignedIn, h.Inbox.APINotifications)
	r.post(api+"/me/notifications/read", SignedIn, h.Inbox.APINotificationsReadAll)
	r.post(api+"/me/notifications/:id/read", SignedIn, h.Inbox.APINotificationRead)
	r.get(api+"/me/notification-settings", SignedIn, h.Inbox.APISettings)
	r.put(api+"/me/notification-settings", SignedIn, h.Inbox.APISettingsPut)
}
