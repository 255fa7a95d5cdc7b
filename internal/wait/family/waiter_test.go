package family

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// reply is what the fake service says to one call, and how much fake time the call takes.
type reply[R any] struct {
	resp    *R
	err     error
	latency time.Duration
}

// answer is a reply of the legacy API, which most tests of the waiter's mechanics use.
type answer = reply[dtsapi.MigrationJobStatus]

// harness drives a Waiter with a fake clock and a fake Describe, and records every call and poll.
type harness[R any] struct {
	clk    *clock.Fake
	family *wait.Family[R]
	answer func(n int, elapsed time.Duration) reply[R]
	calls  []time.Duration
	polls  []wait.Poll[R]
}

// newHarness drives a wait on the legacy family.
func newHarness(answer func(n int, elapsed time.Duration) answer) *harness[dtsapi.MigrationJobStatus] {
	return newFamilyHarness(Legacy, answer)
}

func newFamilyHarness[R any](f *wait.Family[R], answer func(n int, elapsed time.Duration) reply[R]) *harness[R] {
	return &harness[R]{clk: clock.NewFake(t0), family: f, answer: answer}
}

// scripted answers the nth call with answers[n-1], repeating the last answer once they run out.
func scripted[R any](answers ...reply[R]) func(int, time.Duration) reply[R] {
	return func(n int, _ time.Duration) reply[R] {
		return answers[min(n, len(answers))-1]
	}
}

func (h *harness[R]) describe(_ context.Context) (*R, error) {
	elapsed := h.clk.Now().Sub(t0)
	h.calls = append(h.calls, elapsed)
	a := h.answer(len(h.calls), elapsed)
	h.clk.Advance(a.latency)
	return a.resp, a.err
}

func (h *harness[R]) waiter(interval, timeout time.Duration) testWaiter[R] {
	return withFamily(h.family, &wait.Waiter[R]{
		Describe:     h.describe,
		Clock:        h.clk,
		PollInterval: interval,
		Timeout:      timeout,
		OnPoll:       func(_ context.Context, p wait.Poll[R]) { h.polls = append(h.polls, p) },
	})
}

// testWaiter is a Waiter whose gate is its family's gate for the target given to Wait, as the
// provider builds it for one job.
type testWaiter[R any] struct {
	*wait.Waiter[R]
	family *wait.Family[R]
}

func withFamily[R any](f *wait.Family[R], w *wait.Waiter[R]) testWaiter[R] {
	return testWaiter[R]{Waiter: w, family: f}
}

func (w testWaiter[R]) Wait(ctx context.Context, t wait.Target) (*R, error) {
	if w.family != nil {
		w.Gate = w.family.Gate(t)
	}
	return w.Waiter.Wait(ctx)
}

// elapsed is how much fake time has passed since the start.
func (h *harness[R]) elapsed() time.Duration { return h.clk.Now().Sub(t0) }

// pollTimes returns the Elapsed of every reported poll.
func (h *harness[R]) pollTimes() []time.Duration {
	var ds []time.Duration
	for _, p := range h.polls {
		ds = append(ds, p.Elapsed)
	}
	return ds
}

func seconds(ss ...float64) []time.Duration {
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = time.Duration(math.Round(s*1000)) * time.Millisecond
	}
	return ds
}

// optInt is an Int holding *p, or an unset one for nil, as the wire leaves a missing number.
func optInt(p *int64) dtsapi.Int {
	if p == nil {
		return dtsapi.Int{}
	}
	return dtsapi.IntOf(*p)
}

// optBool is a Bool holding *p, or an unset one for nil.
func optBool(p *bool) dtsapi.Bool {
	if p == nil {
		return dtsapi.Bool{}
	}
	return dtsapi.BoolOf(*p)
}

// str is a String holding s; an empty s is unset, as on the wire.
func str(s string) dtsapi.String { return dtsapi.StringOf(s) }

type respOpt func(*dtsapi.MigrationJobStatus)

// resp builds a legacy DescribeMigrationJobStatus answer.
func resp(opts ...respOpt) *dtsapi.MigrationJobStatus {
	st := &dtsapi.MigrationJobStatus{MigrationJobID: str("dtsjob1")}
	st.RequestID = str("req-1")
	for _, o := range opts {
		o(st)
	}
	return st
}

func job(status string) respOpt {
	return func(st *dtsapi.MigrationJobStatus) { st.MigrationJobStatus = str(status) }
}

func precheck(status string, items ...dtsapi.MigrationCheckItem) respOpt {
	return func(st *dtsapi.MigrationJobStatus) {
		p := dtsapi.MigrationPrecheck{Status: str(status), Percent: dtsapi.IntOf(100)}
		if len(items) > 0 {
			p.Detail = dtsapi.ListOf(items...)
		}
		st.PrecheckStatus = dtsapi.ObjectOf(p)
	}
}

func structure(status, errMsg string) respOpt {
	return func(st *dtsapi.MigrationJobStatus) {
		st.StructureInitializationStatus = dtsapi.ObjectOf(dtsapi.InitializationStatus{Status: str(status), ErrorMessage: str(errMsg)})
	}
}

func dataInit(status, errMsg string) respOpt {
	return func(st *dtsapi.MigrationJobStatus) {
		st.DataInitializationStatus = dtsapi.ObjectOf(dtsapi.InitializationStatus{Status: str(status), ErrorMessage: str(errMsg)})
	}
}

func sync(status string, percent, delay *int64) respOpt {
	return func(st *dtsapi.MigrationJobStatus) {
		st.DataSynchronizationStatus = dtsapi.ObjectOf(dtsapi.DataSynchronizationStatus{Status: str(status), Percent: optInt(percent), Delay: optInt(delay)})
	}
}

func syncErr(status, errMsg string) respOpt {
	return func(st *dtsapi.MigrationJobStatus) {
		st.DataSynchronizationStatus = dtsapi.ObjectOf(dtsapi.DataSynchronizationStatus{Status: str(status), ErrorMessage: str(errMsg)})
	}
}

func mode(structure, data, sync *bool) respOpt {
	return func(st *dtsapi.MigrationJobStatus) {
		st.MigrationMode = dtsapi.ObjectOf(dtsapi.MigrationMode{
			StructureInitialization: optBool(structure), DataInitialization: optBool(data), DataSynchronization: optBool(sync),
		})
	}
}

func ok(r *dtsapi.MigrationJobStatus) answer { return answer{resp: r} }

func i64(v int64) *int64 { return &v }

var (
	on  = ptr(true)
	off = ptr(false)
)

func syncTarget(statuses ...string) wait.Target {
	return wait.Target{Stage: wait.StageDataSynchronization, Statuses: statuses}
}

