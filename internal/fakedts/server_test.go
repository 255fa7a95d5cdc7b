package fakedts

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testKeyID  = "LTAI5tTestKey"
	testSecret = "test-secret"
	testJob    = "dtsjob0001"
)

// newTestServer starts a fake with one key and one job that reports Migrating.
func newTestServer(t *testing.T) (*Server, *testClient) {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	s.AddAccessKey(testKeyID, testSecret)
	s.SetJob(testJob, Job{Steps: []Step{{Body: State{JobStatus: "Migrating"}.Body(testJob)}}})
	return s, newDTSClient(t, s, testKeyID, testSecret)
}

func jobParams() map[string]string { return map[string]string{"MigrationJobId": testJob} }

func TestDescribeGETAndPOST(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			s, c := newTestServer(t)
			resp, body := c.call(method, map[string]string{"MigrationJobId": testJob, "RegionId": "cn-hangzhou"})
			if resp.StatusCode != http.StatusOK || body["Success"] != true || body["MigrationJobStatus"] != "Migrating" {
				t.Fatalf("HTTP %d %v", resp.StatusCode, body)
			}
			id, _ := body["RequestId"].(string)
			if len(id) != 36 || strings.ToUpper(id) != id || resp.Header.Get("X-Acs-Request-Id") != id {
				t.Errorf("RequestId %q, header %q", id, resp.Header.Get("X-Acs-Request-Id"))
			}
			if got := resp.Header.Get("Content-Type"); got != contentTypeJSON {
				t.Errorf("Content-Type = %q", got)
			}
			reqs := s.Requests()
			if len(reqs) != 1 {
				t.Fatalf("recorded %d requests", len(reqs))
			}
			r := reqs[0]
			if r.Method != method || r.Action != dtsAction || r.MigrationJobID != testJob || r.RegionID != "cn-hangzhou" ||
				r.AccessKeyID != testKeyID || r.Nonce == "" || r.Status != http.StatusOK || r.Code != "" ||
				r.RequestID != id || r.Host == "" || r.Time.IsZero() || r.Params.Get("Signature") == "" {
				t.Errorf("recorded %+v", r)
			}
		})
	}
}

func TestPOSTMergesQueryAndBody(t *testing.T) {
	_, c := newTestServer(t)
	p := c.params(jobParams())
	c.sign(http.MethodPost, p)
	// Common parameters in the query and the rest in the body, as credentials-go does.
	query, form := url.Values{}, url.Values{}
	for k, v := range p {
		if k == "MigrationJobId" {
			form[k] = v
		} else {
			query[k] = v
		}
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.baseURL+"/?"+query.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
}

func TestSpecialCharacters(t *testing.T) {
	values := []string{"a b", "a*b", "a~b", "a/b", "a=b&c=d", "é中文", "a+b", "100%"}
	// Each wrong encoding is one an SDK could plausibly produce.
	wrong := map[string]struct {
		value string
		build func(string, url.Values) string
	}{
		"space as +": {"a b", formEncodedStringToSign},
		"* literal":  {"a*b", formEncodedStringToSign},
		"~ as %7E":   {"a~b", formEncodedStringToSign},
		"lower-case hex": {"é", func(m string, p url.Values) string {
			return strings.ReplaceAll(testStringToSign(m, p), "%25C3%25A9", "%25c3%25a9")
		}},
		"/ literal": {"a/b", func(m string, p url.Values) string {
			return strings.ReplaceAll(testStringToSign(m, p), "a%252Fb", "a%2Fb")
		}},
	}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, v := range values {
			t.Run(method+" accepts "+v, func(t *testing.T) {
				s, c := newTestServer(t)
				resp, body := c.call(method, map[string]string{"MigrationJobId": testJob, "AccountId": v})
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("HTTP %d %v", resp.StatusCode, body)
				}
				if got := s.Requests()[0].Params.Get("AccountId"); got != v {
					t.Errorf("recorded AccountId %q, want %q", got, v)
				}
			})
		}
		for name, w := range wrong {
			t.Run(method+" rejects "+name, func(t *testing.T) {
				_, c := newTestServer(t)
				c.canonical = w.build
				resp, body := c.call(method, map[string]string{"MigrationJobId": testJob, "AccountId": w.value})
				wantGatewayError(t, resp, body, http.StatusBadRequest, "SignatureDoesNotMatch")
			})
		}
	}
}

