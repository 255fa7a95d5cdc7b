package fakedts

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const testRoleARN = "acs:ram::123456789012:role/migrator"

// assumeRoleParams are the parameters credentials-go puts in the form body of AssumeRole.
func assumeRoleParams() map[string]string {
	return map[string]string{
		"RoleArn":         testRoleARN,
		"RoleSessionName": "terraform",
		"DurationSeconds": "3600",
		"ExternalId":      "ext-1",
		"Policy":          `{"Statement":[{"Action":["dts:Describe*"],"Effect":"Allow","Resource":"*"}],"Version":"1"}`,
	}
}

func newSTSTest(t *testing.T) (*Server, *STSServer, *testClient) {
	t.Helper()
	dts := NewServer()
	t.Cleanup(dts.Close)
	dts.AddAccessKey(testKeyID, testSecret)
	dts.SetJob(testJob, Job{Steps: []Step{{Body: map[string]any{"MigrationJobStatus": "Migrating"}}}})
	sts := NewSTSServer(dts)
	t.Cleanup(sts.Close)
	c := &testClient{
		t: t, baseURL: sts.URL(), http: sts.Client(), action: stsAction, version: stsVersion,
		keyID: testKeyID, secret: testSecret, now: time.Now,
	}
	return dts, sts, c
}

type assumeRoleResponse struct {
	RequestID       string `json:"RequestId"`
	AssumedRoleUser struct {
		Arn           string
		AssumedRoleID string `json:"AssumedRoleId"`
	}
	Credentials struct {
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string
		SecurityToken   string
		Expiration      string
	}
}

// assumeRoleLikeCredentialsGo sends AssumeRole as credentials-go v1.4.14 does: POST, the common
// parameters and Signature in the query, the role's parameters in the form body, one signature over both.
func assumeRoleLikeCredentialsGo(t *testing.T, c *testClient, body map[string]string) (*http.Response, []byte) {
	t.Helper()
	query := c.params(nil)
	form := url.Values{}
	for k, v := range body {
		form.Set(k, v)
	}
	all := cloneValues(query)
	for k, v := range form {
		all[k] = v
	}
	query.Set("Signature", testSign(testStringToSign(http.MethodPost, all), c.secret))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.baseURL+"/?"+query.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var raw json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

func TestAssumeRoleIssuesCredentialsForDTS(t *testing.T) {
	dts, sts, c := newSTSTest(t)
	now := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	dts.SetNow(func() time.Time { return now })
	c.now = func() time.Time { return now }
	resp, raw := assumeRoleLikeCredentialsGo(t, c, assumeRoleParams())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %s", resp.StatusCode, raw)
	}
	var got assumeRoleResponse
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	cred := got.Credentials
	if got.RequestID == "" || got.AssumedRoleUser.Arn != testRoleARN+"/terraform" || !strings.HasSuffix(got.AssumedRoleUser.AssumedRoleID, ":terraform") ||
		!strings.HasPrefix(cred.AccessKeyID, "STS.") || cred.AccessKeySecret == "" || cred.Expiration != "2026-04-01T09:00:00Z" {
		t.Errorf("got %s", raw)
	}
	// The token needs encoding, as real ones do.
	if !strings.ContainsAny(cred.SecurityToken, "+") || !strings.Contains(cred.SecurityToken, "/") || !strings.HasSuffix(cred.SecurityToken, "=") {
		t.Errorf("token %q lacks '+', '/' or '='", cred.SecurityToken)
	}

	r := sts.Requests()
	if len(r) != 1 || r[0].Method != http.MethodPost || r[0].Action != "AssumeRole" || r[0].Status != 200 {
		t.Fatalf("recorded %+v", r)
	}
	for k, v := range assumeRoleParams() {
		if r[0].Params.Get(k) != v {
			t.Errorf("recorded %s = %q, want %q", k, r[0].Params.Get(k), v)
		}
	}

	// The issued credentials work with DTS, and only with their token.
	d := newDTSClient(t, dts, cred.AccessKeyID, cred.AccessKeySecret)
	d.now = c.now
	if resp, body := d.call(http.MethodPost, jobParams()); resp.StatusCode != http.StatusBadRequest || body["Code"] != "InvalidSecurityToken.MismatchWithAccessKey" {
		t.Errorf("without token: HTTP %d %v", resp.StatusCode, body)
	}
	d.token = cred.SecurityToken
	if resp, body := d.call(http.MethodPost, jobParams()); resp.StatusCode != http.StatusOK || body["MigrationJobStatus"] != "Migrating" {
		t.Errorf("with token: HTTP %d %v", resp.StatusCode, body)
	}
	d.token = cred.SecurityToken + "x"
	if resp, body := d.call(http.MethodPost, jobParams()); resp.StatusCode != http.StatusBadRequest || body["Code"] != "InvalidSecurityToken.Malformed" {
		t.Errorf("with a wrong token: HTTP %d %v", resp.StatusCode, body)
	}
}

