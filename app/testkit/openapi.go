package testkit

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"pakt/web/openapi"
)

// The contract check (issue #19): every API request a test sends through
// Env.Do, and every answer, is checked against web/openapi/openapi.yaml, so
// the document cannot drift from the code. A request is checked only when
// the server accepted it (a test may well send a body the contract refuses,
// to see the 422); every answer is checked, its status included.

var apiRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi.Document()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

// checkContract reports where req (with its body reqBody) or resp differ
// from the OpenAPI document; "" when they agree or the path is not an API
// path the document could know.
func checkContract(req *http.Request, reqBody []byte, resp *http.Response) string {
	if !strings.HasPrefix(req.URL.Path, openapi.Base+"/") {
		return ""
	}
	router, err := apiRouter()
	if err != nil {
		return err.Error()
	}
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(r)
	if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		// Not a route of the app either (TestOpenAPICoversRouteTable): the
		// answer is the plain 404/405.
		return ""
	}
	if err != nil {
		return err.Error()
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	var problems []string
	if resp.StatusCode < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			problems = append(problems, "request: "+err.Error())
		}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	header, content := resp.Header, body
	if resp.Header.Get("Content-Encoding") == "gzip" { // checked as the client reads it
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return "answer: broken gzip: " + err.Error()
		}
		if content, err = io.ReadAll(zr); err != nil {
			return "answer: broken gzip: " + err.Error()
		}
		header = header.Clone()
		header.Del("Content-Encoding")
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: header, Body: io.NopCloser(bytes.NewReader(content)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		problems = append(problems, "answer "+resp.Status+": "+err.Error())
	}
	return strings.Join(problems, "\n")
}
