package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi/fieldsheet"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// Tests of the whole job and its sub-jobs: every leaf in state, include_sub_jobs and sub_jobs, the
// requests a read makes, the delay unit check, and the waits that sub-jobs and Modifying hold.

// jobStatusRPC is a provider server configured against the fake, and dts_job_status's type.
type jobStatusRPC struct {
	server tfprotov6.ProviderServer
	dsType tftypes.Type
}

func newJobStatusRPC(t *testing.T, f *fakedts.Server) *jobStatusRPC {
	t.Helper()
	ctx := context.Background()
	server, err := factories(testTuning())["dts"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	config, err := tfprotov6.NewDynamicValue(providerType, objectOf(providerType, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, "cn-hangzhou"),
		"endpoint":   tftypes.NewValue(tftypes.String, f.URL()),
		"access_key": tftypes.NewValue(tftypes.String, testAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, testSecretKey),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &config}); err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, resp.Diagnostics)
	}
	return &jobStatusRPC{server: server, dsType: schemas.DataSourceSchemas["dts_job_status"].ValueType()}
}

// read reads dts_job_status with the given arguments and returns the response and its state.
func (c *jobStatusRPC) read(t *testing.T, args map[string]tftypes.Value) (*tfprotov6.ReadDataSourceResponse, tftypes.Value) {
	t.Helper()
	config, err := tfprotov6.NewDynamicValue(c.dsType, objectOf(c.dsType, args))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "dts_job_status", Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("read failed: %s: %s", d.Summary, d.Detail)
		}
	}
	state, err := resp.State.Unmarshal(c.dsType)
	if err != nil {
		t.Fatal(err)
	}
	return resp, state
}

func syncJobArgs(id string, includeSubJobs *bool) map[string]tftypes.Value {
	args := map[string]tftypes.Value{
		"dts_job_id": tftypes.NewValue(tftypes.String, id),
		"job_type":   tftypes.NewValue(tftypes.String, "synchronization"),
	}
	if includeSubJobs != nil {
		args["include_sub_jobs"] = tftypes.NewValue(tftypes.Bool, *includeSubJobs)
	}
	return args
}

func mustState(t *testing.T, state tftypes.Value, path ...string) string {
	t.Helper()
	v, ok := stateAt(state, path)
	if !ok {
		t.Fatalf("no attribute at %s", strings.Join(path, "."))
	}
	return stateText(v)
}

// TestJobStatusRequestsPerRead: a read is one DescribeDtsJobs request, and one DescribeDtsJobDetail
// request more with include_sub_jobs; sub_jobs is null without it.
func TestJobStatusRequestsPerRead(t *testing.T) {
	f := newFake(t)
	f.SetDtsJob("dtsdist", fakeJob("SYNC", fakedts.DistributedTimelineFor("dtsdist", time.Hour)...))
	c := newJobStatusRPC(t, f)
	yes, no := true, false
	for _, tc := range []struct {
		name     string
		include  *bool
		actions  []string
		subJobs  string
		included string
	}{
		{"unset", nil, []string{fakedts.ActionDescribeDtsJobs}, "<null>", "false"},
		{"false", &no, []string{fakedts.ActionDescribeDtsJobs}, "<null>", "false"},
		{"true", &yes, []string{fakedts.ActionDescribeDtsJobs, fakedts.ActionDescribeDtsJobDetail}, "3", "true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.ResetRequests()
			_, state := c.read(t, syncJobArgs("dtsdist", tc.include))
			var got []string
			for _, r := range f.Requests() {
				got = append(got, r.Action)
			}
			if strings.Join(got, ",") != strings.Join(tc.actions, ",") {
				t.Errorf("requests %v, want %v", got, tc.actions)
			}
			v, _ := stateAt(state, []string{"sub_jobs"})
			var list []tftypes.Value
			count := "<null>"
			if !v.IsNull() {
				_ = v.As(&list)
				count = fmt.Sprint(len(list))
			}
			if count != tc.subJobs || mustState(t, state, "include_sub_jobs") != tc.included {
				t.Errorf("sub_jobs holds %s, include_sub_jobs %s; want %s, %s", count, mustState(t, state, "include_sub_jobs"), tc.subJobs, tc.included)
			}
		})
	}
	if r := f.RequestsFor(fakedts.ActionDescribeDtsJobDetail); len(r) != 1 || r[0].DtsJobID != "dtsdist" || r[0].RegionID != "cn-hangzhou" ||
		r[0].Params.Get("SyncSubJobHistory") != "false" || r[0].Params.Has("Region") {
		t.Errorf("the detail request: %+v", r)
	}
}

