package provider

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

const checkAddr = "data.dts_data_check.test"

func expectCheck(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(checkAddr, p, v)
}

// newDataCheckFake is a fake with the verification jobs, each timeline step lasting two readings.
// However the test ends, it must never have been asked for the inconsistent rows themselves.
func newDataCheckFake(t *testing.T) *fakedts.Server {
	t.Helper()
	f := newFake(t)
	f.SetDataCheckJobs("cn-hangzhou", 2)
	t.Cleanup(func() {
		if n := f.DiffDetailsRequests(); n != 0 {
			t.Errorf("the provider sent %d DescribeDataCheckTableDiffDetails requests: it must never read the rows", n)
		}
	})
	return f
}

func dataCheckConfig(f *fakedts.Server, jobID, checkType, extra string) string {
	return providerConfig(f, "") + fmt.Sprintf(`
data "dts_data_check" "test" {
  dts_job_id = %q
  check_type = %q
  %s
}
`, jobID, checkType, extra)
}

// actionsAsked lists each request's action, with the page for the table details.
func actionsAsked(f *fakedts.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		if r.Action == fakedts.ActionDescribeDataCheckTableDetails {
			out = append(out, fmt.Sprintf("page %d", r.PageNumber))
			continue
		}
		out = append(out, r.Action+" "+r.JobType)
	}
	return out
}

func TestAccDataCheckMapsTheVerification(t *testing.T) {
	f := newDataCheckFake(t)
	table := func(name string, rows int64) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"source_database": str("shop"), "source_table": str(name), "target_database": str("shop"), "target_table": str(name),
			"rows": num(1000), "rows_checked": num(1000), "inconsistent_rows": num(rows), "status": str("finished"),
			"error_code": null(), "error": null(), "boot_time": str("2024-06-06 11:20:04"),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: dataCheckConfig(f, fakedts.DataCheckRowsJobID, "full", `job_type = "migration"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectCheck(tfjsonpath.New("job_type"), str("migration")),
				expectCheck(tfjsonpath.New("region_id"), str("cn-hangzhou")),
				expectCheck(tfjsonpath.New("request_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-F-]{36}$`))),
				expectCheck(tfjsonpath.New("status"), str("Finished")),
				expectCheck(tfjsonpath.New("percent"), num(100)),
				expectCheck(tfjsonpath.New("progress"), str("1000 rows/s (row: 30000/30000, table: 30/30)")),
				expectCheck(tfjsonpath.New("error_message"), null()),
				expectCheck(tfjsonpath.New("can_switch"), boolean(false)),
				expectCheck(tfjsonpath.New("enabled"), boolean(true)),
				expectCheck(tfjsonpath.New("total_tables"), num(fakedts.DataCheckRowsTables)),
				expectCheck(tfjsonpath.New("inconsistent_tables"), num(12)),
				expectCheck(tfjsonpath.New("failed_tables"), num(0)),
				expectCheck(tfjsonpath.New("rows_checked"), num(30000)),
				expectCheck(tfjsonpath.New("inconsistent_rows"), num(fakedts.DataCheckRowsInconsistent)),
				expectCheck(tfjsonpath.New("tables"), knownvalue.ListSizeExact(fakedts.DataCheckRowsTables)),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(0), table("t000", 0)),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(23), table("t023", 12)),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(29), table("t029", 0)),
			},
		}},
	})
	for _, r := range f.RequestsFor(fakedts.ActionDescribeDataCheckTableDetails) {
		if r.Params.Has("RegionId") || r.Params.Has("Region") || r.Params.Get("CheckType") != "1" || r.Params.Get("PageSize") != "20" {
			t.Fatalf("a table request sent %v: want CheckType 1, PageSize 20 and no region", r.Params)
		}
	}
}

func TestAccDataCheckMapsFailedTablesWithoutFailingTheRead(t *testing.T) {
	f := newDataCheckFake(t)
	failed := func(name string, code int64, meaning string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"source_table": str(name), "status": str("failed"), "error_code": num(code), "error": str(meaning), "rows_checked": num(0),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			// No wait_for: a failed verification is reported, not an error.
			Config: dataCheckConfig(f, fakedts.DataCheckFailedJobID, "full", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expectCheck(tfjsonpath.New("status"), str("Failed")),
				expectCheck(tfjsonpath.New("error_message"), str(fakedts.DataCheckFailedMessage)),
				expectCheck(tfjsonpath.New("failed_tables"), num(4)),
				expectCheck(tfjsonpath.New("inconsistent_rows"), num(0)),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(2), failed("e002", 1, "too many tables without a primary key")),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(3), failed("e003", 2, "more than 300 inconsistent rows were found")),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(4), failed("e004", 3, "a table to verify does not exist")),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(5), failed("e005", 4, "the verification SQL has a syntax error")),
			},
		}},
	})
}

