package apidocs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"pakt/web/openapi"
)

// referencePage is the data of views/pages/api_reference.html.
type referencePage struct {
	Title, Version string
	Intro          []string
	Base           string
	Tags           []refTag
	Schemas        []refSchema
}

type refTag struct {
	ID, Name, Description string
	Ops                   []refOp
}

type refOp struct {
	ID, Method, Path, Summary string
	Description               []string
	Public                    bool
	Event                     bool // a webhook: Pakt posts it to the receiver's URL
	Params                    []refField
	Body                      []refField
	BodyTypes                 []string
	Responses                 []refResp
}

// refField is one parameter or one (possibly nested, dotted) schema field.
type refField struct {
	Name, In, Type, TypeRef, Enum, Description string
	Required                                   bool
}

type refResp struct {
	Status, Description, Type, TypeRef string
	Fields                             []refField
}

type refSchema struct {
	ID, Name, Description string
	Fields                []refField
}

const schemaPrefix = "#/components/schemas/"

// anchor is the page anchor of a component schema.
func anchor(name string) string { return "schema-" + name }

func reference(doc *openapi3.T) referencePage {
	pg := referencePage{Title: doc.Info.Title, Version: doc.Info.Version, Intro: paragraphs(doc.Info.Description), Base: openapi.Base}
	byTag := map[string]*refTag{}
	for _, t := range doc.Tags {
		pg.Tags = append(pg.Tags, refTag{ID: "tag-" + slug(t.Name), Name: t.Name, Description: t.Description})
	}
	for i := range pg.Tags {
		byTag[pg.Tags[i].Name] = &pg.Tags[i]
	}
	paths := doc.Paths.InMatchingOrder()
	slices.Sort(paths)
	for _, p := range paths {
		item := doc.Paths.Value(p)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			ro := operation(method, p, op)
			if len(op.Tags) > 0 && byTag[op.Tags[0]] != nil {
				byTag[op.Tags[0]].Ops = append(byTag[op.Tags[0]].Ops, ro)
			}
		}
	}
	for _, name := range sortedKeys(doc.Webhooks) {
		op := doc.Webhooks[name].Post
		if op == nil || len(op.Tags) == 0 || byTag[op.Tags[0]] == nil {
			continue
		}
		ro := operation("POST", name, op)
		ro.Event, ro.ID = true, "event-"+slug(name)
		byTag[op.Tags[0]].Ops = append(byTag[op.Tags[0]].Ops, ro)
	}
	names := make([]string, 0, len(doc.Components.Schemas))
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		s := doc.Components.Schemas[n]
		rs := refSchema{ID: anchor(n), Name: n, Description: s.Value.Description}
		fields(s.Value, "", nil, &rs.Fields)
		if len(rs.Fields) == 0 {
			rs.Fields = []refField{{Name: "—", Type: typeOf(&openapi3.SchemaRef{Value: s.Value}), Enum: enumOf(s.Value)}}
		}
		pg.Schemas = append(pg.Schemas, rs)
	}
	return pg
}

func operation(method, path string, op *openapi3.Operation) refOp {
	ro := refOp{ID: "op-" + op.OperationID, Method: method, Path: path, Summary: op.Summary,
		Description: paragraphs(op.Description), Public: op.Security != nil && len(*op.Security) > 0 && len((*op.Security)[0]) == 0}
	for _, pr := range op.Parameters {
		p := pr.Value
		ro.Params = append(ro.Params, refField{Name: p.Name, In: p.In, Type: typeOf(p.Schema), Enum: enumOf(schemaOf(p.Schema)),
			Description: p.Description, Required: p.Required})
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		for _, ct := range sortedKeys(op.RequestBody.Value.Content) {
			ro.BodyTypes = append(ro.BodyTypes, ct)
			if mt := op.RequestBody.Value.Content[ct]; ct == "application/json" && mt.Schema != nil {
				fields(mt.Schema.Value, "", nil, &ro.Body)
			}
		}
	}
	for _, status := range sortedKeys(op.Responses.Map()) {
		r := op.Responses.Value(status)
		rr := refResp{Status: status}
		if r.Value.Description != nil {
			rr.Description = *r.Value.Description
		}
		for _, ct := range sortedKeys(r.Value.Content) {
			mt := r.Value.Content[ct]
			if ct != "application/json" || mt.Schema == nil {
				rr.Type = ct
				continue
			}
			if name, ok := strings.CutPrefix(mt.Schema.Ref, schemaPrefix); ok {
				rr.Type, rr.TypeRef = name, anchor(name)
				continue
			}
			rr.Type = "application/json"
			fields(mt.Schema.Value, "", nil, &rr.Fields)
		}
		ro.Responses = append(ro.Responses, rr)
	}
	return ro
}