// TestJobStatusSubJobsInState: each sub-job in the job's shapes, distributed before sync, delays in
// seconds rounded up.
func TestJobStatusSubJobsInState(t *testing.T) {
	f := newFake(t)
	f.SetDtsJob("dtsdist", fakeJob("SYNC", fakedts.DistributedTimelineFor("dtsdist", time.Hour)...))
	f.SetDtsJob("dtsmod", fakeJob("SYNC", fakedts.SubSyncTimelineFor("dtsmod", time.Hour)...))
	c := newJobStatusRPC(t, f)
	yes := true
	_, dist := c.read(t, syncJobArgs("dtsdist", &yes))
	_, mod := c.read(t, syncJobArgs("dtsmod", &yes))
	for _, tc := range []struct {
		state tftypes.Value
		path  string
		want  string
	}{
		{dist, "sub_jobs.[0].dts_job_id", "dtsdist_shard0"},
		{dist, "sub_jobs.[1].kind", "distributed"},
		{dist, "sub_jobs.[1].delay", "754"},
		{dist, "sub_jobs.[2].delay", "1"}, // 400 ms
		{dist, "sub_jobs.[1].status", "Synchronizing"},
		{dist, "sub_jobs.[1].job_type", "SYNC"},
		{dist, "sub_jobs.[1].task_type", "rds"},
		{dist, "sub_jobs.[1].data_synchronization_status.status", "Migrating"},
		{dist, "sub_jobs.[1].data_synchronization_status.need_upgrade", "false"},
		{dist, "sub_jobs.[1].retry_state.job_id", "dtsdist_shard1"},
		{dist, "sub_jobs.[1].retry_state.max_retry_time", "43200"},
		{dist, "sub_jobs.[1].source_endpoint.engine_name", "MySQL"},
		{dist, "sub_jobs.[1].structure_initialization_status.status", "Finished"},
		{dist, "sub_jobs.[1].precheck_status.status", "Finished"},
		{dist, "status", "Synchronizing"},
		{dist, "data_synchronization_status.status", "Catched"},
		{mod, "status", "Modifying"},
		{mod, "sub_jobs.[0].kind", "sync"},
		{mod, "sub_jobs.[0].dts_job_id", "dtsmod_sub"},
		{mod, "sub_jobs.[0].status", "Prechecking"},
		{mod, "sub_jobs.[0].db_object", `{"crm":{"name":"crm","all":false,"Table":{"invoice":{"name":"invoice","all":true},"payment":{"name":"payment","all":true}}}}`},
		{mod, "sub_jobs.[0].delay", "<null>"},
		{mod, "sub_jobs.[0].synchronization_direction", "<null>"},
	} {
		if got := mustState(t, tc.state, strings.Split(tc.path, ".")...); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.path, got, tc.want)
		}
	}
}