func TestAccDataCheckReadsEveryPage(t *testing.T) {
	for _, tc := range []struct {
		name, jobID, checkType, extra string
		want                          []string
	}{
		// 45 tables: the job, then pages of 20, 20 and 5.
		{"45 tables, job_type set", fakedts.DataCheckCleanJobID, "full", `job_type = "migration"`,
			[]string{"DescribeDtsJobs MIGRATION", "page 1", "page 2", "page 3"}},
		// job_type unset: the job is looked for as dts_job_status looks for it.
		{"discovery of a synchronization job", fakedts.DataCheckIncrementalJobID, "incremental", "",
			[]string{"DescribeDtsJobs MIGRATION", "DescribeDtsJobs SYNC", "page 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDataCheckFake(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories,
				Steps: []resource.TestStep{{
					Config: dataCheckConfig(f, tc.jobID, tc.checkType, tc.extra),
					Check: func(*terraform.State) error {
						if got := actionsAsked(f); !slices.Equal(got[:len(tc.want)], tc.want) {
							return fmt.Errorf("the first read asked %v, want %v", got, tc.want)
						}
						return nil
					},
				}},
			})
		})
	}
}

func TestAccDataCheckVerificationOff(t *testing.T) {
	f := newDataCheckFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			{
				// Without wait_for, verification being off is reported, and the tables are not asked for.
				Config: dataCheckConfig(f, fakedts.DataCheckOffJobID, "full", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectCheck(tfjsonpath.New("enabled"), boolean(false)),
					expectCheck(tfjsonpath.New("status"), str("NotStarted")),
					expectCheck(tfjsonpath.New("tables"), knownvalue.ListExact(nil)),
					expectCheck(tfjsonpath.New("total_tables"), null()),
					expectCheck(tfjsonpath.New("inconsistent_rows"), null()),
					// As the API sends it: the fake's full stage always carries CanSwitch.
					expectCheck(tfjsonpath.New("can_switch"), boolean(false)),
				},
				Check: func(*terraform.State) error {
					if n := len(f.RequestsFor(fakedts.ActionDescribeDataCheckTableDetails)); n != 0 {
						return fmt.Errorf("%d table requests for a verification that is off, want none", n)
					}
					return nil
				},
			},
			{
				// With wait_for, it ends the wait at once.
				Config: dataCheckConfig(f, fakedts.DataCheckOffJobID, "full", `wait_for {
    status = ["Finished"]
  }`),
				ExpectError: re(`DTS data verification cannot reach the awaited status[\s\S]*full_data_check is switched off[\s\S]*MigrationMode.FullDataCheck is false`),
			},
		},
	})
}

