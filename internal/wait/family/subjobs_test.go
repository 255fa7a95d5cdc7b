package family

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// Tests of the gate over a job and its sub-jobs (CurrentWithSubJobs), and of Modifying holding a
// data_synchronization target.

type subOpt func(*dtsapi.SubJobRead)

// subJob builds a sub-job read of the given kind, ID and status; its delay is in seconds, as read.
func subJob(kind, id, status string, opts ...subOpt) dtsapi.SubJobRead {
	s := dtsapi.SubJobRead{SubJob: &dtsapi.SubJob{JobCore: dtsapi.JobCore{DtsJobID: str(id), Status: str(status)}}, Kind: kind}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// subAt sets a sub-job's stage status and error message.
func subAt(st wait.Stage, status, errMsg string) subOpt {
	return func(s *dtsapi.SubJobRead) {
		o := dtsapi.ObjectOf(dtsapi.StageStatus{Status: str(status), Percent: dtsapi.IntOf(40), ErrorMessage: str(errMsg)})
		switch st {
		case wait.StagePrecheck:
			s.PrecheckStatus = dtsapi.ObjectOf(dtsapi.Precheck{Status: str(status), ErrorMessage: str(errMsg)})
		case wait.StageStructureInitialization:
			s.StructureInitializationStatus = o
		case wait.StageDataInitialization:
			s.DataInitializationStatus = o
		case wait.StageDataSynchronization:
			s.DataSynchronizationStatus = o
		default:
			panic("subAt: no stage object for " + string(st))
		}
	}
}

func subDelay(seconds int64) subOpt {
	return func(s *dtsapi.SubJobRead) { s.DelaySeconds = dtsapi.IntOf(seconds) }
}

func subError(msg string) subOpt {
	return func(s *dtsapi.SubJobRead) { s.ErrorMessage = str(msg) }
}

func subMode(m dtsapi.MigrationMode) subOpt {
	return func(s *dtsapi.SubJobRead) { s.MigrationMode = dtsapi.ObjectOf(m) }
}

// shard is a distributed sub-job synchronizing at status with a delay.
func shard(id, status string, delay int64) dtsapi.SubJobRead {
	return subJob(dtsapi.SubJobDistributed, id, "Synchronizing", subAt(wait.StageDataSynchronization, status, ""), subDelay(delay))
}

// withSubs is a read of job with its sub-jobs.
func withSubs(job *dtsapi.DtsJob, subs ...dtsapi.SubJobRead) *dtsapi.DtsJobRead {
	return &dtsapi.DtsJobRead{Job: job, SubJobs: &dtsapi.SubJobsRead{Items: subs}}
}

// unread marks a read's sub-jobs as not all read, as dtsapi.ReadSubJobs does for a list it could not read.
func unread(r *dtsapi.DtsJobRead, why string) *dtsapi.DtsJobRead {
	r.SubJobs.Unread = why
	return r
}

// alone is a read of job made without its sub-jobs.
func alone(job *dtsapi.DtsJob) *dtsapi.DtsJobRead { return &dtsapi.DtsJobRead{Job: job} }

// syncedJob is a job whose synchronization is at status with the delay.
func syncedJob(jobStatus, status string, d int64) *dtsapi.DtsJob {
	return dtsJob(jobStatus, at(wait.StageDataSynchronization, status, ""), delay(d))
}

func TestSubJobsGateDecides(t *testing.T) {
	catched := wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)}
	loaded := wait.Target{Stage: wait.StageDataInitialization, Statuses: []string{"Finished"}}
	tests := []struct {
		name   string
		target wait.Target
		read   *dtsapi.DtsJobRead
		// wantSatisfied, wantUnits and wantWaiting (unit names) describe a verdict that goes on or succeeds.
		wantSatisfied bool
		wantUnits     int
		wantWaiting   []string
		wantHeld      string
		// wantUnreachable, when set, is text the error must hold.
		wantUnreachable []string
	}{
		{
			name:          "every shard caught up within the bound",
			target:        catched,
			read:          withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0), shard("s1", "Catched", 5), shard("s2", "Catched", 1)),
			wantSatisfied: true, wantUnits: 4,
		},
		{
			name:        "a lagging shard holds a job that reads Catched",
			target:      catched,
			read:        withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0), shard("s1", "Migrating", 754), shard("s2", "Catched", 1)),
			wantUnits:   4,
			wantWaiting: []string{`distributed sub-job "s1"`},
		},
		{
			name:        "a shard at Catched beyond the delay bound holds it",
			target:      catched,
			read:        withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 6)),
			wantUnits:   2,
			wantWaiting: []string{`distributed sub-job "s0"`},
		},
		{
			name:   "a shard without a delay does not meet a bound",
			target: catched,
			read: withSubs(syncedJob("Synchronizing", "Catched", 0),
				subJob(dtsapi.SubJobDistributed, "s0", "Synchronizing", subAt(wait.StageDataSynchronization, "Catched", ""))),
			wantUnits:   2,
			wantWaiting: []string{`distributed sub-job "s0"`},
		},
		{
			name:        "the job and a shard both behind",
			target:      catched,
			read:        withSubs(syncedJob("Synchronizing", "Migrating", 40), shard("s0", "Catched", 0), shard("s1", "Migrating", 41)),
			wantUnits:   3,
			wantWaiting: []string{`job "dtsj0b1"`, `distributed sub-job "s1"`},
		},
		{
			name:   "a sub-job without the stage object is not looked at, not even its failure",
			target: catched,
			read: withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0),
				subJob(dtsapi.SubJobSync, "x", "Failed", subError("no stage here"), subAt(wait.StageDataInitialization, "Failed", "boom"))),
			wantSatisfied: true, wantUnits: 2,
		},
		{
			name:   "a sub-job whose migration mode switches the stage off does not hold it",
			target: catched,
			read: withSubs(syncedJob("Synchronizing", "Catched", 0),
				subJob(dtsapi.SubJobSync, "x", "Initializing", subAt(wait.StageDataSynchronization, "NotStarted", ""),
					subMode(dtsapi.MigrationMode{DataSynchronization: dtsapi.BoolOf(false)}))),
			wantSatisfied: true,
		},
		{
			name:            "a failed sub-job ends the wait by name, with its messages",
			target:          catched,
			read:            withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0), subJob(dtsapi.SubJobDistributed, "s1", "Failed", subError("binlog purged on shard 1"), subAt(wait.StageDataSynchronization, "Failed", "binlog file not found"))),
			wantUnreachable: []string{`distributed sub-job "s1"`, `job status "Failed"`, "binlog purged on shard 1", "binlog file not found"},
		},
		{
			name:            "InitializeFailed ends it",
			target:          loaded,
			read:            withSubs(dtsJob("Modifying", at(wait.StageDataInitialization, "Finished", "")), subJob(dtsapi.SubJobSync, "x", "InitializeFailed", subAt(wait.StageDataInitialization, "Migrating", ""))),
			wantUnreachable: []string{`sync sub-job "x"`, `"InitializeFailed"`},
		},
		{
			name:   "the watched stage Failed ends it, whatever the sub-job's status",
			target: catched,
			read: withSubs(syncedJob("Synchronizing", "Catched", 0),
				subJob(dtsapi.SubJobDistributed, "s0", "Synchronizing", subAt(wait.StageDataSynchronization, "Failed", "apply error"))),
			wantUnreachable: []string{`distributed sub-job "s0": data_synchronization failed (status "Failed")`, "apply error"},
		},
		{
			name:   "a sub-job precheck reports PrecheckFailed, which is a failed earlier stage",
			target: loaded,
			read: withSubs(dtsJob("Modifying", at(wait.StageDataInitialization, "Finished", "")),
				subJob(dtsapi.SubJobSync, "x", "Prechecking", subAt(wait.StagePrecheck, "PrecheckFailed", "same object"), subAt(wait.StageDataInitialization, "NotStarted", ""))),
			wantUnreachable: []string{`sync sub-job "x": precheck failed (status "PrecheckFailed"), and data_initialization runs after it`, "same object"},
		},
		{
			name:   "a sub-job at the target counts, even when another stage of it failed later",
			target: loaded,
			read: withSubs(dtsJob("Synchronizing", at(wait.StageDataInitialization, "Finished", "")),
				subJob(dtsapi.SubJobSync, "x", "Failed", subAt(wait.StageDataInitialization, "Finished", ""), subAt(wait.StageDataSynchronization, "Failed", ""))),
			wantSatisfied: true, wantUnits: 2,
		},
		{
			name:   "a finished job with its stage at the target ends the wait while a shard is behind",
			target: catched,
			read:   withSubs(syncedJob("Finished", "Catched", 0), shard("s0", "Catched", 0), shard("s1", "Migrating", 30)),
			wantUnreachable: []string{`the job has finished (job status "Finished") while 1 of its sub-jobs are not at the target`,
				`distributed sub-job "s1" (status "Migrating", delay 30s`},
		},
		{
			name:        "Modifying holds a job at Catched, and the sub-sync-job loading new tables is waited for",
			target:      catched,
			read:        withSubs(syncedJob("Modifying", "Catched", 1), subJob(dtsapi.SubJobSync, "x", "Initializing", subAt(wait.StageDataSynchronization, "NotStarted", ""))),
			wantUnits:   2,
			wantWaiting: []string{`job "dtsj0b1", held: the job is "Modifying"`, `sync sub-job "x"`},
			wantHeld:    `the job is "Modifying"`,
		},
		{
			name:        "Modifying holds with every sub-job caught up",
			target:      catched,
			read:        withSubs(syncedJob("modifying", "Catched", 1), subJob(dtsapi.SubJobSync, "x", "Synchronizing", subAt(wait.StageDataSynchronization, "Catched", ""), subDelay(0))),
			wantUnits:   2,
			wantWaiting: []string{`job "dtsj0b1", held: the job is "Modifying"`},
			wantHeld:    `the job is "Modifying"`,
		},
		{
			name:     "Modifying holds without sub-jobs",
			target:   catched,
			read:     alone(syncedJob("Modifying", "Catched", 1)),
			wantHeld: `new objects are initialized by a sub-job`,
		},
		{
			name:          "Modifying does not hold another stage",
			target:        loaded,
			read:          alone(dtsJob("Modifying", at(wait.StageDataInitialization, "Finished", ""))),
			wantSatisfied: true,
		},
		{
			name:          "a read without sub-jobs is the job alone",
			target:        catched,
			read:          alone(syncedJob("Synchronizing", "Catched", 0)),
			wantSatisfied: true,
		},
		{
			name:          "a job without sub-jobs is the job alone",
			target:        catched,
			read:          withSubs(syncedJob("Synchronizing", "Catched", 0)),
			wantSatisfied: true,
		},
		{
			name:     "sub-jobs that could not be read hold a job that reads Catched, with no sub-job read",
			target:   catched,
			read:     unread(withSubs(syncedJob("Synchronizing", "Catched", 0)), "SubDistributedJob is not a list: 7"),
			wantHeld: "not every sub-job could be read (SubDistributedJob is not a list: 7)",
		},
		{
			name:   "sub-jobs that could not be read hold it though every shard read is caught up",
			target: catched,
			read: unread(withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0)),
				`1 element(s) of SubDistributedJob are not objects, the first: "shard1"`),
			wantUnits:   2,
			wantWaiting: []string{`job "dtsj0b1", held: not every sub-job could be read`},
			wantHeld:    "not every sub-job could be read",
		},
		{
			name:          "sub-jobs that could not be read do not hold a stage the sub-jobs do not gate",
			target:        wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}},
			read:          unread(withSubs(dtsJob("Synchronizing")), "SubSyncJob is not a list: true"),
			wantSatisfied: true,
		},
		{
			name:          "the job stage looks at the job alone",
			target:        wait.Target{Stage: wait.StageJob, Statuses: []string{"Synchronizing"}},
			read:          withSubs(dtsJob("Synchronizing"), subJob(dtsapi.SubJobDistributed, "s0", "Failed", subAt(wait.StageDataSynchronization, "Failed", ""))),
			wantSatisfied: true,
		},
		{
			name:          "the data checks look at the job alone",
			target:        wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}},
			read:          withSubs(dtsJob("Synchronizing", at(wait.StageFullDataCheck, "Finished", "")), shard("s0", "Migrating", 900)),
			wantSatisfied: true,
		},
		{
			name:            "the job's own failure is reported as the job's, before any sub-job",
			target:          catched,
			read:            withSubs(dtsJob("Failed", jobError("job broke"), at(wait.StageDataSynchronization, "Failed", "")), shard("s0", "Migrating", 9)),
			wantUnreachable: []string{"cannot succeed: the job failed", "job broke"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := CurrentWithSubJobs.Gate(tt.target).Decide(tt.read)
			if len(tt.wantUnreachable) > 0 {
				if v.Unreachable == nil || v.Satisfied {
					t.Fatalf("verdict %+v, want unreachable", v)
				}
				for _, want := range tt.wantUnreachable {
					if !strings.Contains(v.Unreachable.Error(), want) {
						t.Errorf("error %q does not say %q", v.Unreachable.Error(), want)
					}
				}
				return
			}
			if v.Unreachable != nil {
				t.Fatalf("unexpected unreachable: %v", v.Unreachable)
			}
			if v.Satisfied != tt.wantSatisfied || v.Units != tt.wantUnits {
				t.Errorf("Satisfied = %v, Units = %d; want %v, %d", v.Satisfied, v.Units, tt.wantSatisfied, tt.wantUnits)
			}
			if len(v.Waiting) != len(tt.wantWaiting) {
				t.Fatalf("waiting %+v, want %q", v.Waiting, tt.wantWaiting)
			}
			for i, w := range tt.wantWaiting {
				if !strings.HasPrefix(v.Waiting[i].Name, w) {
					t.Errorf("waiting[%d] = %q, want it to start with %q", i, v.Waiting[i].Name, w)
				}
			}
			if !strings.Contains(v.Held, tt.wantHeld) || (tt.wantHeld == "") != (v.Held == "") {
				t.Errorf("Held = %q, want %q", v.Held, tt.wantHeld)
			}
			// The verdict's observation is the job's, for the poll line.
			if want := CurrentWithSubJobs.Job.Observe(tt.read.Job, tt.target.Stage); (v.Observation.Status == nil) != (want.Status == nil) ||
				v.Observation.Status != nil && *v.Observation.Status != *want.Status {
				t.Errorf("Observation %+v is not the job's %+v", v.Observation, want)
			}
		})
	}
}

