// Package openapi holds the OpenAPI 3.1 description of the JSON API
// (openapi.yaml, maintained by hand, issue #19): the app serves it as
// /api/v1/openapi.json and draws it as the reference page /api, and every
// API test checks its traffic against it (app/testkit).
package openapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var source []byte

// Base is the path prefix the document's paths are relative to (its server).
const Base = "/api/v1"

var load = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(source)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
})

var asJSON = sync.OnceValues(func() ([]byte, error) {
	doc, err := load()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
})

// Document is the parsed, validated description (read once; callers must
// not change it).
func Document() (*openapi3.T, error) { return load() }

// JSON is the description as JSON, converted once from the YAML source.
func JSON() ([]byte, error) { return asJSON() }
