package dtsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// Credentials whose encodings differ from the raw text: the token holds '+', '/' and '='.
const (
	testKeyID  = "LTAI5tTestKeyId"
	testSecret = "s3cr3t+Secret/Value=="
	testToken  = "CAIS+token/with==Special+Chars/AbC1"
)

// scriptedServer answers each request with the next response of its script and records what it got.
type scriptedServer struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	script []func(w http.ResponseWriter, r *http.Request, form url.Values)
	seen   []url.Values
}

func newScriptedServer(t *testing.T, script ...func(w http.ResponseWriter, r *http.Request, form url.Values)) *scriptedServer {
	t.Helper()
	s := &scriptedServer{t: t, script: script}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *scriptedServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.RawQuery != "" {
		s.t.Errorf("want a POST with no query, got %s %s", r.Method, r.URL)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		s.t.Errorf("Content-Type = %q", ct)
	}
	if err := r.ParseForm(); err != nil {
		s.t.Errorf("parse form: %v", err)
	}
	s.mu.Lock()
	n := len(s.seen)
	s.seen = append(s.seen, r.PostForm)
	var answer func(w http.ResponseWriter, r *http.Request, form url.Values)
	if n < len(s.script) {
		answer = s.script[n]
	} else {
		answer = s.script[len(s.script)-1]
	}
	s.mu.Unlock()
	answer(w, r, r.PostForm)
}

func (s *scriptedServer) requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.seen...)
}

func respond(status int, body string, headers ...string) func(http.ResponseWriter, *http.Request, url.Values) {
	return func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func gatewayError(status int, code, msg string) func(http.ResponseWriter, *http.Request, url.Values) {
	return respond(status, fmt.Sprintf(`{"RequestId":"REQ-%s","HostId":"dts.aliyuncs.com","Code":%q,"Message":%q}`, code, code, msg))
}

var okBody = `{"RequestId":"REQ-OK","Success":true,"MigrationJobId":"dts-job","MigrationJobStatus":"Migrating"}`

type logLine struct {
	msg    string
	fields map[string]any
}

type testClient struct {
	*Client
	clock *clock.Fake
	mu    sync.Mutex
	logs  []logLine
}

func (tc *testClient) logText() string {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	var b strings.Builder
	for _, l := range tc.logs {
		fmt.Fprintf(&b, "%s %v\n", l.msg, l.fields)
	}
	return b.String()
}

func newTestClient(t *testing.T, endpoint string, mutate ...func(*Config)) *testClient {
	t.Helper()
	tc := &testClient{clock: clock.NewFake(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))}
	cfg := Config{
		Endpoint:       endpoint,
		RegionID:       "cn-hangzhou",
		Credentials:    StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SecurityToken: testToken},
		Clock:          tc.clock,
		Jitter:         func() float64 { return 0.5 },
		AttemptTimeout: 2 * time.Second,
		UserAgent:      "terraform-provider-dts/test",
		Log: func(_ context.Context, msg string, fields map[string]any) {
			tc.mu.Lock()
			tc.logs = append(tc.logs, logLine{msg, fields})
			tc.mu.Unlock()
		},
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tc.Client = c
	return tc
}

var jobRequest = DescribeMigrationJobStatusRequest{MigrationJobID: "dts-job"}

// assertNoSecrets fails when text holds the secret, the token or a signature in any encoding.
func assertNoSecrets(t *testing.T, what, text string, signatures ...string) {
	t.Helper()
	for _, s := range append([]string{testSecret, testToken}, signatures...) {
		if form, leaked := fakedts.LeakedForm(text, s); leaked {
			t.Errorf("%s leaks a secret in the form %q:\n%s", what, form, text)
		}
	}
}

func TestRequestCarriesSignedCommonParameters(t *testing.T) {
	s := newScriptedServer(t, respond(200, okBody))
	c := newTestClient(t, s.srv.URL)
	st, err := c.DescribeMigrationJobStatus(context.Background(), DescribeMigrationJobStatusRequest{
		MigrationJobID: "dts-job", ClientToken: "token-1", AccountID: "1234",
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.MigrationJobStatus.Val != "Migrating" {
		t.Fatalf("status = %+v", st)
	}
	reqs := s.requests()
	if len(reqs) != 1 {
		t.Fatalf("want exactly one request, got %d", len(reqs))
	}
	got := reqs[0]
	want := map[string]string{
		"Action": "DescribeMigrationJobStatus", "MigrationJobId": "dts-job", "RegionId": "cn-hangzhou",
		"ClientToken": "token-1", "AccountId": "1234", "Format": "JSON", "Version": "2020-01-01",
		"AccessKeyId": testKeyID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"Timestamp": "2026-11-24T10:00:00Z", "SecurityToken": testToken,
	}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Get(k), v)
		}
	}
	if got.Get("SignatureNonce") == "" || got.Get("Signature") == "" {
		t.Fatalf("missing nonce or signature: %v", got)
	}
}

