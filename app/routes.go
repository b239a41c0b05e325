package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"pakt/handlers"
	"pakt/models"
)

// Route is one entry of the route table.
type Route struct {
	Method, Path string
	Policy       Policy
}

// router registers routes together with their policy and remembers them, so a
// test can prove that every route the app serves declared one.
type router struct {
	app    *fiber.App
	db     *gorm.DB
	routes []Route
}

func (r *router) add(method, path string, p Policy, h fiber.Handler) {
	if p.Name == "" {
		panic("route " + method + " " + path + " has no policy")
	}
	r.routes = append(r.routes, Route{method, path, p})
	r.app.Add(method, path, p.middleware(r.db), h)
}

func (r *router) get(path string, p Policy, h fiber.Handler)   { r.add(fiber.MethodGet, path, p, h) }
func (r *router) post(path string, p Policy, h fiber.Handler)  { r.add(fiber.MethodPost, path, p, h) }
func (r *router) put(path string, p Policy, h fiber.Handler)   { r.add(fiber.MethodPut, path, p, h) }
func (r *router) patch(path string, p Policy, h fiber.Handler) { r.add(fiber.MethodPatch, path, p, h) }
func (r *router) delete(path string, p Policy, h fiber.Handler) {
	r.add(fiber.MethodDelete, path, p, h)
}

// routeTable is every route Pakt serves, each with who may use it.
func routeTable(r *router, h *handlers.Handler, static fiber.Handler) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	_ = member
	muni, org := MuniParam("id"), OrgParam("id")

	r.get("/static/*", Public, static)
	r.get("/healthz", Public, h.Healthz)
	r.get("/", Public, h.Home)
	r.get("/login", Public, h.LoginPage)
	r.post("/login", Public, h.Login)
	r.post("/logout", SignedIn, h.Logout)
	r.get("/m/:slug", Public, h.PublicMunicipality)

	r.get("/dashboard", SignedIn, h.Dashboard)
	r.get("/municipalities", SignedIn, h.MunicipalityList)
	r.get("/municipalities/new", AdminOnly, h.MunicipalityNew)
	r.post("/municipalities", AdminOnly, h.MunicipalityCreate)
	r.get("/municipalities/:id", InMunicipality(muni, viewer), h.MunicipalityShow)
	r.get("/municipalities/:id/edit", InMunicipality(muni, coord), h.MunicipalityEdit)
	r.post("/municipalities/:id", InMunicipality(muni, coord), h.MunicipalityUpdate)
	r.get("/municipalities/:id/audit", InMunicipality(muni, coord), h.AuditPage)
	r.get("/municipalities/:id/organisations/new", InMunicipality(muni, coord), h.OrganisationNew)
	r.post("/municipalities/:id/organisations", InMunicipality(muni, coord), h.OrganisationCreate)
	r.get("/municipalities/:id/members", InMunicipality(muni, coord), h.MembersPage)
	r.post("/municipalities/:id/users", InMunicipality(muni, coord), h.UserCreate)
	r.post("/municipalities/:id/members/:user_id", InMunicipality(muni, coord), h.MemberRoleUpdate)
	r.get("/organisations/:id/edit", InMunicipality(org, coord), h.OrganisationEdit)
	r.post("/organisations/:id", InMunicipality(org, coord), h.OrganisationUpdate)

	api := "/api/v1"
	r.post(api+"/tokens", Public, h.APICreateToken)
	r.delete(api+"/tokens/current", SignedIn, h.APIRevokeToken)
	r.get(api+"/me", SignedIn, h.APIMe)
	r.get(api+"/municipalities", SignedIn, h.APIMunicipalityList)
	r.post(api+"/municipalities", AdminOnly, h.APIMunicipalityCreate)
	r.get(api+"/municipalities/:id", InMunicipality(muni, viewer), h.APIMunicipalityGet)
	r.patch(api+"/municipalities/:id", InMunicipality(muni, coord), h.APIMunicipalityUpdate)
	r.get(api+"/municipalities/:id/organisations", InMunicipality(muni, viewer), h.APIOrganisationList)
	r.get(api+"/municipalities/:id/members", InMunicipality(muni, viewer), h.APIMemberList)
	r.put(api+"/municipalities/:id/members/:user_id", InMunicipality(muni, coord), h.APIMemberPut)
	r.delete(api+"/municipalities/:id/members/:user_id", InMunicipality(muni, coord), h.APIMemberDelete)
	r.post(api+"/organisations", InMunicipality(BodyMuni, coord), h.APIOrganisationCreate)
	r.get(api+"/organisations/:id", InMunicipality(org, viewer), h.APIOrganisationGet)
	r.patch(api+"/organisations/:id", InMunicipality(org, coord), h.APIOrganisationUpdate)
	r.post(api+"/users", InMunicipality(BodyOrg, coord), h.APIUserCreate)

	agreementRoutes(r, h)
	sitanRoutes(r, h)
	planRoutes(r, h)
	trackingRoutes(r, h)
	dashboardRoutes(r, h)
}