// formEncodedStringToSign forgets signature V1's fixes to form encoding: space as '+', '*' literal, '~' as %7E.
func formEncodedStringToSign(method string, params url.Values) string {
	v := url.Values{}
	for k, vs := range params {
		if k != "Signature" {
			v[k] = vs
		}
	}
	q := strings.ReplaceAll(v.Encode(), "%2A", "*")
	q = strings.ReplaceAll(q, "~", "%7E")
	return method + "&%2F&" + url.QueryEscape(q)
}

func TestErrorPaths(t *testing.T) {
	clockNow := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	type check struct {
		status int
		code   string
		// message, when set, must appear in the Message.
		message string
	}
	cases := map[string]struct {
		method string
		edit   func(c *testClient, p url.Values)
		// resign signs after edit; without it edit sees a signed request.
		resign bool
		want   check
	}{
		"unsupported method": {method: http.MethodPut, want: check{http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", ""}},
		"wrong version": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("Version", "2016-08-01") },
			want: check{http.StatusBadRequest, "InvalidVersion", "Version"}},
		"wrong action": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("Action", "StopDtsJob") },
			want: check{http.StatusNotFound, "InvalidAction.NotFound", "api is not found"}},
		"XML format": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("Format", "XML") },
			want: check{http.StatusBadRequest, "InvalidParameter", "Format"}},
		"signature method": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("SignatureMethod", "HMAC-SHA256") },
			want: check{http.StatusBadRequest, "InvalidParameter", "SignatureMethod"}},
		"signature version": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("SignatureVersion", "2.0") },
			want: check{http.StatusBadRequest, "InvalidParameter", "SignatureVersion"}},
		"unknown key": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("AccessKeyId", "LTAIunknown") },
			want: check{http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}},
		"timestamp with space": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("Timestamp", "2026-03-01 12:00:00") },
			want: check{http.StatusBadRequest, "InvalidTimeStamp.Format", ""}},
		"timestamp with fraction": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("Timestamp", "2026-03-01T12:00:00.5Z") },
			want: check{http.StatusBadRequest, "InvalidTimeStamp.Format", ""}},
		"timestamp with offset": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("Timestamp", "2026-03-01T20:00:00+08:00") },
			want: check{http.StatusBadRequest, "InvalidTimeStamp.Format", ""}},
		"timestamp 16 minutes old": {resign: true, edit: func(_ *testClient, p url.Values) {
			p.Set("Timestamp", clockNow.Add(-16*time.Minute).Format(timestampLayout))
		}, want: check{http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}},
		"timestamp 16 minutes ahead": {resign: true, edit: func(_ *testClient, p url.Values) {
			p.Set("Timestamp", clockNow.Add(16*time.Minute).Format(timestampLayout))
		}, want: check{http.StatusBadRequest, "InvalidTimeStamp.Expired", ""}},
		"timestamp 14 minutes old": {resign: true, edit: func(_ *testClient, p url.Values) {
			p.Set("Timestamp", clockNow.Add(-14*time.Minute).Format(timestampLayout))
		}, want: check{http.StatusOK, "", ""}},
		"wrong secret": {resign: true, edit: func(c *testClient, _ url.Values) { c.secret = "other" },
			want: check{http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3D"}},
		"parameter changed after signing": {edit: func(_ *testClient, p url.Values) { p.Set("MigrationJobId", "dtsother") },
			want: check{http.StatusBadRequest, "SignatureDoesNotMatch", ""}},
		"missing job id": {resign: true, edit: func(_ *testClient, p url.Values) { p.Del("MigrationJobId") },
			want: check{http.StatusBadRequest, "MissingParameter", "MigrationJobId is mandatory for this action."}},
		"client token too long": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("ClientToken", strings.Repeat("x", 65)) },
			want: check{http.StatusBadRequest, "InvalidParameter", "ClientToken"}},
		"client token not ASCII": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("ClientToken", "tokén") },
			want: check{http.StatusBadRequest, "InvalidParameter", "ClientToken"}},
		"client token of 64": {resign: true, edit: func(_ *testClient, p url.Values) { p.Set("ClientToken", strings.Repeat("x", 64)) },
			want: check{http.StatusOK, "", ""}},
	}
	for _, name := range commonParams {
		cases["missing "+name] = struct {
			method string
			edit   func(c *testClient, p url.Values)
			resign bool
			want   check
		}{resign: name != "Signature", edit: func(_ *testClient, p url.Values) { p.Del(name) },
			want: check{http.StatusBadRequest, "MissingParameter", `"` + name + `"`}}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, c := newTestServer(t)
			s.SetNow(func() time.Time { return clockNow })
			c.now = func() time.Time { return clockNow }
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			p := c.params(jobParams())
			c.sign(method, p)
			if tc.edit != nil {
				tc.edit(c, p)
			}
			if tc.resign {
				c.sign(method, p)
			}
			resp, raw, err := c.send(method, p)
			if err != nil {
				t.Fatal(err)
			}
			body := decodeObject(t, raw)
			if tc.want.status == http.StatusOK {
				if resp.StatusCode != http.StatusOK || body["Success"] != true {
					t.Fatalf("HTTP %d %v, want success", resp.StatusCode, body)
				}
				return
			}
			wantGatewayError(t, resp, body, tc.want.status, tc.want.code)
			if msg, _ := body["Message"].(string); !strings.Contains(msg, tc.want.message) {
				t.Errorf("Message %q lacks %q", msg, tc.want.message)
			}
			if body["HostId"] != "dts.aliyuncs.com" || !strings.Contains(fmt.Sprint(body["Recommend"]), "q="+url.QueryEscape(tc.want.code)) {
				t.Errorf("HostId %v, Recommend %v", body["HostId"], body["Recommend"])
			}
			if r := s.Requests()[0]; r.Status != tc.want.status || r.Code != tc.want.code || r.RequestID != body["RequestId"] {
				t.Errorf("recorded status %d code %q request ID %q", r.Status, r.Code, r.RequestID)
			}
		})
	}
}

