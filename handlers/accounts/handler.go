package accounts

import "pakt/web"

// Handler serves the accounts routes; the kernel gives it the database,
// rendering, errors and request helpers.
type Handler struct{ *web.Kernel }
