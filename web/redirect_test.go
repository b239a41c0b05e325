package web

import "testing"

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/plans/3":                 "/plans/3",
		"/plans/3?tab=x#y":         "/plans/3?tab=x#y",
		"/m/bratunac%20x":          "/m/bratunac%20x",
		"":                         "/dashboard",
		"plans":                    "/dashboard",
		"//evil.example/x":         "/dashboard",
		"/\\evil.example":          "/dashboard",
		"/%5Cevil.example":         "/dashboard",
		"/%5cevil.example":         "/dashboard",
		"/\\/evil.example":         "/dashboard",
		"/%2F/evil.example":        "/dashboard",
		"/%252F/evil.example":      "/dashboard",
		"/%25255Cevil.example":     "/dashboard",
		"https://evil.example":     "/dashboard",
		"/x\r\nLocation: //evil":   "/dashboard",
		"/%0d%0aSet-Cookie:%20a=b": "/dashboard",
	} {
		if got := SafeNext(next); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
