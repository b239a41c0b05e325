package app

import (
	"pakt/models"
)

// openDataRoutes are the open-data routes (API.md "Open data and
// integration", docs/opendata.md, docs/iati.md). The public API is open to
// anyone and counted per client address (h.Opendata.Limit); the .csv routes
// come before /:slug, which would take "bratunac.csv" for a slug.
func openDataRoutes(r *router, h *Handlers) {
	coord, viewer := models.RoleCoordinator, models.RoleViewer
	muni, plan := MuniParam("id"), PlanParam("id")
	od := h.Opendata
	pub := "/api/v1/public/municipalities"

	r.get(pub, Public, od.Limit, od.APIMunicipalities)
	r.get(pub+"/:slug.csv", Public, od.Limit, od.APIMeasuresCSV)
	r.get(pub+"/:slug/figures.csv", Public, od.Limit, od.APIFiguresCSV)
	r.get(pub+"/:slug", Public, od.Limit, od.APIMunicipality)
	r.get("/m/:slug/plans/:id/iati.xml", Public, od.Limit, od.PublicPlanIATI)

	r.get("/plans/:id/iati.xml", InMunicipality(plan, viewer), od.PlanIATI)
	r.get("/api/v1/action-plans/:id/iati.xml", InMunicipality(plan, viewer), od.PlanIATI)
	r.get("/municipalities/:id/open-data", InMunicipality(muni, viewer), od.OpenDataPage)
	r.post("/municipalities/:id/open-data", InMunicipality(muni, coord), od.OpenDataSave)
	r.get("/api/v1/municipalities/:id/iati", InMunicipality(muni, viewer), od.APIIATISettingGet)
	r.put("/api/v1/municipalities/:id/iati", InMunicipality(muni, coord), od.APIIATISettingPut)
}
