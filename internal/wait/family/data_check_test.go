package family

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// Tests of the data verification's gate: the job's verification stage by Current's rules, plus the
// inconsistent rows of its tables.

type checkReply = reply[dtsapi.DataCheck]

type checkOpt func(*dtsapi.DataCheck)

// reading is a verification's reading: the job and its tables, counted as the service counts them.
func reading(checkType int, job *dtsapi.DtsJob, tables ...dtsapi.DataCheckTable) *dtsapi.DataCheck {
	var diff int64
	for _, t := range tables {
		if t.DiffCount.Val > 0 {
			diff++
		}
	}
	last := &dtsapi.DataCheckTableDetails{TotalCount: dtsapi.IntOf(int64(len(tables))), DiffTableCount: dtsapi.IntOf(diff)}
	return &dtsapi.DataCheck{
		Job:       &dtsapi.DtsJobRead{Job: job, JobType: dtsapi.JobTypeMigration},
		CheckType: checkType,
		Tables:    &dtsapi.DataCheckTables{Tables: slices.Clone(tables), Last: last, Pages: 1},
	}
}

// with applies opts to a reading, for what the service counts but the tables do not show.
func with(d *dtsapi.DataCheck, opts ...checkOpt) *dtsapi.DataCheck {
	for _, o := range opts {
		o(d)
	}
	return d
}

// table is a finished table of database shop with diff inconsistent rows.
func table(name string, diff int64) dtsapi.DataCheckTable {
	return dtsapi.DataCheckTable{SourceDbName: str("shop"), SourceTbName: str(name), TotalCount: dtsapi.IntOf(100),
		FinishCount: dtsapi.IntOf(100), DiffCount: dtsapi.IntOf(diff), Status: str(dtsapi.TableCheckFinished)}
}

func failedTable(name string, code int64) dtsapi.DataCheckTable {
	t := table(name, 0)
	t.Status, t.ErrorCode = str(dtsapi.TableCheckFailed), dtsapi.IntOf(code)
	return t
}

// tablesWithRows are n tables, table i with i+1 inconsistent rows.
func tablesWithRows(n int) []dtsapi.DataCheckTable {
	out := make([]dtsapi.DataCheckTable, n)
	for i := range out {
		out[i] = table(fmt.Sprintf("t%02d", i), int64(i+1))
	}
	return out
}

var (
	fullOn = migrationMode(dtsapi.MigrationMode{DataSynchronization: dtsapi.BoolOf(true), FullDataCheck: dtsapi.BoolOf(true), IncDataCheck: dtsapi.BoolOf(false)})
	incOn  = migrationMode(dtsapi.MigrationMode{DataSynchronization: dtsapi.BoolOf(true), FullDataCheck: dtsapi.BoolOf(false), IncDataCheck: dtsapi.BoolOf(true)})
)

// fullJob is a migrating job with full verification at status.
func fullJob(status string, opts ...jobOpt) *dtsapi.DtsJob {
	return dtsJob("Migrating", append([]jobOpt{fullOn, at(wait.StageFullDataCheck, status, "")}, opts...)...)
}

// caughtUpInc is a synchronizing job whose incremental verification is Catched.
func caughtUpInc(opts ...jobOpt) *dtsapi.DtsJob {
	return dtsJob("Synchronizing", append([]jobOpt{incOn, at(wait.StageIncrementalDataCheck, "Catched", "")}, opts...)...)
}

func fullTarget(bound *int64, statuses ...string) wait.Target {
	return wait.Target{Stage: wait.StageFullDataCheck, Statuses: statuses, MaxInconsistentRows: bound}
}

func incTarget(bound *int64) wait.Target {
	return wait.Target{Stage: wait.StageIncrementalDataCheck, Statuses: []string{"Catched"}, MaxInconsistentRows: bound}
}

