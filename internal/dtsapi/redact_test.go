package dtsapi

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

func TestRedactEveryEncoding(t *testing.T) {
	r := newRedactor(testSecret, testToken)
	pe := percentEncoded(testToken)
	for _, form := range []string{testToken, pe, percentEncoded(pe), strings.ToLower(percentEncoded(pe)), url.QueryEscape(testToken), url.QueryEscape(url.QueryEscape(testToken)), testSecret} {
		got := r.redact("before " + form + " after")
		if got != "before "+Redacted+" after" {
			t.Errorf("redact(%q) = %q", form, got)
		}
	}
}

func TestScrubParams(t *testing.T) {
	cases := map[string]string{
		"a=1&SecurityToken=abc&b=2":                         "a=1&SecurityToken=" + Redacted + "&b=2",
		"AccessKeyId%3Dx%26SecurityToken%3Dabc%252Fd%26Sig": "AccessKeyId%3Dx%26SecurityToken%3D" + Redacted + "%26Sig",
		"X%26SecurityToken%253Dtok%25252F%2526Timestamp":    "X%26SecurityToken%253D" + Redacted + "%2526Timestamp",
		"Signature=abc%2Bdef end":                           "Signature=" + Redacted + " end",
		"SignatureMethod=HMAC-SHA1&SignatureNonce=n":        "SignatureMethod=HMAC-SHA1&SignatureNonce=n",
		`"AccessKeySecret":"x"`:                             `"AccessKeySecret":"x"`,
		"AccessKeySecret=topsecret":                         "AccessKeySecret=" + Redacted,
		"nothing here":                                      "nothing here",
	}
	for in, want := range cases {
		if got := scrubParams(in); got != want {
			t.Errorf("scrubParams(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestRedactWhenLowerCasingChangesLength: İ, the Kelvin sign and invalid UTF-8 change a message's
// length when it is lower-cased with Unicode rules; a secret with upper-case letters next to them
// must still be found, in every encoding and in either case.
func TestRedactWhenLowerCasingChangesLength(t *testing.T) {
	r := newRedactor(testSecret, testToken)
	pe := percentEncoded(testToken)
	forms := []string{testToken, pe, percentEncoded(pe), strings.ToLower(percentEncoded(pe)), url.QueryEscape(testToken), testSecret}
	around := map[string]string{
		"Turkish dotted capital I": "İstek reddedildi: ",
		"Kelvin sign":              "sıcaklık 300 \u212A, ",
		"GBK bytes":                "\xc7\xa9\xc3\xfb\xb2\xbb\xc6\xa5\xc5\xe4: ", // 签名不匹配 in GBK, not UTF-8
	}
	for name, prefix := range around {
		for _, form := range forms {
			got := r.redact(prefix + form + " after")
			if got != prefix+Redacted+" after" {
				t.Errorf("%s: redact(%q) = %q", name, prefix+form, got)
			}
		}
	}
}

// TestLeakFormsCoverTheRedactor: the forms tests look for (fakedts.SecretForms, built from its own
// encoders) include every form the redactor scrubs, so a form that leaks is one a test would see.
func TestLeakFormsCoverTheRedactor(t *testing.T) {
	var every strings.Builder
	for c := 0; c < 256; c++ {
		every.WriteByte(byte(c))
	}
	for _, secret := range []string{testSecret, testToken, "a+b/c= d~*", every.String()} {
		listed := fakedts.SecretForms(secret)
		for _, form := range newRedactor(secret).forms {
			if !slices.ContainsFunc(listed, func(l string) bool { return asciiLower(l) == form }) {
				t.Errorf("the redactor scrubs %q, a form of %q that fakedts.SecretForms does not list", form, secret)
			}
		}
	}
}
