package provider

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

// Fleet gates: wait_for on dts_jobs and dts_migration_jobs, one wait over every job a listing finds.

var ordersTags = map[string]string{"cutover": "orders"}

// ordersCaughtUp waits, polling every second, for every job to catch up within 5 s.
const ordersCaughtUp = `wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "1s"
  }`

// fleetPolls splits a fake's listing requests into polls, each starting at page 1, and returns the
// pages each poll asked for.
func fleetPolls(reqs []fakedts.Request) [][]int {
	var polls [][]int
	for _, r := range reqs {
		if r.PageNumber == 1 || len(polls) == 0 {
			polls = append(polls, nil)
		}
		polls[len(polls)-1] = append(polls[len(polls)-1], r.PageNumber)
	}
	return polls
}

// pollStarts are the requests that start a poll: those for page 1.
func pollStarts(reqs []fakedts.Request) []fakedts.Request {
	return slices.DeleteFunc(slices.Clone(reqs), func(r fakedts.Request) bool { return r.PageNumber != 1 })
}

func TestAccFleetGateOpensWhenTheLastJobCatchesUp(t *testing.T) {
	f := newFake(t)
	// 40 jobs, two pages, catching up over three polls; one more job, still 90 s behind, which
	// name_regex leaves out at every poll; and jobs of another cutover.
	f.SetDtsFleet(fakedts.Fleet{Region: "cn-hangzhou", JobType: "SYNC", Tags: ordersTags,
		Jobs: append(fakedts.StaggeredFleet("dtsorders", "orders", 40, 3), fakedts.FleetJob{ID: "dtsarchive", Name: "archive-orders", Delays: []int64{90}, Lags: true})})
	f.SetDtsFleet(fakedts.Fleet{Region: "cn-hangzhou", JobType: "SYNC", Tags: map[string]string{"cutover": "users"},
		Jobs: []fakedts.FleetJob{{ID: "dtsusers", Delays: []int64{300}, Lags: true}}})
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobsConfig(f, `job_type   = "synchronization"
  tags       = { cutover = "orders" }
  name_regex = "^orders-"
  `+strings.Replace(ordersCaughtUp, `"1s"`, `"2s"`, 1)+`
  timeouts {
    read = "1m"
  }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectJobs(tfjsonpath.New("ids"), knownvalue.ListSizeExact(40)),
				expectJobs(jobAt(0, "dts_job_id"), str("dtsorders0001")),
				expectJobs(jobAt(39, "dts_job_id"), str("dtsorders0040")),
				expectJobs(jobAt(39, "job_name"), str("orders-040")),
				expectJobs(jobAt(39, "delay"), num(0)),
				expectJobs(jobAt(39, "data_synchronization_status", "status"), str("Catched")),
				expectJobs(jobAt(0, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{"cutover": str("orders")})),
			},
		}},
	})
	reqs := f.RequestsFor(fakedts.ActionDescribeDtsJobs)
	polls := fleetPolls(reqs)
	// The last jobs catch up at the fourth listing: the first wait is four polls of both pages; later
	// reads in the test step find every job caught up at their first poll.
	if len(polls) < 4 || !slices.EqualFunc(polls[:4], [][]int{{1, 2}, {1, 2}, {1, 2}, {1, 2}}, slices.Equal) ||
		slices.ContainsFunc(polls[4:], func(p []int) bool { return !slices.Equal(p, []int{1, 2}) }) {
		t.Fatalf("pages asked, poll by poll: %v; want four polls of pages 1 and 2 first, and every poll both pages", polls)
	}
	sent(t, reqs, map[string]string{"JobType": "SYNC", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou",
		"Tags": `[{"key":"cutover","value":"orders"}]`}, dtsFilterParams...)
	assertPollsKeepTheInterval(t, pollStarts(reqs)[:4], 2*time.Second)
}

func TestAccFleetGateOverNoJobFailsAtOnce(t *testing.T) {
	f := newFake(t)
	f.SetDtsFleet(fakedts.Fleet{Region: "cn-hangzhou", JobType: "SYNC", Tags: ordersTags, Jobs: fakedts.StaggeredFleet("dtsorders", "orders", 3, 1)})
	t.Parallel()
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			// A mistyped tag: the listing finds nothing.
			Config: jobsConfig(f, `job_type = "synchronization"
  tags     = { cutover = "ordres" }
  `+ordersCaughtUp),
			ExpectError: re(`DTS synchronization jobs cannot reach the awaited status[\s\S]*The listing of synchronization jobs with tags = \{"cutover":"ordres"\} in region cn-hangzhou[\s\S]*no job matches the listing's filters[\s\S]*mistyped tag`),
		}},
	})
	if n := len(f.RequestsFor(fakedts.ActionDescribeDtsJobs)); n != 1 {
		t.Errorf("the wait made %d requests, want the one listing that found nothing", n)
	}
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("the plan took %s; an empty listing must end the wait at once", elapsed)
	}
}