func TestDataCheckGateDecides(t *testing.T) {
	clean := []dtsapi.DataCheckTable{table("a", 0), table("b", 0)}
	tests := []struct {
		name    string
		target  wait.Target
		reading *dtsapi.DataCheck
		want    string // "satisfied", "waiting", or "unreachable"
		// says is text the error (unreachable) or the held reason (waiting) must hold; sayNot text it must not.
		says, sayNot []string
	}{
		{name: "full, finished and clean", target: fullTarget(i64(0), "Finished"),
			reading: reading(1, fullJob("Finished"), clean...), want: "satisfied"},
		{name: "full, still checking", target: fullTarget(i64(0), "Finished"),
			reading: reading(1, fullJob("Checking"), table("a", 0)), want: "waiting"},
		{name: "without a bound, rows do not matter", target: fullTarget(nil, "Finished"),
			reading: reading(1, fullJob("Finished"), tablesWithRows(3)...), want: "satisfied"},
		{name: "within the bound", target: fullTarget(i64(6), "Finished"),
			reading: reading(1, fullJob("Finished"), tablesWithRows(3)...), want: "satisfied"},
		{name: "full, finished with too many rows, names ten tables", target: fullTarget(i64(0), "Finished"),
			reading: reading(1, fullJob("Finished"), append(clean, tablesWithRows(12)...)...), want: "unreachable",
			says: []string{"finished with 78 inconsistent rows in 12 tables, more than the 0 allowed", "with at most 0 inconsistent rows",
				"Tables with inconsistent rows (12):", "shop.t00: 1 inconsistent row\n", "shop.t09: 10 inconsistent rows", "... and 2 more"},
			sayNot: []string{"shop.t10", "shop.a"}},
		{name: "full, finished with too many rows, whatever the target status", target: fullTarget(i64(0), "Checking"),
			reading: reading(1, fullJob("Finished"), tablesWithRows(1)...), want: "unreachable", says: []string{"1 inconsistent row in 1 table"}},
		{name: "verification not enabled", target: fullTarget(i64(0), "Finished"),
			reading: reading(1, dtsJob("Migrating", migrationMode(dtsapi.MigrationMode{FullDataCheck: dtsapi.BoolOf(false)}), at(wait.StageFullDataCheck, "NotStarted", ""))),
			want:    "unreachable", says: []string{"full_data_check is switched off", "MigrationMode.FullDataCheck is false"}},
		{name: "verification failed, with its failed tables", target: fullTarget(i64(0), "Finished"),
			reading: reading(1, dtsJob("Migrating", fullOn, at(wait.StageFullDataCheck, "Failed", "4 tables could not be verified")),
				table("a", 0), failedTable("b", 1), failedTable("c", 4), failedTable("d", 9)),
			want: "unreachable", says: []string{"full_data_check failed", "full_data_check error message: 4 tables could not be verified",
				"Tables whose verification failed (3):", "shop.b: failed: too many tables without a primary key (error code 1)",
				"shop.c: failed: the verification SQL has a syntax error (error code 4)", "shop.d: failed: error code 9"},
			sayNot: []string{"shop.a"}},
		{name: "the job failed", target: fullTarget(i64(0), "Finished"),
			reading: reading(1, fullJob("Checking", jobError("the source is gone", dtsapi.ErrorDetail{ErrorCode: str("DTS-1"), HelpURL: str("https://help")}),
				func(j *dtsapi.DtsJob) { j.Status = str("Failed") })),
			want: "unreachable", says: []string{`the job failed (job status "Failed")`, "the source is gone", "error code DTS-1"}},
		{name: "an earlier stage failed", target: fullTarget(nil, "Finished"),
			reading: reading(1, fullJob("NotStarted", at(wait.StageDataInitialization, "Failed", "disk full"))),
			want:    "unreachable", says: []string{"data_initialization failed", "disk full"}},
		{name: "waiting for a failure succeeds when it comes", target: fullTarget(i64(0), "Failed"),
			reading: reading(1, dtsJob("Migrating", fullOn, at(wait.StageFullDataCheck, "Failed", "x")), failedTable("b", 2)), want: "satisfied"},
		{name: "incremental with rows keeps waiting", target: incTarget(i64(0)),
			reading: reading(2, caughtUpInc(), table("a", 0), table("b", 2)), want: "waiting",
			says: []string{"2 inconsistent rows in 1 table, more than the 0 allowed", "checks inconsistent rows again after a delay"}},
		{name: "incremental with rows, on a finished job, cannot change", target: incTarget(i64(0)),
			reading: reading(2, caughtUpInc(func(j *dtsapi.DtsJob) { j.Status = str("Finished") }), table("b", 2)), want: "unreachable",
			says: []string{"the job has finished"}},
		{name: "incremental, clean", target: incTarget(i64(0)),
			reading: reading(2, caughtUpInc(), clean...), want: "satisfied"},
		{name: "tables counted but not read", target: fullTarget(i64(0), "Finished"),
			reading: with(reading(1, fullJob("Finished"), clean...), func(d *dtsapi.DataCheck) { d.Tables.Last.TotalCount = dtsapi.IntOf(3) }),
			want:    "waiting", says: []string{"not all seen: the service counts 3 tables and 2 were read"}},
		{name: "a table without a count", target: fullTarget(i64(0), "Finished"),
			reading: with(reading(1, fullJob("Finished"), clean...), func(d *dtsapi.DataCheck) { d.Tables.Tables[1].DiffCount = dtsapi.Int{Bad: `"?"`} }),
			want:    "waiting", says: []string{"table shop.b reports no count of inconsistent rows"}},
		{name: "inconsistent tables counted that the tables do not show", target: fullTarget(i64(0), "Finished"),
			reading: with(reading(1, fullJob("Finished"), clean...), func(d *dtsapi.DataCheck) { d.Tables.Last.DiffTableCount = dtsapi.IntOf(1) }),
			want:    "waiting", says: []string{"the service counts 1 table with inconsistent rows, and the tables read show 0"}},
		{name: "tables not read", target: fullTarget(i64(0), "Finished"),
			reading: with(reading(1, fullJob("Finished")), func(d *dtsapi.DataCheck) { d.Tables = nil }),
			want:    "waiting", says: []string{"tables were not read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := DataCheckGate(tt.target).Decide(tt.reading)
			var got, text string
			switch {
			case v.Satisfied && v.Unreachable == nil:
				got = "satisfied"
			case v.Unreachable != nil && !v.Satisfied:
				got, text = "unreachable", v.Unreachable.Error()
			case !v.Satisfied:
				got, text = "waiting", v.Held
			default:
				t.Fatalf("verdict both satisfied and unreachable: %+v", v)
			}
			if got != tt.want {
				t.Fatalf("verdict %s (%s), want %s", got, text, tt.want)
			}
			for _, s := range tt.says {
				if !strings.Contains(text, s) {
					t.Errorf("%q does not say %q", text, s)
				}
			}
			for _, s := range tt.sayNot {
				if strings.Contains(text, s) {
					t.Errorf("%q says %q", text, s)
				}
			}
			if v.Observation.Status == nil || *v.Observation.Status != *Verification.Observe(tt.reading, tt.target.Stage).Status {
				t.Errorf("observation %+v is not the verification stage's", v.Observation)
			}
		})
	}
}

