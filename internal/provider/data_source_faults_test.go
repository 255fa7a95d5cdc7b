package provider

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// faultCase reads one job while the fake misbehaves, and checks the outcome, the requests the fake
// saw, and bounds on how long the read took.
type faultCase struct {
	name  string
	setup func(f *fakedts.Server)
	// block replaces the provider block's credentials and settings.
	block string
	// data is added to the data source block.
	data   string
	tuning func(*tuning)
	// endpoint, when set, replaces the fake's URL.
	endpoint string
	// wantErr matches the error; nil means the read succeeds.
	wantErr      *regexp.Regexp
	wantRequests int
	// within bounds the whole test case, Terraform's start-up included, with a margin of ten times
	// what it takes; atLeast is what the case must take if the provider waits as it should.
	within, atLeast time.Duration
	check           func(t *testing.T, reqs []fakedts.Request)
}

const (
	stsWrongSecret = "wrong+Secret/Value=="
	faultJob       = "dts-fault"
)

func stsBlock(secret string) string {
	return fmt.Sprintf("access_key = %q\n  secret_key = %q\n  security_token = %q", testSTSKey, secret, testSTSToken)
}

func withRetries(n int) string {
	return fmt.Sprintf("access_key = %q\n  secret_key = %q\n  max_retries = %d", testAccessKey, testSecretKey, n)
}

func queue(faults ...fakedts.Fault) func(*fakedts.Server) {
	return func(f *fakedts.Server) { f.QueueFaults(faults...) }
}

func repeat(n int, fault fakedts.Fault) []fakedts.Fault {
	out := make([]fakedts.Fault, n)
	for i := range out {
		out[i] = fault
	}
	return out
}

// turkishProxyPage is a proxy's 502 page in Turkish that echoes the request's security token.
func turkishProxyPage(token string) string {
	return `<html lang="tr"><h1>502 Hatalı Ağ Geçidi</h1><p>İstek: ` + token + `</p><p>Lütfen daha sonra tekrar deneyin.</p></html>`
}

// twicePercentEncoded is s percent-encoded twice, as the service echoes the token in a string to sign.
func twicePercentEncoded(s string) string {
	once := strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(s)
	return strings.ReplaceAll(once, "%", "%25")
}

var throttled = fakedts.Fault{Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control."}

// re compiles a pattern in which each space matches any run of white space, since Terraform wraps
// diagnostics at 80 columns.
func re(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there any more: connections are refused
	return "http://" + addr
}

// outcomes summarizes what the fake answered, for failure messages.
func outcomes(reqs []fakedts.Request) string {
	parts := make([]string, len(reqs))
	for i, r := range reqs {
		parts[i] = fmt.Sprintf("%d %s", r.Status, r.Code)
	}
	return strings.Join(parts, ", ")
}

func distinctNonces(t *testing.T, reqs []fakedts.Request) {
	seen := map[string]bool{}
	for _, r := range reqs {
		if seen[r.Nonce] {
			t.Errorf("nonce %q was sent twice", r.Nonce)
		}
		seen[r.Nonce] = true
	}
}

func runFaultCase(t *testing.T, tc faultCase) {
	t.Parallel()
	f := newFake(t)
	f.SetJob(faultJob, fakedts.Job{Steps: []fakedts.Step{{Body: fakedts.State{JobStatus: "Migrating", Sync: "Migrating", Delay: fakedts.Delay(3)}.Body(faultJob)}}})
	if tc.setup != nil {
		tc.setup(f)
	}
	tun := testTuning()
	if tc.tuning != nil {
		tc.tuning(&tun)
	}
	config := providerConfig(f, tc.block) + fmt.Sprintf(`
data "dts_migration_job_status" "test" {
  migration_job_id = %q
  %s
}
`, faultJob, tc.data)
	if tc.endpoint != "" {
		config = strings.Replace(config, f.URL(), tc.endpoint, 1)
	}
	step := resource.TestStep{Config: config}
	if tc.wantErr == nil {
		step.ConfigStateChecks = []statecheck.StateCheck{expect(attr("migration_job_status"), knownvalue.StringExact("Migrating"))}
	}
	var sawError atomic.Bool
	checkSecrets := noSecrets(t, stsWrongSecret)
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(tun),
		Steps:                    []resource.TestStep{step},
		ErrorCheck: func(err error) error {
			if err == nil {
				return nil
			}
			sawError.Store(true)
			if tc.wantErr == nil {
				return err
			}
			_ = checkSecrets(err)
			if !tc.wantErr.MatchString(err.Error()) {
				return fmt.Errorf("the error does not match %s:\n%w", tc.wantErr, err)
			}
			return nil
		},
	})
	elapsed := time.Since(start)
	if tc.wantErr != nil && !sawError.Load() {
		t.Fatalf("want an error matching %s, the read succeeded", tc.wantErr)
	}
	reqs := f.DescribeRequests()
	if tc.wantErr != nil {
		// A failed read ends the step: every request belongs to it.
		if len(reqs) != tc.wantRequests {
			t.Errorf("the fake saw %d requests, want %d", len(reqs), tc.wantRequests)
		}
	} else {
		// A step reads the data source in several Terraform commands; the faults are all met by the
		// first read, which must take exactly wantRequests requests, and every later read one.
		first := -1
		for i, r := range reqs {
			if r.Status == 200 && r.Code == "" {
				first = i
				break
			}
		}
		if first+1 != tc.wantRequests {
			t.Errorf("the first read took %d requests (%s), want %d", first+1, outcomes(reqs), tc.wantRequests)
		}
		for _, r := range reqs[first+1:] {
			if r.Status != 200 || r.Code != "" {
				t.Errorf("a later read met a failure: %+v", r)
			}
		}
	}
	if tc.within > 0 && elapsed > tc.within {
		t.Errorf("the case took %s, more than its bound of %s", elapsed, tc.within)
	}
	if elapsed < tc.atLeast {
		t.Errorf("the case took %s, less than the %s it must wait", elapsed, tc.atLeast)
	}
	if tc.check != nil {
		tc.check(t, reqs)
	}
}

