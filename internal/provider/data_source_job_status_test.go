package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

const jobAddr = "data.dts_job_status.test"

func expectJob(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(jobAddr, p, v)
}

func jobStatusConfig(f *fakedts.Server, jobID, extra string) string {
	return providerConfig(f, "") + fmt.Sprintf(`
data "dts_job_status" "test" {
  dts_job_id = %q
  %s
}
`, jobID, extra)
}

// jobTypesAsked lists the JobType of each DescribeDtsJobs request, in order.
func jobTypesAsked(f *fakedts.Server) []string {
	var out []string
	for _, r := range f.RequestsFor(fakedts.ActionDescribeDtsJobs) {
		out = append(out, r.JobType)
	}
	return out
}

func fakeJob(jobType string, steps ...fakedts.Step) fakedts.DtsJob {
	return fakedts.DtsJob{Region: "cn-hangzhou", JobType: jobType, Name: "orders_sync", Steps: steps}
}

func dtsTimeline(jobID string, each time.Duration, states ...fakedts.DtsState) []fakedts.Step {
	steps := make([]fakedts.Step, len(states))
	for i, st := range states {
		steps[i] = fakedts.Step{Body: st.Item(jobID), Duration: each}
	}
	return steps
}

func syncing(sync string, delay int64) fakedts.DtsState {
	return fakedts.DtsState{Status: "Synchronizing", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: sync, SyncPercent: 95, Delay: fakedts.Delay(delay), Checkpoint: 1616899019}
}

