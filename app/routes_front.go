package app

// frontRoutes are the public front page's data for other sites (issue
// #17); the page itself is "/" in routeTable. Counted per client address
// like the rest of the open data.
func frontRoutes(r *router, h *Handlers) {
	r.get("/api/v1/public/front", Public, h.Opendata.Limit, h.Dashboards.APIFront)
}
