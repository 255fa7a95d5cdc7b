package wait

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Most error texts are checked through Wait; these pin down the renderings Wait rarely produces.
func TestErrorTexts(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "timeout with unknown percent and delay",
			err: &TimeoutError{
				Target:  syncTarget("Catched"),
				Timeout: 20 * time.Minute,
				Polls:   120,
				Last:    &Observation{Status: ptr("Migrating")},
			},
			want: `timed out after 20m0s waiting for data_synchronization status in ["Catched"] (120 polls). ` +
				`Last seen: data_synchronization status "Migrating", percent unknown, delay unknown. ` +
				`If the job is still making progress, allow it more time with a longer read timeout; otherwise look at the job in the DTS console.`,
		},
		{
			name: "timeout with a stage error message",
			err: &TimeoutError{
				Target:        Target{Stage: StageDataInitialization, Statuses: []string{"Finished"}},
				Timeout:       time.Hour,
				Polls:         1,
				Last:          &Observation{Status: ptr("Migrating"), Percent: i64(12), ErrorMessage: ptr("slow source")},
				LastJobStatus: ptr("Migrating"),
			},
			want: `timed out after 1h0m0s waiting for data_initialization status in ["Finished"] (1 poll). ` +
				`Last seen: data_initialization status "Migrating", percent 12, error message "slow source"; job status "Migrating". ` +
				`If the job is still making progress, allow it more time with a longer read timeout; otherwise look at the job in the DTS console.`,
		},
		{
			// The job answered, so its ID, region and the endpoint are right: the stage has not started.
			name: "timeout where the job answered but the stage never appeared",
			err: &TimeoutError{
				Target:        syncTarget("Catched"),
				Timeout:       20 * time.Minute,
				Polls:         120,
				LastJobStatus: ptr("Prechecking"),
			},
			want: `timed out after 20m0s waiting for data_synchronization status in ["Catched"] (120 polls): ` +
				`the job answered, with job status "Prechecking", but no answer included a data_synchronization status: ` +
				`the stage has not started yet. ` +
				`If the job is still making progress, allow it more time with a longer read timeout; otherwise look at the job in the DTS console.`,
		},
		{
			name: "timeout where the job answered, the stage never appeared, and a call failed",
			err: &TimeoutError{
				Target:        Target{Stage: StageDataInitialization, Statuses: []string{"Finished"}},
				Timeout:       time.Hour,
				Polls:         3,
				LastJobStatus: ptr("NotStarted"),
				LastErr:       errors.New("ServiceUnavailable: try later"),
			},
			want: `timed out after 1h0m0s waiting for data_initialization status in ["Finished"] (3 polls): ` +
				`the job answered, with job status "NotStarted", but no answer included a data_initialization status: ` +
				`the stage has not started yet; the last call that failed said: ServiceUnavailable: try later. ` +
				`If the job is still making progress, allow it more time with a longer read timeout; otherwise look at the job in the DTS console.`,
		},
		{
			// Nothing answered: only then is the job ID, the region or the endpoint in doubt.
			name: "timeout where nothing answered",
			err: &TimeoutError{
				Target:  syncTarget("Catched"),
				Timeout: time.Minute,
				Polls:   6,
				LastErr: errors.New("dial tcp: connection refused"),
			},
			want: `timed out after 1m0s waiting for data_synchronization status in ["Catched"] (6 polls): ` +
				`no data_synchronization status was ever observed; the last call failed: dial tcp: connection refused. ` +
				`Check that the job ID and region are right and that the DTS endpoint is reachable, then try again.`,
		},
		{
			name: "canceled on the job stage",
			err: &CanceledError{
				Target: Target{Stage: StageJob, Statuses: []string{"Finished"}},
				Waited: 90 * time.Second,
				Polls:  10,
				Last:   &Observation{Status: ptr("Migrating")},
				Err:    context.Canceled,
			},
			want: `stopped waiting for job status in ["Finished"] after 1m30s (10 polls): context canceled. Last seen: job status "Migrating"`,
		},
		{
			name: "unreachable with only a reason",
			err: &UnreachableError{
				Target: Target{Stage: StagePrecheck, Statuses: []string{"Finished"}},
				Reason: "the job was released",
			},
			want: `waiting for precheck status in ["Finished"] cannot succeed: the job was released.`,
		},
		{
			name: "unreachable with everything",
			err: &UnreachableError{
				Target:       Target{Stage: StageJob, Statuses: []string{"Migrating"}},
				Reason:       `the job's precheck failed (job status "PrecheckFailed")`,
				Hint:         "Fix it.",
				Stage:        StagePrecheck,
				ErrorMessage: "precheck says no",
				FailedChecks: []FailedCheck{
					{Item: "CHECK_A", Result: "Failed", RepairMethod: "do X"},
					{Item: "CHECK_B", Result: "Warning", Reason: "odd"},
				},
			},
			want: "waiting for job status in [\"Migrating\"] cannot succeed: the job's precheck failed (job status \"PrecheckFailed\").\n" +
				"precheck error message: precheck says no\n" +
				"Precheck items that did not pass:\n" +
				"  - CHECK_A: Failed; repair: do X\n" +
				"  - CHECK_B: Warning: odd\n" +
				"Fix it.",
		},
		{
			name: "unreachable with the job's error and error details",
			err: &UnreachableError{
				Target:          Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}},
				Reason:          `the job failed (job status "Failed"); data_initialization is "Failed"`,
				Stage:           StageDataInitialization,
				ErrorMessage:    "table t1 is gone",
				JobErrorMessage: "DTS-1001 the job failed",
				ErrorDetails:    []ErrorDetail{{Code: "DTS-1001", HelpURL: "https://help.example/1001"}, {Code: "DTS-2002"}},
			},
			want: "waiting for full_data_check status in [\"Finished\"] cannot succeed: the job failed (job status \"Failed\"); data_initialization is \"Failed\".\n" +
				"data_initialization error message: table t1 is gone\n" +
				"job error message: DTS-1001 the job failed\n" +
				"error code DTS-1001: see https://help.example/1001\n" +
				"error code DTS-2002",
		},
		{
			name: "unreachable on the job stage does not repeat the job's message",
			err: &UnreachableError{
				Target:          Target{Stage: StageJob, Statuses: []string{"Synchronizing"}},
				Reason:          `the job failed (job status "Failed")`,
				Stage:           StageJob,
				ErrorMessage:    "source unreachable",
				JobErrorMessage: "source unreachable",
			},
			want: "waiting for job status in [\"Synchronizing\"] cannot succeed: the job failed (job status \"Failed\").\n" +
				"job error message: source unreachable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestCanceledErrorUnwrap(t *testing.T) {
	cause := errors.New("interrupt")
	err := error(&CanceledError{Err: context.Canceled, Cause: cause})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) {
		t.Errorf("errors.Is does not find both the context's error and the cause in %v", err)
	}
	if errors.Is(&CanceledError{Err: context.Canceled}, cause) {
		t.Error("a CanceledError without a cause matched one")
	}
}

func ptr[T any](v T) *T { return &v }

func i64(v int64) *int64 { return &v }

func syncTarget(statuses ...string) Target {
	return Target{Stage: StageDataSynchronization, Statuses: statuses}
}
