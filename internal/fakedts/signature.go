package fakedts

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// percentEncode applies signature V1's encoding: RFC 3986 unreserved bytes stay literal, every
// other byte of the UTF-8 text becomes %XX in upper case.
func percentEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0x0f])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	case c == '-', c == '_', c == '.', c == '~':
		return true
	}
	return false
}

// canonicalQuery is every parameter but Signature, sorted by name in byte order, encoded and joined
// as name=value pairs with '&'; a repeated name contributes each of its values in order.
func canonicalQuery(params url.Values) string {
	names := make([]string, 0, len(params))
	for name := range params {
		if name != "Signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		for _, value := range params[name] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(percentEncode(name))
			b.WriteByte('=')
			b.WriteString(percentEncode(value))
		}
	}
	return b.String()
}

// stringToSign is what signature V1 signs: the method, the encoded path "/" and the encoded canonical query.
func stringToSign(method string, params url.Values) string {
	return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(params))
}

// signV1 is the base64 HMAC-SHA1 of the string to sign, keyed with the secret and a trailing '&'.
func signV1(toSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// verifySignatureV1 reports whether params carry a valid signature for the secret, and returns the
// server's string to sign, which the service echoes when they differ.
func verifySignatureV1(method string, params url.Values, secret string) (bool, string) {
	toSign := stringToSign(method, params)
	want := signV1(toSign, secret)
	return hmac.Equal([]byte(want), []byte(params.Get("Signature"))), toSign
}

// VerifySignature reports whether params (query and form values, Signature included) carry a valid
// Signature V1 for method and secret, as the fake endpoint checks it; fuzz tests of a client's
// signer use it without a network round trip.
func VerifySignature(method string, params url.Values, secret string) (ok bool, stringToSign string) {
	return verifySignatureV1(method, params, secret)
}
