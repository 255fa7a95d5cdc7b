package clitest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// STS credentials the fake knows; every secret holds + / =, which each encoding changes.
const (
	testSTSKey    = "STS.NCliTestKey7x"
	testSTSSecret = "sts+Cli/Secret=Zq4"
	testSTSToken  = "CAIS+cli/Token==Value+With/Specials9K"
	// wrongSTSSecret signs requests the fake rejects with SignatureDoesNotMatch.
	wrongSTSSecret = "wrong+Cli/Secret=Jm2"
)

// TestTraceLogKeepsSecrets runs plan with TF_LOG=TRACE against a success, a rejected signature
// (whose message echoes the string to sign, the token percent-encoded twice in it) and a refused
// connection, and looks for the secret key, the security token and the signatures sent in every
// encoding, in the log and in terraform's output. dts_job_status meets a job that DTS retries on
// its own (logged with each poll), a rejected signature and a throttled call.
func TestTraceLogKeepsSecrets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		ds   jobDataSource
		// steps are the dts_job_status job's answers; nil for a job in incremental synchronization.
		steps []fakedts.Step
		// status is what the wait waits for; empty for "Migrating".
		status string
		secret string
		// closed points the provider at a port where nothing listens.
		closed bool
		// readTimeout ends the wait: a refused connection does not, while time remains.
		readTimeout string
		// faults replace the fake's answers; a read meeting them is not a wait, so it fails at once.
		faults []fakedts.Fault
		// succeeds says whether the plan should succeed.
		succeeds bool
		// want is in the output or the log, and shows the scenario happened and the log is not empty.
		wantOutput, wantLog []string
	}{
		{
			name: "success", ds: legacyJobs, secret: testSTSSecret, readTimeout: "1m", succeeds: true,
			wantOutput: []string{`+ job_status = "Migrating"`},
			wantLog:    []string{"DTS API response", "Polled DTS migration job status"},
		},
		{
			name: "signature does not match", ds: legacyJobs, secret: wrongSTSSecret, readTimeout: "1m",
			wantOutput: []string{"SignatureDoesNotMatch"},
			// The echo reached the log, redacted: without redaction the token would be there.
			wantLog: []string{"DTS API response", "server string to sign is:", "SecurityToken%3D[REDACTED]"},
		},
		{
			name: "connection refused", ds: legacyJobs, secret: testSTSSecret, readTimeout: "4s", closed: true,
			wantOutput: []string{"connection refused"},
			wantLog:    []string{"DTS API call failed, retrying", "connection refused (after 2 attempts)"},
		},
		{
			// İ grows when lower-cased, which once turned off case-insensitive redaction.
			name: "proxy's 502 page in Turkish", ds: legacyJobs, secret: testSTSSecret, readTimeout: "1m",
			faults:     repeat(2, fakedts.Fault{Status: 502, Body: []byte(turkishProxyPage(testSTSToken))}),
			wantOutput: []string{"HTTP 502", "Hatalı", "[REDACTED]"},
			wantLog:    []string{"DTS API call failed, retrying", "İstek: [REDACTED]"},
		},
		{
			name: "SignatureDoesNotMatch in GBK", ds: legacyJobs, secret: testSTSSecret, readTimeout: "1m",
			faults:     []fakedts.Fault{{Status: 400, Body: gbkSignatureMismatch(testSTSToken)}},
			wantOutput: []string{"SignatureDoesNotMatch"},
			wantLog:    []string{"DTS API response", "SecurityToken%3D[REDACTED]", "token [REDACTED]"},
		},
		{
			name: "dts_job_status retrying", ds: currentJobs, secret: testSTSSecret, readTimeout: "1m", succeeds: true,
			steps: []fakedts.Step{
				{Body: retryingJob().Item(secretsJobID), Requests: 2},
				{Body: fakedts.DtsState{Status: "Synchronizing", Sync: "Catched", Delay: fakedts.Delay(1)}.Item(secretsJobID)},
			},
			status:     "Catched",
			wantOutput: []string{`+ job_status = "Synchronizing"`, `+ sync_status = "Catched"`},
			wantLog: []string{"DTS API response", "Polled DTS job status", "retrying=true", "retry_target=destDB",
				`retry_error="connect to destination timed out"`},
		},
		{
			name: "dts_job_status signature does not match", ds: currentJobs, secret: wrongSTSSecret, readTimeout: "1m",
			wantOutput: []string{"SignatureDoesNotMatch", "dts_job_status"},
			wantLog:    []string{"DTS API response", "server string to sign is:", "SecurityToken%3D[REDACTED]"},
		},
		{
			name: "dts_job_status throttled", ds: currentJobs, secret: testSTSSecret, readTimeout: "1m",
			faults: repeat(2, fakedts.Fault{Status: 400, Code: "Throttling.User",
				Message: "Request was denied due to user flow control. token " + testSTSToken}),
			wantOutput: []string{"Throttling.User", "control. token [REDACTED]"},
			wantLog:    []string{"DTS API call failed, retrying", "Throttling.User"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const jobID = secretsJobID
			f := fakedts.NewServer()
			t.Cleanup(f.Close)
			f.AddSTSKey(testSTSKey, testSTSSecret, testSTSToken)
			f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(3).Body(jobID)}}})
			job := syncJob(jobID, 3)
			if tc.steps != nil {
				job.Steps = tc.steps
			}
			f.SetDtsJob(jobID, job)
			if tc.status == "" {
				tc.status = "Migrating"
			}
			f.QueueFaults(tc.faults...)
			wait := `
  wait_for {
    stage         = "data_synchronization"
    status        = ["` + tc.status + `"]
    poll_interval = "1s"
  }`
			if tc.faults != nil {
				wait = ""
			}
			endpoint := f.URL()
			if tc.closed {
				endpoint = closedEndpoint(t)
			}
			m := newRootModule(t, config(fmt.Sprintf(`  region         = %q
  endpoint       = %q
  access_key     = %q
  secret_key     = %q
  security_token = %q
  max_retries    = 1
`, testRegion, endpoint, testSTSKey, tc.secret, testSTSToken), tc.ds.read(jobID, wait+`
  timeouts {
    read = "`+tc.readTimeout+`"
  }`)))
			logPath := filepath.Join(t.TempDir(), "terraform.log")
			m.setenv("TF_LOG", "TRACE")
			m.setenv("TF_LOG_PATH", logPath)

			r := m.run("plan")
			if succeeded := r.exitCode == 0; succeeded != tc.succeeds {
				t.Errorf("terraform plan exited %d, want success %v:\n%s\n%s", r.exitCode, tc.succeeds, r.stdout, r.stderr)
			}
			logText, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			mustContain(t, r.output(), tc.wantOutput...)
			for _, w := range tc.wantLog {
				if !strings.Contains(string(logText), w) {
					t.Errorf("the TRACE log (%d bytes) lacks %q", len(logText), w)
				}
			}

			secrets := map[string]string{"secret key": tc.secret, "security token": testSTSToken}
			reqs := f.Requests()
			if !tc.closed && len(reqs) == 0 {
				t.Fatal("the fake saw no request, so there is no signature to look for")
			}
			for i, req := range reqs {
				secrets[fmt.Sprintf("signature of request %d", i)] = req.Params.Get("Signature")
			}
			texts := map[string]string{"the TRACE log": string(logText), "stdout": r.stdout, "stderr": r.stderr}
			for what, secret := range secrets {
				if secret == "" {
					t.Errorf("%s is empty", what)
					continue
				}
				for where, text := range texts {
					if form, leaked := fakedts.LeakedForm(text, secret); leaked {
						t.Errorf("%s shows the %s as %q", where, what, form)
					}
				}
			}
		})
	}
}

