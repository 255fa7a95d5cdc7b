package clitest

import (
	"fmt"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// readJob is a data source for jobID, with extra inside its block, and outputs of what plan shows.
func readJob(jobID, extra string) string {
	return fmt.Sprintf(`
data "dts_migration_job_status" "job" {
  migration_job_id = %q
  %s
}

output "job_status" {
  value = data.dts_migration_job_status.job.migration_job_status
}

output "sync_status" {
  value = data.dts_migration_job_status.job.data_synchronization_status.status
}

output "delay_is_null" {
  value = data.dts_migration_job_status.job.data_synchronization_status.delay == null
}
`, jobID, extra)
}

// syncing is a job in incremental synchronization, delay seconds behind its source.
func syncing(delay int64) fakedts.State {
	return fakedts.State{
		JobStatus: "Migrating", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: "Migrating", SyncPercent: 95, Delay: fakedts.Delay(delay),
	}
}

// TestPlanSendsOneRequest shows that one plan reads a data source without wait_for exactly once:
// Terraform does not call ReadDataSource twice, and the provider does not call the API twice.
func TestPlanSendsOneRequest(t *testing.T) {
	t.Parallel()
	const jobID = "dtsonerequest01"
	f := newFake(t)
	f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(3).Body(jobID)}}})
	m := newRootModule(t, config(fakeProvider(f), readJob(jobID, "")))

	r := m.run("plan")
	m.mustSucceed(r, "terraform plan")
	mustContain(t, r.output(), `+ job_status = "Migrating"`, `+ sync_status = "Migrating"`, "+ delay_is_null = false")
	reqs := f.DescribeRequests()
	if len(reqs) != 1 {
		t.Fatalf("one plan sent %d DescribeMigrationJobStatus requests, want 1", len(reqs))
	}
	if reqs[0].MigrationJobID != jobID || reqs[0].Status != 200 {
		t.Errorf("request for job %q answered %d, want job %q answered 200", reqs[0].MigrationJobID, reqs[0].Status, jobID)
	}
}

// TestPlanShowsUnparsableValueWarning shows that a value the decoder cannot parse reaches the
// person running plan as a warning naming the attribute and the raw value, and the plan goes on.
func TestPlanShowsUnparsableValueWarning(t *testing.T) {
	t.Parallel()
	const jobID = "dtsunparsable01"
	body := syncing(3).Body(jobID)
	sync, ok := body["DataSynchronizationStatus"].(map[string]any)
	if !ok {
		t.Fatalf("fakedts.State.Body has no DataSynchronizationStatus object: %v", body)
	}
	sync["Delay"] = "soon"
	f := newFake(t)
	f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: body}}})
	m := newRootModule(t, config(fakeProvider(f), readJob(jobID, "")))

	r := m.run("plan")
	m.mustSucceed(r, "terraform plan")
	mustContain(t, r.output(),
		"Warning: Unparsable value in the DTS response",
		"data_synchronization_status.delay",
		`"soon"`,
		// The rest of the response is read; the bad value is null.
		`+ sync_status = "Migrating"`,
		"+ delay_is_null = true",
	)
}

// TestPlanWaitsForUndocumentedStatus shows that a target status the documentation omits is a
// warning, not an error, and that the wait ends when the job reaches it.
func TestPlanWaitsForUndocumentedStatus(t *testing.T) {
	t.Parallel()
	const jobID = "dtspaused01"
	f := newFake(t)
	f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{
		{Body: syncing(3).Body(jobID), Requests: 2},
		{Body: fakedts.State{JobStatus: "Paused", Sync: "Migrating", Delay: fakedts.Delay(3)}.Body(jobID)},
	}})
	m := newRootModule(t, config(fakeProvider(f), readJob(jobID, `
  wait_for {
    stage         = "job"
    status        = ["Paused"]
    poll_interval = "1s"
  }
  timeouts {
    read = "2m"
  }`)))

	r := m.run("plan")
	m.mustSucceed(r, "terraform plan")
	mustContain(t, r.output(), "Warning: Undocumented wait_for status", `"Paused" is not among the documented job statuses`,
		`+ job_status = "Paused"`)
	if n := len(f.DescribeRequests()); n != 3 {
		t.Errorf("the wait sent %d requests, want 3: two while Migrating, one that saw Paused", n)
	}
}
