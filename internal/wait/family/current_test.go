package family

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// Tests of the Current family: a DescribeDtsJobs item, seven stages, the job's status compared
// ignoring case, the delay read from the job, and the job's own error and error details.

type jobReply = reply[dtsapi.DtsJob]

type jobOpt func(*dtsapi.DtsJob)

// dtsJob builds a DescribeDtsJobs item with the given job status.
func dtsJob(status string, opts ...jobOpt) *dtsapi.DtsJob {
	j := &dtsapi.DtsJob{JobCore: dtsapi.JobCore{DtsJobID: str("dtsj0b1"), Status: str(status)}, JobType: str(dtsapi.JobTypeSynchronization)}
	for _, o := range opts {
		o(j)
	}
	return j
}

// at sets a stage's status and error message; for the precheck, use checks.
func at(s wait.Stage, status, errMsg string) jobOpt {
	return func(j *dtsapi.DtsJob) {
		o := dtsapi.ObjectOf(dtsapi.StageStatus{Status: str(status), Percent: dtsapi.IntOf(40), ErrorMessage: str(errMsg)})
		switch s {
		case wait.StagePrecheck:
			j.PrecheckStatus = dtsapi.ObjectOf(dtsapi.Precheck{Status: str(status), Percent: dtsapi.IntOf(100), ErrorMessage: str(errMsg)})
		case wait.StageStructureInitialization:
			j.StructureInitializationStatus = o
		case wait.StageDataInitialization:
			j.DataInitializationStatus = o
		case wait.StageDataSynchronization:
			j.DataSynchronizationStatus = o
		case wait.StageFullDataCheck:
			j.FullDataCheckStatus = o
		case wait.StageIncrementalDataCheck:
			j.IncDataCheckStatus = o
		default:
			panic("at: no stage object for " + string(s))
		}
	}
}

// checks sets the precheck's status and items.
func checks(status string, items ...dtsapi.CheckItem) jobOpt {
	return func(j *dtsapi.DtsJob) {
		j.PrecheckStatus = dtsapi.ObjectOf(dtsapi.Precheck{Status: str(status), Percent: dtsapi.IntOf(100), Detail: dtsapi.ListOf(items...)})
	}
}

// delay sets the job's top-level delay, the only one this API sends.
func delay(seconds int64) jobOpt {
	return func(j *dtsapi.DtsJob) { j.Delay = dtsapi.IntOf(seconds) }
}

// jobError sets the job's own error message and error details.
func jobError(msg string, details ...dtsapi.ErrorDetail) jobOpt {
	return func(j *dtsapi.DtsJob) {
		j.ErrorMessage = str(msg)
		j.ErrorDetails = dtsapi.ListOf(details...)
	}
}

func migrationMode(m dtsapi.MigrationMode) jobOpt {
	return func(j *dtsapi.DtsJob) { j.MigrationMode = dtsapi.ObjectOf(m) }
}

// allOn is a migration mode that runs every stage.
var allOn = dtsapi.MigrationMode{
	StructureInitialization: dtsapi.BoolOf(true), DataInitialization: dtsapi.BoolOf(true), DataSynchronization: dtsapi.BoolOf(true),
	FullDataCheck: dtsapi.BoolOf(true), IncDataCheck: dtsapi.BoolOf(true), StructureDataCheck: dtsapi.BoolOf(true),
}

func okJob(j *dtsapi.DtsJob) jobReply { return jobReply{resp: j} }

