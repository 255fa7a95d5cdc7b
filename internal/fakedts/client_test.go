package fakedts

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testClient drives a fake the way an SDK would.
type testClient struct {
	t       *testing.T
	baseURL string
	http    *http.Client
	action  string
	version string
	keyID   string
	secret  string
	token   string
	now     func() time.Time
	// canonical overrides testStringToSign, to sign the wrong way on purpose.
	canonical func(method string, params url.Values) string
}

func newDTSClient(t *testing.T, s *Server, keyID, secret string) *testClient {
	t.Helper()
	return &testClient{
		t: t, baseURL: s.URL(), http: &http.Client{Timeout: 10 * time.Second},
		action: dtsAction, version: dtsVersion, keyID: keyID, secret: secret, now: time.Now,
	}
}

// params returns the common parameters, with a fresh nonce and timestamp, plus extra.
func (c *testClient) params(extra map[string]string) url.Values {
	p := url.Values{}
	p.Set("Action", c.action)
	p.Set("Version", c.version)
	p.Set("Format", "JSON")
	p.Set("AccessKeyId", c.keyID)
	p.Set("SignatureMethod", "HMAC-SHA1")
	p.Set("SignatureVersion", "1.0")
	p.Set("SignatureNonce", rand.Text())
	p.Set("Timestamp", c.now().UTC().Format("2006-01-02T15:04:05Z"))
	if c.token != "" {
		p.Set("SecurityToken", c.token)
	}
	for k, v := range extra {
		p.Set(k, v)
	}
	return p
}

// sign sets Signature over p for method.
func (c *testClient) sign(method string, p url.Values) {
	build := testStringToSign
	if c.canonical != nil {
		build = c.canonical
	}
	p.Set("Signature", testSign(build(method, p), c.secret))
}

// send sends p as is: in the query for GET, as a form body for POST.
func (c *testClient) send(method string, p url.Values) (*http.Response, []byte, error) {
	var req *http.Request
	var err error
	if method == http.MethodPost {
		req, err = http.NewRequestWithContext(c.t.Context(), method, c.baseURL+"/", strings.NewReader(p.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(c.t.Context(), method, c.baseURL+"/?"+p.Encode(), nil)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// call signs and sends a request with extra parameters and fails the test on transport errors.
func (c *testClient) call(method string, extra map[string]string) (*http.Response, map[string]any) {
	c.t.Helper()
	p := c.params(extra)
	c.sign(method, p)
	resp, body, err := c.send(method, p)
	if err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	return resp, decodeObject(c.t, body)
}

func decodeObject(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %q", err, body)
	}
	return m
}

// wantGatewayError checks an answer in the gateway's shape.
func wantGatewayError(t *testing.T, resp *http.Response, body map[string]any, status int, code string) {
	t.Helper()
	if resp.StatusCode != status || body["Code"] != code {
		t.Fatalf("got HTTP %d %v: %v, want HTTP %d %s", resp.StatusCode, body["Code"], body["Message"], status, code)
	}
	for _, field := range []string{"RequestId", "HostId", "Message", "Recommend"} {
		if s, _ := body[field].(string); s == "" {
			t.Errorf("gateway error lacks %s: %v", field, body)
		}
	}
	if got := resp.Header.Get("Content-Type"); got != contentTypeJSON {
		t.Errorf("Content-Type = %q", got)
	}
}
