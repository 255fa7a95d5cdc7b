package family

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

func ptr[T any](v T) *T { return &v }

func TestStages(t *testing.T) {
	tests := []struct {
		name  string
		table wait.Table
		want  []wait.Stage
	}{
		{"legacy", Legacy.Table, []wait.Stage{"job", "precheck", "structure_initialization", "data_initialization", "data_synchronization"}},
		{"current", Current.Table, []wait.Stage{
			"job", "precheck", "structure_initialization", "data_initialization", "data_synchronization",
			"full_data_check", "incremental_data_check",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.table.Stages(); !slices.Equal(got, tt.want) {
				t.Fatalf("Stages() = %q, want %q", got, tt.want)
			}
			// Callers may sort or trim what they get; that must not change the next answer.
			tt.table.Stages()[0] = "x"
			if got := tt.table.Stages(); !slices.Equal(got, tt.want) {
				t.Fatalf("Stages() after mutating a result = %q, want %q", got, tt.want)
			}
		})
	}
	if got, want := Current.Table.Names(), "`job`, `precheck`, `structure_initialization`, `data_initialization`, "+
		"`data_synchronization`, `full_data_check`, `incremental_data_check`"; got != want {
		t.Errorf("Names() = %s, want %s", got, want)
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		table  wait.Table
		in     string
		want   wait.Stage
		wantOK bool
	}{
		{Legacy.Table, "job", wait.StageJob, true},
		{Legacy.Table, "precheck", wait.StagePrecheck, true},
		{Legacy.Table, "structure_initialization", wait.StageStructureInitialization, true},
		{Legacy.Table, "data_initialization", wait.StageDataInitialization, true},
		{Legacy.Table, "data_synchronization", wait.StageDataSynchronization, true},
		{Legacy.Table, "full_data_check", "", false},
		{Legacy.Table, "incremental_data_check", "", false},
		{Legacy.Table, "Job", "", false},
		{Legacy.Table, "DataSynchronization", "", false},
		{Legacy.Table, "data-synchronization", "", false},
		{Legacy.Table, " job", "", false},
		{Legacy.Table, "", "", false},
		{Current.Table, "full_data_check", wait.StageFullDataCheck, true},
		{Current.Table, "incremental_data_check", wait.StageIncrementalDataCheck, true},
		{Current.Table, "data_synchronization", wait.StageDataSynchronization, true},
		{Current.Table, "inc_data_check", "", false},
		{Current.Table, "Full_Data_Check", "", false},
	}
	for _, tt := range tests {
		got, ok := tt.table.Lookup(tt.in)
		if got.Stage != tt.want || ok != tt.wantOK {
			t.Errorf("%v.Lookup(%q) = (%q, %v), want (%q, %v)", tt.table.Stages(), tt.in, got.Stage, ok, tt.want, tt.wantOK)
		}
	}
}

