package provider

import (
	"net/http"
	"testing"
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

func TestMaxRetriesMapping(t *testing.T) {
	for in, want := range map[int]int{-1: 0, 0: -1, 3: 3} {
		if got := retriesSetting(in); got != want {
			t.Errorf("retriesSetting(%d) = %d, want %d", in, got, want)
		}
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