func TestAccDataCheckWaitsForACleanFullVerification(t *testing.T) {
	f := newDataCheckFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: dataCheckConfig(f, fakedts.DataCheckCleanJobID, "full", `job_type = "migration"
  wait_for {
    status                = ["Finished"]
    max_inconsistent_rows = 0
    poll_interval         = "1s"
  }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectCheck(tfjsonpath.New("status"), str("Finished")),
				expectCheck(tfjsonpath.New("can_switch"), boolean(true)),
				expectCheck(tfjsonpath.New("inconsistent_rows"), num(0)),
				expectCheck(tfjsonpath.New("total_tables"), num(fakedts.DataCheckCleanTables)),
				expectCheck(tfjsonpath.New("tables").AtSliceIndex(44), knownvalue.ObjectPartial(map[string]knownvalue.Check{"status": str("finished")})),
			},
		}},
	})
	// The first read: two polls while Checking, then the one that sees Finished; 1 + 3 requests each.
	got := actionsAsked(f)
	poll := []string{"DescribeDtsJobs MIGRATION", "page 1", "page 2", "page 3"}
	if len(got) < 12 || !slices.Equal(got[:12], slices.Concat(poll, poll, poll)) {
		t.Fatalf("requests %v, want three polls of 1 + 3 requests first", got)
	}
}

func TestAccDataCheckFullVerificationWithRowsFailsAtOnce(t *testing.T) {
	f := newDataCheckFake(t)
	t.Parallel() // before the clock starts: a parallel test first waits for the serial ones to end
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: dataCheckConfig(f, fakedts.DataCheckRowsJobID, "full", `wait_for {
    status                = ["Finished"]
    max_inconsistent_rows = 0
  }
  timeouts {
    read = "10m"
  }`),
			ExpectError: re(`cannot reach the awaited status[\s\S]*full data verification has finished with 78 inconsistent rows in 12[\s\S]*tables, more than the 0 allowed[\s\S]*shop\.t001: 1 inconsistent row[\s\S]*shop\.t019: 10 inconsistent[\s\S]*rows[\s\S]*and 2 more`),
		}},
	})
	if n := len(f.RequestsFor(fakedts.ActionDescribeDtsJobs)); n != 1 {
		t.Errorf("%d polls, want the first to end the wait", n)
	}
	if elapsed := time.Since(start); elapsed > 60*time.Second {
		t.Errorf("the read took %s: it should fail at the first poll", elapsed)
	}
}

func TestAccDataCheckIncrementalRowsKeepTheWaitGoing(t *testing.T) {
	f := newDataCheckFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: dataCheckConfig(f, fakedts.DataCheckIncrementalJobID, "incremental", `wait_for {
    status                = ["Catched"]
    max_inconsistent_rows = 0
    poll_interval         = "1s"
  }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectCheck(tfjsonpath.New("job_type"), str("synchronization")),
				expectCheck(tfjsonpath.New("status"), str("Catched")),
				expectCheck(tfjsonpath.New("inconsistent_rows"), num(0)),
				expectCheck(tfjsonpath.New("can_switch"), null()),
			},
		}},
	})
	// Two polls saw 2 inconsistent rows and went on; the third saw none. Discovery ran once.
	got := actionsAsked(f)
	want := []string{"DescribeDtsJobs MIGRATION", "DescribeDtsJobs SYNC", "page 1", "DescribeDtsJobs SYNC", "page 1", "DescribeDtsJobs SYNC", "page 1"}
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Fatalf("requests %v, want three polls, discovery in the first only", got)
	}
}

func TestAccDataCheckFailedVerificationNamesItsTables(t *testing.T) {
	f := newDataCheckFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: dataCheckConfig(f, fakedts.DataCheckFailedJobID, "full", `wait_for {
    status = ["Finished"]
  }`),
			ExpectError: re(`full_data_check failed \(status "Failed"\)[\s\S]*` + regexp.QuoteMeta(fakedts.DataCheckFailedMessage) +
				`[\s\S]*Tables whose verification failed \(4\)[\s\S]*erp\.e002: failed: too many tables without a primary key \(error code 1\)[\s\S]*erp\.e005: failed: the verification SQL has a syntax error`),
		}},
	})
}

func TestAccDataCheckJobFailure(t *testing.T) {
	f := newDataCheckFake(t)
	failed := fakedts.DtsState{Status: "Failed", ErrorMessage: "the source database is gone", Mode: &fakedts.DtsMode{FullDataCheck: true},
		Precheck: "Finished", Structure: "Finished", Data: "Finished", Sync: "Failed", FullCheck: "Checking"}
	f.SetDtsJob("dtscheckjobfailed", fakedts.DtsJob{Region: "cn-hangzhou", Steps: []fakedts.Step{{Body: failed.Item("dtscheckjobfailed")}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: dataCheckConfig(f, "dtscheckjobfailed", "full", `wait_for {
    status = ["Finished"]
  }`),
			ExpectError: re(`the job failed \(job status "Failed"\)[\s\S]*the source database is gone`),
		}},
	})
}

func TestAccDataCheckNamesTheFailingPage(t *testing.T) {
	f := newDataCheckFake(t)
	// The job and page 1 answer; page 2 fails every attempt (1 + max_retries 5).
	pass := fakedts.Fault{Header: http.Header{"X-Fake-Pass": {"1"}}}
	down := fakedts.Fault{Code: "ServiceUnavailable"}
	f.QueueFaults(pass, pass, down, down, down, down, down, down)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      dataCheckConfig(f, fakedts.DataCheckCleanJobID, "full", `job_type = "migration"`),
			ExpectError: re(`DescribeDataCheckTableDetails for page 2 of the tables of the full data verification of DTS job[\s\S]*"dtscheckclean" in region cn-hangzhou[\s\S]*ServiceUnavailable[\s\S]*Attempts: 6`),
		}},
	})
}