func TestWrongPath(t *testing.T) {
	_, c := newTestServer(t)
	c.baseURL += "/v1"
	resp, body := c.call(http.MethodGet, jobParams())
	wantGatewayError(t, resp, body, http.StatusNotFound, "InvalidAction.NotFound")
}

func TestSignatureDoesNotMatchEchoesServerStringToSign(t *testing.T) {
	s, c := newTestServer(t)
	s.AddSTSKey("STS.key", "sts-secret", "tok+en/x=")
	c.keyID, c.secret, c.token = "STS.key", "wrong-secret", "tok+en/x="
	p := c.params(jobParams())
	c.sign(http.MethodPost, p)
	resp, raw, err := c.send(http.MethodPost, p)
	if err != nil {
		t.Fatal(err)
	}
	body := decodeObject(t, raw)
	wantGatewayError(t, resp, body, http.StatusBadRequest, "SignatureDoesNotMatch")
	const prefix = "Specified signature is not matched with our calculation. server string to sign is:"
	if want := prefix + testStringToSign(http.MethodPost, p); body["Message"] != want {
		t.Errorf("Message\n%s\nwant\n%s", body["Message"], want)
	}
	// The token appears encoded twice, which clients must redact.
	if !strings.Contains(fmt.Sprint(body["Message"]), "SecurityToken%3Dtok%252Ben%252Fx%253D") {
		t.Errorf("Message lacks the twice-encoded token: %s", body["Message"])
	}
	if !strings.Contains(string(raw), "&") || strings.Contains(string(raw), `\u0026`) {
		t.Errorf("'&' should be sent literally: %s", raw)
	}
}

func TestSignatureNonceUsed(t *testing.T) {
	s, c := newTestServer(t)
	s.AddAccessKey("LTAIother", "other-secret")
	p := c.params(jobParams())
	c.sign(http.MethodGet, p)
	for i, want := range []string{"", "SignatureNonceUsed"} {
		resp, raw, err := c.send(http.MethodGet, p)
		if err != nil {
			t.Fatal(err)
		}
		body := decodeObject(t, raw)
		if want == "" {
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("attempt %d: HTTP %d %v", i, resp.StatusCode, body)
			}
			continue
		}
		wantGatewayError(t, resp, body, http.StatusBadRequest, want)
		if body["Message"] != "Specified signature nonce was used already." {
			t.Errorf("Message %v", body["Message"])
		}
	}
	// Nonces are per key: another key may use the same one.
	other := newDTSClient(t, s, "LTAIother", "other-secret")
	q := other.params(jobParams())
	q.Set("SignatureNonce", p.Get("SignatureNonce"))
	other.sign(http.MethodGet, q)
	if resp, _, err := other.send(http.MethodGet, q); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("other key with the same nonce: %v %v", resp, err)
	}
	// A request failing its signature does not use up its nonce.
	r := c.params(jobParams())
	r.Set("Signature", "bad")
	if resp, _, _ := c.send(http.MethodGet, r); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad signature: HTTP %d", resp.StatusCode)
	}
	c.sign(http.MethodGet, r)
	if resp, _, _ := c.send(http.MethodGet, r); resp.StatusCode != http.StatusOK {
		t.Fatalf("nonce of a rejected request: HTTP %d", resp.StatusCode)
	}
}