func TestAccFleetGateEndsWhenOneJobFails(t *testing.T) {
	f := newFake(t)
	jobs := fakedts.StaggeredFleet("dtsorders", "orders", 11, 4)
	jobs = slices.Insert(jobs, 5, fakedts.FleetJob{ID: "dtsorderspay", Name: "orders-payments", Delays: []int64{30},
		Fails: "DTS-1020042: Binlog of the source has been purged"})
	f.SetDtsFleet(fakedts.Fleet{Region: "cn-hangzhou", JobType: "SYNC", Tags: ordersTags, Jobs: jobs})
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobsConfig(f, `job_type = "synchronization"
  tags     = { cutover = "orders" }
  `+ordersCaughtUp+`
  timeouts {
    read = "10m"
  }`),
			ExpectError: re(`job "dtsorderspay" \(orders-payments\): the job failed \(job status "Failed"\); data_synchronization is "Failed"[\s\S]*DTS-1020042: Binlog of the source has been purged`),
		}},
	})
	// The job fails at its second listing: the wait ends at the second poll, long before the others
	// catch up and far from the timeout.
	if polls := fleetPolls(f.RequestsFor(fakedts.ActionDescribeDtsJobs)); len(polls) != 2 {
		t.Errorf("polls %v, want the wait to end at the second, which saw the failure", polls)
	}
}

func TestAccFleetGateTimeoutNamesTenJobs(t *testing.T) {
	f := newFake(t)
	var jobs []fakedts.FleetJob
	for i := 1; i <= 12; i++ {
		jobs = append(jobs, fakedts.FleetJob{ID: fmt.Sprintf("dtslag%02d", i), Name: fmt.Sprintf("orders-%02d", i), Delays: []int64{int64(40 + i)}, Lags: true})
	}
	jobs = append(jobs, fakedts.FleetJob{ID: "dtsready", Name: "orders-ready"})
	f.SetDtsFleet(fakedts.Fleet{Region: "cn-hangzhou", JobType: "SYNC", Tags: ordersTags, Jobs: jobs})
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobsConfig(f, `job_type = "synchronization"
  tags     = { cutover = "orders" }
  `+ordersCaughtUp+`
  timeouts {
    read = "3s"
  }`),
			ExpectError: re(`Timed out waiting for DTS synchronization jobs[\s\S]*12 of 13 not at the target at the last poll: ` +
				`job "dtslag01" \(orders-01\) \(status "Migrating", delay 41s, job status "Synchronizing"\);[\s\S]*job "dtslag10" \(orders-10\)[\s\S]* and 2 more`),
		}},
	})
	polls := fleetPolls(f.RequestsFor(fakedts.ActionDescribeDtsJobs))
	if len(polls) < 2 {
		t.Errorf("polls %v, want the wait to poll until its timeout", polls)
	}
}

// The timeout's message names no more than ten jobs: the eleventh and twelfth are counted, not named.
func TestFleetTimeoutMessageNamesTen(t *testing.T) {
	var units []wait.Unit
	for i := 1; i <= 12; i++ {
		units = append(units, wait.Unit{Name: fmt.Sprintf("job %q", fmt.Sprintf("dtslag%02d", i))})
	}
	msg := (&wait.TimeoutError{Target: wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}}, Units: 13, Waiting: units}).Error()
	if !strings.Contains(msg, `job "dtslag10"`) || strings.Contains(msg, `job "dtslag11"`) || !strings.Contains(msg, "and 2 more") {
		t.Errorf("timeout: %s", msg)
	}
}