func TestAccDataCheckJobNotFound(t *testing.T) {
	f := newDataCheckFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      dataCheckConfig(f, "nosuchjob", "full", ""),
			ExpectError: re(`DTS job not found[\s\S]*no job "nosuchjob" in region cn-hangzhou among the migration, synchronization, subscription jobs[\s\S]*its verification[\s\S]*cannot be read`),
		}},
	})
}

func TestAccDataCheckValidatesWaitForAtPlanTime(t *testing.T) {
	f := newDataCheckFake(t)
	for _, tc := range []struct {
		name, checkType, waitFor, want string
	}{
		{"a status in the wrong case", "incremental", `status = ["catched"]`, `"catched" is not a incremental_data_check status, but[\s\S]*"Catched" is`},
		{"a full status in the wrong case", "full", `status = ["finished"]`, `write[\s\S]*"Finished"`},
		{"no status", "full", `max_inconsistent_rows = 0`, `Attribute "wait_for.status" must be specified when "wait_for" is specified`},
		{"a negative bound", "full", "status = [\"Finished\"]\n    max_inconsistent_rows = -1", `max_inconsistent_rows value must be at least 0`},
		{"a short poll interval", "full", "status = [\"Finished\"]\n    poll_interval = \"500ms\"", `too short`},
		{"an unknown check type", "schema", `status = ["Finished"]`, `check_type value must be one of`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories,
				Steps: []resource.TestStep{{
					Config:      dataCheckConfig(f, fakedts.DataCheckCleanJobID, tc.checkType, "wait_for {\n    "+tc.waitFor+"\n  }"),
					PlanOnly:    true,
					ExpectError: re(tc.want),
				}},
			})
		})
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("validation sent %d requests, want none", n)
	}
}

// TestValidateDataCheckWaitFor checks the spelling help against check_type's statuses, warnings
// included, which acceptance tests cannot see.
func TestValidateDataCheckWaitFor(t *testing.T) {
	statuses := func(ss ...string) types.List {
		v, _ := types.ListValueFrom(context.Background(), types.StringType, ss)
		return v
	}
	for _, tc := range []struct {
		checkType, status, wantError, wantWarning string
	}{
		{"full", "Finished", "", ""},
		{"incremental", "Catched", "", ""},
		{"incremental", "catched", `write "Catched"`, ""},
		{"full", "Catched", "", `"Catched" is not among the documented full_data_check statuses (NotStarted, Checking, Failed, Finished)`},
		{"incremental", "Finished", "", "documented incremental_data_check statuses"},
	} {
		diags := validateDataCheckWaitFor(context.Background(), types.StringValue(tc.checkType), &dataCheckWaitForModel{Status: statuses(tc.status)})
		var errs, warns []string
		for _, d := range diags.Errors() {
			errs = append(errs, d.Detail())
		}
		for _, d := range diags.Warnings() {
			warns = append(warns, d.Detail())
		}
		if got := strings.Join(errs, "\n"); (tc.wantError == "") != (got == "") || !strings.Contains(got, tc.wantError) {
			t.Errorf("%s %q: errors %q, want %q", tc.checkType, tc.status, got, tc.wantError)
		}
		if got := strings.Join(warns, "\n"); (tc.wantWarning == "") != (got == "") || !strings.Contains(got, tc.wantWarning) {
			t.Errorf("%s %q: warnings %q, want %q", tc.checkType, tc.status, got, tc.wantWarning)
		}
	}
	if diags := validateDataCheckWaitFor(context.Background(), types.StringUnknown(), &dataCheckWaitForModel{Status: statuses("whatever")}); diags.HasError() || len(diags) != 0 {
		t.Errorf("an unknown check_type cannot be checked against: %v", diags)
	}
}

