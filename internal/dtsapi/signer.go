package dtsapi

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Signature V1 is defined as HMAC-SHA1.
	"encoding/base64"
	"sort"
	"strings"
)

// param is one request parameter; requests keep them in a slice so signing needs no map.
type param struct {
	name, value string
}

// sortParams orders parameters by name, byte-wise, as the canonicalized query requires.
func sortParams(ps []param) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].name < ps[j].name })
}

const upperHex = "0123456789ABCDEF"

// isUnreserved reports whether c is left as is by RFC 3986 percent-encoding.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// percentEncode writes s percent-encoded by RFC 3986: unreserved characters as they are, every other
// byte (UTF-8 for non-ASCII) as %XX in upper case; so a space is %20, '*' is %2A and '~' stays '~'.
func percentEncode(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
}

// encodedLen is the length of s once percent-encoded.
func encodedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			n += 2
		}
	}
	return n
}

// canonicalQuery joins the sorted parameters as name=value pairs with '&', each part percent-encoded.
func canonicalQuery(ps []param) string {
	n := 0
	for _, p := range ps {
		n += encodedLen(p.name) + encodedLen(p.value) + 2
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		percentEncode(&b, p.name)
		b.WriteByte('=')
		percentEncode(&b, p.value)
	}
	return b.String()
}

// stringToSign is METHOD&%2F&percentEncode(canonicalQuery), as Signature V1 defines it.
func stringToSign(method, canonical string) string {
	var b strings.Builder
	b.Grow(len(method) + 4 + encodedLen(canonical))
	b.WriteString(method)
	b.WriteString("&%2F&")
	percentEncode(&b, canonical)
	return b.String()
}

// signature is base64(HMAC-SHA1(secret + "&", stringToSign)).
func signature(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	var sum [sha1.Size]byte
	return base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
}

// signParams sorts ps, signs them for method with secret, and returns the form body: the canonical
// query with the Signature parameter appended.
func signParams(method string, ps []param, secret string) (body string, sig string) {
	sortParams(ps)
	canonical := canonicalQuery(ps)
	sig = signature(stringToSign(method, canonical), secret)
	var b strings.Builder
	b.Grow(len(canonical) + len("&Signature=") + encodedLen(sig))
	b.WriteString(canonical)
	b.WriteString("&Signature=")
	percentEncode(&b, sig)
	return b.String(), sig
}