func TestAccFleetGateValidatesAtPlanTime(t *testing.T) {
	f := newFake(t)
	t.Parallel()
	steps := []resource.TestStep{}
	for _, tc := range []struct {
		source, waitFor, want string
	}{
		{"dts_jobs", `stage = "data_synchronization"
    status = ["catched"]`, `Misspelled wait_for status[\s\S]*write "Catched"`},
		{"dts_jobs", `stage = "precheck"
    status = ["Finished"]
    max_delay_seconds = 5`, `max_delay_seconds needs stage data_synchronization`},
		{"dts_jobs", `stage = "sync"
    status = ["Catched"]`, `value must be one of:[\s\S]*"incremental_data_check"`},
		{"dts_jobs", `stage = "job"
    status = ["Synchronizing"]
    poll_interval = "100ms"`, `100ms is too short: it must be at least 1s`},
		{"dts_jobs", `status = ["Catched"]`, `Attribute "wait_for.stage" must be specified`},
		{"dts_migration_jobs", `stage = "full_data_check"
    status = ["Finished"]`, `value must be one of:[\s\S]*"data_synchronization"`},
		{"dts_migration_jobs", `stage = "job"
    status = ["migrating"]`, `Misspelled wait_for status[\s\S]*write "Migrating"`},
	} {
		steps = append(steps, resource.TestStep{
			Config: providerConfig(f, "") + fmt.Sprintf(`
data %q "test" {
  tags = { cutover = "orders" }
  wait_for {
    %s
  }
}
`, tc.source, tc.waitFor),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testFactories, Steps: steps})
	if n := len(f.Requests()); n != 0 {
		t.Errorf("validation sent %d requests; it must need none", n)
	}
}

const legacyAddr = "data.dts_migration_jobs.test"

func expectLegacy(path tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(legacyAddr, path, v)
}

func TestAccLegacyFleetGate(t *testing.T) {
	f := newFake(t)
	jobs := append(fakedts.StaggeredFleet("dtsmig", "orders", 35, 2),
		// Left out at every poll: by name_regex, and by the status filter, applied by the provider.
		fakedts.FleetJob{ID: "dtsmigarchive", Name: "archive", Delays: []int64{500}, Lags: true})
	f.SetFleet(fakedts.Fleet{Region: "cn-hangzhou", Tags: ordersTags, Jobs: jobs})
	f.SetJob("dtsmigdone", fakedts.Job{Region: "cn-hangzhou", Name: "orders-done", Tags: ordersTags, Steps: []fakedts.Step{{
		Body: fakedts.State{JobStatus: "Finished", Precheck: "Finished", Structure: "Finished", Data: "Finished", Sync: "Finished", Delay: fakedts.Delay(0)}.Body("dtsmigdone"),
	}}})
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			{
				Config: migrationJobsConfig(f, `tags       = { cutover = "orders" }
  name_regex = "^orders-"
  status     = ["Migrating"]
  `+ordersCaughtUp+`
  timeouts {
    read = "1m"
  }`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectLegacy(tfjsonpath.New("ids"), knownvalue.ListSizeExact(35)),
					expectLegacy(tfjsonpath.New("jobs").AtSliceIndex(34).AtMapKey("migration_job_id"), str("dtsmig0035")),
					expectLegacy(tfjsonpath.New("jobs").AtSliceIndex(34).AtMapKey("data_synchronization").AtMapKey("status"), str("Catched")),
					expectLegacy(tfjsonpath.New("jobs").AtSliceIndex(34).AtMapKey("data_synchronization").AtMapKey("delay"), num(0)),
					// The state keeps the precheck as the service sent it; the gate reads Success as Finished.
					expectLegacy(tfjsonpath.New("jobs").AtSliceIndex(0).AtMapKey("precheck").AtMapKey("status"), str("Success")),
				},
			},
			{
				Config: migrationJobsConfig(f, `tags = { cutover = "orders" }
  name_regex = "^orders-0"
  wait_for {
    stage  = "precheck"
    status = ["Finished"]
  }`),
				ConfigStateChecks: []statecheck.StateCheck{expectLegacy(tfjsonpath.New("ids"), knownvalue.ListSizeExact(35))},
			},
		},
	})
	polls := fleetPolls(f.RequestsFor(fakedts.ActionDescribeMigrationJobs))
	// 37 jobs listed, two pages; the last of the 35 catches up at the third listing.
	if len(polls) < 3 || !slices.EqualFunc(polls[:3], [][]int{{1, 2}, {1, 2}, {1, 2}}, slices.Equal) {
		t.Errorf("pages asked, poll by poll: %v; want three polls of pages 1 and 2 first", polls)
	}
}

