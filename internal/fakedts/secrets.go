package fakedts

import (
	"net/url"
	"strings"
)

// SecretForms lists a secret as it may travel or be echoed: raw, RFC 3986 percent-encoded once and
// twice (the service's echoed string to sign holds the token encoded twice), and form-encoded once
// and twice.
func SecretForms(s string) []string {
	once, queryOnce := percentEncode(s), url.QueryEscape(s)
	forms := []string{s, once, percentEncode(once), queryOnce, url.QueryEscape(queryOnce)}
	seen := map[string]bool{}
	out := forms[:0]
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// LeakedForm returns the first form of secret (see SecretForms) that text contains, ignoring case,
// since an echo may write hex digits in lower case; tests use it to check that secrets never show.
func LeakedForm(text, secret string) (form string, leaked bool) {
	lower := strings.ToLower(text)
	for _, f := range SecretForms(secret) {
		if strings.Contains(lower, strings.ToLower(f)) {
			return f, true
		}
	}
	return "", false
}

// DescribeRequests returns the DescribeMigrationJobStatus requests the server saw, failed ones included.
func (s *Server) DescribeRequests() []Request {
	return s.RequestsFor(ActionDescribeMigrationJobStatus)
}
