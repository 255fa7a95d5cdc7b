package dtsapi

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// centralRegions are served by the central endpoint dts.aliyuncs.com, as Alibaba Cloud's SDKs resolve it.
var centralRegions = map[string]bool{
	"cn-hangzhou": true, "cn-shanghai": true, "cn-qingdao": true, "cn-beijing": true,
	"cn-zhangjiakou": true, "cn-huhehaote": true, "cn-wulanchabu": true, "cn-shenzhen": true,
	"cn-chengdu": true, "cn-hongkong": true, "cn-wuhan": true, "cn-fujian": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-5": true,
	"ap-south-1": true, "us-east-1": true, "us-west-1": true, "eu-central-1": true, "eu-west-1": true,
	"me-east-1":             true,
	"cn-shanghai-finance-1": true, "cn-shenzhen-finance-1": true, "cn-beijing-finance-1": true,
	"cn-hangzhou-finance": true, "cn-north-2-gov-1": true,
}

// CentralEndpoint is the DTS endpoint shared by most regions.
const CentralEndpoint = "https://dts.aliyuncs.com"

// DefaultEndpoint returns the endpoint Alibaba Cloud's SDKs use for region: the central one for the
// regions it serves, https://dts.<region>.aliyuncs.com for any other.
func DefaultEndpoint(region string) string {
	if region == "" || centralRegions[region] {
		return CentralEndpoint
	}
	return "https://dts." + region + ".aliyuncs.com"
}

// ParseEndpoint checks an endpoint URL: it needs a scheme and a host and nothing after the path "/";
// plain http is accepted for loopback hosts only, because every request carries credentials.
func ParseEndpoint(raw string) (*url.URL, error) {
	// Checked before parsing, since url.Parse's errors quote the whole text, password included.
	if strings.Contains(raw, "@") {
		return nil, fmt.Errorf("endpoint %q must not hold a user name or password: write it as a scheme and a "+
			"host only, such as https://dts.aliyuncs.com", redactUserinfo(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %w", raw, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("endpoint %q needs a scheme: write it as https://%s", raw, strings.TrimPrefix(raw, "//"))
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("endpoint %q has no host", raw)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return nil, fmt.Errorf("endpoint %q must be a scheme and a host only, such as https://dts.aliyuncs.com", raw)
	case u.Scheme == "http" && !IsLoopback(u.Hostname()):
		return nil, fmt.Errorf("endpoint %q uses plain http, which is allowed only for loopback hosts "+
			"(127.0.0.0/8, ::1, localhost) because each request carries credentials: use https", raw)
	}
	u.Path = "/"
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactUserinfo replaces everything between the scheme, if any, and the last "@" of raw: that is
// where user info lies, in whatever shape (a password may itself hold "@", "/" or "#").
func redactUserinfo(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := 0
	if m := schemePrefix.FindStringIndex(raw); m != nil && m[1] <= at {
		start = m[1]
	}
	return raw[:start] + Redacted + raw[at:]
}

// schemePrefix matches a URL's scheme and "//", or a bare "//".
var schemePrefix = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*:)?//`)
