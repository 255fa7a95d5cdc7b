package dtsapi

import (
	"strings"
	"testing"
)

// The worked example of Signature V1 published by Alibaba Cloud.
func TestSignatureV1PublicExample(t *testing.T) {
	ps := []param{
		{"Version", "2014-05-26"},
		{"Timestamp", "2016-02-23T12:46:24Z"},
		{"SignatureVersion", "1.0"},
		{"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		{"SignatureMethod", "HMAC-SHA1"},
		{"Format", "XML"},
		{"Action", "DescribeRegions"},
		{"AccessKeyId", "testid"},
	}
	sortParams(ps)
	got := stringToSign("GET", canonicalQuery(ps))
	const want = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	if got != want {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, want)
	}
	if sig := signature(got, "testsecret"); sig != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Fatalf("signature = %s, want OLeaidS1JvxuMvnyHOwuJ+uX5qY=", sig)
	}
}

func TestPercentEncode(t *testing.T) {
	cases := map[string]string{
		"":                 "",
		"abcXYZ019-_.~":    "abcXYZ019-_.~",
		"a b":              "a%20b",
		"*":                "%2A",
		"/":                "%2F",
		"=&+":              "%3D%26%2B",
		"é":                "%C3%A9",
		"数据":               "%E6%95%B0%E6%8D%AE",
		"2016-02-23T12:46": "2016-02-23T12%3A46",
	}
	for in, want := range cases {
		var b strings.Builder
		percentEncode(&b, in)
		if b.String() != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, b.String(), want)
		}
		if encodedLen(in) != len(want) {
			t.Errorf("encodedLen(%q) = %d, want %d", in, encodedLen(in), len(want))
		}
	}
}

func TestSignParamsSortsAndAppendsSignature(t *testing.T) {
	ps := []param{{"b", "2 3"}, {"a", "1"}}
	body, sig := signParams("GET", ps, "k")
	want := "a=1&b=2%203&Signature="
	if !strings.HasPrefix(body, want) {
		t.Fatalf("body = %q, want prefix %q", body, want)
	}
	if sig != signature("GET&%2F&a%3D1%26b%3D2%25203", "k") {
		t.Fatalf("signature %q does not sign the canonical query", sig)
	}
}