// secretsJobID is the job TestTraceLogKeepsSecrets reads.
const secretsJobID = "dtssecrets01"

// retryingJob is a synchronization job that DTS retries on its own, since it cannot reach the
// destination.
func retryingJob() fakedts.DtsState {
	return fakedts.DtsState{Status: "Retrying", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: "Migrating", Delay: fakedts.Delay(50), Retrying: true, RetryCount: 3, RetryTarget: "destDB",
		RetryError: "connect to destination timed out"}
}

// turkishProxyPage is a proxy's 502 page in Turkish that echoes the request's security token.
func turkishProxyPage(token string) string {
	return `<html lang="tr"><h1>502 Hatalı Ağ Geçidi</h1><p>İstek: ` + token + `</p><p>Lütfen daha sonra tekrar deneyin.</p></html>`
}

// gbkSignatureMismatch is a SignatureDoesNotMatch body whose message starts in GBK bytes (not
// UTF-8) and echoes the token, raw and percent-encoded twice as in the service's string to sign.
func gbkSignatureMismatch(token string) []byte {
	twice := strings.ReplaceAll(strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(token), "%", "%25")
	return []byte(`{"RequestId":"R-GBK","Code":"SignatureDoesNotMatch","Message":"` +
		"\xc7\xa9\xc3\xfb\xb2\xbb\xc6\xa5\xc5\xe4 server string to sign is:POST&%2F&SecurityToken%3D" + twice + " token " + token + `"}`)
}

func repeat(n int, f fakedts.Fault) []fakedts.Fault {
	out := make([]fakedts.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}
