package provider

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

func TestEachPollIsLoggedAtInfo(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	status, percent, delay, job := "Migrating", int64(95), int64(12), "Migrating"
	log := logPoll[dtsapi.MigrationJobStatus]("Polled DTS migration job status", "migration_job_id", "dts-job", target{region: "cn-hangzhou"}, wait.StageDataSynchronization, nil)
	log(ctx, wait.Poll[dtsapi.MigrationJobStatus]{N: 3, Elapsed: 20 * time.Second,
		Verdict: wait.Verdict{JobStatus: &job, Observation: wait.Observation{Status: &status, Percent: &percent, Delay: &delay}}})
	log(ctx, wait.Poll[dtsapi.MigrationJobStatus]{N: 4, Elapsed: 30 * time.Second, Err: errors.New("HTTP 503")})

	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil || len(entries) != 2 {
		t.Fatalf("want 2 log entries, got %d (%v)", len(entries), err)
	}
	want := map[string]any{
		"@level": "info", "@message": "Polled DTS migration job status", "migration_job_id": "dts-job",
		"region": "cn-hangzhou", "stage": "data_synchronization", "status": "Migrating",
		"percent": float64(95), "delay": float64(12), "poll": float64(3), "elapsed": "20s", "job_status": "Migrating",
	}
	for k, v := range want {
		if entries[0][k] != v {
			t.Errorf("%s = %v, want %v", k, entries[0][k], v)
		}
	}
	if entries[1]["error"] != "HTTP 503" || entries[1]["status"] != nil {
		t.Errorf("a failed poll logs its error and no status: %v", entries[1])
	}
}

// TestValidateWaitFor covers the rules that depend on the stage, which no single-attribute
// validator can check: a status's spelling against the stage's documented statuses, and
// max_delay_seconds only where the stage has a delay.
func TestValidateWaitFor(t *testing.T) {
	statuses := func(ss ...string) types.List {
		v, _ := types.ListValueFrom(context.Background(), types.StringType, ss)
		return v
	}
	cases := []struct {
		name      string
		table     wait.Table
		w         waitForModel
		wantError string
		wantWarn  string
	}{
		{"documented", family.Legacy.Table, waitForModel{Stage: types.StringValue("data_synchronization"), Status: statuses("Catched")}, "", ""},
		{"wrong case", family.Legacy.Table, waitForModel{Stage: types.StringValue("data_synchronization"), Status: statuses("catched")}, `but "Catched" is`, ""},
		{"job stage of the current API ignores case", family.Current.Table, waitForModel{Stage: types.StringValue("job"), Status: statuses("synchronizing")}, "", ""},
		{"job stage of the legacy API does not", family.Legacy.Table, waitForModel{Stage: types.StringValue("job"), Status: statuses("migrating")}, `but "Migrating" is`, ""},
		{"undocumented", family.Current.Table, waitForModel{Stage: types.StringValue("full_data_check"), Status: statuses("Verifying")}, "", "not among the documented full_data_check statuses"},
		{"delay with data_synchronization", family.Current.Table, waitForModel{Stage: types.StringValue("data_synchronization"), Status: statuses("Catched"), MaxDelaySeconds: types.Int64Value(5)}, "", ""},
		{"delay with another stage", family.Current.Table, waitForModel{Stage: types.StringValue("incremental_data_check"), Status: statuses("Catched"), MaxDelaySeconds: types.Int64Value(5)}, "Only incremental synchronization has a delay", ""},
		{"stage unknown at validation", family.Legacy.Table, waitForModel{Stage: types.StringUnknown(), Status: statuses("catched"), MaxDelaySeconds: types.Int64Value(5)}, "", ""},
		{"stage of the other family", family.Legacy.Table, waitForModel{Stage: types.StringValue("full_data_check"), Status: statuses("finished")}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diags := validateWaitFor(context.Background(), tc.table, &tc.w)
			errs, warns := diags.Errors(), diags.Warnings()
			switch {
			case tc.wantError == "" && len(errs) > 0:
				t.Fatalf("unexpected errors: %v", errs)
			case tc.wantError != "" && (len(errs) != 1 || !strings.Contains(errs[0].Detail(), tc.wantError)):
				t.Fatalf("errors %v, want one containing %q", errs, tc.wantError)
			case tc.wantWarn == "" && len(warns) > 0:
				t.Fatalf("unexpected warnings: %v", warns)
			case tc.wantWarn != "" && (len(warns) != 1 || !strings.Contains(warns[0].Detail(), tc.wantWarn)):
				t.Fatalf("warnings %v, want one containing %q", warns, tc.wantWarn)
			}
		})
	}
}

// TestPollLogSaysWhenDTSIsRetrying: a poll of a current-API job that DTS is retrying says so, with why.
func TestPollLogSaysWhenDTSIsRetrying(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	log := logPoll("Polled DTS job status", "dts_job_id", "dtsjob", target{region: "cn-hangzhou"}, wait.StageDataSynchronization, logRetryState)
	retrying := dtsapi.DtsJob{JobCore: dtsapi.JobCore{Status: dtsapi.StringOf("Retrying"), RetryState: dtsapi.ObjectOf(dtsapi.RetryState{
		Retrying: dtsapi.BoolOf(true), RetryCount: dtsapi.IntOf(3), RetryTarget: dtsapi.StringOf("destDB"), ErrMessage: dtsapi.StringOf("connect timed out"),
	})}}
	calm := dtsapi.DtsJob{JobCore: dtsapi.JobCore{Status: dtsapi.StringOf("Synchronizing"), RetryState: dtsapi.ObjectOf(dtsapi.RetryState{Retrying: dtsapi.BoolOf(false)})}}
	log(ctx, wait.Poll[dtsapi.DtsJob]{N: 1, Response: &retrying})
	log(ctx, wait.Poll[dtsapi.DtsJob]{N: 2, Response: &calm})

	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil || len(entries) != 2 {
		t.Fatalf("want 2 log entries, got %d (%v)", len(entries), err)
	}
	for k, v := range map[string]any{"@message": "Polled DTS job status", "dts_job_id": "dtsjob", "retrying": true,
		"retry_count": float64(3), "retry_target": "destDB", "retry_error": "connect timed out"} {
		if entries[0][k] != v {
			t.Errorf("%s = %v, want %v", k, entries[0][k], v)
		}
	}
	if _, ok := entries[1]["retrying"]; ok {
		t.Errorf("a job DTS is not retrying logs no retry fields: %v", entries[1])
	}
}