func TestWaitReachesTarget(t *testing.T) {
	migrating := resp(job("Migrating"), sync("Migrating", i64(40), i64(120)))
	tests := []struct {
		name    string
		target  wait.Target
		answers []answer
		// wantPolls is the poll whose response must be returned.
		wantPolls int
	}{
		{
			name:      "job finished",
			target:    wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}},
			answers:   []answer{ok(resp(job("Prechecking"))), ok(resp(job("Migrating"))), ok(resp(job("Finished")))},
			wantPolls: 3,
		},
		{
			name:      "first response already at target",
			target:    syncTarget("Catched"),
			answers:   []answer{ok(resp(job("Migrating"), sync("Catched", i64(95), i64(2))))},
			wantPolls: 1,
		},
		{
			name:      "no delay bound accepts any delay, even none",
			target:    syncTarget("Catched"),
			answers:   []answer{ok(migrating), ok(resp(job("Migrating"), sync("Catched", i64(95), nil)))},
			wantPolls: 2,
		},
		{
			name:   "delay above the bound keeps waiting",
			target: wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers: []answer{
				ok(resp(job("Migrating"), sync("Catched", i64(95), i64(30)))),
				ok(resp(job("Migrating"), sync("Catched", i64(95), i64(6)))),
				ok(resp(job("Migrating"), sync("Catched", i64(95), i64(5)))),
			},
			wantPolls: 3,
		},
		{
			name:   "nil delay never satisfies a bound",
			target: wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers: []answer{
				ok(resp(job("Migrating"), sync("Catched", i64(95), nil))),
				ok(resp(job("Migrating"), sync("Catched", i64(95), nil))),
				ok(resp(job("Migrating"), sync("Catched", i64(95), i64(0)))),
			},
			wantPolls: 3,
		},
		{
			name:      "delay within the bound but status not a target keeps waiting",
			target:    wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers:   []answer{ok(resp(job("Migrating"), sync("Migrating", i64(95), i64(1)))), ok(resp(job("Migrating"), sync("Catched", i64(99), i64(1))))},
			wantPolls: 2,
		},
		{
			name:      "Failed as a target succeeds, even with the job failed",
			target:    wait.Target{Stage: wait.StageDataInitialization, Statuses: []string{"Failed"}},
			answers:   []answer{ok(resp(job("Migrating"), dataInit("Migrating", ""))), ok(resp(job("MigrationFailed"), dataInit("Failed", "disk full")))},
			wantPolls: 2,
		},
		{
			name:      "PrecheckFailed as a job target succeeds",
			target:    wait.Target{Stage: wait.StageJob, Statuses: []string{"PrecheckFailed"}},
			answers:   []answer{ok(resp(job("Prechecking"))), ok(resp(job("PrecheckFailed"), precheck("Failed")))},
			wantPolls: 2,
		},
		{
			name:      "any of several statuses",
			target:    syncTarget("Catched", "Finished"),
			answers:   []answer{ok(migrating), ok(resp(job("Finished"), sync("Finished", i64(100), i64(0))))},
			wantPolls: 2,
		},
		{
			name:      "statuses match case-sensitively",
			target:    syncTarget("Catched"),
			answers:   []answer{ok(resp(job("Migrating"), sync("catched", nil, nil))), ok(resp(job("Migrating"), sync("Catched", nil, nil)))},
			wantPolls: 2,
		},
		{
			name:   "responses that do not establish the status keep waiting",
			target: syncTarget("Catched"),
			answers: []answer{
				ok(nil),
				ok(resp()),
				ok(resp(job("Migrating"))),
				ok(resp(job("Migrating"), sync("", i64(90), i64(1)))),
				ok(resp(job("Migrating"), sync("Catched", i64(90), i64(1)))),
			},
			wantPolls: 5,
		},
		{
			name:   "a finished job without the stage's status keeps waiting rather than guessing",
			target: wait.Target{Stage: wait.StageStructureInitialization, Statuses: []string{"Finished"}},
			answers: []answer{
				ok(resp(job("Finished"))),
				ok(resp(job("Finished"), structure("", ""))),
				ok(resp(job("Finished"), structure("Finished", ""))),
			},
			wantPolls: 3,
		},
		{
			name:   "a finished job with a delay bound but no delay keeps waiting",
			target: wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers: []answer{
				ok(resp(job("Finished"), sync("Catched", nil, nil))),
				ok(resp(job("Finished"), sync("Catched", nil, i64(0)))),
			},
			wantPolls: 2,
		},
		{
			name:      "precheck finished",
			target:    wait.Target{Stage: wait.StagePrecheck, Statuses: []string{"Finished"}},
			answers:   []answer{ok(resp(job("Prechecking"), precheck("Checking"))), ok(resp(job("Migrating"), precheck("Finished")))},
			wantPolls: 2,
		},
		{
			name:   "a failed later stage does not stop a wait for an earlier one",
			target: wait.Target{Stage: wait.StageStructureInitialization, Statuses: []string{"Finished"}},
			answers: []answer{
				ok(resp(job("Migrating"), structure("Migrating", ""), syncErr("Failed", "binlog gone"))),
				ok(resp(job("Migrating"), structure("Finished", ""), syncErr("Failed", "binlog gone"))),
			},
			wantPolls: 2,
		},
		{
			name:   "a failed precheck does not stop a wait on the job's own status",
			target: wait.Target{Stage: wait.StageJob, Statuses: []string{"Migrating"}},
			answers: []answer{
				ok(resp(job("Prechecking"), precheck("Failed"))),
				ok(resp(job("Migrating"), precheck("Finished"))),
			},
			wantPolls: 2,
		},
		{
			name:      "a stage switched off can still be awaited at a status it has",
			target:    syncTarget("NotStarted"),
			answers:   []answer{ok(resp(job("Migrating"), mode(on, on, off), sync("NotStarted", nil, nil)))},
			wantPolls: 1,
		},
		{
			name:   "unknown migration mode is not off",
			target: syncTarget("Catched"),
			answers: []answer{
				ok(resp(job("Migrating"), sync("Migrating", nil, nil))),
				ok(resp(job("Migrating"), mode(nil, nil, nil), sync("Migrating", nil, nil))),
				ok(resp(job("Migrating"), mode(off, off, on), sync("Catched", nil, nil))),
			},
			wantPolls: 3,
		},
		{
			name:   "migration mode does not switch off the precheck or the job",
			target: wait.Target{Stage: wait.StagePrecheck, Statuses: []string{"Finished"}},
			answers: []answer{
				ok(resp(job("Prechecking"), mode(off, off, off), precheck("Checking"))),
				ok(resp(job("Migrating"), mode(off, off, off), precheck("Finished"))),
			},
			wantPolls: 2,
		},
		{
			name:      "a suspended job keeps waiting",
			target:    wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}},
			answers:   []answer{ok(resp(job("Suspending"))), ok(resp(job("Migrating"))), ok(resp(job("Finished")))},
			wantPolls: 3,
		},
		{
			name:      "an undocumented status is awaited like any other",
			target:    syncTarget("Paused"),
			answers:   []answer{ok(migrating), ok(resp(job("Migrating"), sync("Paused", nil, nil)))},
			wantPolls: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(scripted(tt.answers...))
			got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), tt.target)
			if err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if want := tt.answers[tt.wantPolls-1].resp; got != want {
				t.Errorf("Wait returned %+v, want the response of poll %d", got, tt.wantPolls)
			}
			if len(h.calls) != tt.wantPolls {
				t.Errorf("made %d calls, want %d", len(h.calls), tt.wantPolls)
			}
			if len(h.polls) != tt.wantPolls {
				t.Fatalf("reported %d polls, want %d", len(h.polls), tt.wantPolls)
			}
			for i, p := range h.polls {
				if want := i == tt.wantPolls-1; p.Satisfied != want {
					t.Errorf("poll %d: Satisfied = %v, want %v", p.N, p.Satisfied, want)
				}
			}
		})
	}
}

