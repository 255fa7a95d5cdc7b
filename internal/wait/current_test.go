package wait

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// Tests of the Current family: a DescribeDtsJobs item, seven stages, the job's status compared
// ignoring case, the delay read from the job, and the job's own error and error details.

type jobReply = reply[dtsapi.DtsJob]

type jobOpt func(*dtsapi.DtsJob)

// dtsJob builds a DescribeDtsJobs item with the given job status.
func dtsJob(status string, opts ...jobOpt) *dtsapi.DtsJob {
	j := &dtsapi.DtsJob{DtsJobID: str("dtsj0b1"), JobType: str(dtsapi.JobTypeSynchronization), Status: str(status)}
	for _, o := range opts {
		o(j)
	}
	return j
}

// at sets a stage's status and error message; for the precheck, use checks.
func at(s Stage, status, errMsg string) jobOpt {
	return func(j *dtsapi.DtsJob) {
		o := dtsapi.ObjectOf(dtsapi.StageStatus{Status: str(status), Percent: dtsapi.IntOf(40), ErrorMessage: str(errMsg)})
		switch s {
		case StagePrecheck:
			j.PrecheckStatus = dtsapi.ObjectOf(dtsapi.Precheck{Status: str(status), Percent: dtsapi.IntOf(100), ErrorMessage: str(errMsg)})
		case StageStructureInitialization:
			j.StructureInitializationStatus = o
		case StageDataInitialization:
			j.DataInitializationStatus = o
		case StageDataSynchronization:
			j.DataSynchronizationStatus = o
		case StageFullDataCheck:
			j.FullDataCheckStatus = o
		case StageIncrementalDataCheck:
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
	bound := func(stage Stage, most int64, statuses ...string) Target {
		return Target{Stage: stage, Statuses: statuses, MaxDelaySeconds: i64(most)}
	}
	tests := []struct {
		name    string
		target  Target
		answers []jobReply
		// wantPolls is the poll whose response must be returned.
		wantPolls int
		// wantDelays are the delays the polls observed, when the case is about them.
		wantDelays []*int64
	}{
		{
			name:      "job",
			target:    Target{Stage: StageJob, Statuses: []string{"Synchronizing"}},
			answers:   []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("Synchronizing"))},
			wantPolls: 2,
		},
		{
			name:      "precheck",
			target:    Target{Stage: StagePrecheck, Statuses: []string{"Finished"}},
			answers:   []jobReply{okJob(dtsJob("Prechecking", at(StagePrecheck, "Checking", ""))), okJob(dtsJob("PreCheckPass", at(StagePrecheck, "Finished", "")))},
			wantPolls: 2,
		},
		{
			name:   "structure_initialization",
			target: Target{Stage: StageStructureInitialization, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Initializing", at(StageStructureInitialization, "Migrating", ""))),
				okJob(dtsJob("Initializing", at(StageStructureInitialization, "Finished", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "data_initialization",
			target: Target{Stage: StageDataInitialization, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Initializing", at(StageDataInitialization, "Migrating", ""))),
				okJob(dtsJob("Synchronizing", at(StageDataInitialization, "Finished", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "data_synchronization",
			target: Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Migrating", ""))),
				okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Catched", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "full_data_check",
			target: Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Migrating", at(StageFullDataCheck, "NotStarted", ""))),
				okJob(dtsJob("Migrating", at(StageFullDataCheck, "Checking", ""))),
				okJob(dtsJob("Migrating", at(StageFullDataCheck, "Finished", ""))),
			},
			wantPolls: 3,
		},
		{
			name:   "incremental_data_check",
			target: Target{Stage: StageIncrementalDataCheck, Statuses: []string{"Catched"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", at(StageIncrementalDataCheck, "Checking", ""))),
				okJob(dtsJob("Synchronizing", at(StageIncrementalDataCheck, "Catched", ""))),
			},
			wantPolls: 2,
		},
		{
			name:      "the job stage ignores case: Synchronizing is met by synchronizing",
			target:    Target{Stage: StageJob, Statuses: []string{"Synchronizing"}},
			answers:   []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("synchronizing"))},
			wantPolls: 2,
		},
		{
			name:      "the job stage ignores case the other way round",
			target:    Target{Stage: StageJob, Statuses: []string{"SYNCHRONIZING"}},
			answers:   []jobReply{okJob(dtsJob("Synchronizing"))},
			wantPolls: 1,
		},
		{
			name:   "other stages compare exactly",
			target: Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Migrating", at(StageFullDataCheck, "finished", ""))),
				okJob(dtsJob("Migrating", at(StageFullDataCheck, "Finished", ""))),
			},
			wantPolls: 2,
		},
		{
			name:   "max_delay_seconds is checked against the job's delay",
			target: bound(StageDataSynchronization, 5, "Catched"),
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", delay(30), at(StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", delay(6), at(StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", delay(5), at(StageDataSynchronization, "Catched", ""))),
			},
			wantPolls:  4,
			wantDelays: []*int64{i64(30), nil, i64(6), i64(5)},
		},
		{
			name:   "a delay of 0 meets a bound of 0",
			target: bound(StageDataSynchronization, 0, "Catched"),
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", delay(1), at(StageDataSynchronization, "Catched", ""))),
				okJob(dtsJob("Synchronizing", delay(0), at(StageDataSynchronization, "Catched", ""))),
			},
			wantPolls:  2,
			wantDelays: []*int64{i64(1), i64(0)},
		},
		{
			name:   "Retrying and Abnormal do not end a wait",
			target: Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Migrating", ""))),
				okJob(dtsJob("Retrying", jobError("source connection lost"), at(StageDataSynchronization, "Migrating", "connection reset"))),
				okJob(dtsJob("Abnormal", jobError("source connection lost"), at(StageDataSynchronization, "Migrating", "connection reset"))),
				okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Catched", ""))),
			},
			wantPolls: 4,
		},
		{
			name:   "Retrying and Abnormal do not end a wait on the job stage",
			target: Target{Stage: StageJob, Statuses: []string{"Normal"}},
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
			target: Target{Stage: StageJob, Statuses: []string{"Failed"}},
			answers: []jobReply{
				okJob(dtsJob("Synchronizing")),
				okJob(dtsJob("Failed", jobError("boom"), at(StageDataSynchronization, "Failed", "boom"))),
			},
			wantPolls: 2,
		},
		{
			name:   "a stage switched on runs",
			target: Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}},
			answers: []jobReply{
				okJob(dtsJob("Migrating", migrationMode(allOn), at(StageFullDataCheck, "Checking", ""))),
				okJob(dtsJob("Migrating", migrationMode(allOn), at(StageFullDataCheck, "Finished", ""))),
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
					t.Errorf("poll %d: delay %s, want %s", p.N, intOr(p.Observation.Delay, "s", "nil"), intOr(tt.wantDelays[i], "s", "nil"))
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
	privilegeCheck := FailedCheck{
		Item: "CHECK_SRC_PRIVILEGE", Result: "Failed",
		Reason: "the source account lacks REPLICATION CLIENT", RepairMethod: "GRANT REPLICATION CLIENT ON *.* TO 'dts'@'%'",
	}
	details := []dtsapi.ErrorDetail{
		{ErrorCode: str("DTS-070211"), HelpURL: str("https://help.aliyun.com/document_detail/462133.html")},
		{ErrorCode: str("DTS-1020042")},
	}
	wantDetails := []ErrorDetail{
		{Code: "DTS-070211", HelpURL: "https://help.aliyun.com/document_detail/462133.html"},
		{Code: "DTS-1020042"},
	}
	detailText := []string{
		"error code DTS-070211: see https://help.aliyun.com/document_detail/462133.html",
		"error code DTS-1020042",
	}
	syncing := okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Migrating", "")))
	incCheck := Target{Stage: StageIncrementalDataCheck, Statuses: []string{"Catched"}}
	fullCheck := Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}}

	tests := []struct {
		name    string
		target  Target
		answers []jobReply
		// The failing response is the last answer: the wait must stop on it.
		wantStage           Stage
		wantStatus          string
		wantJobStatus       string
		wantErrorMessage    string
		wantJobErrorMessage string
		wantDetails         []ErrorDetail
		wantChecks          []FailedCheck
		wantText            []string
	}{
		{
			name:   "job PrecheckFailed lists the failed items with their reason and repair",
			target: incCheck,
			answers: []jobReply{
				okJob(dtsJob("Prechecking", checks("Checking"))),
				okJob(dtsJob("PrecheckFailed", checks("Failed", passed, privilege))),
			},
			wantStage:     StagePrecheck,
			wantStatus:    "Failed",
			wantJobStatus: "PrecheckFailed",
			wantChecks:    []FailedCheck{privilegeCheck},
			wantText: []string{
				`the job's precheck failed (job status "PrecheckFailed")`,
				"CHECK_SRC_PRIVILEGE: Failed: the source account lacks REPLICATION CLIENT; repair: GRANT REPLICATION CLIENT ON *.* TO 'dts'@'%'",
				"run the precheck again",
			},
		},
		{
			name:                "job MigrationFailed names the failed stage, the job's error and its details",
			target:              fullCheck,
			answers:             []jobReply{syncing, okJob(dtsJob("MigrationFailed", jobError("DTS-070211: table missing", details...), at(StageDataInitialization, "Failed", "Table db.t1 does not exist")))},
			wantStage:           StageDataInitialization,
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
			target:              Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}},
			answers:             []jobReply{okJob(dtsJob("InitializeFailed", jobError("schema failed"), at(StageStructureInitialization, "Failed", "unsupported type")))},
			wantStage:           StageStructureInitialization,
			wantStatus:          "Failed",
			wantJobStatus:       "InitializeFailed",
			wantErrorMessage:    "unsupported type",
			wantJobErrorMessage: "schema failed",
			wantText:            []string{`the job failed (job status "InitializeFailed"); structure_initialization is "Failed"`, "job error message: schema failed"},
		},
		{
			name:                "job InitializeFailed with nothing more said blames the job",
			target:              Target{Stage: StageJob, Statuses: []string{"Synchronizing"}},
			answers:             []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("InitializeFailed", jobError("init failed")))},
			wantStage:           StageJob,
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
				okJob(dtsJob("Failed", jobError("DTS-1020042: binlog purged", details...), at(StageDataSynchronization, "Failed", "binlog file not found"))),
			},
			wantStage:           StageDataSynchronization,
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
			wantStage:           StageJob,
			wantStatus:          "failed",
			wantJobStatus:       "failed",
			wantJobErrorMessage: "down",
			wantText:            []string{`the job failed (job status "failed")`},
		},
		{
			name:   "job Failed without a failed stage uses a stage's message",
			target: incCheck,
			answers: []jobReply{okJob(dtsJob("Failed", jobError("job down"),
				at(StageDataInitialization, "Finished", ""), at(StageFullDataCheck, "Checking", "checker crashed")))},
			wantStage:           StageFullDataCheck,
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
				okJob(dtsJob("Migrating", at(StageDataInitialization, "Failed", "duplicate key"), at(StageIncrementalDataCheck, "NotStarted", ""))),
			},
			wantStage:        StageDataInitialization,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "duplicate key",
			wantText:         []string{`data_initialization failed (status "Failed"), and incremental_data_check runs after it`},
		},
		{
			name:             "data_synchronization Failed while waiting for incremental_data_check",
			target:           incCheck,
			answers:          []jobReply{okJob(dtsJob("Synchronizing", at(StageDataSynchronization, "Failed", "lag"), at(StageIncrementalDataCheck, "Checking", "")))},
			wantStage:        StageDataSynchronization,
			wantStatus:       "Failed",
			wantJobStatus:    "Synchronizing",
			wantErrorMessage: "lag",
			wantText:         []string{`data_synchronization failed (status "Failed"), and incremental_data_check runs after it`},
		},
		{
			name:             "the watched full_data_check Failed",
			target:           fullCheck,
			answers:          []jobReply{okJob(dtsJob("Migrating", at(StageFullDataCheck, "Checking", ""))), okJob(dtsJob("Migrating", at(StageFullDataCheck, "Failed", "rows differ")))},
			wantStage:        StageFullDataCheck,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "rows differ",
			wantText:         []string{`full_data_check failed (status "Failed").`},
		},
		{
			name:   "full_data_check switched off",
			target: fullCheck,
			answers: []jobReply{okJob(dtsJob("Migrating", at(StageFullDataCheck, "NotStarted", ""), migrationMode(dtsapi.MigrationMode{
				StructureInitialization: dtsapi.BoolOf(true), DataInitialization: dtsapi.BoolOf(true), FullDataCheck: dtsapi.BoolOf(false),
			})))},
			wantStage:     StageFullDataCheck,
			wantStatus:    "NotStarted",
			wantJobStatus: "Migrating",
			wantText:      []string{"full_data_check is switched off in the job's migration mode (MigrationMode.FullDataCheck is false)"},
		},
		{
			name:          "incremental_data_check switched off, without a status",
			target:        incCheck,
			answers:       []jobReply{okJob(dtsJob("Synchronizing", migrationMode(dtsapi.MigrationMode{IncDataCheck: dtsapi.BoolOf(false)})))},
			wantStage:     StageIncrementalDataCheck,
			wantJobStatus: "Synchronizing",
			wantText:      []string{"MigrationMode.IncDataCheck is false"},
		},
		{
			name:          "job Finished while full_data_check is not at the target",
			target:        fullCheck,
			answers:       []jobReply{okJob(dtsJob("Migrating", at(StageFullDataCheck, "Checking", ""))), okJob(dtsJob("Finished", at(StageFullDataCheck, "NotStarted", "")))},
			wantStage:     StageFullDataCheck,
			wantStatus:    "NotStarted",
			wantJobStatus: "Finished",
			wantText:      []string{`the job has finished (job status "Finished") with full_data_check at "NotStarted", so it will not change any more`},
		},
		{
			name:          "job finished, in lower case",
			target:        incCheck,
			answers:       []jobReply{okJob(dtsJob("finished", at(StageIncrementalDataCheck, "Checking", "")))},
			wantStage:     StageIncrementalDataCheck,
			wantStatus:    "Checking",
			wantJobStatus: "finished",
			wantText:      []string{`the job has finished (job status "finished")`},
		},
		{
			name:          "job Finished with the job's delay above the bound",
			target:        Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers:       []jobReply{okJob(dtsJob("Finished", delay(9), at(StageDataSynchronization, "Catched", "")))},
			wantStage:     StageDataSynchronization,
			wantStatus:    "Catched",
			wantJobStatus: "Finished",
			wantText:      []string{"a delay of 9s, above the 5s bound"},
		},
		{
			name:          "job Finished when waiting for another job status",
			target:        Target{Stage: StageJob, Statuses: []string{"Synchronizing"}},
			answers:       []jobReply{okJob(dtsJob("Initializing")), okJob(dtsJob("Finished"))},
			wantStage:     StageJob,
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
			var u *UnreachableError
			if !errors.As(err, &u) {
				t.Fatalf("Wait error = %v (%T), want *UnreachableError", err, err)
			}
			if n := len(tt.answers); len(h.calls) != n || len(h.polls) != n {
				t.Errorf("made %d calls and reported %d polls, want the wait to stop on poll %d", len(h.calls), len(h.polls), n)
			}
			if want := time.Duration(len(tt.answers)-1) * 10 * time.Second; h.elapsed() != want {
				t.Errorf("returned at %s, want %s: no sleep after the failing poll", h.elapsed(), want)
			}
			if u.Stage != tt.wantStage || u.Status != tt.wantStatus || u.JobStatus != tt.wantJobStatus || u.ErrorMessage != tt.wantErrorMessage {
				t.Errorf("Stage, Status, JobStatus, ErrorMessage = %q, %q, %q, %q; want %q, %q, %q, %q",
					u.Stage, u.Status, u.JobStatus, u.ErrorMessage, tt.wantStage, tt.wantStatus, tt.wantJobStatus, tt.wantErrorMessage)
			}
			if u.JobErrorMessage != tt.wantJobErrorMessage || !reflect.DeepEqual(u.ErrorDetails, tt.wantDetails) {
				t.Errorf("JobErrorMessage, ErrorDetails = %q, %+v; want %q, %+v", u.JobErrorMessage, u.ErrorDetails, tt.wantJobErrorMessage, tt.wantDetails)
			}
			if !reflect.DeepEqual(u.FailedChecks, tt.wantChecks) {
				t.Errorf("FailedChecks = %+v, want %+v", u.FailedChecks, tt.wantChecks)
			}
			if u.Reason == "" || u.Hint == "" {
				t.Errorf("Reason %q and Hint %q must both be set", u.Reason, u.Hint)
			}
			text := err.Error()
			for _, want := range tt.wantText {
				if !strings.Contains(text, want) {
					t.Errorf("error text lacks %q:\n%s", want, text)
				}
			}
			for _, never := range []string{"SHOULD-NOT-APPEAR", "CHECK_SRC_CONN"} {
				if strings.Contains(text, never) {
					t.Errorf("error text lists a check that passed (%q):\n%s", never, text)
				}
			}
		})
	}
}

