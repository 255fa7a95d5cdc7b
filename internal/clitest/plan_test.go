package clitest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// jobDataSource is one of the job status data sources, as the CLI tests read it: a block named
// "job", and outputs job_status, sync_status and delay_is_null of what plan shows.
type jobDataSource struct {
	// name is the data source's type; idAttr, statusAttr and delayAttr are its job ID, job status
	// and synchronization delay attributes.
	name, idAttr, statusAttr, delayAttr string
	// action is the API action that reads the job.
	action string
}

var (
	// legacyJobs reads legacy migration jobs through DescribeMigrationJobStatus.
	legacyJobs = jobDataSource{name: "dts_migration_job_status", idAttr: "migration_job_id",
		statusAttr: "migration_job_status", delayAttr: "data_synchronization_status.delay",
		action: fakedts.ActionDescribeMigrationJobStatus}
	// currentJobs reads jobs of the current API through DescribeDtsJobs.
	currentJobs = jobDataSource{name: "dts_job_status", idAttr: "dts_job_id",
		statusAttr: "status", delayAttr: "delay", action: fakedts.ActionDescribeDtsJobs}
)

// read is the data source for jobID, with extra inside its block, and the outputs.
func (ds jobDataSource) read(jobID, extra string) string {
	// The names go in first, so that nothing in jobID or extra is taken for one.
	return fmt.Sprintf(strings.NewReplacer("TYPE", ds.name, "ID_ATTR", ds.idAttr, "STATUS", ds.statusAttr, "DELAY", ds.delayAttr).Replace(`
data "TYPE" "job" {
  ID_ATTR = %q
  %s
}

output "job_status" {
  value = data.TYPE.job.STATUS
}

output "sync_status" {
  value = data.TYPE.job.data_synchronization_status.status
}

output "delay_is_null" {
  value = data.TYPE.job.DELAY == null
}
`), jobID, extra)
}

// requests returns the requests for the data source's action that f saw.
func (ds jobDataSource) requests(f *fakedts.Server) []fakedts.Request {
	return f.RequestsFor(ds.action)
}

// readJob is the legacy data source for jobID, with extra inside its block, and the outputs.
func readJob(jobID, extra string) string {
	return legacyJobs.read(jobID, extra)
}

// syncJob is a current synchronization job in incremental synchronization, delay seconds behind
// its source, as every read answers.
func syncJob(jobID string, delay int64) fakedts.DtsJob {
	st := fakedts.DtsState{Status: "Synchronizing", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: "Migrating", SyncPercent: 95, Delay: fakedts.Delay(delay)}
	return fakedts.DtsJob{Region: testRegion, JobType: "SYNC", Steps: []fakedts.Step{{Body: st.Item(jobID)}}}
}

// syncing is a job in incremental synchronization, delay seconds behind its source.
func syncing(delay int64) fakedts.State {
	return fakedts.State{
		JobStatus: "Migrating", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: "Migrating", SyncPercent: 95, Delay: fakedts.Delay(delay),
	}
}

// TestPlanSendsOneRequest shows that one plan reads a data source without wait_for exactly once:
// Terraform does not call ReadDataSource twice, and the provider sends one request per read, save
// dts_job_status without job_type, which asks one job type after another until one has the job.
func TestPlanSendsOneRequest(t *testing.T) {
	t.Parallel()
	const jobID = "dtsonerequest01"
	cases := []struct {
		name  string
		ds    jobDataSource
		extra string
		// status is the job's status plan shows.
		status string
		// jobTypes are the JobType parameters of the requests, in order; nil for the legacy API.
		jobTypes []string
	}{
		{name: "dts_migration_job_status", ds: legacyJobs, status: "Migrating"},
		{name: "dts_job_status with job_type", ds: currentJobs, extra: `job_type = "synchronization"`,
			status: "Synchronizing", jobTypes: []string{"SYNC"}},
		{name: "dts_job_status discovering the job type", ds: currentJobs,
			status: "Synchronizing", jobTypes: []string{"MIGRATION", "SYNC"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(3).Body(jobID)}}})
			f.SetDtsJob(jobID, syncJob(jobID, 3))
			m := newRootModule(t, config(fakeProvider(f), tc.ds.read(jobID, tc.extra)))

			r := m.run("plan")
			m.mustSucceed(r, "terraform plan")
			mustContain(t, r.output(), fmt.Sprintf("+ job_status = %q", tc.status), `+ sync_status = "Migrating"`, "+ delay_is_null = false")
			want := max(1, len(tc.jobTypes))
			if n := len(f.Requests()); n != want {
				t.Errorf("one plan sent %d requests in all, want %d", n, want)
			}
			reqs := tc.ds.requests(f)
			if len(reqs) != want {
				t.Fatalf("one plan sent %d %s requests, want %d", len(reqs), tc.ds.action, want)
			}
			for i, req := range reqs {
				if id := req.MigrationJobID + req.DtsJobID; id != jobID || req.Status != 200 {
					t.Errorf("request %d for job %q answered %d, want job %q answered 200", i, id, req.Status, jobID)
				}
				if tc.jobTypes != nil && req.JobType != tc.jobTypes[i] {
					t.Errorf("request %d asked JobType %q, want %q (all asked: %v)", i, req.JobType, tc.jobTypes[i], tc.jobTypes)
				}
			}
		})
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

// TestPlanJobNotFound shows what plan tells someone who gives dts_job_status the ID of a legacy
// migration job: the job, the region and the job types asked, one request each, and the data
// source that reads legacy jobs.
func TestPlanJobNotFound(t *testing.T) {
	t.Parallel()
	const jobID = "dtslegacy01"
	cases := []struct {
		name, extra string
		// asked is how the error lists the job types asked; jobTypes are the requests' JobType.
		asked    string
		jobTypes []string
	}{
		{name: "every job type", asked: "migration, synchronization, subscription",
			jobTypes: []string{"MIGRATION", "SYNC", "SUBSCRIBE"}},
		{name: "job_type set", extra: `job_type = "subscription"`, asked: "subscription",
			jobTypes: []string{"SUBSCRIBE"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			// The job exists, in the legacy API only.
			f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(3).Body(jobID)}}})
			m := newRootModule(t, config(fakeProvider(f), currentJobs.read(jobID, tc.extra)))

			r := m.run("plan")
			if r.exitCode == 0 {
				t.Fatalf("terraform plan of a job DescribeDtsJobs does not list exited 0:\n%s", r.stdout)
			}
			mustContain(t, r.output(), "Error: DTS job not found",
				fmt.Sprintf("no job %q in region %s among the %s jobs", jobID, testRegion, tc.asked),
				"read it with the dts_migration_job_status data source")
			var asked []string
			for _, req := range currentJobs.requests(f) {
				asked = append(asked, req.JobType)
			}
			if !slices.Equal(asked, tc.jobTypes) {
				t.Errorf("plan asked DescribeDtsJobs for JobTypes %v, want %v", asked, tc.jobTypes)
			}
			if n := len(f.DescribeRequests()); n != 0 {
				t.Errorf("dts_job_status sent %d DescribeMigrationJobStatus requests, want none", n)
			}
		})
	}
}