func TestWaitUnreachable(t *testing.T) {
	passed := dtsapi.MigrationCheckItem{CheckStatus: str("Success"), ItemName: str("CHECK_SRC_CONN"), ErrorMessage: str("SHOULD-NOT-APPEAR")}
	privilege := dtsapi.MigrationCheckItem{
		CheckStatus:  str("Failed"),
		ItemName:     str("CHECK_SRC_PRIVILEGE"),
		ErrorMessage: str("the source account lacks REPLICATION SLAVE"),
		RepairMethod: str("GRANT REPLICATION SLAVE ON *.* TO 'dts'@'%'"),
	}
	binlog := dtsapi.MigrationCheckItem{CheckStatus: str("Warning"), ItemName: str("CHECK_BINLOG_FORMAT"), ErrorMessage: str("binlog_format is STATEMENT")}
	unnamed := dtsapi.MigrationCheckItem{}
	// What the error must list for each item that did not pass.
	privilegeCheck := wait.FailedCheck{
		Item: "CHECK_SRC_PRIVILEGE", Result: "Failed",
		Reason: "the source account lacks REPLICATION SLAVE", RepairMethod: "GRANT REPLICATION SLAVE ON *.* TO 'dts'@'%'",
	}
	binlogCheck := wait.FailedCheck{Item: "CHECK_BINLOG_FORMAT", Result: "Warning", Reason: "binlog_format is STATEMENT"}
	unnamedCheck := wait.FailedCheck{}
	migrating := ok(resp(job("Migrating"), sync("Migrating", i64(10), nil)))

	tests := []struct {
		name    string
		target  wait.Target
		answers []answer
		// The failing response is the last answer: the wait must stop on it.
		wantStage        wait.Stage
		wantStatus       string
		wantJobStatus    string
		wantErrorMessage string
		wantChecks       []wait.FailedCheck
		wantText         []string
	}{
		{
			name:   "job PrecheckFailed lists the items that did not pass",
			target: syncTarget("Catched"),
			answers: []answer{
				ok(resp(job("Prechecking"), precheck("Checking"))),
				ok(resp(job("PrecheckFailed"), precheck("Failed", passed, privilege, binlog, unnamed))),
			},
			wantStage:     wait.StagePrecheck,
			wantStatus:    "Failed",
			wantJobStatus: "PrecheckFailed",
			wantChecks:    []wait.FailedCheck{privilegeCheck, binlogCheck, unnamedCheck},
			wantText: []string{
				`waiting for data_synchronization status in ["Catched"] cannot succeed: the job's precheck failed (job status "PrecheckFailed")`,
				"CHECK_SRC_PRIVILEGE: Failed: the source account lacks REPLICATION SLAVE; repair: GRANT REPLICATION SLAVE ON *.* TO 'dts'@'%'",
				"CHECK_BINLOG_FORMAT: Warning: binlog_format is STATEMENT",
				"(unnamed item): status unknown",
				"run the precheck again",
			},
		},
		{
			name:          "job PrecheckFailed without a precheck object",
			target:        wait.Target{Stage: wait.StageJob, Statuses: []string{"Migrating"}},
			answers:       []answer{ok(resp(job("PrecheckFailed")))},
			wantStage:     wait.StagePrecheck,
			wantJobStatus: "PrecheckFailed",
			wantText:      []string{`job status in ["Migrating"] cannot succeed: the job's precheck failed`},
		},
		{
			name:          "precheck Failed while the job still says Prechecking",
			target:        wait.Target{Stage: wait.StageStructureInitialization, Statuses: []string{"Finished"}},
			answers:       []answer{ok(resp(job("Prechecking"), precheck("Failed", passed, privilege)))},
			wantStage:     wait.StagePrecheck,
			wantStatus:    "Failed",
			wantJobStatus: "Prechecking",
			wantChecks:    []wait.FailedCheck{privilegeCheck},
			wantText:      []string{`precheck failed (status "Failed"), and structure_initialization runs after it`, "CHECK_SRC_PRIVILEGE"},
		},
		{
			name:             "MigrationFailed names the failed stage and its message",
			target:           syncTarget("Catched"),
			answers:          []answer{migrating, ok(resp(job("MigrationFailed"), structure("Finished", ""), dataInit("Failed", "Table db.t1 has no primary key"), sync("NotStarted", nil, nil)))},
			wantStage:        wait.StageDataInitialization,
			wantStatus:       "Failed",
			wantJobStatus:    "MigrationFailed",
			wantErrorMessage: "Table db.t1 has no primary key",
			wantText: []string{
				`the job failed (job status "MigrationFailed"); data_initialization is "Failed"`,
				"data_initialization error message: Table db.t1 has no primary key",
				"restart the job",
			},
		},
		{
			name:             "MigrationFailed without a failed stage uses a stage's message",
			target:           syncTarget("Catched"),
			answers:          []answer{ok(resp(job("MigrationFailed"), structure("Finished", ""), syncErr("Migrating", "connection reset by source")))},
			wantStage:        wait.StageDataSynchronization,
			wantStatus:       "Migrating",
			wantJobStatus:    "MigrationFailed",
			wantErrorMessage: "connection reset by source",
			wantText:         []string{"data_synchronization reports an error", "data_synchronization error message: connection reset by source"},
		},
		{
			name:          "MigrationFailed with nothing more said",
			target:        wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}},
			answers:       []answer{ok(resp(job("MigrationFailed")))},
			wantStage:     wait.StageJob,
			wantStatus:    "MigrationFailed",
			wantJobStatus: "MigrationFailed",
			wantText:      []string{`job status in ["Finished"] cannot succeed: the job failed (job status "MigrationFailed").`},
		},
		{
			name:             "MigrationFailed after a failed precheck lists the checks",
			target:           wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}},
			answers:          []answer{ok(resp(job("MigrationFailed"), precheck("Failed", passed, binlog)))},
			wantStage:        wait.StagePrecheck,
			wantStatus:       "Failed",
			wantJobStatus:    "MigrationFailed",
			wantChecks:       []wait.FailedCheck{binlogCheck},
			wantErrorMessage: "",
			wantText:         []string{"CHECK_BINLOG_FORMAT"},
		},
		{
			name:             "watched stage Failed",
			target:           syncTarget("Catched"),
			answers:          []answer{migrating, migrating, ok(resp(job("Migrating"), syncErr("Failed", "binlog purged on source")))},
			wantStage:        wait.StageDataSynchronization,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "binlog purged on source",
			wantText:         []string{`data_synchronization failed (status "Failed").`, "data_synchronization error message: binlog purged on source"},
		},
		{
			name:             "earlier stage Failed",
			target:           syncTarget("Catched"),
			answers:          []answer{migrating, ok(resp(job("Migrating"), structure("Failed", "unsupported column type"), sync("NotStarted", nil, nil)))},
			wantStage:        wait.StageStructureInitialization,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "unsupported column type",
			wantText:         []string{`structure_initialization failed (status "Failed"), and data_synchronization runs after it`},
		},
		{
			name:             "the earliest failed stage is blamed",
			target:           syncTarget("Catched"),
			answers:          []answer{ok(resp(job("Migrating"), structure("Failed", "first"), dataInit("Failed", "second"), syncErr("Failed", "third")))},
			wantStage:        wait.StageStructureInitialization,
			wantStatus:       "Failed",
			wantJobStatus:    "Migrating",
			wantErrorMessage: "first",
		},
		{
			name:          "data_synchronization switched off",
			target:        syncTarget("Catched"),
			answers:       []answer{ok(resp(job("Migrating"), mode(on, on, off), sync("NotStarted", nil, nil)))},
			wantStage:     wait.StageDataSynchronization,
			wantStatus:    "NotStarted",
			wantJobStatus: "Migrating",
			wantText:      []string{"data_synchronization is switched off in the job's migration mode (MigrationMode.DataSynchronization is false)"},
		},
		{
			name:          "data_initialization switched off, without a status",
			target:        wait.Target{Stage: wait.StageDataInitialization, Statuses: []string{"Finished"}},
			answers:       []answer{ok(resp(job("Migrating"), mode(on, off, on)))},
			wantStage:     wait.StageDataInitialization,
			wantJobStatus: "Migrating",
			wantText:      []string{"MigrationMode.DataInitialization is false"},
		},
		{
			name:          "structure_initialization switched off",
			target:        wait.Target{Stage: wait.StageStructureInitialization, Statuses: []string{"Finished"}},
			answers:       []answer{ok(resp(mode(off, on, on), structure("NotStarted", "")))},
			wantStage:     wait.StageStructureInitialization,
			wantStatus:    "NotStarted",
			wantJobStatus: "",
			wantText:      []string{"MigrationMode.StructureInitialization is false"},
		},
		{
			name:          "job Finished with the stage elsewhere",
			target:        syncTarget("Catched"),
			answers:       []answer{migrating, ok(resp(job("Finished"), sync("Finished", i64(100), i64(0))))},
			wantStage:     wait.StageDataSynchronization,
			wantStatus:    "Finished",
			wantJobStatus: "Finished",
			wantText:      []string{`the job has finished (job status "Finished") with data_synchronization at "Finished", so it will not change any more`},
		},
		{
			name:          "job Finished with the delay above the bound",
			target:        wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)},
			answers:       []answer{ok(resp(job("Finished"), sync("Catched", i64(100), i64(9))))},
			wantStage:     wait.StageDataSynchronization,
			wantStatus:    "Catched",
			wantJobStatus: "Finished",
			wantText:      []string{"a delay of 9s, above the 5s bound"},
		},
		{
			name:          "job Finished when waiting for another job status",
			target:        wait.Target{Stage: wait.StageJob, Statuses: []string{"Migrating"}},
			answers:       []answer{ok(resp(job("Prechecking"))), ok(resp(job("Finished")))},
			wantStage:     wait.StageJob,
			wantStatus:    "Finished",
			wantJobStatus: "Finished",
			wantText:      []string{`the job has finished (job status "Finished"), so its status will not change any more`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(scripted(tt.answers...))
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
			if !reflect.DeepEqual(u.Target, tt.target) {
				t.Errorf("Target = %v, want %v", u.Target, tt.target)
			}
			checkUnreachable(t, err, u, wait.UnreachableError{Stage: tt.wantStage, Status: tt.wantStatus, JobStatus: tt.wantJobStatus,
				ErrorMessage: tt.wantErrorMessage, FailedChecks: tt.wantChecks}, tt.wantText)
		})
	}
}

