package app

import "testing"

// The request log never shows the secret token of a mail link.
func TestLogPathHidesMailTokens(t *testing.T) {
	for in, want := range map[string]string{
		"/unsubscribe/abcDEF123":               "/unsubscribe/…",
		"/invitations/tok":                     "/invitations/…",
		"/api/v1/invitations/tok/accept":       "/api/v1/invitations/…/accept",
		"/api/v1/password-resets/tok":          "/api/v1/password-resets/…",
		"/password-resets/":                    "/password-resets/",
		"/plans/12":                            "/plans/12",
		"/api/v1/municipalities/3/invitations": "/api/v1/municipalities/3/invitations",
	} {
		if got := logPath(in); got != want {
			t.Errorf("logPath(%q) = %q, want %q", in, got, want)
		}
	}
}
