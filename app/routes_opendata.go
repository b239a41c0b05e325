package app

// openDataRoutes are the open-data routes (API.md "Open data and
// integration", docs/opendata.md). The public API is open to anyone and
// counted per client address (h.Opendata.Limit); the .csv routes come
// before /:slug, which would take "bratunac.csv" for a slug.
func openDataRoutes(r *router, h *Handlers) {
	od := h.Opendata
	pub := "/api/v1/public/municipalities"

	r.get(pub, Public, od.Limit, od.APIMunicipalities)
	r.get(pub+"/:slug.csv", Public, od.Limit, od.APIMeasuresCSV)
	r.get(pub+"/:slug/figures.csv", Public, od.Limit, od.APIFiguresCSV)
	r.get(pub+"/:slug", Public, od.Limit, od.APIMunicipality)
}