// TestAccServiceErrors: each common error gives its diagnostic, with no retry where none is due and
// no secret in the output.
func TestAccServiceErrors(t *testing.T) {
	cases := []faultCase{
		{
			name:         "unknown job",
			data:         `region_id = "cn-shanghai"`,
			setup:        func(f *fakedts.Server) { f.DeleteJob(faultJob) },
			wantErr:      re(`DTS API error: InvalidJobId[\s\S]*"dts-fault" in region cn-shanghai[\s\S]*The specified job does not exist[\s\S]*Request ID: \S+[\s\S]*job lives in region cn-shanghai`),
			wantRequests: 1,
		},
		{
			name:         "wrong secret with an STS token",
			block:        stsBlock(stsWrongSecret),
			wantErr:      re(`DTS API error: SignatureDoesNotMatch[\s\S]*server string to sign is[\s\S]*\[REDACTED\][\s\S]*secret key does not match`),
			wantRequests: 1,
		},
		{
			name:         "unknown access key",
			block:        `access_key = "LTAI5tNoSuchKey"` + "\n  secret_key = \"x\"",
			wantErr:      re(`DTS API error: InvalidAccessKeyId.NotFound[\s\S]*HTTP status: 404[\s\S]*access key ID does not exist`),
			wantRequests: 1,
		},
		{
			name:         "missing RAM permission",
			setup:        queue(fakedts.Fault{Code: "Forbidden.RAM", Message: "User not authorized to operate on the specified resource."}),
			wantErr:      re(`DTS API error: Forbidden.RAM[\s\S]*HTTP status: 403[\s\S]*dts:DescribeMigrationJobStatus`),
			wantRequests: 1,
		},
		{
			name:         "clock skew",
			setup:        func(f *fakedts.Server) { f.SetNow(func() time.Time { return time.Now().Add(20 * time.Minute) }) },
			wantErr:      re(`DTS API error: InvalidTimeStamp.Expired[\s\S]*check the clock of\s+the machine`),
			wantRequests: 1,
		},
		{
			// İ grows when lower-cased, which once turned off case-insensitive redaction.
			name:         "proxy's 502 page in Turkish echoing the security token",
			block:        stsBlock(testSTSSecret) + "\n  max_retries = 0",
			setup:        queue(fakedts.Fault{Status: 502, Body: []byte(turkishProxyPage(testSTSToken))}),
			wantErr:      re(`HTTP 502: the response is not valid JSON: <html lang="tr"><h1>502 Hatalı Ağ Geçidi</h1><p>İstek: \[REDACTED\]`),
			wantRequests: 1,
		},
		{
			name:  "SignatureDoesNotMatch in GBK echoing the security token",
			block: stsBlock(testSTSSecret),
			setup: queue(fakedts.Fault{Status: 400, Body: []byte(`{"RequestId":"R-GBK","Code":"SignatureDoesNotMatch","Message":"` +
				"\xc7\xa9\xc3\xfb\xb2\xbb\xc6\xa5\xc5\xe4 server string to sign is:POST&%2F&SecurityToken%3D" +
				twicePercentEncoded(testSTSToken) + " token " + testSTSToken + `"}`)}),
			wantErr:      re(`DTS API error: SignatureDoesNotMatch[\s\S]*server string to sign is:POST&%2F&SecurityToken%3D\[REDACTED\]`),
			wantRequests: 1,
		},
		{
			name:         "throttled on every attempt",
			block:        withRetries(2),
			setup:        queue(repeat(10, throttled)...),
			wantErr:      re(`DTS API error: Throttling.User[\s\S]*Attempts: 3[\s\S]*raise\s+max_retries`),
			wantRequests: 3,
			check:        distinctNonces,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runFaultCase(t, tc) })
	}
}