func TestAccLegacyFleetGateFailures(t *testing.T) {
	f := newFake(t)
	f.SetFleet(fakedts.Fleet{Region: "cn-hangzhou", Tags: ordersTags, Jobs: []fakedts.FleetJob{
		{ID: "dtsmig1", Name: "orders-1", Delays: []int64{20}},
		{ID: "dtsmig2", Name: "orders-2", Delays: []int64{50}, Fails: "The task has failed for a long time and cannot be recovered."},
	}})
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			{
				Config: migrationJobsConfig(f, `tags = { cutover = "orders" }
  `+ordersCaughtUp),
				ExpectError: re(`DTS migration jobs cannot reach the awaited status[\s\S]*migration job "dtsmig2" \(orders-2\): the job failed \(job status "MigrationFailed"\)[\s\S]*cannot be recovered`),
			},
			{
				Config: migrationJobsConfig(f, `name_regex = "^nothing"
  `+ordersCaughtUp),
				ExpectError: re(`no job matches the listing's filters`),
			},
		},
	})
}

// Each poll's log line counts the jobs at the target, names the first five that are not, and says
// how many pages it read.
func TestFleetPollLogLine(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	jobs := make([]dtsapi.DtsJob, 7)
	for i := range jobs {
		status := "Migrating"
		if i == 3 {
			status = "Catched"
		}
		jobs[i] = dtsapi.DtsJob{JobCore: dtsapi.JobCore{DtsJobID: dtsapi.StringOf(fmt.Sprintf("dtsj%d", i)), DtsJobName: dtsapi.StringOf(fmt.Sprintf("orders-%d", i)),
			Status:                    dtsapi.StringOf("Synchronizing"),
			DataSynchronizationStatus: dtsapi.ObjectOf(dtsapi.StageStatus{Status: dtsapi.StringOf(status)})}, Delay: dtsapi.IntOf(int64(10 * i))}
	}
	jobs[3].Delay = dtsapi.IntOf(0)
	found := &dtsJobsFound{Items: jobs, Pages: 1}
	five := int64(5)
	caughtUp := wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: &five}
	gate := wait.Fleet(family.Current, caughtUp, func(l *dtsJobsFound) []dtsJob { return l.Items },
		func(j *dtsJob) string { return unitName("job", j.DtsJobID, j.DtsJobName) })
	l := listing{action: "DescribeDtsJobs", jobs: "synchronization jobs", filters: []string{`tags = {"cutover":"orders"}`}}
	logFleetPoll[dtsJob](l, target{region: "cn-hangzhou"}, wait.StageDataSynchronization)(ctx,
		wait.Poll[dtsJobsFound]{N: 2, Elapsed: 10 * time.Second, Response: found, Verdict: gate.Decide(found)})
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil || len(entries) != 1 {
		t.Fatalf("want 1 log entry, got %d (%v)", len(entries), err)
	}
	want := map[string]any{
		"@level": "info", "@message": "Polled DTS jobs", "listing": `the listing of synchronization jobs with tags = {"cutover":"orders"}`,
		"region": "cn-hangzhou", "stage": "data_synchronization", "poll": float64(2), "satisfied": false,
		"units": float64(7), "at_target": float64(1), "pages": float64(1),
		"waiting": `job "dtsj0" (orders-0) (status "Migrating", delay 0s, job status "Synchronizing"); ` +
			`job "dtsj1" (orders-1) (status "Migrating", delay 10s, job status "Synchronizing"); ` +
			`job "dtsj2" (orders-2) (status "Migrating", delay 20s, job status "Synchronizing"); ` +
			`job "dtsj4" (orders-4) (status "Migrating", delay 40s, job status "Synchronizing"); ` +
			`job "dtsj5" (orders-5) (status "Migrating", delay 50s, job status "Synchronizing") and 1 more`,
	}
	for k, v := range want {
		if entries[0][k] != v {
			t.Errorf("%s = %v, want %v", k, entries[0][k], v)
		}
	}
}
