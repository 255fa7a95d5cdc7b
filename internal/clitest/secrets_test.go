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
// encoding, in the log and in terraform's output.
func TestTraceLogKeepsSecrets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		secret string
		// closed points the provider at a port where nothing listens.
		closed bool
		// readTimeout ends the wait: a refused connection does not, while time remains.
		readTimeout string
		// succeeds says whether the plan should succeed.
		succeeds bool
		// want is in the output or the log, and shows the scenario happened and the log is not empty.
		wantOutput, wantLog []string
	}{
		{
			name: "success", secret: testSTSSecret, readTimeout: "1m", succeeds: true,
			wantOutput: []string{`+ job_status = "Migrating"`},
			wantLog:    []string{"DTS API response", "Polled DTS migration job status"},
		},
		{
			name: "signature does not match", secret: wrongSTSSecret, readTimeout: "1m",
			wantOutput: []string{"SignatureDoesNotMatch"},
			// The echo reached the log, redacted: without redaction the token would be there.
			wantLog: []string{"DTS API response", "server string to sign is:", "SecurityToken%3D[REDACTED]"},
		},
		{
			name: "connection refused", secret: testSTSSecret, readTimeout: "4s", closed: true,
			wantOutput: []string{"connection refused"},
			wantLog:    []string{"DTS API call failed, retrying", "connection refused (after 2 attempts)"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const jobID = "dtssecrets01"
			f := fakedts.NewServer()
			t.Cleanup(f.Close)
			f.AddSTSKey(testSTSKey, testSTSSecret, testSTSToken)
			f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(3).Body(jobID)}}})
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
`, testRegion, endpoint, testSTSKey, tc.secret, testSTSToken), readJob(jobID, `
  wait_for {
    stage         = "data_synchronization"
    status        = ["Migrating"]
    poll_interval = "1s"
  }
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
			reqs := f.DescribeRequests()
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