// An incremental verification that finds rows keeps the wait going until DTS finds them consistent.
func TestDataCheckWaitOutlastsIncrementalRows(t *testing.T) {
	rows := reading(2, caughtUpInc(), table("a", 0), table("b", 2))
	clean := reading(2, caughtUpInc(), table("a", 0), table("b", 0))
	h := newFamilyHarness[dtsapi.DataCheck](nil, scripted(checkReply{resp: rows}, checkReply{resp: rows}, checkReply{resp: clean}))
	w := h.waiter(10*time.Second, time.Hour)
	w.Gate = DataCheckGate(incTarget(i64(0)))
	got, err := w.Waiter.Wait(t.Context())
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if got != clean || len(h.polls) != 3 || h.elapsed() != 20*time.Second {
		t.Fatalf("%d polls over %v, want 3 over 20s ending with the clean reading", len(h.polls), h.elapsed())
	}
	for i, p := range h.polls[:2] {
		if !strings.Contains(p.Held, "2 inconsistent rows") {
			t.Errorf("poll %d: held %q, want the rows", i+1, p.Held)
		}
	}
	if h.polls[2].Held != "" {
		t.Errorf("the last poll is held: %q", h.polls[2].Held)
	}
}

// A full verification that finishes with rows ends the wait at once, not at the timeout.
func TestDataCheckWaitEndsAtAFinishedVerificationWithRows(t *testing.T) {
	h := newFamilyHarness[dtsapi.DataCheck](nil, scripted(
		checkReply{resp: reading(1, fullJob("Checking"), table("a", 0))},
		checkReply{err: &dtsapi.Error{Code: "ServiceUnavailable", Retryable: true, HTTPStatus: 503}},
		checkReply{resp: reading(1, fullJob("Finished"), table("a", 0), table("payment", 3))},
	))
	w := h.waiter(10*time.Second, time.Hour)
	w.Gate = DataCheckGate(fullTarget(i64(0), "Finished"))
	_, err := w.Waiter.Wait(t.Context())
	var u *wait.UnreachableError
	if !errors.As(err, &u) || len(h.polls) != 3 || h.elapsed() != 20*time.Second {
		t.Fatalf("Wait = %v after %d polls and %v, want unreachable at the third poll", err, len(h.polls), h.elapsed())
	}
	if len(u.Tables) != 1 || u.Tables[0].Name != "shop.payment" || *u.Tables[0].InconsistentRows != 3 {
		t.Errorf("tables %+v, want shop.payment with 3 rows", u.Tables)
	}
}

