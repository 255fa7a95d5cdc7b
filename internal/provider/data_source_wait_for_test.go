package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

func syncState(status string, delay int64) fakedts.State {
	return fakedts.State{
		JobStatus: "Migrating", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: status, SyncPercent: 95, Delay: fakedts.Delay(delay), Checkpoint: 1612507847,
	}
}

func timeline(jobID string, each time.Duration, states ...fakedts.State) fakedts.Job {
	steps := make([]fakedts.Step, len(states))
	for i, st := range states {
		steps[i] = fakedts.Step{Body: st.Body(jobID), Duration: each}
	}
	return fakedts.Job{Steps: steps}
}

func waitConfig(f *fakedts.Server, jobID, waitFor, extra string) string {
	return jobConfig(f, jobID, fmt.Sprintf("wait_for {\n    %s\n  }\n  %s", waitFor, extra))
}

const catchedWithin5s = `stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "1s"`

// pollTimes lists when each request came, relative to the first, for failure messages.
func pollTimes(reqs []fakedts.Request) []time.Duration {
	out := make([]time.Duration, len(reqs))
	for i, r := range reqs {
		out[i] = r.Time.Sub(reqs[0].Time).Round(100 * time.Millisecond)
	}
	return out
}

func TestAccWaitUntilCaughtUp(t *testing.T) {
	f := newFake(t)
	// Behind, still behind, caught up but above the bound, then caught up within it.
	f.SetJob("dts-wait", timeline("dts-wait", 1500*time.Millisecond,
		syncState("Migrating", 40), syncState("Migrating", 12), syncState("Catched", 8), syncState("Catched", 2)))
	t.Parallel() // before the clock starts: a parallel test first waits for the serial ones to end
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: waitConfig(f, "dts-wait", catchedWithin5s, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(attr("data_synchronization_status", "status"), knownvalue.StringExact("Catched")),
				expect(attr("data_synchronization_status", "delay"), knownvalue.Int64Exact(2)),
			},
		}},
	})
	reqs := f.DescribeRequests()
	// The timeline reaches the target 4.5s after the first poll: polls at 0..5s, one a second.
	first := reqs[0].Time
	n := 0
	for _, r := range reqs {
		if r.Time.Sub(first) < 4500*time.Millisecond {
			n++
		}
	}
	if n < 4 || n > 6 {
		t.Fatalf("want about one poll a second until the target (4 to 6 polls in 4.5s), got %d: %v", n, pollTimes(reqs))
	}
	if elapsed := time.Since(start); elapsed > 60*time.Second {
		t.Fatalf("the wait took %s", elapsed)
	}
}

func TestAccWaitFailsAtOnceWhenTheMigrationFails(t *testing.T) {
	f := newFake(t)
	failed := syncState("Failed", 0)
	failed.JobStatus = "MigrationFailed"
	failed.SyncError = "The task has failed for a long time and cannot be recovered."
	f.SetJob("dts-fails", timeline("dts-fails", 1500*time.Millisecond, syncState("Migrating", 40), failed))
	t.Parallel() // before the clock starts: a parallel test first waits for the serial ones to end
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      waitConfig(f, "dts-fails", catchedWithin5s, "timeouts {\n    read = \"10m\"\n  }"),
			ExpectError: re(`cannot reach the awaited status[\s\S]*the job failed \(job status "MigrationFailed"\)[\s\S]*The task has failed for a long time and cannot be recovered`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Fatalf("the plan should end as soon as the failure shows (about 2s), took %s", elapsed)
	}
	reqs := f.DescribeRequests()
	if len(reqs) < 2 || len(reqs) > 4 {
		t.Fatalf("want the wait to stop at the first failed poll (2 or 3 polls), got %d", len(reqs))
	}
}

func TestAccWaitReportsPrecheckFailures(t *testing.T) {
	f := newFake(t)
	st := fakedts.State{JobStatus: "PrecheckFailed", Precheck: "Failed", PrecheckPercent: 100, FailedChecks: []fakedts.CheckItem{{
		Name: "CHECK_CONN_SRC", ErrorMessage: "Original error: Access denied for user 'dtstest'", RepairMethod: "CHECK_ERROR_DEST_CONN_REPAIR2",
	}}}
	f.SetJob("dts-precheck", fakedts.Job{Steps: []fakedts.Step{{Body: st.Body("dts-precheck")}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: waitConfig(f, "dts-precheck", `stage = "job"
    status = ["Migrating", "Finished"]`, ""),
			ExpectError: re(`precheck failed[\s\S]*CHECK_CONN_SRC: Failed: Original error: Access denied for user 'dtstest'; repair: CHECK_ERROR_DEST_CONN_REPAIR2`),
		}},
	})
	if n := len(f.DescribeRequests()); n != 1 {
		t.Fatalf("want one poll, got %d", n)
	}
}