func TestAccJobStatusDocumentedSampleMapsIntoState(t *testing.T) {
	f := newFake(t)
	ids := f.SetDocumentedDtsJobs("cn-hangzhou")
	// stage is a stage object without NeedUpgrade or CanSwitch; stageFlags one with them.
	stageFlags := func(status string, percent int64, progress, needUpgrade, canSwitch knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"status": str(status), "percent": num(percent), "progress": progress, "error_message": null(),
			"need_upgrade": needUpgrade, "can_switch": canSwitch,
		})
	}
	stage := func(status string, percent int64, progress string) knownvalue.Check {
		return stageFlags(status, percent, str(progress), null(), null())
	}
	endpoint := func(instanceID, ip string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"database_name": str("dtstestdata"), "engine_name": str("MySQL"), "ip": str(ip), "instance_id": str(instanceID),
			"instance_type": str("RDS"), "port": num(3306), "user_name": str("dtstest"), "oracle_sid": null(),
			"region": str("cn-hangzhou"), "ssl_solution": str("DISABLE"),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobStatusConfig(f, ids[0], `job_type = "migration"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectJob(tfjsonpath.New("job_type"), str("migration")),
				expectJob(tfjsonpath.New("region_id"), str("cn-hangzhou")),
				expectJob(tfjsonpath.New("request_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-F-]{36}$`))),
				expectJob(tfjsonpath.New("dts_instance_id"), str("dtsi03e3zty16i****")),
				expectJob(tfjsonpath.New("job_name"), str("rds_mysql_orders_migration")),
				expectJob(tfjsonpath.New("status"), str("Migrating")),
				expectJob(tfjsonpath.New("error_message"), null()),
				expectJob(tfjsonpath.New("delay"), num(3)),
				expectJob(tfjsonpath.New("checkpoint"), num(1616899019)),
				expectJob(tfjsonpath.New("checkpoint_time"), str("2021-03-28T02:36:59Z")),
				expectJob(tfjsonpath.New("create_time"), str("2021-03-16T08:01:19Z")),
				expectJob(tfjsonpath.New("expire_time"), null()),
				expectJob(tfjsonpath.New("pay_type"), str("PostPaid")),
				expectJob(tfjsonpath.New("job_class"), str("large")),
				expectJob(tfjsonpath.New("job_direction"), str("Forward")),
				expectJob(tfjsonpath.New("db_object"), str(`{"dtstestdata":{"name":"dtstestdata","all":true}}`)),
				expectJob(tfjsonpath.New("origin_type"), str("DTS")),
				expectJob(tfjsonpath.New("dedicated_cluster_id"), null()),
				expectJob(tfjsonpath.New("resource_group_id"), str("rg-acfmzawhxxc****")),
				expectJob(tfjsonpath.New("resource_group_name"), str("default resource group")),
				expectJob(tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": str("prod")})),
				expectJob(tfjsonpath.New("migration_mode"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"structure_initialization": boolean(true), "data_initialization": boolean(true), "data_synchronization": boolean(true),
					"full_data_check": boolean(true), "incremental_data_check": boolean(false), "structure_data_check": boolean(false),
				})),
				expectJob(tfjsonpath.New("precheck_status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"status": str("Finished"), "percent": num(100), "error_message": null(),
					"detail": knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"check_item": str("CHECK_CONN_SRC"),
							"check_item_description": str("CHECK_CONN_SRC_DETAIL"), "check_result": str("Success"), "failed_reason": null(), "repair_method": null()}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"check_item": str("CHECK_AUTH_DEST"),
							"check_item_description": str("CHECK_AUTH_DEST_DETAIL"), "check_result": str("Success"), "failed_reason": null(), "repair_method": null()}),
					}),
				})),
				expectJob(tfjsonpath.New("structure_initialization_status"), stage("Finished", 100, "12")),
				expectJob(tfjsonpath.New("data_initialization_status"), stage("Finished", 100, "44755")),
				expectJob(tfjsonpath.New("data_synchronization_status"), stageFlags("Migrating", 95, str("0/0"), boolean(false), null())),
				expectJob(tfjsonpath.New("full_data_check_status"),
					stageFlags("Finished", 100, str("1 rows/s (row: 5/5, table: 1/1)"), null(), boolean(true))),
				expectJob(tfjsonpath.New("incremental_data_check_status"), stageFlags("NotStarted", 0, null(), null(), null())),
				expectJob(tfjsonpath.New("data_etl_status"), null()),
				expectJob(tfjsonpath.New("structure_data_check_status"), null()),
				expectJob(tfjsonpath.New("retry_state"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"retrying": boolean(false), "retry_count": num(0), "max_retry_time": num(43200), "retry_time": num(0),
					"retry_target": null(), "module": null(), "error_message": null(),
				})),
				expectJob(tfjsonpath.New("error_details"), knownvalue.ListExact([]knownvalue.Check{})),
				expectJob(tfjsonpath.New("performance"), knownvalue.ObjectExact(map[string]knownvalue.Check{"flow": str("0.02"), "rps": str("12")})),
				expectJob(tfjsonpath.New("source_endpoint"), endpoint("rm-bp1162kryivb8****", "172.16.88.***")),
				expectJob(tfjsonpath.New("destination_endpoint"), endpoint("rm-bp1imrtn6fq7h****", "172.16.89.***")),
				expectJob(tfjsonpath.New("reverse_job"), null()),
			},
		}},
	})
	// Terraform reads the data source more than once in a test step; each read is one request.
	if got := jobTypesAsked(f); len(got) == 0 || slices.ContainsFunc(got, func(t string) bool { return t != "MIGRATION" }) {
		t.Fatalf("with job_type set, every read is exactly one request for that type; got JobTypes %v", got)
	}
	r := f.RequestsFor(fakedts.ActionDescribeDtsJobs)[0]
	for k, v := range map[string]string{"DtsJobId": ids[0], "Region": "cn-hangzhou", "RegionId": "cn-hangzhou", "PageSize": "30", "PageNumber": "1"} {
		if got := r.Params.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestAccJobStatusLooseTypesAndReverseJob(t *testing.T) {
	f := newFake(t)
	st := syncing("Catched", 0)
	st.Reverse = &fakedts.DtsState{Status: "synchronizing", Data: "Finished", Sync: "Catched", Delay: fakedts.Delay(2), Checkpoint: 1616899020}
	item := st.Item("dtsloose")
	item["Delay"] = "7"                                                                                // a number as a string
	item["TagList"] = map[string]any{"Tag": []any{map[string]any{"TagKey": "team", "TagValue": "db"}}} // wrapped list
	item["ErrorDetails"] = map[string]any{"ErrorDetail": map[string]any{"ErrorCode": "DTS-31009", "HelpUrl": "https://help.example/31009"}}
	f.SetDtsJob("dtsloose", fakeJob("SYNC", fakedts.Step{Body: item}))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobStatusConfig(f, "dtsloose", `job_type = "synchronization"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectJob(tfjsonpath.New("delay"), num(7)),
				expectJob(tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"team": str("db")})),
				expectJob(tfjsonpath.New("error_details"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"error_code": str("DTS-31009"), "help_url": str("https://help.example/31009")}),
				})),
				expectJob(tfjsonpath.New("reverse_job").AtMapKey("dts_job_id"), str("dtsloose_reverse")),
				expectJob(tfjsonpath.New("reverse_job").AtMapKey("status"), str("synchronizing")),
				expectJob(tfjsonpath.New("reverse_job").AtMapKey("delay"), num(2)),
				expectJob(tfjsonpath.New("reverse_job").AtMapKey("checkpoint_time"), str("2021-03-28T02:37:00Z")),
				expectJob(tfjsonpath.New("reverse_job").AtMapKey("data_synchronization_status").AtMapKey("status"), str("Catched")),
			},
		}},
	})
}

// TestAccJobStatusDiscoversTheJobType: without job_type the first read asks MIGRATION, then SYNC,
// and records synchronization; the polls of the wait that follow ask SYNC only.
func TestAccJobStatusDiscoversTheJobType(t *testing.T) {
	f := newFake(t)
	f.SetDtsJob("dtssync1", fakeJob("SYNC", dtsTimeline("dtssync1", 1200*time.Millisecond, syncing("Migrating", 30), syncing("Catched", 1))...))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobStatusConfig(f, "dtssync1", `wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "1s"
  }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectJob(tfjsonpath.New("job_type"), str("synchronization")),
				expectJob(tfjsonpath.New("data_synchronization_status").AtMapKey("status"), str("Catched")),
				expectJob(tfjsonpath.New("delay"), num(1)),
			},
		}},
	})
	asked := jobTypesAsked(f)
	if len(asked) < 4 || !slices.Equal(asked[:2], []string{"MIGRATION", "SYNC"}) {
		t.Fatalf("JobTypes asked %v: want MIGRATION then SYNC, then polls", asked)
	}
	// Every poll after discovery, in plan and in apply's own reads, asks the type that has the job or
	// starts discovery afresh; within one wait it never asks MIGRATION again after SYNC.
	for i := 2; i < len(asked) && asked[i-1] == "SYNC"; i++ {
		if asked[i] == "SUBSCRIBE" {
			t.Fatalf("a poll after discovery asked SUBSCRIBE: %v", asked)
		}
	}
	if slices.Contains(asked, "SUBSCRIBE") {
		t.Fatalf("discovery stops at the first type that has the job, asked %v", asked)
	}
}

