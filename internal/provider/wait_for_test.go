package provider

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

func TestEachPollIsLoggedAtInfo(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	status, percent, delay, job := "Migrating", int64(95), int64(12), "Migrating"
	log := logPoll[dtsapi.MigrationJobStatus]("Polled DTS migration job status", "migration_job_id", "dts-job", target{region: "cn-hangzhou"}, wait.StageDataSynchronization, nil)
	log(ctx, wait.Poll[dtsapi.MigrationJobStatus]{N: 3, Elapsed: 20 * time.Second, JobStatus: &job,
		Observation: wait.Observation{Status: &status, Percent: &percent, Delay: &delay}})
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
