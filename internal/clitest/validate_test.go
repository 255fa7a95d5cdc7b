package clitest

import (
	"fmt"
	"testing"
)

// waitingDataSource is a data source with every block the data source takes.
const waitingDataSource = `
data "dts_migration_job_status" "job" {
  migration_job_id = "dtsvalidate01"

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "10s"
  }

  timeouts {
    read = "30m"
  }
}

output "status" {
  value = data.dts_migration_job_status.job.data_synchronization_status.status
}
`

// TestValidateNeedsNoCredentials shows that credentials and the endpoint are resolved only when a
// job is read: validate passes with none, and sends nothing.
func TestValidateNeedsNoCredentials(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	cases := map[string]string{
		"no arguments":    ``,
		"closed endpoint": fmt.Sprintf("  endpoint = %q", closedEndpoint(t)),
		// Keyless, at a live endpoint: a request would show in the fake.
		"fake endpoint": fmt.Sprintf("  region = %q\n  endpoint = %q", testRegion, f.URL()),
	}
	for name, providerArgs := range cases {
		t.Run(name, func(t *testing.T) {
			m := newRootModule(t, config(providerArgs, waitingDataSource))
			r := m.run("validate")
			m.mustSucceed(r, "terraform validate")
			mustContain(t, r.output(), "Success! The configuration is valid")
		})
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("validate sent %d requests to the endpoint, want none", n)
	}
}

// TestWaitForValidationCallsNoAPI shows that a wrong wait_for fails validate and plan before any
// request: the provider points at a fake that would answer.
func TestWaitForValidationCallsNoAPI(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, waitFor string
		want          []string
	}{
		{
			name:    "status in the wrong case",
			waitFor: `stage = "data_synchronization"` + "\n" + `status = ["catched"]`,
			want:    []string{"Misspelled wait_for status", `"catched" is not a data_synchronization status, but "Catched" is`},
		},
		{
			name:    "max_delay_seconds outside data_synchronization",
			waitFor: `stage = "precheck"` + "\n" + `status = ["Finished"]` + "\n" + `max_delay_seconds = 5`,
			want:    []string{"max_delay_seconds needs stage data_synchronization"},
		},
		{
			name:    "poll_interval below 1s",
			waitFor: `stage = "job"` + "\n" + `status = ["Finished"]` + "\n" + `poll_interval = "500ms"`,
			want:    []string{"Invalid wait_for.poll_interval", "it must be at least 1s"},
		},
		{
			name:    "unknown stage",
			waitFor: `stage = "sync"` + "\n" + `status = ["Catched"]`,
			want:    []string{"Invalid Attribute Value Match", `wait_for.stage value must be one of: ["job" "precheck"`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			m := newRootModule(t, config(fakeProvider(f), fmt.Sprintf(`
data "dts_migration_job_status" "job" {
  migration_job_id = "dtsvalidate01"
  wait_for {
    %s
  }
}
`, tc.waitFor)))
			for _, command := range []string{"validate", "plan"} {
				r := m.run(command)
				if r.exitCode == 0 {
					t.Errorf("terraform %s succeeded, want an error:\n%s", command, r.stdout)
				}
				mustContain(t, r.output(), append([]string{"Error:"}, tc.want...)...)
			}
			if n := len(f.Requests()); n != 0 {
				t.Errorf("validate and plan sent %d requests, want none", n)
			}
		})
	}
}