func TestCurrentWaitTimeoutNamesTheJobsDelay(t *testing.T) {
	h := newFamilyHarness(Current, scripted(
		okJob(dtsJob("Synchronizing", delay(40), at(StageDataSynchronization, "Catched", ""))),
		okJob(dtsJob("Retrying", delay(12), at(StageDataSynchronization, "Migrating", ""))),
	))
	target := Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)}
	_, err := h.waiter(10*time.Second, 30*time.Second).Wait(t.Context(), target)
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("Wait error = %v (%T), want *TimeoutError", err, err)
	}
	want := &Observation{Status: ptr("Migrating"), Percent: i64(40), Delay: i64(12)}
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
		okJob(dtsJob("Synchronizing", delay(20), at(StageDataSynchronization, "Migrating", ""))),
		{err: transient},
		okJob(dtsJob("Synchronizing", delay(1), at(StageDataSynchronization, "Catched", ""))),
	}
	h := newFamilyHarness(Current, scripted(answers...))
	got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)})
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
		t.Errorf("poll 1: JobStatus %s, delay %s; want \"Synchronizing\", 20", quoteOr(p.JobStatus, "nil"), intOr(p.Observation.Delay, "", "nil"))
	}
	if p := h.polls[1]; p.Err == nil || p.JobStatus != nil || !reflect.DeepEqual(p.Observation, Observation{}) {
		t.Errorf("poll 2 (failed): Err %v, JobStatus %v, Observation %s; want the error and nothing observed", p.Err, p.JobStatus, fmtObs(p.Observation))
	}
}

