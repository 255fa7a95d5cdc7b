package fakedts

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// testStringToSign builds signature V1's string to sign the way Alibaba's SDKs do (url.Values.Encode,
// then fixing '+', '*' and '~'), deliberately unlike the fake's byte-wise encoder.
func testStringToSign(method string, params url.Values) string {
	v := url.Values{}
	for k, vs := range params {
		if k != "Signature" {
			v[k] = vs
		}
	}
	q := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(v.Encode())
	return method + "&%2F&" + url.QueryEscape(q)
}

// testSign is signature V1's HMAC-SHA1, computed apart from the fake's.
func testSign(toSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// The public worked example of signature V1.
var workedExample = url.Values{
	"AccessKeyId":      {"testid"},
	"Action":           {"DescribeRegions"},
	"Format":           {"XML"},
	"SignatureMethod":  {"HMAC-SHA1"},
	"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
	"SignatureVersion": {"1.0"},
	"Timestamp":        {"2016-02-23T12:46:24Z"},
	"Version":          {"2014-05-26"},
}

const (
	workedStringToSign = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	workedSignature    = "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
)

func TestSignatureV1WorkedExample(t *testing.T) {
	if got := stringToSign("GET", workedExample); got != workedStringToSign {
		t.Errorf("stringToSign =\n%s\nwant\n%s", got, workedStringToSign)
	}
	if got := signV1(workedStringToSign, "testsecret"); got != workedSignature {
		t.Errorf("signV1 = %s, want %s", got, workedSignature)
	}
	signed := url.Values{"Signature": {workedSignature}}
	for k, v := range workedExample {
		signed[k] = v
	}
	if ok, _ := verifySignatureV1("GET", signed, "testsecret"); !ok {
		t.Error("verifySignatureV1 rejects the worked example")
	}
	if ok, _ := verifySignatureV1("POST", signed, "testsecret"); ok {
		t.Error("verifySignatureV1 accepts the worked example under another method")
	}
	ok, echoed := verifySignatureV1("GET", signed, "othersecret")
	if ok {
		t.Error("verifySignatureV1 accepts the worked example with another secret")
	}
	if echoed != workedStringToSign {
		t.Errorf("verifySignatureV1 returns the string to sign\n%s\nwant\n%s", echoed, workedStringToSign)
	}
	// The tests' own signer must agree, or every other test proves nothing.
	if got := testStringToSign("GET", signed); got != workedStringToSign {
		t.Errorf("testStringToSign =\n%s\nwant\n%s", got, workedStringToSign)
	}
	if got := testSign(workedStringToSign, "testsecret"); got != workedSignature {
		t.Errorf("testSign = %s, want %s", got, workedSignature)
	}
}

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"AZaz09-_.~": "AZaz09-_.~",
		"a b":        "a%20b",
		"a*b":        "a%2Ab",
		"a/b":        "a%2Fb",
		"a=b&c":      "a%3Db%26c",
		"a+b":        "a%2Bb",
		"%":          "%25",
		"é中":         "%C3%A9%E4%B8%AD",
		":":          "%3A",
	} {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	got := canonicalQuery(url.Values{
		"b":         {"2"},
		"Signature": {"ignored"},
		"B":         {"1"},
		"a":         {"x y", "z"},
	})
	// Byte order puts upper case first; Signature is left out; repeated names keep their order.
	if want := "B=1&a=x%20y&a=z&b=2"; got != want {
		t.Errorf("canonicalQuery = %q, want %q", got, want)
	}
}
