package web

import (
	"fmt"
	"html/template"
	"reflect"

	"github.com/jba/templatecheck"
)

// Typed page data. Every page template declares the Go type of its Data
// with PageOf, next to the handler that renders it; at start the app
// checks each template against that type (templatecheck), so a misspelt
// field or a field of the wrong kind stops the start instead of failing
// in front of a user, and Render refuses data of another type.

// PageSpec is a template and the type of what it is drawn with.
type PageSpec struct {
	Name  string // template name, e.g. "pages/plan_show"
	typ   reflect.Type
	check func(*template.Template) error
}

// PageOf declares the page template views/pages/<name>.html, drawn inside
// the layout with Data of type T.
func PageOf[T any](name string) PageSpec {
	full := "pages/" + name
	return PageSpec{Name: full, typ: reflect.TypeFor[T](), check: func(t *template.Template) error {
		return checkTemplate(t, full, Page[T]{})
	}}
}

// FragmentOf declares a template drawn on its own (a cached fragment) with
// dot of type T.
func FragmentOf[T any](name string) PageSpec {
	return PageSpec{Name: name, typ: reflect.TypeFor[T](), check: func(t *template.Template) error {
		var zero T
		return checkTemplate(t, name, zero)
	}}
}

func checkTemplate(t *template.Template, name string, dot any) error {
	tt := t.Lookup(name)
	if tt == nil {
		return fmt.Errorf("template %s: not found", name)
	}
	if err := templatecheck.CheckHTML(tt, dot); err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	return nil
}

// RegisterPages checks every declared template against its data type and
// remembers the types for Render. The layout is checked too.
func (h *Kernel) RegisterPages(t *template.Template, specs ...[]PageSpec) error {
	if h.pages == nil {
		h.pages = map[string]reflect.Type{}
	}
	if err := checkTemplate(t, layoutName, Page[any]{}); err != nil {
		return err
	}
	for _, list := range specs {
		for _, s := range list {
			if old, dup := h.pages[s.Name]; dup && old != s.typ {
				return fmt.Errorf("template %s: declared with %v and %v", s.Name, old, s.typ)
			}
			if err := s.check(t); err != nil {
				return err
			}
			h.pages[s.Name] = s.typ
		}
	}
	return nil
}

// checkData refuses data of another type than the template declared.
func (h *Kernel) checkData(name string, data any) error {
	want, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("template %s: no data type declared (web.PageOf)", name)
	}
	if got := reflect.TypeOf(data); got != want {
		return fmt.Errorf("template %s: drawn with %v, declared %v", name, got, want)
	}
	return nil
}
