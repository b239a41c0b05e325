package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/models"
)

// cycleRoutes are the routes of "Working the cycle" (issue #17, API.md):
// editing and deleting what the situation analysis and the focus groups
// recorded.
func cycleRoutes(r *router, h *Handlers) {
	coord := models.RoleCoordinator
	finding := sitanObjectScope("id", func(c *fiber.Ctx, db *gorm.DB, id int64) (int64, error) {
		return models.MunicipalityOfFinding(c.UserContext(), db, id)
	})
	group := sitanObjectScope("id", func(c *fiber.Ctx, db *gorm.DB, id int64) (int64, error) {
		return models.MunicipalityOfVulnerableGroup(c.UserContext(), db, id)
	})
	need := sitanObjectScope("id", func(c *fiber.Ctx, db *gorm.DB, id int64) (int64, error) {
		return models.MunicipalityOfNeed(c.UserContext(), db, id)
	})
	fg := FocusGroupParam("id")

	r.post("/findings/:id/delete", InMunicipality(finding, coord), h.Sitan.FindingDelete)
	r.post("/vulnerable-groups/:id/delete", InMunicipality(group, coord), h.Sitan.GroupDelete)
	r.post("/focus-groups/:id/delete", InMunicipality(fg, coord), h.Sitan.FocusGroupDelete)
	r.post("/needs/:id/delete", InMunicipality(need, coord), h.Sitan.NeedDelete)
	r.get("/findings/:id/edit", InMunicipality(finding, coord), h.Sitan.FindingEdit)
	r.post("/findings/:id", InMunicipality(finding, coord), h.Sitan.FindingUpdate)
	r.get("/vulnerable-groups/:id/edit", InMunicipality(group, coord), h.Sitan.GroupEdit)
	r.post("/vulnerable-groups/:id", InMunicipality(group, coord), h.Sitan.GroupUpdate)
	r.get("/focus-groups/:id/edit", InMunicipality(fg, coord), h.Sitan.FocusGroupEdit)
	r.post("/focus-groups/:id", InMunicipality(fg, coord), h.Sitan.FocusGroupUpdate)
	r.get("/needs/:id/edit", InMunicipality(need, coord), h.Sitan.NeedEdit)
	r.post("/needs/:id", InMunicipality(need, coord), h.Sitan.NeedUpdate)

	api := "/api/v1"
	r.get(api+"/municipalities/:id/pact", InMunicipality(MuniParam("id"), models.RoleViewer), h.Accounts.APIMunicipalityPact)
	r.patch(api+"/findings/:id", InMunicipality(finding, coord), h.Sitan.APIFindingUpdate)
	r.delete(api+"/findings/:id", InMunicipality(finding, coord), h.Sitan.APIFindingDelete)
	r.patch(api+"/vulnerable-groups/:id", InMunicipality(group, coord), h.Sitan.APIGroupUpdate)
	r.delete(api+"/vulnerable-groups/:id", InMunicipality(group, coord), h.Sitan.APIGroupDelete)
	r.patch(api+"/focus-groups/:id", InMunicipality(fg, coord), h.Sitan.APIFocusGroupUpdate)
	r.delete(api+"/focus-groups/:id", InMunicipality(fg, coord), h.Sitan.APIFocusGroupDelete)
	r.patch(api+"/needs/:id", InMunicipality(need, coord), h.Sitan.APINeedUpdate)
	r.delete(api+"/needs/:id", InMunicipality(need, coord), h.Sitan.APINeedDelete)
}
