package app

import "strings"

// tokenPaths are paths whose next segment is a secret: the token of a mailed
// invitation, reset or unsubscribe link. The log never shows it.
var tokenPaths = []string{"/invitations/", "/password-resets/", "/unsubscribe/",
	"/api/v1/invitations/", "/api/v1/password-resets/"}

// logPath is a request path as the log may show it: a link's token is
// replaced by "{token}".
func logPath(p string) string {
	for _, pre := range tokenPaths {
		rest, ok := strings.CutPrefix(p, pre)
		if !ok || rest == "" {
			continue
		}
		if _, tail, more := strings.Cut(rest, "/"); more {
			return pre + "{token}/" + tail
		}
		return pre + "{token}"
	}
	return p
}