func TestRegionOfTheRequestWins(t *testing.T) {
	s := newScriptedServer(t, respond(200, okBody))
	c := newTestClient(t, s.srv.URL)
	if _, err := c.DescribeMigrationJobStatus(context.Background(), DescribeMigrationJobStatusRequest{MigrationJobID: "j", RegionID: "ap-northeast-1"}); err != nil {
		t.Fatal(err)
	}
	if got := s.requests()[0]["RegionId"]; len(got) != 1 || got[0] != "ap-northeast-1" {
		t.Fatalf("RegionId = %v, want exactly [ap-northeast-1]", got)
	}
}

func TestRetriedFailuresUseFreshNoncesThenSucceed(t *testing.T) {
	cases := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request, url.Values)
	}{
		{"throttling", gatewayError(400, "Throttling.User", "Request was denied due to user flow control.")},
		{"throttling in DTS shape", respond(200, `{"Success":false,"ErrCode":"Throttling","ErrMessage":"slow down"}`)},
		{"service unavailable", gatewayError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")},
		{"internal error", gatewayError(500, "InternalError", "The request processing has failed due to some unknown error.")},
		{"502 from a proxy", respond(502, "<html><body>Bad Gateway</body></html>")},
		{"nonce used", gatewayError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScriptedServer(t, tc.answer, tc.answer, respond(200, okBody))
			c := newTestClient(t, s.srv.URL)
			if _, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest); err != nil {
				t.Fatalf("want success after retries, got %v", err)
			}
			reqs := s.requests()
			if len(reqs) != 3 {
				t.Fatalf("want 3 attempts, got %d", len(reqs))
			}
			nonces := map[string]bool{}
			for _, r := range reqs {
				nonces[r.Get("SignatureNonce")] = true
			}
			if len(nonces) != 3 {
				t.Fatalf("want a fresh nonce per attempt, got %v", nonces)
			}
			// Equal jitter at 0.5: three quarters of 500ms, then of 1s.
			want := []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}
			if got := c.clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("backoffs = %v, want %v", got, want)
			}
		})
	}
}

func TestTimestampIsFreshForEachAttempt(t *testing.T) {
	throttled := gatewayError(400, "Throttling.User", "slow down")
	s := newScriptedServer(t, throttled, respond(200, okBody))
	c := newTestClient(t, s.srv.URL)
	if _, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if reqs[0].Get("Timestamp") != "2026-11-24T10:00:00Z" || reqs[1].Get("Timestamp") == reqs[0].Get("Timestamp") && c.clock.Sleeps()[0] >= time.Second {
		t.Fatalf("timestamps %s, %s", reqs[0].Get("Timestamp"), reqs[1].Get("Timestamp"))
	}
	if reqs[0].Get("Signature") == reqs[1].Get("Signature") {
		t.Fatal("each attempt must be signed afresh")
	}
}

func TestPermanentFailuresAreNotRetried(t *testing.T) {
	cases := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request, url.Values)
		code   string
		status int
	}{
		{"signature", gatewayError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."), "SignatureDoesNotMatch", 400},
		{"job", respond(200, `{"RequestId":"R1","Success":false,"ErrCode":"InvalidJobId","ErrMessage":"The specified job does not exist."}`), "InvalidJobId", 200},
		{"ram", gatewayError(403, "Forbidden.RAM", "User not authorized to operate on the specified resource."), "Forbidden.RAM", 403},
		{"key", gatewayError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."), "InvalidAccessKeyId.NotFound", 404},
		{"clock", gatewayError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."), "InvalidTimeStamp.Expired", 400},
		{"missing", gatewayError(400, "MissingParameter", "MigrationJobId is mandatory for this action."), "MissingParameter", 400},
		{"unknown 4xx", gatewayError(400, "Some.NewCode", "?"), "Some.NewCode", 400},
		{"200 not JSON", respond(200, "<html>maintenance</html>"), "", 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScriptedServer(t, tc.answer, respond(200, okBody))
			c := newTestClient(t, s.srv.URL)
			_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
			var apiErr *Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("want *Error, got %v", err)
			}
			if apiErr.Code != tc.code || apiErr.HTTPStatus != tc.status || apiErr.Retryable || apiErr.Attempts != 1 {
				t.Fatalf("got %+v", apiErr)
			}
			if n := len(s.requests()); n != 1 {
				t.Fatalf("want 1 request, got %d", n)
			}
			if tc.code != "" && !IsPermanent(err) {
				t.Fatal("a service error that is not retried is permanent")
			}
		})
	}
}

