package dtsapi

import (
	"net/http"
	"testing"
)

// TestClientWithoutHTTPClientUsesTheTunedTransport: a Client given no HTTPClient does not fall back
// to http.DefaultClient, whose transport keeps only two idle connections per host.
func TestClientWithoutHTTPClientUsesTheTunedTransport(t *testing.T) {
	c, err := New(Config{Endpoint: "https://dts.aliyuncs.com", Credentials: StaticCredentials{}})
	if err != nil {
		t.Fatal(err)
	}
	assertTunedTransport(t, c.cfg.HTTPClient)
	other, err := New(Config{Endpoint: "https://dts.ap-northeast-1.aliyuncs.com", Credentials: StaticCredentials{}})
	if err != nil {
		t.Fatal(err)
	}
	if other.cfg.HTTPClient != c.cfg.HTTPClient {
		t.Error("clients built without an HTTPClient should share one, and so its connections")
	}
}

func TestNewHTTPClientIsTuned(t *testing.T) {
	assertTunedTransport(t, NewHTTPClient())
	if NewHTTPClient().Transport == NewHTTPClient().Transport {
		t.Error("each NewHTTPClient has its own connection pool")
	}
}

func assertTunedTransport(t *testing.T, c *http.Client) {
	t.Helper()
	if c == nil || c == http.DefaultClient {
		t.Fatalf("want the tuned client, got %v", c)
	}
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("the DTS client should use an *http.Transport, got %T", c.Transport)
	}
	if tr == http.DefaultTransport {
		t.Fatal("the default transport is shared with the rest of the process; want a clone")
	}
	if tr.MaxIdleConnsPerHost < 32 {
		t.Errorf("MaxIdleConnsPerHost = %d: parallel reads would reopen connections", tr.MaxIdleConnsPerHost)
	}
	if tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
		t.Error("TLS certificate verification must never be turned off")
	}
	if tr.Proxy == nil {
		t.Error("proxy settings from the environment (HTTPS_PROXY) must apply")
	}
}
