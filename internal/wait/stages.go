package wait

import (
	"slices"
	"strconv"
	"strings"
)

// Stage names the part of a job whose status a wait watches, as wait_for's stage argument does.
type Stage string

// The stages of a job. The legacy API has the first five; the current API all seven.
const (
	// StageJob is the job as a whole: its own status.
	StageJob Stage = "job"
	// StagePrecheck is the precheck that runs before any data moves.
	StagePrecheck Stage = "precheck"
	// StageStructureInitialization is schema migration.
	StageStructureInitialization Stage = "structure_initialization"
	// StageDataInitialization is full data migration.
	StageDataInitialization Stage = "data_initialization"
	// StageDataSynchronization is incremental data migration or synchronization.
	StageDataSynchronization Stage = "data_synchronization"
	// StageFullDataCheck is the verification of the full data.
	StageFullDataCheck Stage = "full_data_check"
	// StageIncrementalDataCheck is the verification of incremental data.
	StageIncrementalDataCheck Stage = "incremental_data_check"
)

// StageInfo is what plan-time validation and messages need to know of a stage.
type StageInfo struct {
	Stage Stage
	// Documented are the statuses the DTS documentation lists, in its order.
	Documented []string
	// FoldCase makes status comparisons ignore case (the service spells some statuses both ways).
	FoldCase bool
	// HasDelay says max_delay_seconds applies to the stage.
	HasDelay bool
	// Needs are the stages that must not fail for this one to be reached.
	Needs []Stage
	// Failures are the statuses besides Failed that say the stage failed (a sub-job's precheck
	// reports PrecheckFailed).
	Failures []string
}

// Table is an API family's stages: the job first, then its stages in the order they run.
type Table []StageInfo

// Stages returns the stages' names in the table's order.
func (t Table) Stages() []Stage {
	out := make([]Stage, len(t))
	for i, s := range t {
		out[i] = s.Stage
	}
	return out
}

// Lookup returns the stage named s, matched exactly. Its lists are copies: stages share them, and a
// caller that sorts or edits one must not change the table.
func (t Table) Lookup(s string) (StageInfo, bool) {
	info, ok := t.lookup(s)
	info.Documented = slices.Clone(info.Documented)
	info.Needs = slices.Clone(info.Needs)
	return info, ok
}

// lookup is Lookup without the copies, for the waiter, which only reads.
func (t Table) lookup(s string) (StageInfo, bool) {
	for _, info := range t {
		if string(info.Stage) == s {
			return info, true
		}
	}
	return StageInfo{}, false
}

// Names lists the stages for a message, quoted with backticks: `job`, `precheck`, ...
func (t Table) Names() string {
	names := make([]string, len(t))
	for i, s := range t {
		names[i] = "`" + string(s.Stage) + "`"
	}
	return strings.Join(names, ", ")
}

// StatusKind classifies a target status against the documented statuses of a stage.
type StatusKind int

// The kinds of target status that CheckStatus tells apart.
const (
	// KnownStatus is a documented status, spelled as documented (or in any case, where the stage
	// compares ignoring case).
	KnownStatus StatusKind = iota
	// WrongCase matches a documented status only when case is ignored, on a stage that compares
	// exactly: it would never match.
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

// CheckStatus classifies a user-given target status for plan-time validation, returning it in the
// documented spelling where case alone differs.
func (s StageInfo) CheckStatus(status string) (canonical string, kind StatusKind) {
	if slices.Contains(s.Documented, status) {
		return status, KnownStatus
	}
	for _, d := range s.Documented {
		if strings.EqualFold(d, status) {
			if s.FoldCase {
				return d, KnownStatus
			}
			return d, WrongCase
		}
	}
	return status, UndocumentedStatus
}

// failed reports whether a status the service sent says the stage failed.
func (s StageInfo) failed(got string) bool {
	return s.matches(got, StageFailed) || slices.ContainsFunc(s.Failures, func(f string) bool { return s.matches(got, f) })
}

// matches compares a status the service sent with a target status.
func (s StageInfo) matches(got, want string) bool {
	if s.FoldCase {
		return strings.EqualFold(got, want)
	}
	return got == want
}

// Observation is what one response says about a stage. A nil field is one the response did not
// establish.
type Observation struct {
	// Status is the stage's status; for StageJob, the job's.
	Status *string
	// Percent is the stage's progress in percent.
	Percent *int64
	// Delay is the replication latency in seconds; set only for a stage with a delay.
	Delay *int64
	// ErrorMessage is the stage's error message.
	ErrorMessage *string
}

// FailedCheck is a precheck item that did not pass.
type FailedCheck struct {
	Item, Result, Reason, RepairMethod string
}

// ErrorDetail is a documented error code of a failed job, with its help page.
type ErrorDetail struct {
	Code, HelpURL string
}

// Family is an API family's stage table and how to read a response of type R: what each stage
// says, which stages a job runs, and what a failure reports. The waiter works from it alone.
type Family[R any] struct {
	Table Table
	// Observe reads a stage from a response; an Observation with every field nil when the response
	// lacks it.
	Observe func(r *R, s Stage) Observation
	// Switch returns the migration mode flag that turns the stage on or off, and its name; ok is
	// false for stages that always run.
	Switch func(r *R, s Stage) (on *bool, name string, ok bool)
	// FailedChecks returns the precheck items that did not pass.
	FailedChecks func(r *R) []FailedCheck
	// JobFailures are the job statuses that end a wait at once, with the stage they blame; "" blames
	// the first failed stage.
	JobFailures map[string]Stage
	// JobError returns the job's own error message and error details; nil when the family has none.
	JobError func(r *R) (message string, details []ErrorDetail)
	// Holds, when set, returns why a stage at a target status does not count as reached yet (such as a
	// job whose objects are being changed), or "" when it counts.
	Holds func(r *R, s Stage) string
	// Permanent reports whether a failed call is one that waiting will not mend (authentication,
	// permission, a job that does not exist), which ends a wait at once; nil means none is.
	Permanent func(err error) bool
}

// JobFinished is the job status after which nothing changes.
const JobFinished = "Finished"

// StageFailed is a stage's failed status.
const StageFailed = "Failed"

func (f *Family[R]) info(s Stage) StageInfo {
	info, _ := f.Table.lookup(string(s))
	return info
}

// jobFailure returns the stage a job status blames, and whether it ends a wait.
func (f *Family[R]) jobFailure(job string) (Stage, bool) {
	fold := f.info(StageJob).FoldCase
	for status, blame := range f.JobFailures {
		if status == job || (fold && strings.EqualFold(status, job)) {
			return blame, true
		}
	}
	return "", false
}
