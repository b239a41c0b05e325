package app

// searchRoutes are search (issue #17, API.md "Working the cycle"): any
// signed-in person searches the municipalities they have a role in (a
// platform admin: all); the model keeps to those, so nothing else leaks.
func searchRoutes(r *router, h *Handlers) {
	r.get("/search", SignedIn, h.Search.Page)
	r.get("/api/v1/search", SignedIn, h.Search.API)
}