func TestCurrentWaitReachesTarget(t *testing.T) {
	bound := func(stage wait.Stage, most int64, statuses ...string) wait.Target {
		return wait.Target{Stage: stage, Statuses: statuses, MaxDelaySeconds: i64(most)}
	}
	tests := []struct {
		name    string
		target  wait.Target
		answers []jobReply
		// wantPolls is the poll whose response must be returned.
		wantPolls int
		// wantDelays are the delays the polls observed, when the case is about them.
		wantDelays []*int64
	}{
		{
			name:      "job",
			target:    wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}},
			answers:   []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("Synchronizing"))},
			wantPolls: 2,
		},
		{
			name:      "precheck",
			target:    wait.Target{Stage: wait.StagePrecheck, Statuses: []string{"Finished"}},
			answers:   []jobReply{okJob(dtsJob("Prechecking", at(wait.StagePrecheck, "Checking", ""))), okJob(dtsJob("PreCheckPass", at(wait.StagePrecheck, "Finished", "")))},
			wantPolls: 2,
		},
		{
			name:   "structure_initialization",
			target: wait.Target{Stage: wait.StageStructureInitialization, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Initializing", at(wait.StageStructureInitialization, "Migrating", ""))),
				okJob(dtsJob("Initializing", at(wait.StageStructureInitialization, "Finished", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "data_initialization",
			target: wait.Target{Stage: wait.StageDataInitialization, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Initializing", at(wait.StageDataInitialization, "Migrating", ""))),
				okJob(dtsJob("Synchronizing", at(wait.StageDataInitialization, "Finished", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "data_synchronization",
			target: wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Migrating", ""))),
				okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "full_data_check",
			target: wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "NotStarted", ""))),
				okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Checking", ""))),
				okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Finished", ""))),
			},
			wantPolls: 3,
		},
		{
			name:   "incremental_data_check",
			target: wait.Target{Stage: wait.StageIncrementalDataCheck, Statuses: []string{"Catched"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", at(wait.StageIncrementalDataCheck, "Checking", ""))),
				okJob(dtsJob("Synchronizing", at(wait.StageIncrementalDataCheck, "Catched", ""))),
			},
			wantPolls: 2,
		},
		{
			name:      "the job stage ignores case: Synchronizing is met by synchronizing",
			target:    wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}},
			answers:   []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("synchronizing"))},
			wantPolls: 2,
		},
		{
			name:      "the job stage ignores case the other way round",
			target:    wait.Target{Stage: wait.StageJob, Statuses: []string{"SYNCHRONIZING"}},
			answers:   []jobReply{okJob(dtsJob("Synchronizing"))},
			wantPolls: 1,
		},
		{
			name:   "other stages compare exactly",
			target: wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "finished", ""))),
				okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Finished", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "max_delay_seconds is checked against the job's delay",
			target: bound(wait.StageDataSynchronization, 5, "Catched"),
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", delay(30), at(wait.StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", delay(6), at(wait.StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", delay(5), at(wait.StageDataSynchronization, "Catched", ""))),
			},
			wantPolls:  4,
			wantDelays: []*int64{i64(30), nil, i64(6), i64(5)},
		},
		{
			name:   "a delay of 0 meets a bound of 0",
			target: bound(wait.StageDataSynchronization, 0, "Catched"),
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", delay(1), at(wait.StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", delay(0), at(wait.StageDataSynchronization, "Catched", ""))),
			},
			wantPolls:  2,
			wantDelays: []*int64{i64(1), i64(0)},
		},
		{
			name:   "Retrying and Abnormal do not end a wait",
			target: wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Migrating", ""))),
				okJob(dtsJob("Retrying", jobError("source connection lost"), at(wait.StageDataSynchronization, "Migrating", "connection reset"))),
				okJob(dtsJob("Abnormal", jobError("source connection lost"), at(wait.StageDataSynchronization, "Migrating", "connection reset"))),
				okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""))),
			},
			wantPolls: 4,
		},
		{
			name:   "Retrying and Abnormal do not end a wait on the job stage",
			target: wait.Target{Stage: wait.StageJob, Statuses: []string{"Normal"}},
			answers: []jobReply{
				okJob(dtsJob("Starting")),
				okJob(dtsJob("Retrying", jobError("retrying"))),
				okJob(dtsJob("Abnormal", jobError("abnormal"))),
				okJob(dtsJob("Normal")),
			},
			wantPolls: 4,
		},
		{
			name:   "Failed as a job target succeeds",
			target: wait.Target{Stage: wait.StageJob, Statuses: []string{"Failed"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing")),
				okJob(dtsJob("Failed", jobError("boom"), at(wait.StageDataSynchronization, "Failed", "boom"))),
			},
			wantPolls: 2,
		},
		{
			name:   "a stage switched on runs",
			target: wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Migrating", migrationMode(allOn), at(wait.StageFullDataCheck, "Checking", ""))),
				okJob(dtsJob("Migrating", migrationMode(allOn), at(wait.StageFullDataCheck, "Finished", ""))),
			},
			wantPolls: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFamilyHarness(Current, scripted(tt.answers...))
			got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), tt.target)
			if err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if want := tt.answers[tt.wantPolls-1].resp; got != want {
				t.Errorf("Wait returned %+v, want the response of poll %d", got, tt.wantPolls)
			}
			if len(h.calls) != tt.wantPolls || len(h.polls) != tt.wantPolls {
				t.Fatalf("made %d calls and reported %d polls, want %d", len(h.calls), len(h.polls), tt.wantPolls)
			}
			for i, p := range h.polls {
				if want := i == tt.wantPolls-1; p.Satisfied != want {
					t.Errorf("poll %d: Satisfied = %v, want %v", p.N, p.Satisfied, want)
				}
				if tt.wantDelays != nil && !reflect.DeepEqual(p.Observation.Delay, tt.wantDelays[i]) {
					t.Errorf("poll %d: delay %s, want %s", p.N, intOr(p.Observation.Delay, "s"), intOr(tt.wantDelays[i], "s"))
				}
			}
		})
	}
}