func TestSecurityToken(t *testing.T) {
	const token = "CAIS+token/one=="
	cases := []struct {
		name  string
		keyID string
		token string
		code  string
	}{
		{"STS key with its token", "STS.one", token, ""},
		{"STS key without token", "STS.one", "", "InvalidSecurityToken.MismatchWithAccessKey"},
		{"STS key with another key's token", "STS.one", "CAIS+token/two==", "InvalidSecurityToken.MismatchWithAccessKey"},
		{"STS key with a made-up token", "STS.one", "garbage", "InvalidSecurityToken.Malformed"},
		{"permanent key with a token", testKeyID, token, "InvalidSecurityToken.MismatchWithAccessKey"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newTestServer(t)
			s.AddSTSKey("STS.one", "secret-one", token)
			s.AddSTSKey("STS.two", "secret-two", "CAIS+token/two==")
			c.keyID, c.token = tc.keyID, tc.token
			if tc.keyID == "STS.one" {
				c.secret = "secret-one"
			}
			resp, body := c.call(http.MethodPost, jobParams())
			if tc.code == "" {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("HTTP %d %v", resp.StatusCode, body)
				}
				return
			}
			wantGatewayError(t, resp, body, http.StatusBadRequest, tc.code)
		})
	}
}

func TestUnknownJobAndRegion(t *testing.T) {
	s, c := newTestServer(t)
	s.SetJob("dtsregional", Job{Region: "cn-beijing", Steps: []Step{{Body: map[string]any{"MigrationJobStatus": "Finished"}}}})
	cases := []struct {
		name, job, region string
		found             bool
	}{
		{"unknown job", "dtsmissing", "cn-hangzhou", false},
		{"job in its region", "dtsregional", "cn-beijing", true},
		{"job in another region", "dtsregional", "cn-hangzhou", false},
		{"job without region", "dtsregional", "", false},
		{"job defined without region", testJob, "ap-northeast-1", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			extra := map[string]string{"MigrationJobId": tc.job}
			if tc.region != "" {
				extra["RegionId"] = tc.region
			}
			resp, body := c.call(http.MethodGet, extra)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d", resp.StatusCode)
			}
			if tc.found {
				if body["Success"] != true {
					t.Fatalf("got %v", body)
				}
				return
			}
			if body["Success"] != false || body["ErrCode"] != "InvalidJobId" || body["ErrMessage"] != "The specified job does not exist." || body["RequestId"] == "" {
				t.Fatalf("got %v", body)
			}
		})
	}
	s.DeleteJob("dtsregional")
	if _, body := c.call(http.MethodGet, map[string]string{"MigrationJobId": "dtsregional", "RegionId": "cn-beijing"}); body["ErrCode"] != "InvalidJobId" {
		t.Errorf("deleted job answered %v", body)
	}
}

func status(body map[string]any) string {
	s, _ := body["MigrationJobStatus"].(string)
	return s
}

func TestTimelineByRequests(t *testing.T) {
	s, c := newTestServer(t)
	steps := []Step{
		{Body: map[string]any{"MigrationJobStatus": "NotStarted"}, Requests: 2},
		{Body: map[string]any{"MigrationJobStatus": "Prechecking"}, Requests: 1},
		{Body: map[string]any{"MigrationJobStatus": "Migrating"}},
		{Body: map[string]any{"MigrationJobStatus": "Unreachable"}},
	}
	s.SetJob(testJob, Job{Steps: steps})
	want := []string{"NotStarted", "NotStarted", "Prechecking", "Migrating", "Migrating", "Migrating"}
	for i, w := range want {
		if _, body := c.call(http.MethodGet, jobParams()); status(body) != w {
			t.Fatalf("request %d: %q, want %q", i, status(body), w)
		}
	}
	// Errors and other jobs do not move the timeline; SetJob restarts it.
	s.SetJob(testJob, Job{Steps: steps})
	s.QueueFaults(Fault{Code: "Throttling.User"})
	c.call(http.MethodGet, jobParams())
	c.call(http.MethodGet, map[string]string{"MigrationJobId": "dtsother"})
	for i, w := range want[:3] {
		if _, body := c.call(http.MethodGet, jobParams()); status(body) != w {
			t.Fatalf("after SetJob, request %d: %q, want %q", i, status(body), w)
		}
	}
}