func TestDocumentedStatuses(t *testing.T) {
	// Copied from SPEC.md's tables of documented values, in their order.
	precheck := []string{"NotStarted", "Checking", "Suspending", "Failed", "Finished"}
	initialization := []string{"NotStarted", "Migrating", "Failed", "Finished"}
	tests := []struct {
		name  string
		table wait.Table
		want  map[wait.Stage][]string
	}{
		{"legacy", Legacy.Table, map[wait.Stage][]string{
			wait.StageJob:                     {"NotStarted", "Prechecking", "PrecheckFailed", "Migrating", "Suspending", "MigrationFailed", "Finished"},
			wait.StagePrecheck:                precheck,
			wait.StageStructureInitialization: initialization,
			wait.StageDataInitialization:      initialization,
			wait.StageDataSynchronization:     {"NotStarted", "Migrating", "Failed", "Finished", "Catched"},
		}},
		{"current", Current.Table, map[wait.Stage][]string{
			// Migration's, then what synchronization and subscription add.
			wait.StageJob: {
				"NotStarted", "NotConfigured", "Prechecking", "PrecheckFailed", "PreCheckPass", "Migrating", "Suspending",
				"MigrationFailed", "Finished", "Retrying", "Upgrade", "Locked", "Downgrade",
				"Initializing", "InitializeFailed", "Synchronizing", "Failed", "Modifying",
				"Starting", "Normal", "Abnormal",
			},
			wait.StagePrecheck:                precheck,
			wait.StageStructureInitialization: initialization,
			wait.StageDataInitialization:      initialization,
			wait.StageDataSynchronization:     {"NotStarted", "Migrating", "Suspending", "Checking", "Failed", "Finished", "Catched"},
			wait.StageFullDataCheck:           {"NotStarted", "Checking", "Failed", "Finished"},
			wait.StageIncrementalDataCheck:    {"NotStarted", "Checking", "Failed", "Catched"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.table.Stages() {
				info, ok := tt.table.Lookup(string(s))
				if !ok {
					t.Errorf("Lookup(%q) found nothing", s)
				}
				if !slices.Equal(info.Documented, tt.want[s]) {
					t.Errorf("%s: Documented = %q, want %q", s, info.Documented, tt.want[s])
				}
				if wantDelay := s == wait.StageDataSynchronization; info.HasDelay != wantDelay {
					t.Errorf("%s: HasDelay = %v, want %v", s, info.HasDelay, wantDelay)
				}
				if wantFold := s == wait.StageJob && tt.name == "current"; info.FoldCase != wantFold {
					t.Errorf("%s: FoldCase = %v, want %v", s, info.FoldCase, wantFold)
				}
			}
			if len(tt.want) != len(tt.table) {
				t.Errorf("the table has %d stages, want %d", len(tt.table), len(tt.want))
			}

			// Stages share their lists of statuses; what a caller does with one must not reach the table.
			info, _ := tt.table.Lookup(string(wait.StageStructureInitialization))
			info.Documented[0] = "Mutated"
			for _, s := range []wait.Stage{wait.StagePrecheck, wait.StageStructureInitialization, wait.StageDataInitialization} {
				if again, _ := tt.table.Lookup(string(s)); again.Documented[0] != "NotStarted" {
					t.Errorf("mutating a looked-up stage changed the table: first %s status is now %q", s, again.Documented[0])
				}
			}

			if unknown, ok := tt.table.Lookup("migration"); ok || unknown.Documented != nil {
				t.Errorf(`Lookup("migration") = (%+v, %v), want nothing`, unknown, ok)
			}
		})
	}
}

func TestCheckStatus(t *testing.T) {
	tests := []struct {
		table     wait.Table
		stage     wait.Stage
		in        string
		canonical string
		kind      wait.StatusKind
	}{
		{Legacy.Table, wait.StageDataSynchronization, "Catched", "Catched", wait.KnownStatus},
		{Legacy.Table, wait.StageDataSynchronization, "catched", "Catched", wait.WrongCase},
		{Legacy.Table, wait.StageDataSynchronization, "CATCHED", "Catched", wait.WrongCase},
		{Legacy.Table, wait.StageDataSynchronization, "Paused", "Paused", wait.UndocumentedStatus},
		{Legacy.Table, wait.StageDataSynchronization, "Caught", "Caught", wait.UndocumentedStatus},
		{Legacy.Table, wait.StageDataSynchronization, "", "", wait.UndocumentedStatus},
		{Legacy.Table, wait.StageDataSynchronization, "Checking", "Checking", wait.UndocumentedStatus},
		{Legacy.Table, wait.StageJob, "PrecheckFailed", "PrecheckFailed", wait.KnownStatus},
		{Legacy.Table, wait.StageJob, "precheckfailed", "PrecheckFailed", wait.WrongCase},
		{Legacy.Table, wait.StageJob, "Catched", "Catched", wait.UndocumentedStatus},
		{Legacy.Table, wait.StageJob, "Synchronizing", "Synchronizing", wait.UndocumentedStatus},
		{Legacy.Table, wait.StagePrecheck, "checking", "Checking", wait.WrongCase},
		{Legacy.Table, wait.StagePrecheck, "Prechecking", "Prechecking", wait.UndocumentedStatus},
		{Legacy.Table, wait.StageStructureInitialization, "Finished", "Finished", wait.KnownStatus},
		{Legacy.Table, wait.StageDataInitialization, "notstarted", "NotStarted", wait.WrongCase},
		{Legacy.Table, wait.StageDataInitialization, "Catched", "Catched", wait.UndocumentedStatus},
		{Legacy.Table, wait.Stage("nope"), "Finished", "Finished", wait.UndocumentedStatus},

		// The current API's job stage ignores case, so any spelling is a known status, given back as documented.
		{Current.Table, wait.StageJob, "Synchronizing", "Synchronizing", wait.KnownStatus},
		{Current.Table, wait.StageJob, "synchronizing", "Synchronizing", wait.KnownStatus},
		{Current.Table, wait.StageJob, "SYNCHRONIZING", "Synchronizing", wait.KnownStatus},
		{Current.Table, wait.StageJob, "precheckpass", "PreCheckPass", wait.KnownStatus},
		{Current.Table, wait.StageJob, "Catched", "Catched", wait.UndocumentedStatus},
		// Its other stages compare exactly.
		{Current.Table, wait.StagePrecheck, "finished", "Finished", wait.WrongCase},
		{Current.Table, wait.StageDataSynchronization, "checking", "Checking", wait.WrongCase},
		{Current.Table, wait.StageDataSynchronization, "Checking", "Checking", wait.KnownStatus},
		{Current.Table, wait.StageFullDataCheck, "Finished", "Finished", wait.KnownStatus},
		{Current.Table, wait.StageFullDataCheck, "finished", "Finished", wait.WrongCase},
		{Current.Table, wait.StageFullDataCheck, "Catched", "Catched", wait.UndocumentedStatus},
		{Current.Table, wait.StageIncrementalDataCheck, "Catched", "Catched", wait.KnownStatus},
		{Current.Table, wait.StageIncrementalDataCheck, "catched", "Catched", wait.WrongCase},
		{Current.Table, wait.StageIncrementalDataCheck, "Finished", "Finished", wait.UndocumentedStatus},
	}
	for _, tt := range tests {
		info, _ := tt.table.Lookup(string(tt.stage))
		canonical, kind := info.CheckStatus(tt.in)
		if canonical != tt.canonical || kind != tt.kind {
			t.Errorf("%s.CheckStatus(%q) = (%q, %v), want (%q, %v)", tt.stage, tt.in, canonical, kind, tt.canonical, tt.kind)
		}
	}
}

func TestStatusKindString(t *testing.T) {
	for k, want := range map[wait.StatusKind]string{
		wait.KnownStatus:        "KnownStatus",
		wait.WrongCase:          "WrongCase",
		wait.UndocumentedStatus: "UndocumentedStatus",
		wait.StatusKind(7):      "StatusKind(7)",
	} {
		if got := k.String(); got != want {
			t.Errorf("StatusKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func TestObserveLegacy(t *testing.T) {
	full := &dtsapi.MigrationJobStatus{
		MigrationJobHeader: dtsapi.MigrationJobHeader{MigrationJobStatus: str("Migrating")},
		PrecheckStatus: dtsapi.ObjectOf(dtsapi.MigrationPrecheck{
			Status: str("Finished"), Percent: dtsapi.IntOf(100),
			Detail: dtsapi.ListOf(dtsapi.MigrationCheckItem{CheckStatus: str("Success")}),
		}),
		StructureInitializationStatus: dtsapi.ObjectOf(dtsapi.InitializationStatus{
			Status: str("Finished"), Percent: dtsapi.IntOf(100), Progress: dtsapi.IntOf(12), ErrorMessage: str("schema note"),
		}),
		DataInitializationStatus: dtsapi.ObjectOf(dtsapi.InitializationStatus{
			Status: str("Migrating"), Percent: dtsapi.IntOf(40), Progress: dtsapi.IntOf(9000), ErrorMessage: str("data note"),
		}),
		DataSynchronizationStatus: dtsapi.ObjectOf(dtsapi.DataSynchronizationStatus{
			Status: str("Catched"), Percent: dtsapi.IntOf(95), Delay: dtsapi.IntOf(3), Checkpoint: dtsapi.IntOf(1700000000), ErrorMessage: str("sync note"),
		}),
	}
	zeroes := &dtsapi.MigrationJobStatus{
		DataSynchronizationStatus: dtsapi.ObjectOf(dtsapi.DataSynchronizationStatus{Status: str("Migrating"), Percent: dtsapi.IntOf(0), Delay: dtsapi.IntOf(0)}),
	}
	tests := []observeCase[dtsapi.MigrationJobStatus]{
		{"job", wait.StageJob, full, wait.Observation{Status: ptr("Migrating")}},
		{"precheck", wait.StagePrecheck, full, wait.Observation{Status: ptr("Finished"), Percent: ptr(int64(100))}},
		{"structure", wait.StageStructureInitialization, full, wait.Observation{Status: ptr("Finished"), Percent: ptr(int64(100)), ErrorMessage: ptr("schema note")}},
		{"data init", wait.StageDataInitialization, full, wait.Observation{Status: ptr("Migrating"), Percent: ptr(int64(40)), ErrorMessage: ptr("data note")}},
		{"data sync", wait.StageDataSynchronization, full, wait.Observation{Status: ptr("Catched"), Percent: ptr(int64(95)), Delay: ptr(int64(3)), ErrorMessage: ptr("sync note")}},
		{"zero percent and delay are set", wait.StageDataSynchronization, zeroes, wait.Observation{Status: ptr("Migrating"), Percent: ptr(int64(0)), Delay: ptr(int64(0))}},
		{"a stage the family lacks", wait.StageFullDataCheck, full, wait.Observation{}},
		{"unknown stage", wait.Stage("nope"), full, wait.Observation{}},
	}
	for _, s := range Legacy.Table.Stages() {
		tests = append(tests, observeCase[dtsapi.MigrationJobStatus]{"no stage objects/" + string(s), s, &dtsapi.MigrationJobStatus{}, wait.Observation{}})
	}
	runObserve(t, Legacy, tests)
}

type observeCase[R any] struct {
	name  string
	stage wait.Stage
	r     *R
	want  wait.Observation
}

func runObserve[R any](t *testing.T, f *wait.Family[R], tests []observeCase[R]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.Observe(tt.r, tt.stage); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Observe = %s, want %s", fmtObs(got), fmtObs(tt.want))
			}
		})
	}
}