func TestCurrentWaitUnreachable(t *testing.T) {
	passed := dtsapi.CheckItem{CheckItem: str("CHECK_SRC_CONN"), CheckResult: str("Success"), FailedReason: str("SHOULD-NOT-APPEAR")}
	privilege := dtsapi.CheckItem{
		CheckItem:    str("CHECK_SRC_PRIVILEGE"),
		CheckResult:  str("Failed"),
		FailedReason: str("the source account lacks REPLICATION CLIENT"),
		RepairMethod: str("GRANT REPLICATION CLIENT ON *.* TO 'dts'@'%'"),
	}
	privilegeCheck := wait.FailedCheck{
		Item: "CHECK_SRC_PRIVILEGE", Result: "Failed",
		Reason: "the source account lacks REPLICATION CLIENT", RepairMethod: "GRANT REPLICATION CLIENT ON *.* TO 'dts'@'%'",
	}
	details := []dtsapi.ErrorDetail{
		{ErrorCode: str("DTS-070211"), HelpURL: str("https://help.aliyun.com/document_detail/462133.html")},
		{ErrorCode: str("DTS-1020042")},
	}
	wantDetails := []wait.ErrorDetail{
		{Code: "DTS-070211", HelpURL: "https://help.aliyun.com/document_detail/462133.html"},
		{Code: "DTS-1020042"},
	}
	detailText := []string{
		"error code DTS-070211: see https://help.aliyun.com/document_detail/462133.html",
		"error code DTS-1020042",
	}
	syncing := okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Migrating", "")))
	incCheck := wait.Target{Stage: wait.StageIncrementalDataCheck, Statuses: []string{"Catched"}}
	fullCheck := wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}}

	tests := []struct {
		name    string
		target  wait.Target
		answers []jobReply
		// The failing response is the last answer: the wait must stop on it.
		wantStage           wait.Stage
		wantStatus          string
		wantJobStatus       string
		wantErrorMessage    string
		wantJobErrorMessage string
		wantDetails         []wait.ErrorDetail
		wantChecks          []wait.FailedCheck
		wantText            []string
	}{
		{
			name:   "job PrecheckFailed lists the failed items with their reason and repair",
			target: incCheck,
			answers: []jobReply{
				okJob(dtsJob("Prechecking", checks("Checking"))),
				okJob(dtsJob("PrecheckFailed", checks("Failed", passed, privilege))),
			},
			wantStage:     wait.StagePrecheck,
			wantStatus:    "Failed",
			wantJobStatus: "PrecheckFailed",
			wantChecks:    []wait.FailedCheck{privilegeCheck},
			wantText: []string{
				`the job's precheck failed (job status "PrecheckFailed")`,
				"CHECK_SRC_PRIVILEGE: Failed: the source account lacks REPLICATION CLIENT; repair: GRANT REPLICATION CLIENT ON *.* TO 'dts'@'%'",
				"run the precheck again",
			},
		},
		{
			name:                "job MigrationFailed names the failed stage, the job's error and its details",
			target:              fullCheck,
			answers:             []jobReply{syncing, okJob(dtsJob("MigrationFailed", jobError("DTS-070211: table missing", details...), at(wait.StageDataInitialization, "Failed", "Table db.t1 does not exist")))},
			wantStage:           wait.StageDataInitialization,
			wantStatus:          "Failed",
			wantJobStatus:       "MigrationFailed",
			wantErrorMessage:    "Table db.t1 does not exist",
			wantJobErrorMessage: "DTS-070211: table missing",
			wantDetails:         wantDetails,
			wantText: append([]string{
				`the job failed (job status "MigrationFailed"); data_initialization is "Failed"`,
				"data_initialization error message: Table db.t1 does not exist",
				"job error message: DTS-070211: table missing",
			}, detailText...),
		},
		{
			name:                "job InitializeFailed with a failed structure_initialization",
			target:              wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}},
			answers:             []jobReply{okJob(dtsJob("InitializeFailed", jobError("schema failed"), at(wait.StageStructureInitialization, "Failed", "unsupported type")))},
			wantStage:           wait.StageStructureInitialization,
			wantStatus:          "Failed",
			wantJobStatus:       "InitializeFailed",
			wantErrorMessage:    "unsupported type",
			wantJobErrorMessage: "schema failed",
			wantText:            []string{`the job failed (job status "InitializeFailed"); structure_initialization is "Failed"`, "job error message: schema failed"},
		},
		{
			name:                "job InitializeFailed with nothing more said blames the job",
			target:              wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}},
			answers:             []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("InitializeFailed", jobError("init failed")))},
			wantStage:           wait.StageJob,
			wantStatus:          "InitializeFailed",
			wantJobStatus:       "InitializeFailed",
			wantJobErrorMessage: "init failed",
			wantText:            []string{`the job failed (job status "InitializeFailed")`, "job error message: init failed"},
		},
		{
			name:   "job Failed carries the stage's and the job's error messages and the error details",
			target: incCheck,
			answers: []jobReply{
				syncing,
				okJob(dtsJob("Failed", jobError("DTS-1020042: binlog purged", details...), at(wait.StageDataSynchronization, "Failed", "binlog file not found"))),
			},
			wantStage:           wait.StageDataSynchronization,
			wantStatus:          "Failed",
			wantJobStatus:       "Failed",
			wantErrorMessage:    "binlog file not found",
			wantJobErrorMessage: "DTS-1020042: binlog purged",
			wantDetails:         wantDetails,
			wantText: append([]string{
				`the job failed (job status "Failed"); data_synchronization is "Failed"`,
				"data_synchronization error message: binlog file not found",
				"job error message: DTS-1020042: binlog purged",
				"restart the job",
			}, detailText...),
		},
		{
			name:                "job failures compare ignoring case",
			target:              incCheck,
			answers:             []jobReply{okJob(dtsJob("failed", jobError("down")))},
			wantStage:           wait.StageJob,
			wantStatus:          "failed",
			wantJobStatus:       "failed",
			wantJobErrorMessage: "down",
			wantText:            []string{`the job failed (job status "failed")`},
		},
		{
			name:   "job Failed without a failed stage uses a stage's message",
			target: incCheck,
			answers: []jobReply{okJob(dtsJob("Failed", jobError("job down"),
				at(wait.StageDataInitialization, "Finished", ""), at(wait.StageFullDataCheck, "Checking", "checker crashed")))},
			wantStage:           wait.StageFullDataCheck,
			wantStatus:          "Checking",
			wantJobStatus:       "Failed",
			wantErrorMessage:    "checker crashed",
			wantJobErrorMessage: "job down",
			wantText:            []string{"full_data_check reports an error", "full_data_check error message: checker crashed", "job error message: job down"},
		},
		{
			name:   "an earlier stage Failed",
			target: incCheck,
			answers: []jobReply{
				syncing,
				okJob(dtsJob("Migrating", at(wait.StageDataInitialization, "Failed", "duplicate key"), at(wait.StageIncrementalDataCheck, "NotStarted", ""))),
			},
			wantStage:        wait.StageDataInitialization,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "duplicate key",
			wantText:         []string{`data_initialization failed (status "Failed"), and incremental_data_check runs after it`},
		},
		{
			name:             "data_synchronization Failed while waiting for incremental_data_check",
			target:           incCheck,
			answers:          []jobReply{okJob(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Failed", "lag"), at(wait.StageIncrementalDataCheck, "Checking", "")))},
			wantStage:        wait.StageDataSynchronization,
			wantStatus:       "Failed",
			wantJobStatus:    "Synchronizing",
			wantErrorMessage: "lag",
			wantText:         []string{`data_synchronization failed (status "Failed"), and incremental_data_check runs after it`},
		},
		{
			name:             "the watched full_data_check Failed",
			target:           fullCheck,
			answers:          []jobReply{okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Checking", ""))), okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Failed", "rows differ")))},
			wantStage:        wait.StageFullDataCheck,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "rows differ",
			wantText:         []string{`full_data_check failed (status "Failed").`},
		},
		{
			name:   "full_data_check switched off",
			target: fullCheck,
			answers: []jobReply{okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "NotStarted", ""), migrationMode(dtsapi.MigrationMode{
				StructureInitialization: dtsapi.BoolOf(true), DataInitialization: dtsapi.BoolOf(true), FullDataCheck: dtsapi.BoolOf(false),
			})))},
			wantStage:     wait.StageFullDataCheck,
			wantStatus:    "NotStarted",
			wantJobStatus: "Migrating",
			wantText:      []string{"full_data_check is switched off in the job's migration mode (MigrationMode.FullDataCheck is false)"},
		},
		{
			name:          "incremental_data_check switched off, without a status",
			target:        incCheck,
			answers:       []jobReply{okJob(dtsJob("Synchronizing", migrationMode(dtsapi.MigrationMode{IncDataCheck: dtsapi.BoolOf(false)})))},
			wantStage:     wait.StageIncrementalDataCheck,
			wantJobStatus: "Synchronizing",
			wantText:      []string{"MigrationMode.IncDataCheck is false"},
		},
		{
			name:          "job Finished while full_data_check is not at the target",
			target:        fullCheck,
			answers:       []jobReply{okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Checking", ""))), okJob(dtsJob("Finished", at(wait.StageFullDataCheck, "NotStarted", "")))},
			wantStage:     wait.StageFullDataCheck,
			wantStatus:    "NotStarted",
			wantJobStatus: "Finished",
			wantText:      []string{`the job has finished (job status "Finished") with full_data_check at "NotStarted", so it will not change any more`},
		},
		{
			name:          "job finished, in lower case",
			target:        incCheck,
			answers:       []jobReply{okJob(dtsJob("finished", at(wait.StageIncrementalDataCheck, "Checking", "")))},
			wantStage:     wait.StageIncrementalDataCheck,
			wantStatus:    "Checking",
			wantJobStatus: "finished",
			wantText:      []string{`the job has finished (job status "finished")`},
		},
		{
			name:          "job Finished with the job's delay above the bound",
			target:        wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers:       []jobReply{okJob(dtsJob("Finished", delay(9), at(wait.StageDataSynchronization, "Catched", "")))},
			wantStage:     wait.StageDataSynchronization,
			wantStatus:    "Catched",
			wantJobStatus: "Finished",
			wantText:      []string{"a delay of 9s, above the 5s bound"},
		},
		{
			name:          "job Finished when waiting for another job status",
			target:        wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}},
			answers:       []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("Finished"))},
			wantStage:     wait.StageJob,
			wantStatus:    "Finished",
			wantJobStatus: "Finished",
			wantText:      []string{`the job has finished (job status "Finished"), so its status will not change any more`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFamilyHarness(Current, scripted(tt.answers...))
			got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), tt.target)
			if got != nil {
				t.Errorf("Wait returned a response with its error: %+v", got)
			}
			var u *wait.UnreachableError
			if !errors.As(err, &u) {
				t.Fatalf("Wait error = %v (%T), want *UnreachableError", err, err)
			}
			if n := len(tt.answers); len(h.calls) != n || len(h.polls) != n {
				t.Errorf("made %d calls and reported %d polls, want the wait to stop on poll %d", len(h.calls), len(h.polls), n)
			}
			if want := time.Duration(len(tt.answers)-1) * 10 * time.Second; h.elapsed() != want {
				t.Errorf("returned at %s, want %s: no sleep after the failing poll", h.elapsed(), want)
			}
			if u.JobErrorMessage != tt.wantJobErrorMessage || !reflect.DeepEqual(u.ErrorDetails, tt.wantDetails) {
				t.Errorf("JobErrorMessage, ErrorDetails = %q, %+v; want %q, %+v", u.JobErrorMessage, u.ErrorDetails, tt.wantJobErrorMessage, tt.wantDetails)
			}
			checkUnreachable(t, err, u, wait.UnreachableError{Stage: tt.wantStage, Status: tt.wantStatus, JobStatus: tt.wantJobStatus,
				ErrorMessage: tt.wantErrorMessage, FailedChecks: tt.wantChecks}, tt.wantText)
		})
	}
}