// manualClock is a settable clock for SetNow.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (m *manualClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *manualClock) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = t
}

func TestTimelineByDuration(t *testing.T) {
	s, c := newTestServer(t)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clk := &manualClock{now: start}
	s.SetNow(clk.Now)
	c.now = clk.Now
	s.SetJob(testJob, Job{Steps: []Step{
		{Body: map[string]any{"MigrationJobStatus": "NotStarted"}, Duration: 10 * time.Second},
		{Body: map[string]any{"MigrationJobStatus": "Prechecking"}, Duration: 20 * time.Second},
		{Body: map[string]any{"MigrationJobStatus": "Migrating"}, Duration: 5 * time.Second, Requests: 2},
		{Body: map[string]any{"MigrationJobStatus": "Finished"}},
	}})
	steps := []struct {
		at   time.Duration
		want string
	}{
		{0, "NotStarted"}, // the first request starts the clock
		{9 * time.Second, "NotStarted"},
		{10 * time.Second, "Prechecking"},
		{29 * time.Second, "Prechecking"},
		{30 * time.Second, "Migrating"},
		{31 * time.Second, "Migrating"},
		{32 * time.Second, "Finished"}, // the step's two requests came first
		{time.Hour, "Finished"},
	}
	for _, st := range steps {
		clk.Set(start.Add(st.at))
		if _, body := c.call(http.MethodGet, jobParams()); status(body) != st.want {
			t.Fatalf("at %v: %q, want %q", st.at, status(body), st.want)
		}
	}

	// A long gap crosses several steps at once; the timeline starts at the first request, not at SetJob.
	s.SetJob(testJob, Job{Steps: []Step{
		{Body: map[string]any{"MigrationJobStatus": "A"}, Duration: time.Minute},
		{Body: map[string]any{"MigrationJobStatus": "B"}, Duration: time.Minute},
		{Body: map[string]any{"MigrationJobStatus": "C"}, Duration: time.Minute},
		{Body: map[string]any{"MigrationJobStatus": "D"}},
	}})
	clk.Set(start.Add(2 * time.Hour))
	for _, st := range []struct {
		at   time.Duration
		want string
	}{{0, "A"}, {150 * time.Second, "C"}, {179 * time.Second, "C"}, {180 * time.Second, "D"}} {
		clk.Set(start.Add(2*time.Hour + st.at))
		if _, body := c.call(http.MethodGet, jobParams()); status(body) != st.want {
			t.Fatalf("at %v: %q, want %q", st.at, status(body), st.want)
		}
	}
}