// A wait on a distributed job goes on while a shard lags behind a job that reads Catched, says each
// poll how many units are at the target, and ends when the shard catches up.
func TestSubJobsWaitEndsWhenTheLaggingShardCatchesUp(t *testing.T) {
	lags := []int64{754, 300, 12, 3}
	h := newFamilyHarness[dtsapi.DtsJobRead](nil, func(n int, _ time.Duration) reply[dtsapi.DtsJobRead] {
		lag, status := lags[min(n, len(lags))-1], "Migrating"
		if lag <= 3 {
			status = "Catched"
		}
		return reply[dtsapi.DtsJobRead]{resp: withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0), shard("s1", status, lag), shard("s2", "Catched", 1))}
	})
	w := h.waiter(10*time.Second, time.Hour)
	w.Gate = CurrentWithSubJobs.Gate(wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)})
	got, err := w.Waiter.Wait(t.Context())
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(h.polls) != 4 || got != h.polls[3].Response {
		t.Fatalf("made %d polls, want 4, ending with the fourth response", len(h.polls))
	}
	for i, p := range h.polls[:3] {
		if p.Units != 4 || p.Units-len(p.Waiting) != 3 || !strings.Contains(wait.Summarize(p.Waiting, 5), `distributed sub-job "s1" (status "Migrating", delay `) {
			t.Errorf("poll %d: %d of %d at the target, waiting %s", i+1, p.Units-len(p.Waiting), p.Units, wait.Summarize(p.Waiting, 5))
		}
	}
	if p := h.polls[3]; !p.Satisfied || len(p.Waiting) != 0 {
		t.Errorf("last poll %+v", p.Verdict)
	}
}