func TestCurrentWaitTimeoutNamesTheJobsDelay(t *testing.T) {
	h := newFamilyHarness(Current, scripted(
		okJob(dtsJob("Synchronizing", delay(40), at(wait.StageDataSynchronization, "Catched", ""))),
		okJob(dtsJob("Retrying", delay(12), at(wait.StageDataSynchronization, "Migrating", ""))),
	))
	target := wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)}
	_, err := h.waiter(10*time.Second, 30*time.Second).Wait(t.Context(), target)
	var te *wait.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("Wait error = %v (%T), want *TimeoutError", err, err)
	}
	want := &wait.Observation{Status: ptr("Migrating"), Percent: i64(40), Delay: i64(12)}
	if !reflect.DeepEqual(te.Last, want) || te.Polls != 3 {
		t.Errorf("Last = %s after %d polls, want %s after 3", fmtObs(*te.Last), te.Polls, fmtObs(*want))
	}
	if want := `Last seen: data_synchronization status "Migrating", percent 40, delay 12s; job status "Retrying"`; !strings.Contains(err.Error(), want) {
		t.Errorf("error text lacks %q:\n%s", want, err)
	}
}

// OnPoll gets the very response the call returned, so a caller can log or keep it.
func TestPollResponseIsTheCallsResponse(t *testing.T) {
	transient := &dtsapi.Error{Code: dtsapi.CodeServiceUnavailable, HTTPStatus: 503, Retryable: true}
	answers := []jobReply{
		okJob(dtsJob("Synchronizing", delay(20), at(wait.StageDataSynchronization, "Migrating", ""))),
		{err: transient},
		okJob(dtsJob("Synchronizing", delay(1), at(wait.StageDataSynchronization, "Catched", ""))),
	}
	h := newFamilyHarness(Current, scripted(answers...))
	got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)})
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(h.polls) != len(answers) {
		t.Fatalf("reported %d polls, want %d", len(h.polls), len(answers))
	}
	for i, p := range h.polls {
		if p.Response != answers[i].resp {
			t.Errorf("poll %d: Response = %p, want the call's response %p", p.N, p.Response, answers[i].resp)
		}
	}
	if h.polls[2].Response != got {
		t.Error("the satisfying poll's Response is not the response Wait returned")
	}
	if p := h.polls[0]; p.JobStatus == nil || *p.JobStatus != "Synchronizing" || p.Observation.Delay == nil || *p.Observation.Delay != 20 {
		t.Errorf("poll 1: JobStatus %s, delay %s; want \"Synchronizing\", 20", quoteOr(p.JobStatus), intOr(p.Observation.Delay, ""))
	}
	if p := h.polls[1]; p.Err == nil || p.JobStatus != nil || !reflect.DeepEqual(p.Observation, wait.Observation{}) {
		t.Errorf("poll 2 (failed): Err %v, JobStatus %v, Observation %s; want the error and nothing observed", p.Err, p.JobStatus, fmtObs(p.Observation))
	}
}