func TestStepBodies(t *testing.T) {
	type customBody struct {
		MigrationJobStatus string `json:"MigrationJobStatus"`
		Note               string `json:"Note"`
	}
	cases := []struct {
		name  string
		step  Step
		exact string
		check func(t *testing.T, raw []byte, header http.Header)
	}{
		{name: "raw", step: Step{Raw: []byte(`{"Success":tr`), Body: map[string]any{"x": 1}}, exact: `{"Success":tr`},
		{name: "raw empty", step: Step{Raw: []byte{}}, exact: ``},
		{name: "json.RawMessage", step: Step{Body: json.RawMessage(`{"Percent": 5}`)}, exact: `{"Percent": 5}`},
		{name: "bytes", step: Step{Body: []byte(`[1,2]`)}, exact: `[1,2]`},
		{name: "struct gets RequestId and Success", step: Step{Body: customBody{"Migrating", "a&b<c>"}}, check: func(t *testing.T, raw []byte, header http.Header) {
			prefix := `{"RequestId":"` + header.Get("X-Acs-Request-Id") + `","Success":true,"MigrationJobStatus":"Migrating","Note":"a&b<c>"}`
			if string(raw) != prefix {
				t.Errorf("got %s, want %s", raw, prefix)
			}
		}},
		{name: "map keeps its own RequestId and Success", step: Step{Body: map[string]any{"RequestId": "MY-ID", "Success": "true"}}, check: func(t *testing.T, raw []byte, header http.Header) {
			body := decodeObject(t, raw)
			if body["RequestId"] != "MY-ID" || body["Success"] != "true" || header.Get("X-Acs-Request-Id") != "MY-ID" {
				t.Errorf("got %s, header %q", raw, header.Get("X-Acs-Request-Id"))
			}
		}},
		{name: "nil body", step: Step{}, check: func(t *testing.T, raw []byte, _ http.Header) {
			body := decodeObject(t, raw)
			if len(body) != 2 || body["Success"] != true || body["RequestId"] == "" {
				t.Errorf("got %s", raw)
			}
		}},
		{name: "empty map", step: Step{Body: map[string]any{}}, check: func(t *testing.T, raw []byte, _ http.Header) {
			if body := decodeObject(t, raw); len(body) != 2 {
				t.Errorf("got %s", raw)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newTestServer(t)
			s.SetJob(testJob, Job{Steps: []Step{tc.step}})
			p := c.params(jobParams())
			c.sign(http.MethodGet, p)
			resp, raw, err := c.send(http.MethodGet, p)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d", resp.StatusCode)
			}
			if tc.check != nil {
				tc.check(t, raw, resp.Header)
			} else if string(raw) != tc.exact {
				t.Errorf("got %q, want %q", raw, tc.exact)
			}
		})
	}
}

func TestJobWithoutStepsIsNotStarted(t *testing.T) {
	s, c := newTestServer(t)
	s.SetJob(testJob, Job{})
	if _, body := c.call(http.MethodGet, jobParams()); status(body) != "NotStarted" || body["MigrationJobId"] != testJob {
		t.Fatalf("got %v", body)
	}
}