// TestAccJobStatusNotFound: the service narrows by DtsJobId loosely ("dtsjob1" also lists
// "dtsjob10"); only an exact match is the job, so this is "not found" after the three types.
func TestAccJobStatusNotFound(t *testing.T) {
	f := newFake(t)
	f.SetDtsJob("dtsjob10", fakeJob("MIGRATION", fakedts.Step{Body: syncing("Catched", 0).Item("dtsjob10")}))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobStatusConfig(f, "dtsjob1", `wait_for {
    stage  = "job"
    status = ["Synchronizing"]
  }`),
			ExpectError: regexp.MustCompile(`DTS job not found[\s\S]*no job "dtsjob1" in region cn-hangzhou among the\s+migration, synchronization, subscription jobs[\s\S]*job_type[\s\S]*region_id[\s\S]*dts_migration_job_status`),
		}},
	})
	if got := jobTypesAsked(f); !slices.Equal(got, []string{"MIGRATION", "SYNC", "SUBSCRIBE"}) {
		t.Fatalf("want one request per type, and no wait on a job that is not there; got %v", got)
	}
}

func TestAccJobStatusWait(t *testing.T) {
	failedInit := syncing("NotStarted", 0)
	failedInit.Status, failedInit.Data, failedInit.DataError = "InitializeFailed", "Failed", "DTS-070211: Copy Table Failed"
	failedInit.ErrorMessage = "DTS-070211: Copy Table Failed for table orders"
	failedInit.ErrorDetails = []fakedts.ErrorDetail{{Code: "DTS-070211", HelpURL: "https://help.aliyun.com/dts-070211"}}
	precheckFailed := fakedts.DtsState{Status: "PrecheckFailed", Precheck: "Failed", PrecheckPercent: 100,
		FailedChecks: []fakedts.CheckItem{{Name: "CHECK_CONN_DEST", ErrorMessage: "Access denied for user 'dtstest'", RepairMethod: "CHECK_ERROR_DEST_CONN_REPAIR2"}}}
	retrying := syncing("Migrating", 50)
	retrying.Status, retrying.Retrying, retrying.RetryCount, retrying.RetryTarget, retrying.RetryError = "Retrying", true, 3, "destDB", "connect timed out"
	checkOff := syncing("Catched", 0)
	checkOff.Mode = &fakedts.DtsMode{StructureInitialization: true, DataInitialization: true, DataSynchronization: true}

	cases := map[string]struct {
		states  []fakedts.DtsState
		waitFor string
		want    string // an error; empty for success
	}{
		"caught up": {[]fakedts.DtsState{syncing("Migrating", 40), syncing("Migrating", 12), syncing("Catched", 2)},
			"stage = \"data_synchronization\"\n    status = [\"Catched\"]\n    max_delay_seconds = 5", ""},
		"job stage ignores case": {[]fakedts.DtsState{{Status: "Initializing"}, {Status: "synchronizing"}},
			"stage = \"job\"\n    status = [\"Synchronizing\"]", ""},
		"retrying recovers": {[]fakedts.DtsState{retrying, syncing("Catched", 1)},
			"stage = \"data_synchronization\"\n    status = [\"Catched\"]", ""},
		"precheck failed": {[]fakedts.DtsState{{Status: "Prechecking", Precheck: "Checking"}, precheckFailed},
			"stage = \"data_synchronization\"\n    status = [\"Catched\"]",
			`the job's precheck failed \(job status "PrecheckFailed"\)[\s\S]*CHECK_CONN_DEST: Failed: Access denied for user 'dtstest'; repair: CHECK_ERROR_DEST_CONN_REPAIR2`},
		"initialize failed": {[]fakedts.DtsState{{Status: "Initializing", Data: "Migrating"}, failedInit},
			"stage = \"data_synchronization\"\n    status = [\"Catched\"]",
			`the job failed \(job status "InitializeFailed"\); data_initialization is "Failed"[\s\S]*DTS-070211: Copy Table Failed[\s\S]*job error message: DTS-070211: Copy Table Failed for table orders[\s\S]*error code DTS-070211: see https://help.aliyun.com/dts-070211`},
		"check switched off": {[]fakedts.DtsState{checkOff},
			"stage = \"full_data_check\"\n    status = [\"Finished\"]",
			`full_data_check is switched off in the job's migration mode \(MigrationMode.FullDataCheck is false\)`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.SetDtsJob("dtswait", fakeJob("SYNC", dtsTimeline("dtswait", 1500*time.Millisecond, tc.states...)...))
			step := resource.TestStep{Config: jobStatusConfig(f, "dtswait", "job_type = \"synchronization\"\n  wait_for {\n    "+tc.waitFor+"\n    poll_interval = \"1s\"\n  }")}
			if tc.want != "" {
				step.ExpectError = wrapped(tc.want)
			}
			start := time.Now()
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testFactories, Steps: []resource.TestStep{step}})
			// The wait's own length is bounded below by the timeline: it cannot end before the last state.
			polls := len(f.RequestsFor(fakedts.ActionDescribeDtsJobs))
			if tc.want == "" && polls < len(tc.states) {
				t.Fatalf("%d polls for a %d-state timeline: the wait ended before the target showed", polls, len(tc.states))
			}
			if tc.want != "" && time.Since(start) > 2*time.Minute {
				t.Fatalf("a failure must end the wait at once, not at the 20m timeout")
			}
		})
	}
}