func TestAssumeRoleWithSTSSourceAndGET(t *testing.T) {
	_, sts, c := newSTSTest(t)
	// First assume a role with the permanent key, then chain from the STS credentials by GET.
	_, raw := assumeRoleLikeCredentialsGo(t, c, assumeRoleParams())
	var first assumeRoleResponse
	if err := json.Unmarshal(raw, &first); err != nil {
		t.Fatal(err)
	}
	c.keyID, c.secret, c.token = first.Credentials.AccessKeyID, first.Credentials.AccessKeySecret, first.Credentials.SecurityToken
	resp, body := c.call(http.MethodGet, map[string]string{"RoleArn": testRoleARN, "RoleSessionName": "chained"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %v", resp.StatusCode, body)
	}
	creds, _ := body["Credentials"].(map[string]any)
	if creds["AccessKeyId"] == first.Credentials.AccessKeyID {
		t.Error("chained AssumeRole returned the same key")
	}
	c.token = "CAIS" + strings.Repeat("x", 20)
	resp, body = c.call(http.MethodGet, map[string]string{"RoleArn": testRoleARN, "RoleSessionName": "chained"})
	wantGatewayError(t, resp, body, http.StatusBadRequest, "InvalidSecurityToken.Malformed")
	if got := sts.Requests(); len(got) != 3 || got[1].Method != http.MethodGet || got[2].Code != "InvalidSecurityToken.Malformed" {
		t.Errorf("recorded %+v", got)
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(p map[string]string)
		status int
		code   string
	}{
		{"missing RoleArn", func(p map[string]string) { delete(p, "RoleArn") }, 400, "MissingRoleArn"},
		{"malformed RoleArn", func(p map[string]string) { p["RoleArn"] = "arn:aws:iam::1:role/x" }, 400, "InvalidParameter.RoleArn"},
		{"missing RoleSessionName", func(p map[string]string) { delete(p, "RoleSessionName") }, 400, "MissingRoleSessionName"},
		{"malformed RoleSessionName", func(p map[string]string) { p["RoleSessionName"] = "has space" }, 400, "InvalidParameter.RoleSessionName"},
		{"DurationSeconds too short", func(p map[string]string) { p["DurationSeconds"] = "899" }, 400, "InvalidParameter.DurationSeconds"},
		{"DurationSeconds too long", func(p map[string]string) { p["DurationSeconds"] = "43201" }, 400, "InvalidParameter.DurationSeconds"},
		{"DurationSeconds not a number", func(p map[string]string) { p["DurationSeconds"] = "1h" }, 400, "InvalidParameter.DurationSeconds"},
		{"Policy not JSON", func(p map[string]string) { p["Policy"] = "{" }, 400, "InvalidParameter.PolicyGrammar"},
		{"no optional parameters", func(p map[string]string) {
			delete(p, "DurationSeconds")
			delete(p, "Policy")
			delete(p, "ExternalId")
		}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, sts, c := newSTSTest(t)
			p := assumeRoleParams()
			tc.edit(p)
			resp, raw := assumeRoleLikeCredentialsGo(t, c, p)
			body := decodeObject(t, raw)
			if tc.code == "" {
				if resp.StatusCode != http.StatusOK || body["Credentials"] == nil {
					t.Fatalf("HTTP %d %s", resp.StatusCode, raw)
				}
				return
			}
			wantGatewayError(t, resp, body, tc.status, tc.code)
			if body["HostId"] != "sts.aliyuncs.com" {
				t.Errorf("HostId %v", body["HostId"])
			}
			if r := sts.Requests(); r[0].Code != tc.code {
				t.Errorf("recorded code %q", r[0].Code)
			}
		})
	}
}

func TestAssumeRoleAuthentication(t *testing.T) {
	cases := []struct {
		name string
		edit func(c *testClient)
		code string
	}{
		{"unknown key", func(c *testClient) { c.keyID = "LTAIunknown" }, "InvalidAccessKeyId.NotFound"},
		{"wrong secret", func(c *testClient) { c.secret = "wrong" }, "SignatureDoesNotMatch"},
		{"DTS version", func(c *testClient) { c.version = dtsVersion }, "InvalidVersion"},
		{"DTS action", func(c *testClient) { c.action = dtsAction }, "InvalidAction.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, c := newSTSTest(t)
			tc.edit(c)
			resp, raw := assumeRoleLikeCredentialsGo(t, c, assumeRoleParams())
			if resp.StatusCode < 400 || decodeObject(t, raw)["Code"] != tc.code {
				t.Errorf("HTTP %d %s, want %s", resp.StatusCode, raw, tc.code)
			}
		})
	}
}

func TestSTSFaults(t *testing.T) {
	_, sts, c := newSTSTest(t)
	sts.QueueFaults(Fault{Status: 503})
	if resp, _ := assumeRoleLikeCredentialsGo(t, c, assumeRoleParams()); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("HTTP %d, want 503", resp.StatusCode)
	}
	if resp, _ := assumeRoleLikeCredentialsGo(t, c, assumeRoleParams()); resp.StatusCode != http.StatusOK {
		t.Errorf("HTTP %d after the fault", resp.StatusCode)
	}
}

func TestSTSHostAndTLS(t *testing.T) {
	_, sts, c := newSTSTest(t)
	if !strings.HasPrefix(sts.Host(), "127.0.0.1:") || sts.URL() != "https://"+sts.Host() {
		t.Errorf("Host %q, URL %q", sts.Host(), sts.URL())
	}
	// The server's client, which trusts its certificate, reaches it by its Host.
	c.baseURL = "https://" + sts.Host()
	if resp, raw := assumeRoleLikeCredentialsGo(t, c, assumeRoleParams()); resp.StatusCode != http.StatusOK {
		t.Errorf("HTTP %d %s", resp.StatusCode, raw)
	}
	// And a client trusting nothing extra fails, so the check above means something.
	c.http = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool(), MinVersion: tls.VersionTLS12}}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.baseURL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := c.http.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Error("an untrusting client connected")
	}
}