func TestRetriesStopAtMaxRetries(t *testing.T) {
	for name, tc := range map[string]struct {
		maxRetries   *int
		wantAttempts int
	}{
		"default": {nil, 1 + DefaultMaxRetries},
		"0":       {new(0), 1},
		"1":       {new(1), 2},
		"3":       {new(3), 4},
	} {
		t.Run(name, func(t *testing.T) {
			s := newScriptedServer(t, gatewayError(503, "ServiceUnavailable", "busy"))
			c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.Retry.MaxRetries = tc.maxRetries })
			_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
			wantAttempts := tc.wantAttempts
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Attempts != wantAttempts || apiErr.Code != "ServiceUnavailable" {
				t.Fatalf("got %v", err)
			}
			if n := len(s.requests()); n != wantAttempts {
				t.Fatalf("want %d requests, got %d", wantAttempts, n)
			}
			if wantAttempts > 1 && !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", wantAttempts)) {
				t.Fatalf("error should count the attempts: %v", err)
			}
			if IsPermanent(err) {
				t.Fatal("exhausted retries are not permanent")
			}
		})
	}
}

func TestNegativeMaxRetriesIsRefused(t *testing.T) {
	_, err := New(Config{Endpoint: "https://dts.aliyuncs.com", Credentials: StaticCredentials{AccessKeyID: "k", AccessKeySecret: "s"},
		Retry: RetryPolicy{MaxRetries: new(-1)}})
	if err == nil || !strings.Contains(err.Error(), "MaxRetries is -1") {
		t.Fatalf("New with MaxRetries -1 = %v, want an error naming it", err)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.Retry = RetryPolicy{BaseDelay: time.Second, MaxDelay: 5 * time.Second}
		cfg.Jitter = func() float64 { return 0.999999 }
	})
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		got := c.backoff(i + 1)
		if got > w || got < w*99/100 {
			t.Errorf("backoff(%d) = %v, want about %v", i+1, got, w)
		}
	}
	c.cfg.Jitter = func() float64 { return 0 }
	if got := c.backoff(1); got != 500*time.Millisecond {
		t.Errorf("the least backoff is half the delay, got %v", got)
	}
}

func TestRateLimitHintIsHonoured(t *testing.T) {
	throttled := respond(400, `{"Code":"Throttling.User","Message":"flow control"}`, "x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:2500,Reset:1700000000")
	s := newScriptedServer(t, throttled, respond(200, okBody))
	c := newTestClient(t, s.srv.URL)
	if _, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest); err != nil {
		t.Fatal(err)
	}
	if got := c.clock.Sleeps(); len(got) != 1 || got[0] != 2500*time.Millisecond {
		t.Fatalf("want one wait of the hinted 2.5s, got %v", got)
	}
	if rateLimitHint(http.Header{"X-Ratelimit-User": {"TimeLeft:abc"}}) != 0 {
		t.Fatal("an unparsable hint is ignored")
	}
}

func TestBackoffBeyondDeadlineFailsNow(t *testing.T) {
	throttled := respond(400, `{"Code":"Throttling.User","Message":"flow control"}`, "x-ratelimit-user", "TimeLeft:60000")
	s := newScriptedServer(t, throttled, respond(200, okBody))
	c := newTestClient(t, s.srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.DescribeMigrationJobStatus(ctx, jobRequest)
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != "Throttling.User" || len(s.requests()) != 1 || len(c.clock.Sleeps()) != 0 {
		t.Fatalf("want the throttling error at once, got %v after %d requests", err, len(s.requests()))
	}
}

// blockingClock sleeps until its context ends, like a real backoff that is interrupted.
type blockingClock struct {
	clock.Fake
	sleeping chan struct{}
}

func (b *blockingClock) Sleep(ctx context.Context, _ time.Duration) error {
	close(b.sleeping)
	<-ctx.Done()
	return ctx.Err()
}

func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	s := newScriptedServer(t, gatewayError(503, "ServiceUnavailable", "busy"))
	bc := &blockingClock{Fake: *clock.NewFake(time.Now()), sleeping: make(chan struct{})}
	c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.Clock = bc })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-bc.sleeping
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := c.DescribeMigrationJobStatus(ctx, jobRequest)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "ServiceUnavailable") {
			t.Fatalf("want a cancellation that keeps the last failure, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not return after its context was cancelled")
	}
	if n := len(s.requests()); n != 1 {
		t.Fatalf("no attempt may follow a cancellation, got %d requests", n)
	}
}