func TestAccWaitTimesOut(t *testing.T) {
	f := newFake(t)
	f.SetJob("dts-slow", fakedts.Job{Steps: []fakedts.Step{{Body: syncState("Migrating", 40).Body("dts-slow")}}})
	t.Parallel() // before the clock starts: a parallel test first waits for the serial ones to end
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      waitConfig(f, "dts-slow", catchedWithin5s, "timeouts {\n    read = \"3s\"\n  }"),
			ExpectError: re(`Timed out waiting for DTS migration job[\s\S]*timed out after 3s[\s\S]*data_synchronization status "Migrating", percent 95, delay 40s[\s\S]*timeouts.read`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Fatalf("a 3s read timeout took %s", elapsed)
	}
	if n := len(f.DescribeRequests()); n < 3 || n > 4 {
		t.Fatalf("want 3 polls a second apart within 3s, got %d", n)
	}
}

// TestAccWaitFailsClosed: a response that cannot establish the stage's status, or the delay, never
// satisfies the target.
func TestAccWaitFailsClosed(t *testing.T) {
	cases := map[string]fakedts.State{
		"no synchronization status": {JobStatus: "Migrating", Precheck: "Finished"},
		"no delay":                  {JobStatus: "Migrating", Sync: "Catched", SyncPercent: 100},
	}
	for name, st := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.SetJob("dts-closed", fakedts.Job{Steps: []fakedts.Step{{Body: st.Body("dts-closed")}}})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories,
				Steps: []resource.TestStep{{
					Config:      waitConfig(f, "dts-closed", catchedWithin5s, "timeouts {\n    read = \"2s\"\n  }"),
					ExpectError: re(`Timed out waiting for DTS migration job`),
				}},
			})
		})
	}
}

const cutoverConfig = `
resource "terraform_data" "cutover" {
  input = data.dts_migration_job_status.test.data_synchronization_status.checkpoint_time

  lifecycle {
    precondition {
      condition = (
        data.dts_migration_job_status.test.data_synchronization_status.status == "Catched" &&
        data.dts_migration_job_status.test.data_synchronization_status.delay <= 5
      )
      error_message = "Replication is behind: the cutover waits until DTS has caught up."
    }
  }
}
`

func TestAccCutoverPrecondition(t *testing.T) {
	f := newFake(t)
	f.SetJob("dts-cutover", fakedts.Job{Steps: []fakedts.Step{{Body: syncState("Migrating", 60).Body("dts-cutover")}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			{
				Config:      jobConfig(f, "dts-cutover", "") + cutoverConfig,
				ExpectError: regexp.MustCompile(`Replication is behind`),
			},
			{
				PreConfig: func() {
					f.SetJob("dts-cutover", fakedts.Job{Steps: []fakedts.Step{{Body: syncState("Catched", 1).Body("dts-cutover")}}})
				},
				Config: jobConfig(f, "dts-cutover", "") + cutoverConfig,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("terraform_data.cutover", attr("output"), knownvalue.StringExact("2021-02-05T06:50:47Z")),
				},
			},
		},
	})
}

// TestAccWaitForValidation: mistakes in wait_for fail the plan without calling the API.
func TestAccWaitForValidation(t *testing.T) {
	cases := map[string]struct {
		waitFor string
		want    string
	}{
		"wrong case":             {`stage = "data_synchronization"` + "\n" + `status = ["catched"]`, `"catched" is not a data_synchronization status, but "Catched" is`},
		"unknown stage":          {`stage = "sync"` + "\n" + `status = ["Catched"]`, `"sync" is not a stage; use one of`},
		"missing stage":          {`status = ["Catched"]`, `wait_for needs stage`},
		"missing status":         {`stage = "job"`, `wait_for needs status`},
		"empty status":           {`stage = "job"` + "\n" + `status = []`, `needs at least one target status`},
		"delay with other stage": {`stage = "precheck"` + "\n" + `status = ["Finished"]` + "\n" + `max_delay_seconds = 5`, `Only incremental synchronization has a delay`},
		"short poll interval":    {`stage = "job"` + "\n" + `status = ["Finished"]` + "\n" + `poll_interval = "500ms"`, `poll_interval is 500ms; it must be at least 1s`},
		"bad poll interval":      {`stage = "job"` + "\n" + `status = ["Finished"]` + "\n" + `poll_interval = "often"`, `poll_interval "often" is not a duration`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			migratingJob(f, "dts-valid")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories,
				Steps: []resource.TestStep{{
					Config:      waitConfig(f, "dts-valid", tc.waitFor, ""),
					ExpectError: re(regexp.QuoteMeta(tc.want)),
				}},
			})
			if n := len(f.Requests()); n != 0 {
				t.Fatalf("validation must not call the API, the fake saw %d requests", n)
			}
		})
	}
}
