package app

import "pakt/handlers"

// agreementRoutes are the partnership-agreement routes (API.md "Partnership agreements").
func agreementRoutes(r *router, h *handlers.Handler) {}