func TestHangingServerIsCutOffPerAttempt(t *testing.T) {
	release := make(chan struct{})
	hang := func(_ http.ResponseWriter, r *http.Request, _ url.Values) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	s := newScriptedServer(t, hang, respond(200, okBody))
	defer close(release)
	c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.AttemptTimeout = 50 * time.Millisecond })
	start := time.Now()
	if _, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest); err != nil {
		t.Fatalf("want success on the second attempt, got %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("the hanging attempt was not cut off: %v", elapsed)
	}
	if n := len(s.requests()); n != 2 {
		t.Fatalf("want 2 attempts, got %d", n)
	}
}

func TestHangingServerErrorNamesTheTimeout(t *testing.T) {
	s := newScriptedServer(t, func(_ http.ResponseWriter, r *http.Request, _ url.Values) { <-r.Context().Done() })
	c := newTestClient(t, s.srv.URL, func(cfg *Config) {
		cfg.AttemptTimeout = 20 * time.Millisecond
		cfg.Retry.MaxRetries = new(1)
	})
	_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	var apiErr *Error
	if !errors.As(err, &apiErr) || !apiErr.Retryable || apiErr.Attempts != 2 || !strings.Contains(err.Error(), "per-attempt timeout of 20ms") {
		t.Fatalf("got %v", err)
	}
	if !errors.Is(err, ErrAttemptTimeout) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("a per-attempt timeout is not the caller's deadline passing")
	}
}

func TestUnreadableBodies(t *testing.T) {
	cases := []struct {
		name      string
		answer    func(http.ResponseWriter, *http.Request, url.Values)
		retryable bool
		wantText  string
	}{
		{"html 200", respond(200, "<!DOCTYPE html><html><body>Service maintenance</body></html>"), false, "HTTP 200: the response is not valid JSON: <!DOCTYPE html>"},
		{"empty 200", respond(200, ""), false, "HTTP 200: the response body is empty"},
		{"truncated 200", respond(200, `{"RequestId":"R","Success":true,"MigrationJobStatus":"Migr`), false, `HTTP 200: the response is not valid JSON: {"RequestId":"R"`},
		{"html 504", respond(504, "<html>Gateway Timeout</html>"), true, "HTTP 504"},
		{"too large", respond(200, `{"RequestId":"`+strings.Repeat("x", 2048)+`"}`), false, "larger than the 1024-byte limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScriptedServer(t, tc.answer)
			c := newTestClient(t, s.srv.URL, func(cfg *Config) {
				cfg.MaxBodyBytes = 1024
				cfg.Retry.MaxRetries = new(0)
			})
			_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Retryable != tc.retryable || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("got %v (%+v), want text %q", err, apiErr, tc.wantText)
			}
		})
	}
}

// echoStringToSign answers SignatureDoesNotMatch the way the service does, echoing the string it
// signed, which holds the security token percent-encoded twice.
func echoStringToSign(w http.ResponseWriter, _ *http.Request, form url.Values) {
	ps := make([]param, 0, len(form))
	for k, vs := range form {
		if k != "Signature" {
			ps = append(ps, param{k, vs[0]})
		}
	}
	sortParams(ps)
	sts := stringToSign("POST", canonicalQuery(ps))
	gatewayError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:"+sts+
		" raw token "+form.Get("SecurityToken")+" signature "+form.Get("Signature"))(w, nil, form)
}

func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	s := newScriptedServer(t, echoStringToSign)
	c := newTestClient(t, s.srv.URL)
	_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") || !strings.Contains(err.Error(), "server string to sign is:POST&%2F&AccessKeyId") {
		t.Fatalf("want the service's message, redacted, got %v", err)
	}
	sig := s.requests()[0].Get("Signature")
	assertNoSecrets(t, "error", err.Error(), sig)
	assertNoSecrets(t, "logs", c.logText(), sig)
	if !strings.Contains(err.Error(), Redacted) {
		t.Fatalf("the token should be visibly redacted: %v", err)
	}
}

func TestNoSecretsOnNetworkErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens here now: the connection is refused
	c := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.Retry.MaxRetries = new(1) })
	_, err = c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	var apiErr *Error
	if !errors.As(err, &apiErr) || !apiErr.Retryable || apiErr.Attempts != 2 || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("got %v", err)
	}
	assertNoSecrets(t, "error", err.Error())
	assertNoSecrets(t, "logs", c.logText())
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Fatal("the network error stays inspectable with errors.As")
	}
}