// TestJobStatusWarnsWhenTheDetailReportsSeconds: the detail's figure for the job beside DescribeDtsJobs'
// shows seconds; that read takes every sub-job delay as seconds and warns, naming both figures.
func TestJobStatusWarnsWhenTheDetailReportsSeconds(t *testing.T) {
	f := newFake(t)
	f.SetDtsJob("dtssec", fakeJob("SYNC", fakedts.SecondsTimelineFor("dtssec", time.Hour)...))
	f.SetDtsJob("dtsdist", fakeJob("SYNC", fakedts.DistributedTimelineFor("dtsdist", time.Hour)...))
	c := newJobStatusRPC(t, f)
	yes := true
	resp, state := c.read(t, syncJobArgs("dtssec", &yes))
	var warnings []string
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			warnings = append(warnings, d.Summary+": "+d.Detail)
		}
	}
	if len(warnings) != 1 {
		t.Fatalf("want one warning, got %q", warnings)
	}
	for _, want := range []string{"Sub-job delays read as seconds", `DescribeDtsJobs reports a delay of 30 s for job "dtssec"`,
		"DescribeDtsJobDetail a delay of 30 for it"} {
		if !strings.Contains(warnings[0], want) {
			t.Errorf("warning %q does not say %q", warnings[0], want)
		}
	}
	if d0, d1 := mustState(t, state, "sub_jobs", "[0]", "delay"), mustState(t, state, "sub_jobs", "[1]", "delay"); d0 != "30" || d1 != "4" {
		t.Errorf("sub-job delays %s and %s, want 30 and 4: as seconds, not 1 and 1", d0, d1)
	}
	// A detail answer in milliseconds warns of nothing.
	if resp, _ := c.read(t, syncJobArgs("dtsdist", &yes)); len(resp.Diagnostics) != 0 {
		t.Errorf("diagnostics for an answer in milliseconds: %v", resp.Diagnostics)
	}
}

// TestAccJobStatusWholeJob: every leaf of a job reaches state through Terraform, the reverse job's
// as the job's own.
func TestAccJobStatusWholeJob(t *testing.T) {
	item, jobLeaves, reverseLeaves := sheetJob(t)
	f := newFake(t)
	// The fake sets the item's DtsJobId, JobType and DtsJobName to the job's own.
	f.SetDtsJob("dtswhole", fakeJob("SYNC", fakedts.Step{Body: item}))
	// wire is the check of the value the item sends for the leaf at path: Percent, Port and Checkpoint, numbers
	// in a string on the wire, are numbers in state.
	wire := func(leaves []fieldsheet.Leaf, first int, path string) knownvalue.Check {
		l, v, ok := fieldsheet.Sent(leaves, first, path)
		if !ok {
			t.Fatalf("the sheet has no leaf %s", path)
		}
		switch v := v.(type) {
		case bool:
			return boolean(v)
		case int:
			return num(int64(v))
		case float64:
			return knownvalue.Float64Exact(v)
		case string:
			if strings.HasPrefix(l.JSONType, "string (n)") && (strings.HasSuffix(path, "Percent") || strings.HasSuffix(path, "Port") || path == "Checkpoint") {
				n, _ := json.Number(v).Int64()
				return num(n)
			}
			return str(v)
		}
		t.Fatalf("the sheet's leaf %s sends %T", path, v)
		return nil
	}
	var checks []statecheck.StateCheck
	for path, leaf := range map[string]string{
		"max_du": "MaxDu", "min_du": "MinDu", "du_usage": "DuUsage", "cpu_usage": "CpuUsage", "du_real_usage": "DuRealUsage",
		"app_name": "AppName", "consumption_client": "ConsumptionClient", "etl_safe_checkpoint": "EtlSafeCheckpoint",
		"reserved": "Reserved", "dts_bis_label": "DtsBisLabel", "begin_timestamp": "BeginTimestamp",
		"migration_error.code": "MigrationErrCode", "migration_error.help_doc_id": "MigrationErrHelpDocId",
		"retry_state.migration_error.workaround": "RetryState.MigrationErrWorkaround", "retry_state.job_id": "RetryState.JobId",
		"data_cloud_status.need_upgrade": "DataCloudStatus.NeedUpgrade", "data_cloud_status.progress": "DataCloudStatus.Progress",
		"full_data_check_status.can_switch":        "FullDataCheckStatus.CanSwitch",
		"data_synchronization_status.need_upgrade": "DataSynchronizationStatus.NeedUpgrade",
	} {
		p := tfjsonpath.New(strings.Split(path, ".")[0])
		for _, part := range strings.Split(path, ".")[1:] {
			p = p.AtMapKey(part)
		}
		checks = append(checks, expectJob(p, wire(jobLeaves, 0, leaf)))
	}
	for path, leaf := range map[string]string{
		"dts_job_id": "DtsJobId", "max_du": "MaxDu", "delay": "Delay", "reserved": "Reserved", "mem_usage": "MemUsage",
		"migration_mode.incremental_data_check": "MigrationMode.IncDataCheck", "performance.rps": "Performance.Rps",
		"source_endpoint.oracle_sid": "SourceEndpoint.OracleSID", "source_endpoint.port": "SourceEndpoint.Port",
		"structure_data_check_status.status": "StructureDataCheckStatus.Status",
	} {
		p := tfjsonpath.New("reverse_job")
		for _, part := range strings.Split(path, ".") {
			p = p.AtMapKey(part)
		}
		checks = append(checks, expectJob(p, wire(reverseLeaves, fieldsheet.ReverseBase, leaf)))
	}
	checks = append(checks,
		expectJob(tfjsonpath.New("reverse_job").AtMapKey("precheck_status").AtMapKey("detail").AtSliceIndex(0).AtMapKey("repair_method"),
			wire(reverseLeaves, fieldsheet.ReverseBase, "PrecheckStatus.Detail[].RepairMethod")),
		expectJob(tfjsonpath.New("reverse_job").AtMapKey("app_name"), null()),        // not a leaf of ReverseJob
		expectJob(tfjsonpath.New("reverse_job").AtMapKey("migration_error"), null()), // nor are its MigrationErr*
		expectJob(tfjsonpath.New("sub_jobs"), null()),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps:                    []resource.TestStep{{Config: jobStatusConfig(f, "dtswhole", `job_type = "synchronization"`), ConfigStateChecks: checks}},
	})
}