// TestAccFaults injects the faults a production plan meets; each asserts the outcome, the requests
// the fake saw and a bound on the elapsed time.
func TestAccFaults(t *testing.T) {
	cases := []faultCase{
		{
			name:         "throttled max_retries times in a row, then success",
			block:        withRetries(3),
			setup:        queue(repeat(3, throttled)...),
			wantRequests: 4, within: 30 * time.Second, check: distinctNonces,
		},
		{
			// A retryable answer, so only max_retries stands between it and a second request.
			name:         "max_retries = 0 sends exactly one request",
			block:        withRetries(0),
			setup:        queue(repeat(6, fakedts.Fault{Status: 503, Code: "ServiceUnavailable"})...),
			wantErr:      re(`DTS API error: ServiceUnavailable[\s\S]*HTTP status: 503[\s\S]*Attempts: 1`),
			wantRequests: 1, within: 30 * time.Second,
		},
		{
			name:         "HTTP 500 then success",
			setup:        queue(fakedts.Fault{Status: 500, Code: "InternalError"}),
			wantRequests: 2, within: 30 * time.Second,
		},
		{
			name:         "HTTP 502 HTML page then success",
			setup:        queue(fakedts.Fault{Status: 502, Body: []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")}),
			wantRequests: 2, within: 30 * time.Second,
		},
		{
			name:         "HTTP 503 then success",
			setup:        queue(fakedts.Fault{Status: 503, Code: "ServiceUnavailable"}),
			wantRequests: 2, within: 30 * time.Second,
		},
		{
			name:         "connection reset then success",
			setup:        queue(fakedts.Fault{Reset: true}),
			wantRequests: 2, within: 30 * time.Second,
		},
		{
			name:         "signature nonce used, retried with a fresh nonce",
			setup:        queue(fakedts.Fault{Status: 400, Code: "SignatureNonceUsed", Message: "Specified signature nonce was used already."}),
			wantRequests: 2, within: 30 * time.Second, check: distinctNonces,
		},
		{
			name:         "hanging answer cut off by the per-attempt timeout",
			setup:        queue(fakedts.Fault{Hang: true}),
			tuning:       func(tu *tuning) { tu.attemptTimeout = 300 * time.Millisecond },
			wantRequests: 2, within: 30 * time.Second, atLeast: 300 * time.Millisecond,
		},
		{
			name:         "refused connection",
			endpoint:     "closed",
			block:        withRetries(2),
			wantErr:      re(`connection refused[\s\S]*Attempts: 3[\s\S]*Check network access`),
			wantRequests: 0, within: 30 * time.Second,
		},
		{
			name:         "server that never answers, each attempt cut off",
			setup:        queue(repeat(50, fakedts.Fault{Hang: true})...),
			block:        withRetries(1),
			tuning:       func(tu *tuning) { tu.attemptTimeout = 300 * time.Millisecond },
			wantErr:      re(`Could not read DTS migration job status[\s\S]*no complete answer within the per-attempt timeout of 300ms[\s\S]*Attempts: 2`),
			wantRequests: 2, within: 30 * time.Second, atLeast: 600 * time.Millisecond,
		},
		{
			name:         "server that never answers, bounded by timeouts.read",
			setup:        queue(repeat(50, fakedts.Fault{Hang: true})...),
			tuning:       func(tu *tuning) { tu.attemptTimeout = time.Minute },
			data:         "timeouts {\n    read = \"2s\"\n  }",
			wantErr:      re(`Timed out reading DTS migration job status[\s\S]*timeout of 2s`),
			wantRequests: 1, within: 30 * time.Second, atLeast: 2 * time.Second,
		},
		{
			name:         "truncated JSON body",
			setup:        queue(fakedts.Fault{Status: 200, Body: []byte(`{"RequestId":"R-1","Success":true,"MigrationJobStatus":"Migr`)}),
			wantErr:      re(`HTTP 200: the response is not valid JSON:\s*\{"RequestId":"R-1"`),
			wantRequests: 1, within: 30 * time.Second,
		},
		{
			name:         "HTML page with HTTP 200",
			setup:        queue(fakedts.Fault{Status: 200, Body: []byte("<!DOCTYPE html><html><body>Maintenance</body></html>")}),
			wantErr:      re(`HTTP 200: the response is not valid JSON: <!DOCTYPE html><html>`),
			wantRequests: 1, within: 30 * time.Second,
		},
		{
			name:         "empty body",
			setup:        queue(fakedts.Fault{Status: 200, Body: []byte{}}),
			wantErr:      re(`HTTP 200: the response body is empty`),
			wantRequests: 1, within: 30 * time.Second,
		},
		{
			name: "body larger than the bound",
			setup: func(f *fakedts.Server) {
				f.SetJob(faultJob, fakedts.Job{Steps: []fakedts.Step{{Raw: []byte(`{"Success":true,"MigrationObject":"` + strings.Repeat("x", 8192) + `"}`)}}})
			},
			tuning:       func(tu *tuning) { tu.maxBodyBytes = 4096 },
			wantErr:      re(`larger than the 4096-byte limit`),
			wantRequests: 1, within: 30 * time.Second,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.endpoint == "closed" {
				tc.endpoint = closedPort(t)
			}
			runFaultCase(t, tc)
		})
	}
}
