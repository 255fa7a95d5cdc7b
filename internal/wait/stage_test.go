package wait

import (
	"reflect"
	"slices"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

func ptr[T any](v T) *T { return &v }

func TestStages(t *testing.T) {
	want := []Stage{"job", "precheck", "structure_initialization", "data_initialization", "data_synchronization"}
	if got := Stages(); !slices.Equal(got, want) {
		t.Fatalf("Stages() = %q, want %q", got, want)
	}
	// Callers may sort or trim what they get; that must not change the next answer.
	Stages()[0] = "x"
	if got := Stages(); !slices.Equal(got, want) {
		t.Fatalf("Stages() after mutating a result = %q, want %q", got, want)
	}
}

func TestParseStage(t *testing.T) {
	tests := []struct {
		in     string
		want   Stage
		wantOK bool
	}{
		{"job", StageJob, true},
		{"precheck", StagePrecheck, true},
		{"structure_initialization", StageStructureInitialization, true},
		{"data_initialization", StageDataInitialization, true},
		{"data_synchronization", StageDataSynchronization, true},
		{"Job", "", false},
		{"DataSynchronization", "", false},
		{"data-synchronization", "", false},
		{" job", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseStage(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseStage(%q) = (%q, %v), want (%q, %v)", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestDocumentedStatuses(t *testing.T) {
	// Copied from SPEC.md's table of documented values, in its order.
	want := map[Stage][]string{
		StageJob:                     {"NotStarted", "Prechecking", "PrecheckFailed", "Migrating", "Suspending", "MigrationFailed", "Finished"},
		StagePrecheck:                {"NotStarted", "Checking", "Suspending", "Failed", "Finished"},
		StageStructureInitialization: {"NotStarted", "Migrating", "Failed", "Finished"},
		StageDataInitialization:      {"NotStarted", "Migrating", "Failed", "Finished"},
		StageDataSynchronization:     {"NotStarted", "Migrating", "Failed", "Finished", "Catched"},
	}
	for _, s := range Stages() {
		if got := s.DocumentedStatuses(); !slices.Equal(got, want[s]) {
			t.Errorf("%s.DocumentedStatuses() = %q, want %q", s, got, want[s])
		}
		if !s.Valid() {
			t.Errorf("%s.Valid() = false", s)
		}
	}
	if len(want) != len(Stages()) {
		t.Errorf("the table has %d stages, Stages() %d", len(want), len(Stages()))
	}

	StageJob.DocumentedStatuses()[0] = "Mutated"
	if got := StageJob.DocumentedStatuses()[0]; got != "NotStarted" {
		t.Errorf("mutating a result changed the table: first job status is now %q", got)
	}

	unknown := Stage("migration")
	if got := unknown.DocumentedStatuses(); got != nil {
		t.Errorf("unknown stage: DocumentedStatuses() = %q, want nil", got)
	}
	if unknown.Valid() {
		t.Error("unknown stage: Valid() = true")
	}
}

func TestCheckStatus(t *testing.T) {
	tests := []struct {
		stage     Stage
		in        string
		canonical string
		kind      StatusKind
	}{
		{StageDataSynchronization, "Catched", "Catched", KnownStatus},
		{StageDataSynchronization, "catched", "Catched", WrongCase},
		{StageDataSynchronization, "CATCHED", "Catched", WrongCase},
		{StageDataSynchronization, "Paused", "Paused", UndocumentedStatus},
		{StageDataSynchronization, "Caught", "Caught", UndocumentedStatus},
		{StageDataSynchronization, "", "", UndocumentedStatus},
		{StageJob, "PrecheckFailed", "PrecheckFailed", KnownStatus},
		{StageJob, "precheckfailed", "PrecheckFailed", WrongCase},
		{StageJob, "Catched", "Catched", UndocumentedStatus},
		{StagePrecheck, "checking", "Checking", WrongCase},
		{StagePrecheck, "Prechecking", "Prechecking", UndocumentedStatus},
		{StageStructureInitialization, "Finished", "Finished", KnownStatus},
		{StageDataInitialization, "notstarted", "NotStarted", WrongCase},
		{StageDataInitialization, "Catched", "Catched", UndocumentedStatus},
		{Stage("nope"), "Finished", "Finished", UndocumentedStatus},
	}
	for _, tt := range tests {
		canonical, kind := tt.stage.CheckStatus(tt.in)
		if canonical != tt.canonical || kind != tt.kind {
			t.Errorf("%s.CheckStatus(%q) = (%q, %v), want (%q, %v)", tt.stage, tt.in, canonical, kind, tt.canonical, tt.kind)
		}
	}
}

func TestStatusKindString(t *testing.T) {
	for k, want := range map[StatusKind]string{
		KnownStatus:        "KnownStatus",
		WrongCase:          "WrongCase",
		UndocumentedStatus: "UndocumentedStatus",
		StatusKind(7):      "StatusKind(7)",
	} {
		if got := k.String(); got != want {
			t.Errorf("StatusKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func TestObserve(t *testing.T) {
	full := &dtsapi.MigrationJobStatus{
		MigrationJobStatus: ptr("Migrating"),
		PrecheckStatus: &dtsapi.PrecheckStatus{
			Status: ptr("Finished"), Percent: ptr(int64(100)),
			Detail: []dtsapi.CheckItem{{CheckStatus: ptr("Success")}},
		},
		StructureInitializationStatus: &dtsapi.InitializationStatus{
			Status: ptr("Finished"), Percent: ptr(int64(100)), Progress: ptr(int64(12)), ErrorMessage: ptr("schema note"),
		},
		DataInitializationStatus: &dtsapi.InitializationStatus{
			Status: ptr("Migrating"), Percent: ptr(int64(40)), Progress: ptr(int64(9000)), ErrorMessage: ptr("data note"),
		},
		DataSynchronizationStatus: &dtsapi.DataSynchronizationStatus{
			Status: ptr("Catched"), Percent: ptr(int64(95)), Delay: ptr(int64(3)), Checkpoint: ptr(int64(1700000000)), ErrorMessage: ptr("sync note"),
		},
	}
	type observeCase struct {
		name  string
		stage Stage
		st    *dtsapi.MigrationJobStatus
		want  Observation
	}
	tests := []observeCase{
		{"job", StageJob, full, Observation{Status: ptr("Migrating")}},
		{"precheck", StagePrecheck, full, Observation{Status: ptr("Finished"), Percent: ptr(int64(100))}},
		{"structure", StageStructureInitialization, full, Observation{Status: ptr("Finished"), Percent: ptr(int64(100)), ErrorMessage: ptr("schema note")}},
		{"data init", StageDataInitialization, full, Observation{Status: ptr("Migrating"), Percent: ptr(int64(40)), ErrorMessage: ptr("data note")}},
		{"data sync", StageDataSynchronization, full, Observation{Status: ptr("Catched"), Percent: ptr(int64(95)), Delay: ptr(int64(3)), ErrorMessage: ptr("sync note")}},
		{"unknown stage", Stage("nope"), full, Observation{}},
	}
	for _, s := range Stages() {
		tests = append(tests,
			observeCase{"nil response/" + string(s), s, nil, Observation{}},
			observeCase{"no stage objects/" + string(s), s, &dtsapi.MigrationJobStatus{}, Observation{}},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.stage.Observe(tt.st); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Observe = %s, want %s", fmtObs(got), fmtObs(tt.want))
			}
		})
	}
}

func fmtObs(o Observation) string {
	return "{status " + quoteOr(o.Status, "nil") + ", percent " + intOr(o.Percent, "", "nil") +
		", delay " + intOr(o.Delay, "", "nil") + ", error " + quoteOr(o.ErrorMessage, "nil") + "}"
}

func TestTargetString(t *testing.T) {
	tests := []struct {
		target Target
		want   string
	}{
		{Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: ptr(int64(5))}, `data_synchronization status in ["Catched"] with delay <= 5s`},
		{Target{Stage: StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: ptr(int64(0))}, `data_synchronization status in ["Catched"] with delay <= 0s`},
		{Target{Stage: StageJob, Statuses: []string{"Finished", "Migrating"}}, `job status in ["Finished", "Migrating"]`},
		{Target{Stage: StagePrecheck, Statuses: []string{`we"ird`}}, `precheck status in ["we\"ird"]`},
		{Target{Stage: StageStructureInitialization}, `structure_initialization status in []`},
	}
	for _, tt := range tests {
		if got := tt.target.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}