func fmtObs(o wait.Observation) string {
	return "{status " + quoteOr(o.Status) + ", percent " + intOr(o.Percent, "") +
		", delay " + intOr(o.Delay, "") + ", error " + quoteOr(o.ErrorMessage) + "}"
}

func TestTargetString(t *testing.T) {
	tests := []struct {
		target wait.Target
		want   string
	}{
		{wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: ptr(int64(5))}, `data_synchronization status in ["Catched"] with delay <= 5s`},
		{wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: ptr(int64(0))}, `data_synchronization status in ["Catched"] with delay <= 0s`},
		{wait.Target{Stage: wait.StageJob, Statuses: []string{"Finished", "Migrating"}}, `job status in ["Finished", "Migrating"]`},
		{wait.Target{Stage: wait.StagePrecheck, Statuses: []string{`we"ird`}}, `precheck status in ["we\"ird"]`},
		{wait.Target{Stage: wait.StageStructureInitialization}, `structure_initialization status in []`},
		{wait.Target{Stage: wait.StageJob, Statuses: []string{"A", "B", "C", "D", "E"}}, `job status in ["A", "B", "C", "D", "E"]`},
		// However many statuses, a message shows five.
		{wait.Target{Stage: wait.StageJob, Statuses: strings.Split(strings.Repeat("S,", 10000)+"Last", ",")},
			`job status in ["S", "S", "S", "S", "S", … and 9996 more]`},
	}
	for _, tt := range tests {
		if got := tt.target.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}