// subJobsWait is a dts_job_status reading id with a wait on data_synchronization and extra arguments.
func subJobsWait(f *fakedts.Server, id, extra string) string {
	return jobStatusConfig(f, id, `job_type = "synchronization"
  `+extra+`
  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "1s"
  }`)
}

// TestAccJobStatusDistributedJobHeldByItsLaggingShard: the job reads Catched from the first poll, but
// with include_sub_jobs the wait goes on until its lagging shard has caught up; without it, the gate
// opens at once.
func TestAccJobStatusDistributedJobHeldByItsLaggingShard(t *testing.T) {
	t.Run("with sub-jobs", func(t *testing.T) {
		f := newFake(t)
		const total = 3 * time.Second
		f.SetDtsJob("dtsdist", fakeJob("SYNC", fakedts.DistributedTimelineFor("dtsdist", total)...))
		start := time.Now()
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testFactories,
			Steps: []resource.TestStep{{
				Config: subJobsWait(f, "dtsdist", "include_sub_jobs = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					expectJob(tfjsonpath.New("sub_jobs").AtSliceIndex(1).AtMapKey("dts_job_id"), str("dtsdist_shard1")),
					expectJob(tfjsonpath.New("sub_jobs").AtSliceIndex(1).AtMapKey("data_synchronization_status").AtMapKey("status"), str("Catched")),
					expectJob(tfjsonpath.New("sub_jobs").AtSliceIndex(1).AtMapKey("delay"), num(0)),
				},
			}},
		})
		if took := time.Since(start); took < total {
			t.Errorf("the plan ended after %v, before the shard caught up at %v", took, total)
		}
		lists, details := len(f.RequestsFor(fakedts.ActionDescribeDtsJobs)), len(f.RequestsFor(fakedts.ActionDescribeDtsJobDetail))
		if lists < 4 || details != lists {
			t.Errorf("%d listings and %d detail calls: want every poll to make both, and at least 4 polls before the shard caught up", lists, details)
		}
	})
	t.Run("without", func(t *testing.T) {
		f := newFake(t)
		f.SetDtsJob("dtsdist", fakeJob("SYNC", fakedts.DistributedTimelineFor("dtsdist", time.Hour)...))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testFactories,
			Steps: []resource.TestStep{{
				Config:            subJobsWait(f, "dtsdist", ""),
				ConfigStateChecks: []statecheck.StateCheck{expectJob(tfjsonpath.New("sub_jobs"), null())},
			}},
		})
		if n := len(f.RequestsFor(fakedts.ActionDescribeDtsJobDetail)); n != 0 {
			t.Errorf("%d detail calls without include_sub_jobs", n)
		}
	})
}