func TestWaitPollsAtFixedRate(t *testing.T) {
	// The target is reached at t=95s; polls every 10s from t=0 see it at t=100s, the 11th poll, even
	// though every call takes 300ms.
	h := newHarness(func(_ int, elapsed time.Duration) answer {
		if elapsed >= 95*time.Second {
			return answer{resp: resp(job("Migrating"), sync("Catched", i64(100), i64(1))), latency: 300 * time.Millisecond}
		}
		return answer{resp: resp(job("Migrating"), sync("Migrating", i64(50), i64(60))), latency: 300 * time.Millisecond}
	})
	got, err := h.waiter(10*time.Second, 20*time.Minute).Wait(t.Context(), syncTarget("Catched"))
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if d := got.DataSynchronizationStatus.Get(); d == nil || d.Status.Val != "Catched" {
		t.Errorf("returned a response with data_synchronization %+v, want status Catched", d)
	}
	want := seconds(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100)
	if got := h.pollTimes(); !slices.Equal(got, want) {
		t.Errorf("polls at %v, want %v", got, want)
	}
	if !slices.Equal(h.calls, want) {
		t.Errorf("calls at %v, want %v", h.calls, want)
	}
	for i, p := range h.polls {
		if p.N != i+1 || !p.At.Equal(t0.Add(want[i])) {
			t.Errorf("poll %d: N = %d, At = %s; want N = %d, At = %s", i, p.N, p.At, i+1, t0.Add(want[i]))
		}
	}
	for _, d := range h.clk.Sleeps() {
		if d != 9700*time.Millisecond {
			t.Errorf("slept %s between polls, want 9.7s (the interval less the call's 300ms): %v", d, h.clk.Sleeps())
			break
		}
	}
	if h.elapsed() != 100*time.Second+300*time.Millisecond {
		t.Errorf("returned at %s, want 1m40.3s", h.elapsed())
	}
}

func TestWaitSlowCallSkipsMissedSlots(t *testing.T) {
	tests := []struct {
		name      string
		latencies map[int]time.Duration // by call number; others take 100ms
		wantPolls []time.Duration
		wantSleep []time.Duration
	}{
		{
			name:      "one slot missed",
			latencies: map[int]time.Duration{2: 15 * time.Second},
			wantPolls: seconds(0, 10, 30, 40),
			wantSleep: seconds(9.9, 5, 9.9),
		},
		{
			name:      "three slots missed",
			latencies: map[int]time.Duration{1: 35 * time.Second},
			wantPolls: seconds(0, 40, 50, 60),
			wantSleep: seconds(5, 9.9, 9.9),
		},
		{
			name:      "a call ending exactly on a slot is followed at once",
			latencies: map[int]time.Duration{2: 20 * time.Second},
			wantPolls: seconds(0, 10, 30, 40),
			wantSleep: seconds(9.9, 0, 9.9),
		},
		{
			name:      "a call taking exactly the interval",
			latencies: map[int]time.Duration{1: 10 * time.Second},
			wantPolls: seconds(0, 10, 20, 30),
			wantSleep: seconds(0, 9.9, 9.9),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(func(n int, _ time.Duration) answer {
				latency, ok := tt.latencies[n]
				if !ok {
					latency = 100 * time.Millisecond
				}
				status := "Migrating"
				if n == 4 {
					status = "Finished"
				}
				return answer{resp: resp(job(status)), latency: latency}
			})
			_, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}})
			if err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if got := h.pollTimes(); !slices.Equal(got, tt.wantPolls) {
				t.Errorf("polls at %v, want %v", got, tt.wantPolls)
			}
			if got := h.clk.Sleeps(); !slices.Equal(got, tt.wantSleep) {
				t.Errorf("slept %v, want %v", got, tt.wantSleep)
			}
		})
	}
}

