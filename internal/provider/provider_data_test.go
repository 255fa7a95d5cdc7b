package provider

import (
	"net/http"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestRegionPicksTheEndpoint(t *testing.T) {
	d := &providerData{settings: settings{region: setting{"cn-hangzhou", "provider block"}}}
	cases := map[string]target{
		"":               {region: "cn-hangzhou", endpoint: "https://dts.aliyuncs.com"},
		"ap-northeast-1": {region: "ap-northeast-1", endpoint: "https://dts.ap-northeast-1.aliyuncs.com"},
		"eu-central-1":   {region: "eu-central-1", endpoint: "https://dts.aliyuncs.com"},
	}
	for regionID, want := range cases {
		got, err := d.target(regionID)
		if err != nil || got != want {
			t.Errorf("target(%q) = %+v, %v; want %+v", regionID, got, err, want)
		}
	}
	d.settings.endpoint = setting{"https://dts-vpc.cn-hangzhou.aliyuncs.com", "provider block"}
	if got, _ := d.target("ap-northeast-1"); got.endpoint != "https://dts-vpc.cn-hangzhou.aliyuncs.com" || got.region != "ap-northeast-1" {
		t.Errorf("an endpoint that is set is used for every region, got %+v", got)
	}
}

// TestMaxRetriesReachesTheClientAsSet: max_retries is handed to dtsapi as set, nil when unset (the
// client's default), so 0 stays "no retries" without a translation in between.
func TestMaxRetriesReachesTheClientAsSet(t *testing.T) {
	for name, tc := range map[string]struct {
		arg  types.Int64
		want *int
	}{
		"unset": {types.Int64Null(), nil},
		"0":     {types.Int64Value(0), new(0)},
		"3":     {types.Int64Value(3), new(3)},
	} {
		cfg := nullConfig()
		cfg.MaxRetries = tc.arg
		s, diags := resolveSettings(cfg, envOf(nil))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if (s.maxRetries == nil) != (tc.want == nil) || (tc.want != nil && *s.maxRetries != *tc.want) {
			t.Errorf("%s: maxRetries = %v, want %v", name, s.maxRetries, tc.want)
		}
	}
	cfg := nullConfig()
	cfg.MaxRetries = types.Int64Unknown()
	if s, _ := resolveSettings(cfg, envOf(nil)); s.maxRetries != nil || !slices.Contains(s.unknown, "max_retries") {
		t.Errorf("an unknown max_retries must be reported as unknown, got %v %v", s.maxRetries, s.unknown)
	}
}

// TestReadsShareDTSAPIsHTTPClient: the provider's reads go through dtsapi's tuned client, one per
// configured provider, not through http.DefaultClient.
func TestReadsShareDTSAPIsHTTPClient(t *testing.T) {
	c := newProviderData(settings{}, testTuning(), "ua").httpClient
	tr, ok := c.Transport.(*http.Transport)
	if !ok || tr == http.DefaultTransport || tr.MaxIdleConnsPerHost <= http.DefaultMaxIdleConnsPerHost {
		t.Fatalf("want dtsapi's tuned transport, got %T %+v", c.Transport, c.Transport)
	}
}
