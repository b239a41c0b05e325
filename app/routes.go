package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

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

func (r *router) add(method, path string, p Policy, h ...fiber.Handler) {
	if p.Name == "" {
		panic("route " + method + " " + path + " has no policy")
	}
	r.routes = append(r.routes, Route{method, path, p})
	r.app.Add(method, path, append([]fiber.Handler{p.middleware(r.db)}, h...)...)
}

func (r *router) get(path string, p Policy, h ...fiber.Handler) {
	r.add(fiber.MethodGet, path, p, h...)
}
func (r *router) post(path string, p Policy, h fiber.Handler)  { r.add(fiber.MethodPost, path, p, h) }
func (r *router) put(path string, p Policy, h fiber.Handler)   { r.add(fiber.MethodPut, path, p, h) }
func (r *router) patch(path string, p Policy, h fiber.Handler) { r.add(fiber.MethodPatch, path, p, h) }
func (r *router) delete(path string, p Policy, h fiber.Handler) {
	r.add(fiber.MethodDelete, path, p, h)
}

// routeTable is every route Pakt serves, each with who may use it.
func routeTable(r *router, h *Handlers) {
	coord, member, viewer := models.RoleCoordinator, models.RoleMember, models.RoleViewer
	_ = member
	muni, org := MuniParam("id"), OrgParam("id")
	// Who may see a municipality's people (names, e-mails, roles): one rule
	// for the members page and the API.
	seeMembers := InMunicipality(muni, coord)

	r.get("/healthz", Public, h.Kernel.Healthz)
	r.get("/robots.txt", Public, h.Kernel.Robots)
	r.get("/.well-known/security.txt", Public, h.Kernel.SecurityTxt)
	r.get("/favicon.ico", Public, h.Kernel.Favicon)
	r.get("/", Public, h.Dashboards.Home)
	r.get("/login", Public, h.Accounts.LoginPage)
	r.post("/login", Public, h.Accounts.Login)
	r.post("/logout", OwnAccount, h.Accounts.Logout)
	r.get("/m/:slug", Public, h.Dashboards.PublicMunicipality)

	r.get("/dashboard", SignedIn, h.Dashboards.Dashboard)
	r.get("/municipalities", SignedIn, h.Accounts.MunicipalityList)
	r.get("/municipalities/new", AdminOnly, h.Accounts.MunicipalityNew)
	r.post("/municipalities", AdminOnly, h.Accounts.MunicipalityCreate)
	r.get("/municipalities/:id", InMunicipality(muni, viewer), h.Accounts.MunicipalityShow)
	r.get("/municipalities/:id/edit", InMunicipality(muni, coord), h.Accounts.MunicipalityEdit)
	r.post("/municipalities/:id", InMunicipality(muni, coord), h.Accounts.MunicipalityUpdate)
	r.get("/municipalities/:id/audit", InMunicipality(muni, coord), h.Accounts.AuditPage)
	r.get("/municipalities/:id/organisations/new", InMunicipality(muni, coord), h.Accounts.OrganisationNew)
	r.post("/municipalities/:id/organisations", InMunicipality(muni, coord), h.Accounts.OrganisationCreate)
	r.get("/municipalities/:id/members", seeMembers, h.Accounts.MembersPage)
	r.post("/municipalities/:id/users", InMunicipality(muni, coord), h.Accounts.UserCreate)
	r.post("/municipalities/:id/members/:user_id", InMunicipality(muni, coord), h.Accounts.MemberRoleUpdate)
	r.get("/organisations/:id/edit", InMunicipality(org, coord), h.Accounts.OrganisationEdit)
	r.post("/organisations/:id", InMunicipality(org, coord), h.Accounts.OrganisationUpdate)

	api := "/api/v1"
	r.post(api+"/tokens", Public, h.Accounts.APICreateToken)
	r.delete(api+"/tokens/current", OwnAccount, h.Accounts.APIRevokeToken)
	r.get(api+"/me", OwnAccount, h.Accounts.APIMe)
	r.get(api+"/admin/cache", AdminOnly, h.Kernel.APICacheStats)
	r.get(api+"/municipalities", SignedIn, h.Accounts.APIMunicipalityList)
	r.post(api+"/municipalities", AdminOnly, h.Accounts.APIMunicipalityCreate)
	r.get(api+"/municipalities/:id", InMunicipality(muni, viewer), h.Accounts.APIMunicipalityGet)
	r.patch(api+"/municipalities/:id", InMunicipality(muni, coord), h.Accounts.APIMunicipalityUpdate)
	r.get(api+"/municipalities/:id/organisations", InMunicipality(muni, viewer), h.Accounts.APIOrganisationList)
	r.get(api+"/municipalities/:id/members", seeMembers, h.Accounts.APIMemberList)
	r.put(api+"/municipalities/:id/members/:user_id", InMunicipality(muni, coord), h.Accounts.APIMemberPut)
	r.delete(api+"/municipalities/:id/members/:user_id", InMunicipality(muni, coord), h.Accounts.APIMemberDelete)
	r.post(api+"/municipalities/:id/invitations", InMunicipality(muni, coord), h.Accounts.APIInvite)
	r.post(api+"/organisations", InMunicipality(BodyMuni, coord), h.Accounts.APIOrganisationCreate)
	r.get(api+"/organisations/:id", InMunicipality(org, viewer), h.Accounts.APIOrganisationGet)
	r.patch(api+"/organisations/:id", InMunicipality(org, coord), h.Accounts.APIOrganisationUpdate)
	r.post(api+"/users", InMunicipality(BodyOrg, coord), h.Accounts.APIUserCreate)

	agreementRoutes(r, h)
	sitanRoutes(r, h)
	planRoutes(r, h)
	trackingRoutes(r, h)
	dashboardRoutes(r, h)
	openDataRoutes(r, h)
	inboxRoutes(r, h)
	accountRoutes(r, h)
	disclosureRoutes(r, h)
	apiDocsRoutes(r, h)
	webhookRoutes(r, h)
	cycleRoutes(r, h)
	evidenceRoutes(r, h)
	searchRoutes(r, h)
	frontRoutes(r, h)
	navRoutes(r, h)
	historyRoutes(r, h)
}