func TestWaitTimeout(t *testing.T) {
	migrating := func(percent, delay int64) answer {
		return ok(resp(job("Migrating"), sync("Migrating", i64(percent), i64(delay))))
	}
	transient := &dtsapi.Error{Code: "ServiceUnavailable", Message: "The service is not available.", HTTPStatus: 503, Retryable: true, RequestID: "req-503", Attempts: 6}
	tests := []struct {
		name      string
		timeout   time.Duration
		answer    func(n int, elapsed time.Duration) answer
		wantPolls []time.Duration
		wantEnd   time.Duration
		wantLast  *wait.Observation
		wantJob   *string
		wantErr   error
		wantText  []string
	}{
		{
			name:    "deadline on a slot: no poll at the deadline",
			timeout: time.Minute,
			answer: func(n int, _ time.Duration) answer {
				return migrating(int64(10*n), int64(100-n))
			},
			wantPolls: seconds(0, 10, 20, 30, 40, 50),
			wantEnd:   time.Minute,
			wantLast:  &wait.Observation{Status: ptr("Migrating"), Percent: i64(60), Delay: i64(94)},
			wantJob:   ptr("Migrating"),
			wantText: []string{
				`timed out after 1m0s waiting for data_synchronization status in ["Catched"] with delay <= 5s (6 polls)`,
				`Last seen: data_synchronization status "Migrating", percent 60, delay 94s; job status "Migrating"`,
				"longer read timeout",
			},
		},
		{
			name:      "deadline between slots",
			timeout:   55 * time.Second,
			answer:    scripted(migrating(1, 300)),
			wantPolls: seconds(0, 10, 20, 30, 40, 50),
			wantEnd:   55 * time.Second,
			wantLast:  &wait.Observation{Status: ptr("Migrating"), Percent: i64(1), Delay: i64(300)},
			wantJob:   ptr("Migrating"),
			wantText:  []string{"timed out after 55s", "percent 1, delay 300s"},
		},
		{
			name:    "a call overrunning the deadline ends the wait when it returns",
			timeout: time.Minute,
			answer: func(n int, _ time.Duration) answer {
				a := migrating(50, 7)
				if n == 3 {
					a.latency = 50 * time.Second
				}
				return a
			},
			wantPolls: seconds(0, 10, 20),
			wantEnd:   70 * time.Second,
			wantLast:  &wait.Observation{Status: ptr("Migrating"), Percent: i64(50), Delay: i64(7)},
			wantJob:   ptr("Migrating"),
		},
		{
			name:    "the last status is kept through later failures, and the failure is named",
			timeout: 40 * time.Second,
			answer: func(n int, _ time.Duration) answer {
				if n <= 2 {
					return migrating(int64(n), 30)
				}
				return answer{err: transient}
			},
			wantPolls: seconds(0, 10, 20, 30),
			wantEnd:   40 * time.Second,
			wantLast:  &wait.Observation{Status: ptr("Migrating"), Percent: i64(2), Delay: i64(30)},
			wantJob:   ptr("Migrating"),
			wantErr:   transient,
			wantText:  []string{`status "Migrating", percent 2, delay 30s`, "calls failed after that, the last with: ServiceUnavailable: The service is not available. (HTTP 503, request ID req-503, after 6 attempts)"},
		},
		{
			name:    "a success after a failure clears it",
			timeout: 30 * time.Second,
			answer: func(n int, _ time.Duration) answer {
				if n == 2 {
					return answer{err: transient}
				}
				return migrating(5, 5)
			},
			wantPolls: seconds(0, 10, 20),
			wantEnd:   30 * time.Second,
			wantLast:  &wait.Observation{Status: ptr("Migrating"), Percent: i64(5), Delay: i64(5)},
			wantJob:   ptr("Migrating"),
		},
		{
			name:      "no status ever observed, with the last error",
			timeout:   30 * time.Second,
			answer:    scripted(answer{err: errors.New("dial tcp: lookup dts.aliyuncs.com: no such host")}, answer{err: transient}),
			wantPolls: seconds(0, 10, 20),
			wantEnd:   30 * time.Second,
			wantErr:   transient,
			wantText: []string{
				"(3 polls): no data_synchronization status was ever observed; the last call failed: ServiceUnavailable",
				"job ID and region",
			},
		},
		{
			name:      "no status ever observed, in responses that lacked it",
			timeout:   20 * time.Second,
			answer:    scripted(answer{err: transient}, ok(resp(job("Migrating")))),
			wantPolls: seconds(0, 10),
			wantEnd:   20 * time.Second,
			wantJob:   ptr("Migrating"),
			wantErr:   transient,
			wantText: []string{`the job answered, with job status "Migrating", but no answer included a data_synchronization status`,
				"the last call that failed said: ServiceUnavailable"},
		},
		{
			name:      "no status ever observed and no error",
			timeout:   5 * time.Second,
			answer:    scripted(ok(resp())),
			wantPolls: seconds(0),
			wantEnd:   5 * time.Second,
			wantText:  []string{"(1 poll): no data_synchronization status was ever observed, the responses did not include it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(tt.answer)
			target := wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)}
			got, err := h.waiter(10*time.Second, tt.timeout).Wait(t.Context(), target)
			if got != nil {
				t.Errorf("Wait returned a response with its error: %+v", got)
			}
			var te *wait.TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("Wait error = %v (%T), want *TimeoutError", err, err)
			}
			if got := h.pollTimes(); !slices.Equal(got, tt.wantPolls) {
				t.Errorf("polls at %v, want %v", got, tt.wantPolls)
			}
			if h.elapsed() != tt.wantEnd {
				t.Errorf("returned at %s, want %s", h.elapsed(), tt.wantEnd)
			}
			// A call that ends past the deadline must not be followed by a zero or negative sleep.
			if sleeps := h.clk.Sleeps(); slices.ContainsFunc(sleeps, func(d time.Duration) bool { return d <= 0 }) {
				t.Errorf("slept %v, want only positive sleeps", sleeps)
			}
			if te.Polls != len(tt.wantPolls) || te.Timeout != tt.timeout || te.Waited != tt.wantEnd || !reflect.DeepEqual(te.Target, target) {
				t.Errorf("Polls, Timeout, Waited, Target = %d, %s, %s, %v; want %d, %s, %s, %v",
					te.Polls, te.Timeout, te.Waited, te.Target, len(tt.wantPolls), tt.timeout, tt.wantEnd, target)
			}
			if !reflect.DeepEqual(te.Last, tt.wantLast) {
				t.Errorf("Last = %v, want %v", te.Last, tt.wantLast)
			}
			if !reflect.DeepEqual(te.LastJobStatus, tt.wantJob) {
				t.Errorf("LastJobStatus = %v, want %v", quoteOr(te.LastJobStatus), quoteOr(tt.wantJob))
			}
			if !errors.Is(te.LastErr, tt.wantErr) || (tt.wantErr == nil) != (te.LastErr == nil) {
				t.Errorf("LastErr = %v, want %v", te.LastErr, tt.wantErr)
			}
			for _, want := range tt.wantText {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error text lacks %q:\n%s", want, err)
				}
			}
		})
	}
}