// A failed sub-job ends the wait at the poll that shows it.
func TestSubJobsWaitEndsAtOnceOnAFailedSubJob(t *testing.T) {
	h := newFamilyHarness[dtsapi.DtsJobRead](nil, scripted(
		reply[dtsapi.DtsJobRead]{resp: withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Migrating", 40))},
		reply[dtsapi.DtsJobRead]{resp: withSubs(syncedJob("Synchronizing", "Catched", 0),
			subJob(dtsapi.SubJobDistributed, "s0", "Failed", subError("shard 0 lost its source"), subAt(wait.StageDataSynchronization, "Failed", "")))},
		reply[dtsapi.DtsJobRead]{resp: withSubs(syncedJob("Synchronizing", "Catched", 0), shard("s0", "Catched", 0))},
	))
	w := h.waiter(10*time.Second, time.Hour)
	w.Gate = CurrentWithSubJobs.Gate(wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}})
	_, err := w.Waiter.Wait(t.Context())
	var u *wait.UnreachableError
	if !errors.As(err, &u) || u.Unit != `distributed sub-job "s0"` || len(h.polls) != 2 || h.elapsed() != 10*time.Second {
		t.Fatalf("err = %v after %d polls (%v), want the sub-job's failure at the second", err, len(h.polls), h.elapsed())
	}
	if !strings.Contains(err.Error(), "shard 0 lost its source") {
		t.Errorf("%q lacks the sub-job's message", err)
	}
}

