package app

// apiDocsRoutes serve the JSON API's OpenAPI description (issue #19,
// web/openapi/openapi.yaml) and the reference page drawn from it.
func apiDocsRoutes(r *router, h *Handlers) {
	r.get("/api/v1/openapi.json", Public, h.APIDocs.OpenAPIJSON)
	r.get("/api", Public, h.APIDocs.Reference)
}