func TestWaitTimeoutJobStage(t *testing.T) {
	h := newHarness(scripted(ok(resp(job("Migrating")))))
	_, err := h.waiter(time.Minute, 3*time.Minute).Wait(t.Context(), wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}})
	want := `timed out after 3m0s waiting for job status in ["Finished"] (3 polls). Last seen: job status "Migrating". If the job`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Wait error = %v, want it to start with %q", err, want)
	}
}

func TestWaitCanceled(t *testing.T) {
	migrating := resp(job("Migrating"), sync("Migrating", i64(70), i64(8)))

	t.Run("during a sleep", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		h := newHarness(scripted(ok(migrating)))
		h.clk.OnSleep = func(now time.Time) {
			if now.Sub(t0) >= 20*time.Second {
				cancel()
			}
		}
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, syncTarget("Catched"))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait error = %v, want one that wraps context.Canceled", err)
		}
		var ce *wait.CanceledError
		if !errors.As(err, &ce) {
			t.Fatalf("Wait error = %T, want *CanceledError", err)
		}
		if len(h.calls) != 2 || len(h.clk.Sleeps()) != 2 {
			t.Errorf("made %d calls and %d sleeps after the cancel, want 2 and 2: no more polling", len(h.calls), len(h.clk.Sleeps()))
		}
		if ce.Polls != 2 || ce.Waited != 20*time.Second || ce.Cause != nil {
			t.Errorf("Polls, Waited, Cause = %d, %s, %v; want 2, 20s, nil", ce.Polls, ce.Waited, ce.Cause)
		}
		if want := (&wait.Observation{Status: ptr("Migrating"), Percent: i64(70), Delay: i64(8)}); !reflect.DeepEqual(ce.Last, want) {
			t.Errorf("Last = %v, want %v", ce.Last, want)
		}
		for _, want := range []string{`stopped waiting for data_synchronization status in ["Catched"] after 20s (2 polls): context canceled`, `status "Migrating", percent 70, delay 8s`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error text lacks %q:\n%s", want, err)
			}
		}
	})

	t.Run("during the last sleep before the deadline", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		h := newHarness(scripted(ok(migrating)))
		h.clk.OnSleep = func(time.Time) { cancel() }
		_, err := h.waiter(10*time.Second, 5*time.Second).Wait(ctx, syncTarget("Catched"))
		var ce *wait.CanceledError
		if !errors.As(err, &ce) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait error = %v (%T), want *CanceledError, not a timeout", err, err)
		}
	})

	t.Run("during a call", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		h := newHarness(func(n int, _ time.Duration) answer {
			if n == 3 {
				cancel()
				// The client reports the cancel like any transport failure.
				return answer{err: &dtsapi.Error{Message: "request canceled", Err: context.Canceled}, latency: time.Second}
			}
			return ok(migrating)
		})
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, syncTarget("Catched"))
		var ce *wait.CanceledError
		if !errors.As(err, &ce) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait error = %v (%T), want *CanceledError", err, err)
		}
		if len(h.calls) != 3 || len(h.clk.Sleeps()) != 2 || len(h.polls) != 3 {
			t.Errorf("made %d calls, %d sleeps, reported %d polls; want 3, 2, 3", len(h.calls), len(h.clk.Sleeps()), len(h.polls))
		}
		if h.polls[2].Err == nil {
			t.Error("the canceled poll was reported without its error")
		}
	})

	t.Run("a response that arrives as the context is canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		h := newHarness(func(int, time.Duration) answer {
			cancel()
			return ok(migrating)
		})
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, syncTarget("Catched"))
		if !errors.Is(err, context.Canceled) || len(h.calls) != 1 {
			t.Fatalf("Wait error = %v after %d calls, want a cancellation after 1", err, len(h.calls))
		}
	})

	t.Run("before the first poll", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		h := newHarness(scripted(ok(migrating)))
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, syncTarget("Catched"))
		if !errors.Is(err, context.Canceled) || len(h.calls) != 0 {
			t.Fatalf("Wait error = %v after %d calls, want a cancellation and no call", err, len(h.calls))
		}
		if want := "No data_synchronization status had been observed"; !strings.Contains(err.Error(), want) {
			t.Errorf("error text lacks %q: %s", want, err)
		}
	})

	t.Run("with a cause", func(t *testing.T) {
		interrupted := errors.New("interrupted by the user")
		ctx, cancel := context.WithCancelCause(t.Context())
		defer cancel(nil)
		h := newHarness(scripted(ok(migrating)))
		h.clk.OnSleep = func(time.Time) { cancel(interrupted) }
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, syncTarget("Catched"))
		if !errors.Is(err, context.Canceled) || !errors.Is(err, interrupted) {
			t.Fatalf("Wait error = %v, want it to wrap context.Canceled and the cause", err)
		}
		if !strings.Contains(err.Error(), "context canceled (interrupted by the user)") {
			t.Errorf("error text does not give the cause: %s", err)
		}
	})
}

// expiringCtx is a context whose deadline passes when the test says so, not after some real time.
type expiringCtx struct {
	context.Context
	done chan struct{}
	err  error
}

func newExpiringCtx(t *testing.T) *expiringCtx {
	return &expiringCtx{Context: t.Context(), done: make(chan struct{})}
}

func (c *expiringCtx) Done() <-chan struct{} { return c.done }
func (c *expiringCtx) Err() error            { return c.err }

func (c *expiringCtx) expire() {
	if c.err == nil {
		c.err = context.DeadlineExceeded
		close(c.done)
	}
}

func TestWaitContextDeadline(t *testing.T) {
	target := wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}}

	t.Run("passing during a call is a timeout", func(t *testing.T) {
		ctx := newExpiringCtx(t)
		h := newHarness(func(n int, _ time.Duration) answer {
			if n == 2 {
				ctx.expire()
				return answer{err: &dtsapi.Error{Message: "request timed out", Err: context.DeadlineExceeded}, latency: 3 * time.Second}
			}
			return ok(resp(job("Migrating")))
		})
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, target)
		var te *wait.TimeoutError
		if !errors.As(err, &te) || errors.Is(err, context.Canceled) {
			t.Fatalf("Wait error = %v (%T), want *TimeoutError", err, err)
		}
		if te.Polls != 2 || te.Waited != 13*time.Second || te.Last == nil || *te.Last.Status != "Migrating" {
			t.Errorf("Polls = %d, Waited = %s, Last = %v; want 2, 13s and the status of the first poll", te.Polls, te.Waited, te.Last)
		}
		if te.LastErr != nil {
			t.Errorf("LastErr = %v; the context's own deadline is not a failure of the service", te.LastErr)
		}
	})

	t.Run("passing during a sleep is a timeout", func(t *testing.T) {
		ctx := newExpiringCtx(t)
		h := newHarness(scripted(ok(resp(job("Migrating")))))
		h.clk.OnSleep = func(time.Time) { ctx.expire() }
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, target)
		var te *wait.TimeoutError
		if !errors.As(err, &te) {
			t.Fatalf("Wait error = %v (%T), want *TimeoutError", err, err)
		}
		if te.Polls != 1 || te.Waited != 10*time.Second || te.Timeout != time.Hour {
			t.Errorf("Polls = %d, Waited = %s, Timeout = %s; want 1, 10s, 1h", te.Polls, te.Waited, te.Timeout)
		}
	})

	t.Run("already passed is a timeout without a call", func(t *testing.T) {
		ctx := newExpiringCtx(t)
		ctx.expire()
		h := newHarness(scripted(ok(resp(job("Finished")))))
		_, err := h.waiter(10*time.Second, time.Hour).Wait(ctx, target)
		var te *wait.TimeoutError
		if !errors.As(err, &te) || len(h.calls) != 0 {
			t.Fatalf("Wait error = %v (%T) after %d calls, want *TimeoutError and no call", err, err, len(h.calls))
		}
	})
}