func TestCredentialsFailure(t *testing.T) {
	s := newScriptedServer(t, respond(200, okBody))
	c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.Credentials = failingCredentials{} })
	_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	if !errors.Is(err, ErrCredentials) || !IsPermanent(err) || len(s.requests()) != 0 {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("a secret parameter in a credentials error must be scrubbed: %v", err)
	}
}

type failingCredentials struct{}

func (failingCredentials) Credentials(context.Context) (Credentials, error) {
	return Credentials{}, errors.New("sts said no: SecurityToken=hunter2&x=1")
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{Endpoint: "http://dts.aliyuncs.com", Credentials: StaticCredentials{}}); err == nil {
		t.Fatal("plain http to a remote host must be refused")
	}
	if _, err := New(Config{Endpoint: "https://dts.aliyuncs.com"}); err == nil {
		t.Fatal("credentials are required")
	}
	if _, err := (&Client{cfg: Config{}}).DescribeMigrationJobStatus(context.Background(), DescribeMigrationJobStatusRequest{}); err == nil {
		t.Fatal("a job ID is required")
	}
}

func TestMain(m *testing.M) {
	// Tests talk to loopback only, never to the ECS metadata service.
	_ = os.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	os.Exit(m.Run())
}

// turkishProxyPage is a proxy's 502 page in Turkish that echoes the request's security token: İ
// grows when lower-cased, which once made the redactor fall back to an exact-case match.
func turkishProxyPage(token string) string {
	return `<html lang="tr"><h1>502 Hatalı Ağ Geçidi</h1><p>İstek: ` + token + `</p><p>Lütfen daha sonra tekrar deneyin.</p></html>`
}

// gbkSignatureMismatch answers SignatureDoesNotMatch with the string to sign echoed, the token in
// it percent-encoded twice, after a message in GBK bytes (not UTF-8).
func gbkSignatureMismatch(w http.ResponseWriter, _ *http.Request, form url.Values) {
	ps := make([]param, 0, len(form))
	for k, vs := range form {
		if k != "Signature" {
			ps = append(ps, param{k, vs[0]})
		}
	}
	sortParams(ps)
	sts := stringToSign("POST", canonicalQuery(ps))
	w.Header().Set("Content-Type", "application/json; charset=GBK")
	w.WriteHeader(400)
	_, _ = io.WriteString(w, `{"RequestId":"REQ-GBK","Code":"SignatureDoesNotMatch","Message":"`+"\xc7\xa9\xc3\xfb\xb2\xbb\xc6\xa5\xc5\xe4 "+
		`server string to sign is:`+sts+` token `+form.Get("SecurityToken")+`"}`)
}

// TestNoSecretsWhenLowerCasingChangesLength: messages whose lower-cased form is longer or shorter
// than themselves are still redacted, in the error and in the logs.
func TestNoSecretsWhenLowerCasingChangesLength(t *testing.T) {
	cases := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request, url.Values)
		want   string
	}{
		{"Turkish 502 page", func(w http.ResponseWriter, _ *http.Request, form url.Values) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(502)
			_, _ = io.WriteString(w, turkishProxyPage(form.Get("SecurityToken")))
		}, "HTTP 502: the response is not valid JSON: <html lang=\"tr\"><h1>502 Hatalı Ağ Geçidi</h1><p>İstek: " + Redacted},
		{"SignatureDoesNotMatch in GBK", gbkSignatureMismatch, "SignatureDoesNotMatch: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScriptedServer(t, tc.answer)
			c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.Retry.MaxRetries = new(0) })
			_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			sig := s.requests()[0].Get("Signature")
			assertNoSecrets(t, "error", err.Error(), sig)
			assertNoSecrets(t, "logs", c.logText(), sig)
		})
	}
}

// TestDeadlineMidAttemptIsSaidOnce: when the caller's deadline passes during an attempt, that is the
// one cause of the failure, and the error says it once.
func TestDeadlineMidAttemptIsSaidOnce(t *testing.T) {
	s := newScriptedServer(t, func(_ http.ResponseWriter, r *http.Request, _ url.Values) { <-r.Context().Done() })
	c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.AttemptTimeout = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.DescribeMigrationJobStatus(ctx, jobRequest)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the deadline, got %v", err)
	}
	if n := strings.Count(err.Error(), "request abandoned"); n != 1 || strings.Contains(err.Error(), "last failure") {
		t.Fatalf("the cause should be said once, with no earlier failure to report, got %q", err)
	}
	if strings.Count(err.Error(), "deadline exceeded") != 1 {
		t.Fatalf("the deadline should be named once, got %q", err)
	}
}
