package fakedts

import (
	"net/url"
	"strings"
)

// SecretForms lists a secret as it may travel or be echoed: raw, then every composition of one or
// two encodings, RFC 3986 percent-encoding (the signer's) and form encoding (url.QueryEscape). The
// service's echoed string to sign holds the token percent-encoded twice; a proxy or a log may add a
// form encoding before or after. Forms that come out the same are listed once.
func SecretForms(s string) []string {
	encodings := []func(string) string{percentEncode, url.QueryEscape}
	forms := []string{s}
	for _, first := range encodings {
		once := first(s)
		forms = append(forms, once)
		for _, second := range encodings {
			forms = append(forms, second(once))
		}
	}
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