// A job that stays Modifying times out saying why its Catched did not count.
func TestModifyingTimeoutSaysWhy(t *testing.T) {
	for _, tt := range []struct {
		name string
		read *dtsapi.DtsJobRead
		want []string
	}{
		{"alone", alone(syncedJob("Modifying", "Catched", 1)),
			[]string{`Last seen: data_synchronization status "Catched"`, `job status "Modifying"`, `not counted as reached because the job is "Modifying"`}},
		{"with sub-jobs", withSubs(syncedJob("Modifying", "Catched", 1), subJob(dtsapi.SubJobSync, "x", "Initializing", subAt(wait.StageDataSynchronization, "NotStarted", ""))),
			[]string{`2 of 2 not at the target`, `sync sub-job "x" (status "NotStarted"`, `held because the job is "Modifying"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newFamilyHarness[dtsapi.DtsJobRead](nil, scripted(reply[dtsapi.DtsJobRead]{resp: tt.read}))
			w := h.waiter(10*time.Second, time.Minute)
			w.Gate = CurrentWithSubJobs.Gate(wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}})
			_, err := w.Waiter.Wait(t.Context())
			var te *wait.TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a timeout", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
		})
	}
}

// The sub-job family's stages are the job's first five, so a target valid for the job is one the
// sub-jobs can be judged against.
func TestSubJobFamilyCoversTheGatedStages(t *testing.T) {
	for _, st := range CurrentWithSubJobs.Stages {
		if _, ok := SubJob.Table.Lookup(string(st)); !ok {
			t.Errorf("the sub-job table lacks %s", st)
		}
		if _, ok := Current.Table.Lookup(string(st)); !ok {
			t.Errorf("the job table lacks %s", st)
		}
	}
}
