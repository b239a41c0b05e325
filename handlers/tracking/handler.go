package tracking

import "pakt/web"

// Handler serves the tracking routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }

// Pages are the templates this package draws, each with its data type,
// checked at start.
var Pages = []web.PageSpec{
	web.PageOf[trackingPage]("tracking"),
	web.PageOf[progressFormPage]("progress_form"),
}
