package wait

import (
	"strconv"
	"strings"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// Stage names the part of a migration job whose status a wait watches.
type Stage string

// The stages of a migration job, as named in wait_for's stage argument.
const (
	// StageJob is the job as a whole: its MigrationJobStatus.
	StageJob Stage = "job"
	// StagePrecheck is the precheck that runs before any data moves.
	StagePrecheck Stage = "precheck"
	// StageStructureInitialization is schema migration.
	StageStructureInitialization Stage = "structure_initialization"
	// StageDataInitialization is full data migration.
	StageDataInitialization Stage = "data_initialization"
	// StageDataSynchronization is incremental data migration.
	StageDataSynchronization Stage = "data_synchronization"
)

// Job statuses that the waiter acts on.
const (
	jobPrecheckFailed  = "PrecheckFailed"
	jobMigrationFailed = "MigrationFailed"
	jobFinished        = "Finished"
	stageFailed        = "Failed"
	checkSuccess       = "Success"
)

// documented holds SPEC.md's table of documented statuses, in the table's order.
var documented = map[Stage][]string{
	StageJob:                     {"NotStarted", "Prechecking", jobPrecheckFailed, "Migrating", "Suspending", jobMigrationFailed, jobFinished},
	StagePrecheck:                {"NotStarted", "Checking", "Suspending", stageFailed, "Finished"},
	StageStructureInitialization: {"NotStarted", "Migrating", stageFailed, "Finished"},
	StageDataInitialization:      {"NotStarted", "Migrating", stageFailed, "Finished"},
	StageDataSynchronization:     {"NotStarted", "Migrating", stageFailed, "Finished", "Catched"},
}

// Stages returns every stage in pipeline order: the job, then the job's stages as they run.
func Stages() []Stage {
	return []Stage{StageJob, StagePrecheck, StageStructureInitialization, StageDataInitialization, StageDataSynchronization}
}

// pipeline is the order in which a job's stages run; the job itself is not part of it.
var pipeline = []Stage{StagePrecheck, StageStructureInitialization, StageDataInitialization, StageDataSynchronization}

// ParseStage returns the stage named s, matched exactly, and whether there is one.
func ParseStage(s string) (Stage, bool) {
	for _, st := range Stages() {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Valid reports whether s is one of the five stages.
func (s Stage) Valid() bool {
	_, ok := documented[s]
	return ok
}

// DocumentedStatuses returns the statuses the DTS documentation lists for the stage, in the
// documentation's order, or nil for an unknown stage.
func (s Stage) DocumentedStatuses() []string {
	return append([]string(nil), documented[s]...)
}

// StatusKind classifies a target status against the documented statuses of a stage.
type StatusKind int

// The kinds of target status that CheckStatus tells apart.
const (
	// KnownStatus is a documented status, spelled exactly as documented.
	KnownStatus StatusKind = iota
	// WrongCase matches a documented status only when case is ignored; it would never match, since
	// the service's statuses are compared exactly.
	WrongCase
	// UndocumentedStatus matches no documented status; the service has been seen to return values its
	// documentation omits, so it may still be meant.
	UndocumentedStatus
)

// String returns the kind's name.
func (k StatusKind) String() string {
	switch k {
	case KnownStatus:
		return "KnownStatus"
	case WrongCase:
		return "WrongCase"
	case UndocumentedStatus:
		return "UndocumentedStatus"
	default:
		return "StatusKind(" + strconv.Itoa(int(k)) + ")"
	}
}

// CheckStatus classifies a user-given target status for plan-time validation. A documented status
// comes back as is with KnownStatus; one that matches a documented status only when case is ignored
// comes back in the documented spelling with WrongCase; any other comes back as is with
// UndocumentedStatus.
func (s Stage) CheckStatus(status string) (canonical string, kind StatusKind) {
	for _, d := range documented[s] {
		if d == status {
			return d, KnownStatus
		}
	}
	for _, d := range documented[s] {
		if strings.EqualFold(d, status) {
			return d, WrongCase
		}
	}
	return status, UndocumentedStatus
}

// Observation is what one response says about a stage. A nil field is one the response did not
// establish.
type Observation struct {
	// Status is the stage's status; for StageJob, the MigrationJobStatus.
	Status *string
	// Percent is the stage's progress in percent; nil for StageJob.
	Percent *int64
	// Delay is the replication latency in seconds; set only for StageDataSynchronization.
	Delay *int64
	// ErrorMessage is the stage's error message; the job and the precheck have none (the precheck's
	// messages are on its check items).
	ErrorMessage *string
}

// Observe extracts what st says about the stage. A nil st, a missing stage object or an unknown
// stage gives an Observation with every field nil.
func (s Stage) Observe(st *dtsapi.MigrationJobStatus) Observation {
	if st == nil {
		return Observation{}
	}
	switch s {
	case StageJob:
		return Observation{Status: st.MigrationJobStatus}
	case StagePrecheck:
		if p := st.PrecheckStatus; p != nil {
			return Observation{Status: p.Status, Percent: p.Percent}
		}
	case StageStructureInitialization:
		return observeInitialization(st.StructureInitializationStatus)
	case StageDataInitialization:
		return observeInitialization(st.DataInitializationStatus)
	case StageDataSynchronization:
		if d := st.DataSynchronizationStatus; d != nil {
			return Observation{Status: d.Status, Percent: d.Percent, Delay: d.Delay, ErrorMessage: d.ErrorMessage}
		}
	}
	return Observation{}
}

func observeInitialization(i *dtsapi.InitializationStatus) Observation {
	if i == nil {
		return Observation{}
	}
	return Observation{Status: i.Status, Percent: i.Percent, ErrorMessage: i.ErrorMessage}
}

// modeFlag returns the MigrationMode flag that switches the stage on or off, and its name; nil and
// "" for the job and the precheck, which always run.
func (s Stage) modeFlag(m *dtsapi.MigrationMode) (flag *bool, name string) {
	if m == nil {
		m = &dtsapi.MigrationMode{}
	}
	switch s {
	case StageStructureInitialization:
		return m.StructureInitialization, "StructureInitialization"
	case StageDataInitialization:
		return m.DataInitialization, "DataInitialization"
	case StageDataSynchronization:
		return m.DataSynchronization, "DataSynchronization"
	}
	return nil, ""
}

// upTo returns the pipeline stages that run before s, and s itself; none for StageJob, whose status
// already reflects its stages.
func (s Stage) upTo() []Stage {
	for i, p := range pipeline {
		if p == s {
			return pipeline[:i+1]
		}
	}
	return nil
}