// fields flattens a schema's properties into dotted names ("parties[].organisation_id");
// a property that is a component schema links to it instead of repeating it.
func fields(s *openapi3.Schema, prefix string, seen []*openapi3.Schema, out *[]refField) {
	if s == nil || slices.Contains(seen, s) || len(seen) > 6 {
		return
	}
	seen = append(seen, s)
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		f := refField{Name: prefix + name, Type: typeOf(p), Enum: enumOf(schemaOf(p)), Required: slices.Contains(s.Required, name)}
		if ref := componentOf(p); ref != "" {
			f.TypeRef = anchor(ref)
		}
		if p.Value != nil {
			f.Description = p.Value.Description
		}
		*out = append(*out, f)
		if f.TypeRef != "" || p.Value == nil {
			continue
		}
		v := p.Value
		switch {
		case v.Items != nil && componentOf(v.Items) == "":
			fields(v.Items.Value, prefix+name+"[].", seen, out)
		case len(v.Properties) > 0:
			fields(v, prefix+name+".", seen, out)
		}
	}
}

// schemaOf is the schema itself, or the non-null alternative of a nullable oneOf.
func schemaOf(r *openapi3.SchemaRef) *openapi3.Schema {
	if r == nil || r.Value == nil {
		return nil
	}
	for _, alt := range r.Value.OneOf {
		if alt.Value != nil && !alt.Value.Type.Is("null") {
			return alt.Value
		}
	}
	return r.Value
}

// componentOf names the component schema r refers to, directly or as the
// non-null alternative of a oneOf; "" when it is written inline.
func componentOf(r *openapi3.SchemaRef) string {
	if r == nil {
		return ""
	}
	if name, ok := strings.CutPrefix(r.Ref, schemaPrefix); ok {
		return name
	}
	if r.Value != nil {
		for _, alt := range r.Value.OneOf {
			if name, ok := strings.CutPrefix(alt.Ref, schemaPrefix); ok {
				return name
			}
		}
	}
	return ""
}

// typeOf writes a schema's type as a reader wants it: "string (date) | null",
// "array of integer", "Money".
func typeOf(r *openapi3.SchemaRef) string {
	if r == nil || r.Value == nil {
		return ""
	}
	if name := componentOf(r); name != "" {
		if r.Ref == "" {
			return name + " | null"
		}
		return name
	}
	v := r.Value
	var parts []string
	if v.Type != nil {
		for _, t := range *v.Type {
			switch {
			case t == "array" && v.Items != nil:
				parts = append(parts, "array of "+typeOf(v.Items))
			case t == "object" && v.AdditionalProperties.Schema != nil:
				parts = append(parts, "map of "+typeOf(v.AdditionalProperties.Schema))
			case t == "string" && v.Format != "":
				parts = append(parts, t+" ("+v.Format+")")
			default:
				parts = append(parts, t)
			}
		}
	}
	if len(parts) == 0 {
		return "any"
	}
	return strings.Join(parts, " | ")
}

func enumOf(s *openapi3.Schema) string {
	if s == nil {
		return ""
	}
	if len(s.Enum) == 0 && s.Items != nil && s.Items.Value != nil {
		s = s.Items.Value
	}
	var vals []string
	for _, e := range s.Enum {
		if e != nil {
			vals = append(vals, fmt.Sprint(e))
		}
	}
	return strings.Join(vals, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// paragraphs splits Markdown-ish text on blank lines; the page shows it as
// plain text.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func slug(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, " ", "-"))
}
