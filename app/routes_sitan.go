package app

import "pakt/handlers"

// sitanRoutes are the situation-analysis and focus-group routes
// (API.md "Situation analysis and focus groups").
func sitanRoutes(r *router, h *handlers.Handler) {}
