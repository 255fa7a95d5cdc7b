package dtsapi

import (
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces a secret in messages and logs.
const Redacted = "[REDACTED]"

// redactor removes secrets from text that may echo them: the service's SignatureDoesNotMatch
// message holds the string it signed, with the security token percent-encoded twice.
type redactor struct {
	forms []string // ASCII-lower-cased encodings of every secret, longest first
}

// newRedactor returns a redactor for the given secrets, in every encoding they may travel in.
func newRedactor(secrets ...string) *redactor {
	seen := map[string]bool{}
	r := &redactor{}
	add := func(s string) {
		s = asciiLower(s)
		if len(s) < 4 || seen[s] {
			return
		}
		seen[s] = true
		r.forms = append(r.forms, s)
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		pe := percentEncoded(s)
		qe := url.QueryEscape(s)
		for _, f := range []string{s, pe, percentEncoded(pe), qe, url.QueryEscape(qe), percentEncoded(qe), url.QueryEscape(pe)} {
			add(f)
		}
	}
	// Longest first, so an encoded form is not half-replaced through a shorter one it contains.
	for i := 1; i < len(r.forms); i++ {
		for j := i; j > 0 && len(r.forms[j]) > len(r.forms[j-1]); j-- {
			r.forms[j], r.forms[j-1] = r.forms[j-1], r.forms[j]
		}
	}
	return r
}

func percentEncoded(s string) string {
	var b strings.Builder
	percentEncode(&b, s)
	return b.String()
}

// redact replaces every known secret form (ignoring ASCII case: hex digits may come back in either
// case) and any value of a SecurityToken or Signature parameter.
func (r *redactor) redact(s string) string {
	if r != nil {
		for _, f := range r.forms {
			s = replaceFold(s, f, Redacted)
		}
	}
	return scrubParams(s)
}

// replaceFold replaces every occurrence of the lower-case needle in s, ignoring ASCII case.
func replaceFold(s, needle, with string) string {
	lower := asciiLower(s)
	if !strings.Contains(lower, needle) {
		return s
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(lower[i:], needle)
		if j < 0 {
			break
		}
		b.WriteString(s[i : i+j])
		b.WriteString(with)
		i += j + len(needle)
	}
	b.WriteString(s[i:])
	return b.String()
}

// asciiLower folds A-Z byte by byte, so that offsets in the result are offsets in s: Unicode
// lower-casing changes lengths (İ, the Kelvin sign, invalid UTF-8), and the secrets' encodings
// differ only in ASCII case.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// secretParam finds a SecurityToken, Signature or AccessKeySecret parameter name followed by '=' in
// any of the encodings a query string goes through when it is signed and echoed.
var secretParam = regexp.MustCompile(`(?i)(SecurityToken|Signature|AccessKeySecret)(=|%3D|%253D|%25253D)`)

// valueEnd finds where a parameter value ends: at the next separator, in any encoding, or at a quote or space.
var valueEnd = regexp.MustCompile(`(?i)&|%26|%2526|%252526|["'\s<>,;]`)

// scrubParams replaces the values of secret parameters, whatever secret they hold.
func scrubParams(s string) string {
	locs := secretParam.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		if loc[0] < last {
			continue
		}
		b.WriteString(s[last:loc[1]])
		rest := s[loc[1]:]
		end := len(rest)
		if m := valueEnd.FindStringIndex(rest); m != nil {
			end = m[0]
		}
		if end > 0 && rest[:end] != Redacted {
			b.WriteString(Redacted)
		} else {
			b.WriteString(rest[:end])
		}
		last = loc[1] + end
	}
	b.WriteString(s[last:])
	return b.String()
}
