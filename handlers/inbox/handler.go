// Package inbox serves what Pakt tells people: the notification list and
// bell, the notification settings, one-click unsubscribe from mails, and
// the platform admins' outbox of mail.
package inbox

import "pakt/web"

// Handler serves the inbox routes on the kernel.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[notificationsPage]("notifications"),
	web.PageOf[settingsPage]("notification_settings"),
	web.PageOf[unsubscribePage]("unsubscribe"),
	web.PageOf[outboxPage]("outbox"),
	web.PageOf[outboxMessagePage]("outbox_message"),
}