func TestAccJobStatusWaitTimesOut(t *testing.T) {
	f := newFake(t)
	f.SetDtsJob("dtsslow", fakeJob("SYNC", fakedts.Step{Body: syncing("Migrating", 40).Item("dtsslow")}))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobStatusConfig(f, "dtsslow", `job_type = "synchronization"
  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "1s"
  }
  timeouts {
    read = "3s"
  }`),
			ExpectError: regexp.MustCompile(`Timed out waiting for DTS job[\s\S]*timed out after 3s[\s\S]*data_synchronization status "Migrating", percent 95, delay 40s`),
		}},
	})
	if n := len(f.RequestsFor(fakedts.ActionDescribeDtsJobs)); n < 2 {
		t.Fatalf("want polls a second apart until the deadline, got %d", n)
	}
}

func TestAccJobStatusValidationSendsNothing(t *testing.T) {
	cases := map[string]struct{ args, want string }{
		"bad job type":       {`job_type = "sync"`, `Attribute job_type value must be one of`},
		"legacy-only stage":  {"wait_for {\n    stage = \"structure_data_check\"\n    status = [\"Finished\"]\n  }", `wait_for.stage value must be one of`},
		"delay on a check":   {"wait_for {\n    stage = \"incremental_data_check\"\n    status = [\"Catched\"]\n    max_delay_seconds = 5\n  }", `Only incremental synchronization has a delay`},
		"wrong case on sync": {"wait_for {\n    stage = \"data_synchronization\"\n    status = [\"catched\"]\n  }", `"catched" is not a data_synchronization status, but "Catched" is`},
		"empty job id":       {``, `must not be empty or contain spaces`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			id := "dtsvalid"
			if name == "empty job id" {
				id = ""
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories,
				Steps:                    []resource.TestStep{{Config: jobStatusConfig(f, id, tc.args), ExpectError: regexp.MustCompile(tc.want)}},
			})
			if n := len(f.Requests()); n != 0 {
				t.Fatalf("validation must not call the API, the fake saw %d requests", n)
			}
		})
	}
}

// TestAccLegacyNotFoundPointsToJobStatus: a current-API job ID given to the legacy data source.
func TestAccLegacyNotFoundPointsToJobStatus(t *testing.T) {
	f := newFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      jobConfig(f, "i03e3zty16i", ""),
			ExpectError: regexp.MustCompile(`InvalidJobId[\s\S]*created in\s+today's DTS console[\s\S]*dts_job_status`),
		}},
	})
}

// wrapped compiles a pattern whose spaces also match the line breaks Terraform wraps errors at.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}