// TestAccJobStatusSubJobWaits: a failed sub-job ends the wait by name; Modifying holds a job that
// reads Catched, with or without sub-jobs, and a wait it holds to its deadline says why.
func TestAccJobStatusSubJobWaits(t *testing.T) {
	caught := func(status string, d int64) fakedts.DtsState {
		return fakedts.DtsState{Status: "Synchronizing", Precheck: "Finished", Structure: "Finished", Data: "Finished",
			Sync: status, SyncPercent: 95, Delay: fakedts.Delay(d)}
	}
	failedShard := caught("Failed", 40)
	failedShard.Status, failedShard.ErrorMessage, failedShard.SyncError = "Failed", "shard 1 lost its binlog", "binlog file not found"
	failing := func(shard fakedts.DtsState) fakedts.Step {
		job := caught("Catched", 0)
		return fakedts.Step{Body: job.Item("dtsfail"), Duration: 1500 * time.Millisecond, Detail: fakedts.DtsDetail{Job: job,
			Distributed: []fakedts.DtsSubJob{{ID: "dtsfail_shard0", DtsState: caught("Catched", 0)}, {ID: "dtsfail_shard1", DtsState: shard}}}.Body("dtsfail")}
	}
	stuck := caught("Catched", 1)
	stuck.Status = "Modifying"
	// The job reads Catched, and its detail answer's shard list is not a list: nothing says the shards caught up.
	unreadable := fakedts.Step{Body: caught("Catched", 0).Item("dtsunread"), Detail: json.RawMessage(
		`{"RequestId": "R-UNREAD", "Success": true, "DtsJobId": "dtsunread", "Status": "Synchronizing", "Delay": 0, "SubDistributedJob": 7}`)}
	cases := map[string]struct {
		id     string
		steps  []fakedts.Step
		extra  string
		want   string
		checks []statecheck.StateCheck
	}{
		"a failed sub-job ends the wait by name": {
			id: "dtsfail", steps: []fakedts.Step{failing(caught("Migrating", 40)), failing(failedShard)}, extra: "include_sub_jobs = true",
			want: `distributed sub-job "dtsfail_shard1": the job failed \(job status "Failed"\); data_synchronization is "Failed"[\s\S]*binlog file not found[\s\S]*job error message: shard 1 lost its binlog`,
		},
		"Modifying holds without sub-jobs": {
			id: "dtsmod", steps: fakedts.SubSyncTimelineFor("dtsmod", 3*time.Second),
			checks: []statecheck.StateCheck{expectJob(tfjsonpath.New("status"), str("Synchronizing")), expectJob(tfjsonpath.New("sub_jobs"), null())},
		},
		"Modifying holds with sub-jobs": {
			id: "dtsmod", steps: fakedts.SubSyncTimelineFor("dtsmod", 3*time.Second), extra: "include_sub_jobs = true",
			checks: []statecheck.StateCheck{
				expectJob(tfjsonpath.New("status"), str("Synchronizing")),
				expectJob(tfjsonpath.New("sub_jobs").AtSliceIndex(0).AtMapKey("status"), str("Finished")),
				expectJob(tfjsonpath.New("sub_jobs").AtSliceIndex(0).AtMapKey("kind"), str("sync")),
			},
		},
		"sub-jobs that could not be read hold the gate to its deadline": {
			id: "dtsunread", steps: []fakedts.Step{unreadable}, extra: "include_sub_jobs = true\n  timeouts {\n    read = \"3s\"\n  }",
			want: `timed out after 3s[\s\S]*not counted as reached because not every sub-job could be read \(SubDistributedJob is not a list: 7\)`,
		},
		"a wait held by Modifying to its deadline says why": {
			id: "dtsstuck", steps: []fakedts.Step{{Body: stuck.Item("dtsstuck")}}, extra: "timeouts {\n    read = \"3s\"\n  }",
			want: `timed out after 3s[\s\S]*data_synchronization status "Catched"[\s\S]*not counted as reached because the job is "Modifying"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.SetDtsJob(tc.id, fakeJob("SYNC", tc.steps...))
			step := resource.TestStep{Config: subJobsWait(f, tc.id, tc.extra), ConfigStateChecks: tc.checks}
			if tc.want != "" {
				step.ExpectError = wrapped(tc.want)
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testFactories, Steps: []resource.TestStep{step}})
			if polls := len(f.RequestsFor(fakedts.ActionDescribeDtsJobs)); tc.want == "" && polls < 4 {
				t.Errorf("%d polls: the wait ended before the job left Modifying (the fourth poll)", polls)
			}
		})
	}
}

// TestUnreadSubJobsWarn: a read whose detail answer held sub-jobs it could not take says so on
// sub_jobs, naming the job, what was not read and the request; a read with every sub-job read does not.
func TestUnreadSubJobsWarn(t *testing.T) {
	job := &dtsapi.DtsJob{JobCore: dtsapi.JobCore{DtsJobID: dtsapi.StringOf("dtsunread")}}
	var diags diag.Diagnostics
	warnUnreadSubJobs(&dtsapi.DtsJobRead{Job: job, SubJobs: &dtsapi.SubJobsRead{RequestID: dtsapi.StringOf("R-1")}}, &diags)
	warnUnreadSubJobs(&dtsapi.DtsJobRead{Job: job}, &diags)
	if len(diags) != 0 {
		t.Fatalf("warned with every sub-job read: %v", diags)
	}
	warnUnreadSubJobs(&dtsapi.DtsJobRead{Job: job, SubJobs: &dtsapi.SubJobsRead{RequestID: dtsapi.StringOf("R-1"),
		Unread: "SubDistributedJob is not a list: 7"}}, &diags)
	if len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	for _, want := range []string{`"dtsunread"`, "SubDistributedJob is not a list: 7", "R-1", "does not open"} {
		if !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("warning lacks %q: %s", want, diags[0].Detail())
		}
	}
}

// TestSubJobPrecheckDocumentsItsOwnStatuses: a sub-job's precheck is documented with other statuses
// than a job's (Prechecking and PrecheckFailed, not Checking and Failed), and each page lists its own.
func TestSubJobPrecheckDocumentsItsOwnStatuses(t *testing.T) {
	precheckStatus := func(attrs map[string]schema.Attribute) string {
		nested, ok := attrs["precheck_status"].(schema.SingleNestedAttribute)
		if !ok {
			t.Fatalf("precheck_status is %T", attrs["precheck_status"])
		}
		return nested.Attributes["status"].GetDescription()
	}
	sub, job := precheckStatus(subJobShape.schemaAttributes()), precheckStatus(jobFields.schemaAttributes())
	if !strings.Contains(sub, "`PrecheckFailed`") || strings.Contains(sub, "`Checking`") {
		t.Errorf("sub-job precheck status: %s", sub)
	}
	if !strings.Contains(job, "`Checking`") || strings.Contains(job, "`PrecheckFailed`") {
		t.Errorf("job precheck status: %s", job)
	}
}
