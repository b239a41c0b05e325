package app

import "testing"

func TestLogPathHidesLinkTokens(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/invitations/abcDEF_123":               "/invitations/{token}",
		"/password-resets/abcDEF_123":           "/password-resets/{token}",
		"/password-resets":                      "/password-resets",
		"/api/v1/invitations/abcDEF_123/accept": "/api/v1/invitations/{token}/accept",
		"/api/v1/password-resets/abcDEF_123":    "/api/v1/password-resets/{token}",
		"/unsubscribe/abcDEF_123":               "/unsubscribe/{token}",
		"/municipalities/3/members":             "/municipalities/3/members",
		"/api/v1/municipalities/3/invitations":  "/api/v1/municipalities/3/invitations",
	} {
		if got := logPath(in); got != want {
			t.Errorf("logPath(%q) = %q, want %q", in, got, want)
		}
	}
}