func TestWaitTransientErrorsKeepPolling(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"service unavailable after retries", &dtsapi.Error{Code: "ServiceUnavailable", HTTPStatus: 503, Retryable: true, Attempts: 6}},
		{"throttled", &dtsapi.Error{Code: "Throttling.User", Message: "Request was denied due to user flow control.", HTTPStatus: 400, Retryable: true}},
		{"internal error without a retry flag", &dtsapi.Error{Code: "InternalError", HTTPStatus: 500}},
		{"network", &dtsapi.Error{Message: "connection refused", Err: errors.New("dial tcp 10.0.0.1:443: connect: connection refused")}},
		{"malformed body", &dtsapi.Error{Message: "HTTP 200 with a body that is not JSON: <html>", HTTPStatus: 200}},
		{"per-attempt timeout", fmt.Errorf("attempt timed out: %w", context.DeadlineExceeded)},
		{"plain error", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := resp(job("Migrating"), sync("Catched", i64(100), i64(0)))
			h := newHarness(scripted(answer{err: tt.err}, answer{err: tt.err}, ok(done)))
			got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), syncTarget("Catched"))
			if err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if got != done {
				t.Errorf("Wait returned %+v, want the third response", got)
			}
			if got := h.pollTimes(); !slices.Equal(got, seconds(0, 10, 20)) {
				t.Errorf("polls at %v, want 0s, 10s, 20s", got)
			}
			if !errors.Is(h.polls[0].Err, tt.err) || !errors.Is(h.polls[1].Err, tt.err) || h.polls[2].Err != nil {
				t.Errorf("poll errors = %v, %v, %v; want the error twice, then none", h.polls[0].Err, h.polls[1].Err, h.polls[2].Err)
			}
		})
	}
}

func TestWaitPermanentErrorStops(t *testing.T) {
	tests := []struct {
		name string
		err  *dtsapi.Error
	}{
		{"unknown job", &dtsapi.Error{Code: dtsapi.CodeInvalidJobID, Message: "The specified job does not exist.", HTTPStatus: 404, RequestID: "req-404"}},
		{"bad signature", &dtsapi.Error{Code: dtsapi.CodeSignatureDoesNotMatch, Message: "Specified signature is not matched with our calculation.", HTTPStatus: 400}},
		{"no permission", &dtsapi.Error{Code: dtsapi.CodeForbiddenRAM, Message: "User not authorized to operate on the specified resource.", HTTPStatus: 403}},
		{"DTS-style failure", &dtsapi.Error{Code: "InvalidParameter", Message: "RegionId is invalid", HTTPStatus: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			transient := &dtsapi.Error{Code: dtsapi.CodeThrottling, HTTPStatus: 400, Retryable: true}
			h := newHarness(scripted(answer{err: transient}, answer{err: tt.err}, ok(resp(job("Finished")))))
			got, err := h.waiter(10*time.Second, time.Hour).Wait(t.Context(), wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}})
			if got != nil {
				t.Errorf("Wait returned a response with its error: %+v", got)
			}
			var apiErr *dtsapi.Error
			if !errors.As(err, &apiErr) || apiErr != tt.err {
				t.Fatalf("Wait error = %v, want it to wrap the call's *dtsapi.Error", err)
			}
			if len(h.calls) != 2 || h.elapsed() != 10*time.Second {
				t.Errorf("made %d calls and returned at %s; want 2 calls, returning at 10s", len(h.calls), h.elapsed())
			}
			want := `waiting for job status in ["Finished"]: poll 2 failed in a way that waiting will not fix: ` + tt.err.Error()
			if err.Error() != want {
				t.Errorf("error text = %q, want %q", err, want)
			}
		})
	}
}

func TestWaitReportsEveryPoll(t *testing.T) {
	transient := &dtsapi.Error{Code: "ServiceUnavailable", HTTPStatus: 503, Retryable: true}
	r1 := resp(job("Migrating"), sync("Migrating", i64(30), i64(50)))
	r3 := resp(job("Migrating"), sync("Catched", i64(100), i64(2)))
	h := newHarness(func(n int, _ time.Duration) answer {
		a := []answer{ok(r1), {err: transient}, ok(r3)}[n-1]
		a.latency = 2 * time.Second
		return a
	})
	var ctxs []context.Context
	w := h.waiter(15*time.Second, time.Hour)
	record := w.OnPoll
	w.OnPoll = func(ctx context.Context, p wait.Poll[dtsapi.MigrationJobStatus]) {
		ctxs = append(ctxs, ctx)
		record(ctx, p)
	}
	type key struct{}
	ctx := context.WithValue(t.Context(), key{}, "v")
	if _, err := w.Wait(ctx, wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)}); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	want := []wait.Poll[dtsapi.MigrationJobStatus]{
		{N: 1, At: t0, Elapsed: 0, Response: r1, Verdict: wait.Verdict{Observation: wait.Observation{Status: ptr("Migrating"), Percent: i64(30), Delay: i64(50)}, JobStatus: ptr("Migrating")}},
		{N: 2, At: t0.Add(15 * time.Second), Elapsed: 15 * time.Second, Err: transient},
		{N: 3, At: t0.Add(30 * time.Second), Elapsed: 30 * time.Second, Response: r3, Verdict: wait.Verdict{Observation: wait.Observation{Status: ptr("Catched"), Percent: i64(100), Delay: i64(2)}, JobStatus: ptr("Migrating"), Satisfied: true}},
	}
	if !reflect.DeepEqual(h.polls, want) {
		t.Errorf("polls =\n%+v\nwant\n%+v", h.polls, want)
	}
	for i, c := range ctxs {
		if c.Value(key{}) != "v" {
			t.Errorf("poll %d: OnPoll did not get the wait's context", i+1)
		}
	}
}