// A verification held by its rows until the deadline says so in the timeout.
func TestDataCheckTimeoutSaysWhatHeldTheGate(t *testing.T) {
	h := newFamilyHarness[dtsapi.DataCheck](nil, scripted(checkReply{resp: reading(2, caughtUpInc(), table("b", 5))}))
	w := h.waiter(10*time.Second, time.Minute)
	w.Gate = DataCheckGate(incTarget(i64(1)))
	_, err := w.Waiter.Wait(t.Context())
	var te *wait.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("Wait = %v, want a timeout", err)
	}
	for _, want := range []string{`incremental_data_check status in ["Catched"] with at most 1 inconsistent row`,
		`status "Catched"`, "not counted as reached because 5 inconsistent rows in 1 table, more than the 1 allowed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("timeout %q does not say %q", err, want)
		}
	}
}

func TestDataCheckGateValidatesItsTarget(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target wait.Target
		err    string
	}{
		{"the job stage", wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished"}}, "watches full_data_check or incremental_data_check"},
		{"a negative bound", fullTarget(i64(-1), "Finished"), "must not be negative"},
		{"no status", fullTarget(i64(0)), "no target status"},
		{"a delay bound", wait.Target{Stage: wait.StageFullDataCheck, Statuses: []string{"Finished"}, MaxDelaySeconds: i64(1)}, "only data_synchronization"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := wait.Waiter[dtsapi.DataCheck]{Describe: func(_ context.Context) (*dtsapi.DataCheck, error) { return nil, nil },
				Gate: DataCheckGate(tc.target), PollInterval: time.Second, Timeout: time.Minute}
			if _, err := w.Wait(t.Context()); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Wait = %v, want an error saying %q", err, tc.err)
			}
		})
	}
	// The one-job gate takes no row bound: only a verification counts rows.
	w := wait.Waiter[dtsapi.DtsJob]{Describe: func(_ context.Context) (*dtsapi.DtsJob, error) { return nil, nil },
		Gate: Current.Gate(fullTarget(i64(0), "Finished")), PollInterval: time.Second, Timeout: time.Minute}
	if _, err := w.Wait(t.Context()); err == nil || !strings.Contains(err.Error(), "only a data verification's gate counts them") {
		t.Fatalf("a job gate with a row bound: %v", err)
	}
}

func TestDataCheckStatusesSpellingHelp(t *testing.T) {
	full, ok := DataCheckStatuses.Lookup(string(wait.StageFullDataCheck))
	inc, ok2 := DataCheckStatuses.Lookup(string(wait.StageIncrementalDataCheck))
	if !ok || !ok2 || len(DataCheckStatuses) != 2 {
		t.Fatalf("the table holds %v", DataCheckStatuses.Stages())
	}
	for _, tc := range []struct {
		info          wait.StageInfo
		status, canon string
		kind          wait.StatusKind
	}{
		{full, "Finished", "Finished", wait.KnownStatus},
		{full, "finished", "Finished", wait.WrongCase},
		{full, "Catched", "Catched", wait.UndocumentedStatus},
		{inc, "catched", "Catched", wait.WrongCase},
		{inc, "Finished", "Finished", wait.UndocumentedStatus},
		{inc, "NotStarted", "NotStarted", wait.KnownStatus},
	} {
		if canon, kind := tc.info.CheckStatus(tc.status); canon != tc.canon || kind != tc.kind {
			t.Errorf("%s: CheckStatus(%q) = %q, %v; want %q, %v", tc.info.Stage, tc.status, canon, kind, tc.canon, tc.kind)
		}
	}
	if CheckStage(dtsapi.CheckTypeFull) != wait.StageFullDataCheck || CheckStage(dtsapi.CheckTypeIncremental) != wait.StageIncrementalDataCheck {
		t.Error("CheckStage maps check types to the wrong stages")
	}
}