func TestResponseFaults(t *testing.T) {
	cases := []struct {
		name       string
		fault      Fault
		status     int
		code       string
		contentTyp string
		check      func(t *testing.T, raw []byte, header http.Header)
	}{
		{name: "service unavailable", fault: Fault{Status: 503, Code: "ServiceUnavailable"}, status: 503, code: "ServiceUnavailable"},
		{name: "throttling with header", fault: Fault{Code: "Throttling.User", Header: http.Header{"X-Ratelimit-User-Api": {"TimeLeft:1500"}}},
			status: 400, code: "Throttling.User", check: func(t *testing.T, _ []byte, header http.Header) {
				if header.Get("x-ratelimit-user-api") != "TimeLeft:1500" {
					t.Errorf("header %v", header)
				}
			}},
		{name: "forbidden defaults to 403", fault: Fault{Code: "Forbidden.RAM"}, status: 403, code: "Forbidden.RAM", check: func(t *testing.T, raw []byte, _ http.Header) {
			if !strings.Contains(string(raw), "not authorized") {
				t.Errorf("default message missing: %s", raw)
			}
		}},
		{name: "status only", fault: Fault{Status: 500}, status: 500, code: "InternalError"},
		{name: "custom message", fault: Fault{Status: 400, Code: "InvalidParameter", Message: "nope"}, status: 400, code: "InvalidParameter", check: func(t *testing.T, raw []byte, _ http.Header) {
			if decodeObject(t, raw)["Message"] != "nope" {
				t.Errorf("got %s", raw)
			}
		}},
		{name: "DTS shape", fault: Fault{DTSShape: true, Code: "InternalError", Message: "boom"}, status: 200, code: "InternalError", check: func(t *testing.T, raw []byte, _ http.Header) {
			body := decodeObject(t, raw)
			if body["Success"] != false || body["ErrCode"] != "InternalError" || body["ErrMessage"] != "boom" || body["RequestId"] == "" || body["Code"] != nil {
				t.Errorf("got %s", raw)
			}
		}},
		{name: "HTML page", fault: Fault{Status: 502, Body: []byte("<html>Bad Gateway</html>"), Header: http.Header{"Content-Type": {"text/html"}}},
			status: 502, contentTyp: "text/html", check: func(t *testing.T, raw []byte, _ http.Header) {
				if string(raw) != "<html>Bad Gateway</html>" {
					t.Errorf("got %q", raw)
				}
			}},
		{name: "empty 200", fault: Fault{Body: []byte{}}, status: 200, contentTyp: contentTypeJSON, check: func(t *testing.T, raw []byte, _ http.Header) {
			if len(raw) != 0 {
				t.Errorf("got %q", raw)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newTestServer(t)
			s.QueueFaults(tc.fault)
			p := c.params(jobParams())
			c.sign(http.MethodGet, p)
			resp, raw, err := c.send(http.MethodGet, p)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code != "" && tc.contentTyp == "" {
				body := decodeObject(t, raw)
				if !tc.fault.DTSShape {
					wantGatewayError(t, resp, body, tc.status, tc.code)
				}
			}
			if resp.StatusCode != tc.status {
				t.Errorf("HTTP %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.contentTyp != "" && resp.Header.Get("Content-Type") != tc.contentTyp {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			if tc.check != nil {
				tc.check(t, raw, resp.Header)
			}
			if r := s.Requests()[0]; r.Status != tc.status || r.Code != tc.code {
				t.Errorf("recorded %d %q", r.Status, r.Code)
			}
			// The fault was used up: the next request succeeds.
			if resp, body := c.call(http.MethodGet, jobParams()); resp.StatusCode != 200 || body["Success"] != true {
				t.Errorf("after the fault: HTTP %d %v", resp.StatusCode, body)
			}
		})
	}
}

func TestFaultsInOrderAfterAuthentication(t *testing.T) {
	s, c := newTestServer(t)
	s.QueueFaults(Fault{Code: "Throttling.User"}, Fault{Status: 503}, Fault{DTSShape: true, Code: "InternalError"})
	// A request failing authentication does not consume a fault.
	bad := c.params(jobParams())
	bad.Set("Signature", "bad")
	if resp, _, err := c.send(http.MethodGet, bad); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad signature: %v %v", resp, err)
	}
	var got []string
	for range 4 {
		_, body := c.call(http.MethodGet, jobParams())
		got = append(got, fmt.Sprintf("%v %v %v", body["Code"], body["ErrCode"], body["Success"]))
	}
	want := []string{"Throttling.User <nil> <nil>", "ServiceUnavailable <nil> <nil>", "<nil> InternalError false", "<nil> <nil> true"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFaultReset(t *testing.T) {
	s, c := newTestServer(t)
	s.QueueFaults(Fault{Reset: true})
	p := c.params(jobParams())
	c.sign(http.MethodPost, p)
	_, _, err := c.send(http.MethodPost, p)
	if err == nil {
		t.Fatal("no error from a reset connection")
	}
	if r := s.Requests(); len(r) != 1 || r[0].Status != 0 {
		t.Errorf("recorded %+v", r)
	}
	if resp, _ := c.call(http.MethodPost, jobParams()); resp.StatusCode != 200 {
		t.Errorf("after the reset: HTTP %d", resp.StatusCode)
	}
}

func TestFaultHangEndsWithClientTimeout(t *testing.T) {
	s, c := newTestServer(t)
	s.QueueFaults(Fault{Hang: true})
	c.http = &http.Client{Timeout: 200 * time.Millisecond}
	p := c.params(jobParams())
	c.sign(http.MethodGet, p)
	start := time.Now()
	_, _, err := c.send(http.MethodGet, p)
	var netErr interface{ Timeout() bool }
	if err == nil || !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("got %v, want a timeout", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if r := s.Requests(); len(r) != 1 || r[0].Status != 0 {
		t.Errorf("recorded %+v", r)
	}
}

func TestFaultHangEndsWithClose(t *testing.T) {
	s, c := newTestServer(t)
	s.QueueFaults(Fault{Hang: true})
	p := c.params(jobParams())
	c.sign(http.MethodGet, p)
	errc := make(chan error, 1)
	go func() {
		_, _, err := c.send(http.MethodGet, p)
		errc <- err
	}()
	for len(s.Requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	s.Close()
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Close took %v", elapsed)
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Error("the hung request got an answer")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the hung request did not end")
	}
}

func TestLatency(t *testing.T) {
	s, c := newTestServer(t)
	const latency = 250 * time.Millisecond
	s.SetLatency(latency)
	start := time.Now()
	c.call(http.MethodGet, jobParams())
	// Errors are slow too.
	c.call(http.MethodGet, map[string]string{})
	if elapsed := time.Since(start); elapsed < 2*latency {
		t.Errorf("two requests took %v", elapsed)
	}
	s.SetLatency(0)
	start = time.Now()
	c.call(http.MethodGet, jobParams())
	if elapsed := time.Since(start); elapsed >= latency {
		t.Errorf("without latency took %v", elapsed)
	}
}

func TestRequestsRecordedAndReset(t *testing.T) {
	s, c := newTestServer(t)
	c.call(http.MethodGet, jobParams())
	c.call(http.MethodPost, map[string]string{"MigrationJobId": "dtsnone"})
	c.keyID = "unknown"
	c.call(http.MethodGet, jobParams())
	reqs := s.Requests()
	got := make([]string, len(reqs))
	for i, r := range reqs {
		got[i] = fmt.Sprintf("%s %s %d %s", r.Method, r.MigrationJobID, r.Status, r.Code)
	}
	want := "GET dtsjob0001 200 |POST dtsnone 200 InvalidJobId|GET dtsjob0001 404 InvalidAccessKeyId.NotFound"
	if strings.Join(got, "|") != want {
		t.Errorf("got %q\nwant %q", strings.Join(got, "|"), want)
	}
	// Requests returns copies.
	reqs[0].Params.Set("MigrationJobId", "changed")
	if s.Requests()[0].MigrationJobID != testJob || s.Requests()[0].Params.Get("MigrationJobId") != testJob {
		t.Error("Requests shares its Params")
	}
	s.ResetRequests()
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests after ResetRequests", n)
	}
}

func TestConcurrentRequests(t *testing.T) {
	s, c := newTestServer(t)
	const n = 200
	s.SetJob(testJob, Job{Steps: []Step{
		{Body: map[string]any{"MigrationJobStatus": "A"}, Requests: 50},
		{Body: map[string]any{"MigrationJobStatus": "B"}, Requests: 50},
		{Body: map[string]any{"MigrationJobStatus": "C"}},
	}})
	c.http = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: 30 * time.Second}
	s.QueueFaults(Fault{Code: "Throttling.User"}, Fault{Status: 503})
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for i := range n {
		wg.Go(func() {
			method := http.MethodGet
			if i%2 == 1 {
				method = http.MethodPost
			}
			p := c.params(jobParams())
			c.sign(method, p)
			resp, raw, err := c.send(method, p)
			if err != nil {
				t.Error(err)
				return
			}
			var body map[string]any
			_ = json.Unmarshal(raw, &body)
			mu.Lock()
			defer mu.Unlock()
			counts[fmt.Sprintf("%d %v %v", resp.StatusCode, body["MigrationJobStatus"], body["Code"])]++
		})
		// Readers and writers of the server's state run alongside.
		if i%20 == 0 {
			wg.Go(func() {
				_ = s.Requests()
				s.AddAccessKey(fmt.Sprint("LTAIextra", i), "x")
			})
		}
	}
	wg.Wait()
	want := map[string]int{"200 A <nil>": 50, "200 B <nil>": 50, "200 C <nil>": n - 102, "400 <nil> Throttling.User": 1, "503 <nil> ServiceUnavailable": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", counts, want)
	}
	reqs := s.Requests()
	nonces := map[string]bool{}
	for _, r := range reqs {
		nonces[r.Nonce] = true
	}
	if len(reqs) != n || len(nonces) != n {
		t.Errorf("recorded %d requests with %d nonces", len(reqs), len(nonces))
	}
}

func TestUnstartedHandler(t *testing.T) {
	s := NewUnstartedHandler()
	if s.URL() != "" {
		t.Errorf("URL %q before serving", s.URL())
	}
	s.AddAccessKey(testKeyID, testSecret)
	s.SetJob(testJob, Job{Steps: []Step{{Body: map[string]any{"MigrationJobStatus": "Finished"}}}})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close)
	c := newDTSClient(t, s, testKeyID, testSecret)
	c.baseURL = ts.URL
	if _, body := c.call(http.MethodGet, jobParams()); status(body) != "Finished" {
		t.Fatalf("got %v", body)
	}
}

func TestSetNowNilRestoresTime(t *testing.T) {
	s, c := newTestServer(t)
	s.SetNow(func() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) })
	if resp, _ := c.call(http.MethodGet, jobParams()); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a clock in 2000 accepted a current timestamp: HTTP %d", resp.StatusCode)
	}
	s.SetNow(nil)
	if resp, _ := c.call(http.MethodGet, jobParams()); resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d after SetNow(nil)", resp.StatusCode)
	}
}