func TestWaitValidatesInput(t *testing.T) {
	good := syncTarget("Catched")
	tests := []struct {
		name     string
		edit     func(w *testWaiter[dtsapi.MigrationJobStatus], target *wait.Target)
		wantText string
	}{
		{"no Describe", func(w *testWaiter[dtsapi.MigrationJobStatus], _ *wait.Target) { w.Describe = nil }, "no Describe function"},
		{"no Gate", func(w *testWaiter[dtsapi.MigrationJobStatus], _ *wait.Target) { w.family = nil }, "no Gate given"},
		{"zero interval", func(w *testWaiter[dtsapi.MigrationJobStatus], _ *wait.Target) { w.PollInterval = 0 }, "poll interval must be positive, got 0s"},
		{"negative interval", func(w *testWaiter[dtsapi.MigrationJobStatus], _ *wait.Target) { w.PollInterval = -time.Second }, "poll interval must be positive, got -1s"},
		{"zero timeout", func(w *testWaiter[dtsapi.MigrationJobStatus], _ *wait.Target) { w.Timeout = 0 }, "timeout must be positive, got 0s"},
		{"unknown stage", func(_ *testWaiter[dtsapi.MigrationJobStatus], tg *wait.Target) { tg.Stage = "replication" }, `unknown stage "replication"`},
		{"no status", func(_ *testWaiter[dtsapi.MigrationJobStatus], tg *wait.Target) { tg.Statuses = nil }, `no target status given for stage data_synchronization: give at least one of "NotStarted"`},
		{"empty status", func(_ *testWaiter[dtsapi.MigrationJobStatus], tg *wait.Target) {
			tg.Statuses = []string{"Catched", ""}
		}, "empty target status"},
		{"delay bound on another stage", func(_ *testWaiter[dtsapi.MigrationJobStatus], tg *wait.Target) {
			tg.Stage, tg.Statuses, tg.MaxDelaySeconds = wait.StageDataInitialization, []string{"Finished"}, i64(5)
		}, "only data_synchronization reports a delay"},
		{"negative delay bound", func(_ *testWaiter[dtsapi.MigrationJobStatus], tg *wait.Target) { tg.MaxDelaySeconds = i64(-1) }, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(scripted(ok(resp(job("Migrating"), sync("Catched", nil, i64(0))))))
			w := h.waiter(10*time.Second, time.Hour)
			target := good
			tt.edit(&w, &target)
			_, err := w.Wait(t.Context(), target)
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("Wait error = %v, want one containing %q", err, tt.wantText)
			}
			if len(h.calls) != 0 || len(h.clk.Sleeps()) != 0 {
				t.Errorf("made %d calls and %d sleeps on invalid input, want none", len(h.calls), len(h.clk.Sleeps()))
			}
		})
	}
}

func TestWaitWithoutOnPoll(t *testing.T) {
	h := newHarness(scripted(answer{err: io.EOF}, ok(resp(job("Finished")))))
	w := h.waiter(time.Second, time.Minute)
	w.OnPoll = nil
	if _, err := w.Wait(t.Context(), wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}}); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(h.calls) != 2 {
		t.Errorf("made %d calls, want 2", len(h.calls))
	}
}

func TestWaitRealClock(t *testing.T) {
	for _, tt := range []struct {
		name string
		clk  clock.Clock
	}{
		{"clock.System", clock.System{}},
		{"nil Clock means clock.System", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const interval = 5 * time.Millisecond
			var calls []time.Time
			w := withFamily(Legacy, &wait.Waiter[dtsapi.MigrationJobStatus]{
				Describe: func(context.Context) (*dtsapi.MigrationJobStatus, error) {
					calls = append(calls, time.Now())
					if len(calls) < 4 {
						return resp(job("Migrating")), nil
					}
					return resp(job("Finished")), nil
				},
				Clock:        tt.clk,
				PollInterval: interval,
				Timeout:      time.Minute,
			})
			start := time.Now()
			if _, err := w.Wait(t.Context(), wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}}); err != nil {
				t.Fatalf("Wait: %v", err)
			}
			took := time.Since(start)
			if len(calls) != 4 {
				t.Fatalf("made %d calls, want 4", len(calls))
			}
			// Poll k is due at start + k*interval: never earlier, and a busy machine only makes it later.
			for k, c := range calls {
				if due := start.Add(time.Duration(k) * interval); c.Before(due) {
					t.Errorf("poll %d at %s, before it was due at %s", k+1, c.Sub(start), due.Sub(start))
				}
			}
			if took < 3*interval || took > 10*time.Second {
				t.Errorf("took %s, want about %s", took, 3*interval)
			}
		})
	}

	t.Run("times out on the real clock", func(t *testing.T) {
		w := withFamily(Legacy, &wait.Waiter[dtsapi.MigrationJobStatus]{
			Describe:     func(context.Context) (*dtsapi.MigrationJobStatus, error) { return resp(job("Migrating")), nil },
			Clock:        clock.System{},
			PollInterval: 5 * time.Millisecond,
			Timeout:      20 * time.Millisecond,
		})
		start := time.Now()
		_, err := w.Wait(t.Context(), wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}})
		var te *wait.TimeoutError
		if !errors.As(err, &te) {
			t.Fatalf("Wait error = %v, want *TimeoutError", err)
		}
		if took := time.Since(start); took < 20*time.Millisecond || took > 10*time.Second {
			t.Errorf("took %s, want about 20ms", took)
		}
		if te.Polls < 1 || te.Polls > 4 {
			t.Errorf("Polls = %d, want 1 to 4 in 20ms at 5ms", te.Polls)
		}
	})
}

// quoteOr quotes *p, or says nil.
func quoteOr(p *string) string {
	if p == nil {
		return "nil"
	}
	return strconv.Quote(*p)
}

// intOr renders *p with its unit, or says nil.
func intOr(p *int64, unit string) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatInt(*p, 10) + unit
}

// checkUnreachable holds a wait's *wait.UnreachableError u (err as Wait returned it) to want's Stage,
// Status, JobStatus, ErrorMessage and FailedChecks, wants a Reason and a Hint, and wants err's text to
// hold every string of text and none of the checks that passed in the tests' answers.
func checkUnreachable(t *testing.T, err error, u *wait.UnreachableError, want wait.UnreachableError, text []string) {
	t.Helper()
	if u.Stage != want.Stage || u.Status != want.Status || u.JobStatus != want.JobStatus || u.ErrorMessage != want.ErrorMessage {
		t.Errorf("Stage, Status, JobStatus, ErrorMessage = %q, %q, %q, %q; want %q, %q, %q, %q",
			u.Stage, u.Status, u.JobStatus, u.ErrorMessage, want.Stage, want.Status, want.JobStatus, want.ErrorMessage)
	}
	if !reflect.DeepEqual(u.FailedChecks, want.FailedChecks) {
		t.Errorf("FailedChecks = %+v, want %+v", u.FailedChecks, want.FailedChecks)
	}
	if u.Reason == "" || u.Hint == "" {
		t.Errorf("Reason %q and Hint %q must both be set", u.Reason, u.Hint)
	}
	msg := err.Error()
	for _, w := range text {
		if !strings.Contains(msg, w) {
			t.Errorf("error text lacks %q:\n%s", w, msg)
		}
	}
	for _, never := range []string{"SHOULD-NOT-APPEAR", "CHECK_SRC_CONN"} {
		if strings.Contains(msg, never) {
			t.Errorf("error text lists a check that passed (%q):\n%s", never, msg)
		}
	}
}
