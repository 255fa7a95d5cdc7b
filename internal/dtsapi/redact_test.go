package dtsapi

import (
	"net/url"
	"strings"
	"testing"
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
