package dtsapi

import (
	"strings"
	"testing"
)

func TestDefaultEndpoint(t *testing.T) {
	cases := map[string]string{
		"":                    CentralEndpoint,
		"cn-hangzhou":         CentralEndpoint,
		"ap-southeast-1":      CentralEndpoint,
		"eu-west-1":           CentralEndpoint,
		"cn-north-2-gov-1":    CentralEndpoint,
		"cn-hangzhou-finance": CentralEndpoint,
		"ap-northeast-1":      "https://dts.ap-northeast-1.aliyuncs.com",
		"cn-guangzhou":        "https://dts.cn-guangzhou.aliyuncs.com",
		"ap-southeast-6":      "https://dts.ap-southeast-6.aliyuncs.com",
	}
	for region, want := range cases {
		if got := DefaultEndpoint(region); got != want {
			t.Errorf("DefaultEndpoint(%q) = %q, want %q", region, got, want)
		}
	}
	if len(centralRegions) != 27 {
		t.Errorf("the central endpoint serves 27 regions, the table has %d", len(centralRegions))
	}
}

func TestParseEndpoint(t *testing.T) {
	ok := map[string]string{
		"https://dts.aliyuncs.com":                  "https://dts.aliyuncs.com/",
		"https://dts-vpc.cn-hangzhou.aliyuncs.com/": "https://dts-vpc.cn-hangzhou.aliyuncs.com/",
		"http://127.0.0.1:8080":                     "http://127.0.0.1:8080/",
		"http://127.9.9.9":                          "http://127.9.9.9/",
		"http://localhost:1234":                     "http://localhost:1234/",
		"http://[::1]:99":                           "http://[::1]:99/",
	}
	for in, want := range ok {
		u, err := ParseEndpoint(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseEndpoint(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	bad := map[string]string{
		"dts.aliyuncs.com":                 "needs a scheme",
		"ftp://dts.aliyuncs.com":           "needs a scheme",
		"https://":                         "no host",
		"http://dts.aliyuncs.com":          "plain http",
		"http://10.0.0.1:80":               "plain http",
		"http://localhost.example.com":     "plain http",
		"https://user:pw@dts.aliyuncs.com": "user name or password",
		"https://dts.aliyuncs.com/v1":      "scheme and a host only",
		"https://dts.aliyuncs.com/?x=1":    "scheme and a host only",
		"https://dts.aliyuncs.com:badport": "not a URL",
	}
	for in, want := range bad {
		_, err := ParseEndpoint(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseEndpoint(%q) error = %v, want it to say %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("the password leaked: %v", err)
		}
	}
}

// endpointsWithSecrets are endpoints holding user info, in every shape a URL can be mistyped in. The
// secret parts are "S3cr3t" and "Pa55" (a password split by a character that ends a URL's host) or
// "T0ken" (user info without a password, which may be a token): none may appear in a message.
var endpointsWithSecrets = []string{
	"https://user:p@ss word@host",
	"https://user:S3cr3tPa55@dts.aliyuncs.com",
	"https://user:S3cr3t Pa55@dts.aliyuncs.com",
	"https://user:S3cr3t@Pa55@dts.aliyuncs.com",
	"https://user:S3cr3t/Pa55@dts.aliyuncs.com",
	"https://user:S3cr3t?Pa55@dts.aliyuncs.com",
	"https://user:S3cr3t#Pa55@dts.aliyuncs.com",
	"https://user:S3cr3t%zzPa55@dts.aliyuncs.com",
	"https://user:S3cr3t%40Pa55@dts.aliyuncs.com",
	"https://user:S3cr3tPa55@dts.aliyuncs.com/path?q=1",
	"https://user:S3cr3tPa55@dts.aliyuncs.com:badport",
	"https://user:S3cr3tPa55@[::1",
	"https://:S3cr3tPa55@dts.aliyuncs.com",
	"https://T0ken@dts.aliyuncs.com",
	"https://T0ken:@dts.aliyuncs.com",
	"http://user:S3cr3tPa55@dts.aliyuncs.com",
	"http://user:S3cr3tPa55@127.0.0.1:8080",
	"ftp://user:S3cr3tPa55@dts.aliyuncs.com",
	"user:S3cr3tPa55@dts.aliyuncs.com",
	"//user:S3cr3tPa55@dts.aliyuncs.com",
	"HTTPS://USER:S3cr3tPa55@DTS.ALIYUNCS.COM",
	" https://user:S3cr3tPa55@dts.aliyuncs.com",
	"https://user:S3cr3tPa55@dts.aliyuncs.com\n",
}

// secretParts are the parts of endpointsWithSecrets' user info that no message may show.
var secretParts = []string{"S3cr3t", "Pa55", "T0ken", "p@ss", "ss word"}

// TestEndpointErrorsNeverShowAPassword: whatever the shape of an endpoint with user info, the error
// that refuses it shows no password, whether it comes from ParseEndpoint or from New.
func TestEndpointErrorsNeverShowAPassword(t *testing.T) {
	for _, raw := range endpointsWithSecrets {
		_, perr := ParseEndpoint(raw)
		_, nerr := New(Config{Endpoint: raw, Credentials: StaticCredentials{AccessKeyID: "k", AccessKeySecret: "s"}})
		for what, err := range map[string]error{"ParseEndpoint": perr, "New": nerr} {
			if err == nil {
				t.Errorf("%s(%q) accepted an endpoint with user info", what, raw)
				continue
			}
			for _, secret := range secretParts {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s(%q) shows %q: %v", what, raw, secret, err)
				}
			}
			if !strings.Contains(err.Error(), "user name or password") {
				t.Errorf("%s(%q) should say that an endpoint holds no user name or password: %v", what, raw, err)
			}
		}
	}
}