// TestEachDataCheckPollIsLoggedAtInfo: status, percent, tables done and inconsistent rows.
func TestEachDataCheckPollIsLoggedAtInfo(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	tables := fakeCheckTables(map[string]int64{"a": 0, "b": 3}, "3")
	check := &dtsapi.DataCheck{CheckType: dtsapi.CheckTypeIncremental, Tables: tables,
		Job: &dtsapi.DtsJobRead{Job: &dtsapi.DtsJob{JobCore: dtsapi.JobCore{MigrationMode: dtsapi.ObjectOf(dtsapi.MigrationMode{IncDataCheck: dtsapi.BoolOf(true)})}}}}
	status, percent := "Catched", int64(100)
	log := logPoll("Polled DTS data verification", "dts_job_id", "dtsjob", target{region: "cn-hangzhou"}, wait.StageIncrementalDataCheck, logTables)
	log(ctx, wait.Poll[dtsapi.DataCheck]{N: 2, Elapsed: 10 * time.Second, Response: check,
		Verdict: wait.Verdict{Observation: wait.Observation{Status: &status, Percent: &percent}, Held: "3 inconsistent rows in 1 table, more than the 0 allowed"}})
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil || len(entries) != 1 {
		t.Fatalf("want 1 log entry, got %d (%v)", len(entries), err)
	}
	for k, v := range map[string]any{
		"@level": "info", "@message": "Polled DTS data verification", "dts_job_id": "dtsjob", "stage": "incremental_data_check",
		"status": "Catched", "percent": float64(100), "tables_done": float64(1), "tables": float64(2),
		"inconsistent_rows": float64(3), "enabled": true, "held": "3 inconsistent rows in 1 table, more than the 0 allowed",
	} {
		if entries[0][k] != v {
			t.Errorf("%s = %v, want %v", k, entries[0][k], v)
		}
	}
}

// fakeCheckTables are tables named by their inconsistent rows, the first finished, the rest with status.
func fakeCheckTables(rows map[string]int64, status string) *dtsapi.DataCheckTables {
	out := &dtsapi.DataCheckTables{Last: &dtsapi.DataCheckTableDetails{TotalCount: dtsapi.IntOf(int64(len(rows)))}}
	for i, name := range slices.Sorted(maps.Keys(rows)) {
		st := dtsapi.TableCheckFinished
		if i > 0 {
			st = status
		}
		out.Tables = append(out.Tables, dtsapi.DataCheckTable{SourceDbName: dtsapi.StringOf("d"), SourceTbName: dtsapi.StringOf(name),
			DiffCount: dtsapi.IntOf(rows[name]), Status: dtsapi.StringOf(st)})
	}
	return out
}

// The statuses of the wait_for block come from the family's table: a stage added there is offered here.
func TestDataCheckStatusesAreTheFamilys(t *testing.T) {
	for _, s := range []wait.Stage{wait.StageFullDataCheck, wait.StageIncrementalDataCheck} {
		ours, _ := family.DataCheckStatuses.Lookup(string(s))
		theirs, _ := family.Current.Table.Lookup(string(s))
		if !slices.Equal(ours.Documented, theirs.Documented) {
			t.Errorf("%s: %v, the job's stage documents %v", s, ours.Documented, theirs.Documented)
		}
	}
}

// A verification that counts more tables than it lists has rows nobody saw: inconsistent_rows is
// null, and a gate on the rows holds until its deadline, saying why.
func TestAccDataCheckNeverOpensOnRowsItDidNotSee(t *testing.T) {
	f := newDataCheckFake(t)
	finished := fakedts.DtsState{Status: "Migrating", Mode: &fakedts.DtsMode{DataInitialization: true, DataSynchronization: true, FullDataCheck: true},
		Data: "Finished", Sync: "Catched", Delay: fakedts.Delay(0), FullCheck: "Finished"}
	f.SetDtsJob("dtscheckunseen", fakedts.DtsJob{Region: "cn-hangzhou", Steps: []fakedts.Step{{Body: finished.Item("dtscheckunseen")}}})
	f.SetDataCheck("dtscheckunseen", 1, fakedts.DataCheck{Steps: []fakedts.DataCheckStep{{
		Tables: fakedts.Tables("shop", "t", 45, nil), Extra: map[string]any{"TotalCount": 50}}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			{
				Config: dataCheckConfig(f, "dtscheckunseen", "full", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectCheck(tfjsonpath.New("total_tables"), num(50)),
					expectCheck(tfjsonpath.New("tables"), knownvalue.ListSizeExact(45)),
					expectCheck(tfjsonpath.New("inconsistent_rows"), null()),
				},
			},
			{
				Config: dataCheckConfig(f, "dtscheckunseen", "full", `wait_for {
    status                = ["Finished"]
    max_inconsistent_rows = 0
    poll_interval         = "1s"
  }
  timeouts {
    read = "3s"
  }`),
				ExpectError: re(`Timed out waiting for DTS data verification[\s\S]*not counted as reached because the inconsistent rows[\s\S]*were not all seen: the service counts 50 tables and 45 were read`),
			},
		},
	})
}