func TestCurrentWaitValidatesTarget(t *testing.T) {
	tests := []struct {
		name     string
		target   wait.Target
		wantText string // empty: the target is valid
	}{
		{"full_data_check is a stage", wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}}, ""},
		{"incremental_data_check is a stage", wait.Target{Stage: wait.StageIncrementalDataCheck, Statuses: []string{"Catched"}}, ""},
		{"no delay bound on full_data_check", wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}, MaxDelaySeconds: i64(5)}, "only data_synchronization reports a delay"},
		{"no delay bound on the job", wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}, MaxDelaySeconds: i64(5)}, "only data_synchronization reports a delay"},
		{"unknown stage names the seven", wait.Target{Stage: "structure_data_check", Statuses: []string{"Finished"}}, `"full_data_check", "incremental_data_check"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFamilyHarness(Current, scripted(okJob(dtsJob("Migrating", at(wait.StageFullDataCheck, "Finished", ""), at(wait.StageIncrementalDataCheck, "Catched", "")))))
			_, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), tt.target)
			if tt.wantText == "" {
				if err != nil {
					t.Fatalf("Wait: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("Wait error = %v, want one containing %q", err, tt.wantText)
			}
			if len(h.calls) != 0 {
				t.Errorf("made %d calls on an invalid target, want none", len(h.calls))
			}
		})
	}

	// The legacy API has no data checks.
	h := newHarness(scripted(ok(resp(job("Migrating")))))
	if _, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}}); err == nil || !strings.Contains(err.Error(), `unknown stage "full_data_check"`) {
		t.Errorf("legacy Wait on full_data_check: error %v, want an unknown stage", err)
	}
}

func TestObserveCurrent(t *testing.T) {
	full := dtsJob("Synchronizing", delay(7), jobError("job note"),
		checks("Finished", dtsapi.CheckItem{CheckResult: str("Success")}),
		at(wait.StageStructureInitialization, "Finished", "schema note"),
		at(wait.StageDataInitialization, "Finished", ""),
		at(wait.StageDataSynchronization, "Catched", "sync note"),
		at(wait.StageFullDataCheck, "Checking", "full note"),
		at(wait.StageIncrementalDataCheck, "Catched", ""),
	)
	full.PrecheckStatus.Get().ErrorMessage = str("precheck note")
	noSyncStatus := dtsJob("Synchronizing", delay(7))
	noSyncStatus.DataSynchronizationStatus = dtsapi.ObjectOf(dtsapi.StageStatus{Percent: dtsapi.IntOf(10)})
	tests := []observeCase[dtsapi.DtsJob]{
		{"job", wait.StageJob, full, wait.Observation{Status: ptr("Synchronizing"), ErrorMessage: ptr("job note")}},
		{"precheck", wait.StagePrecheck, full, wait.Observation{Status: ptr("Finished"), Percent: i64(100), ErrorMessage: ptr("precheck note")}},
		{"structure", wait.StageStructureInitialization, full, wait.Observation{Status: ptr("Finished"), Percent: i64(40), ErrorMessage: ptr("schema note")}},
		{"data init", wait.StageDataInitialization, full, wait.Observation{Status: ptr("Finished"), Percent: i64(40)}},
		{"data sync takes the job's delay", wait.StageDataSynchronization, full, wait.Observation{Status: ptr("Catched"), Percent: i64(40), Delay: i64(7), ErrorMessage: ptr("sync note")}},
		{"full data check", wait.StageFullDataCheck, full, wait.Observation{Status: ptr("Checking"), Percent: i64(40), ErrorMessage: ptr("full note")}},
		{"incremental data check", wait.StageIncrementalDataCheck, full, wait.Observation{Status: ptr("Catched"), Percent: i64(40)}},
		{"no delay without a synchronization status", wait.StageDataSynchronization, noSyncStatus, wait.Observation{Percent: i64(10)}},
		{"no delay without a synchronization object", wait.StageDataSynchronization, dtsJob("Synchronizing", delay(7)), wait.Observation{}},
		{"unknown stage", wait.Stage("nope"), full, wait.Observation{}},
	}
	for _, s := range Current.Table.Stages()[1:] {
		tests = append(tests, observeCase[dtsapi.DtsJob]{"no stage objects/" + string(s), s, &dtsapi.DtsJob{}, wait.Observation{}})
	}
	runObserve(t, Current, tests)
}