func TestCurrentWaitValidatesTarget(t *testing.T) {
	tests := []struct {
		name     string
		target   Target
		wantText string // empty: the target is valid
	}{
		{"full_data_check is a stage", Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}}, ""},
		{"incremental_data_check is a stage", Target{Stage: StageIncrementalDataCheck, Statuses: []string{"Catched"}}, ""},
		{"no delay bound on full_data_check", Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}, MaxDelaySeconds: i64(5)}, "only data_synchronization reports a delay"},
		{"no delay bound on the job", Target{Stage: StageJob, Statuses: []string{"Synchronizing"}, MaxDelaySeconds: i64(5)}, "only data_synchronization reports a delay"},
		{"unknown stage names the seven", Target{Stage: "structure_data_check", Statuses: []string{"Finished"}}, `"full_data_check", "incremental_data_check"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFamilyHarness(Current, scripted(okJob(dtsJob("Migrating", at(StageFullDataCheck, "Finished", ""), at(StageIncrementalDataCheck, "Catched", "")))))
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
	if _, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), Target{Stage: StageFullDataCheck, Statuses: []string{"Finished"}}); err == nil || !strings.Contains(err.Error(), `unknown stage "full_data_check"`) {
		t.Errorf("legacy Wait on full_data_check: error %v, want an unknown stage", err)
	}
}

func TestObserveCurrent(t *testing.T) {
	full := dtsJob("Synchronizing", delay(7), jobError("job note"),
		checks("Finished", dtsapi.CheckItem{CheckResult: str("Success")}),
		at(StageStructureInitialization, "Finished", "schema note"),
		at(StageDataInitialization, "Finished", ""),
		at(StageDataSynchronization, "Catched", "sync note"),
		at(StageFullDataCheck, "Checking", "full note"),
		at(StageIncrementalDataCheck, "Catched", ""),
	)
	full.PrecheckStatus.Get().ErrorMessage = str("precheck note")
	noSyncStatus := dtsJob("Synchronizing", delay(7))
	noSyncStatus.DataSynchronizationStatus = dtsapi.ObjectOf(dtsapi.StageStatus{Percent: dtsapi.IntOf(10)})
	tests := []observeCase[dtsapi.DtsJob]{
		{"job", StageJob, full, Observation{Status: ptr("Synchronizing"), ErrorMessage: ptr("job note")}},
		{"precheck", StagePrecheck, full, Observation{Status: ptr("Finished"), Percent: i64(100), ErrorMessage: ptr("precheck note")}},
		{"structure", StageStructureInitialization, full, Observation{Status: ptr("Finished"), Percent: i64(40), ErrorMessage: ptr("schema note")}},
		{"data init", StageDataInitialization, full, Observation{Status: ptr("Finished"), Percent: i64(40)}},
		{"data sync takes the job's delay", StageDataSynchronization, full, Observation{Status: ptr("Catched"), Percent: i64(40), Delay: i64(7), ErrorMessage: ptr("sync note")}},
		{"full data check", StageFullDataCheck, full, Observation{Status: ptr("Checking"), Percent: i64(40), ErrorMessage: ptr("full note")}},
		{"incremental data check", StageIncrementalDataCheck, full, Observation{Status: ptr("Catched"), Percent: i64(40)}},
		{"no delay without a synchronization status", StageDataSynchronization, noSyncStatus, Observation{Percent: i64(10)}},
		{"no delay without a synchronization object", StageDataSynchronization, dtsJob("Synchronizing", delay(7)), Observation{}},
		{"unknown stage", Stage("nope"), full, Observation{}},
	}
	for _, s := range Current.Table.Stages()[1:] {
		tests = append(tests, observeCase[dtsapi.DtsJob]{"no stage objects/" + string(s), s, &dtsapi.DtsJob{}, Observation{}})
	}
	runObserve(t, Current, tests)
}
