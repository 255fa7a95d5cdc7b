package wait

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeoutError is returned when the target was not reached before the wait's deadline.
type TimeoutError struct {
	// Target is what was awaited.
	Target Target
	// Timeout is the wait's timeout.
	Timeout time.Duration
	// Waited is how long the wait ran on its clock; less than Timeout when the context's deadline came first.
	Waited time.Duration
	// Polls is how many calls were made.
	Polls int
	// Last is what the most recent response with a status for the stage said; nil when none had one.
	Last *Observation
	// LastJobStatus is the most recent job status seen; nil when none was.
	LastJobStatus *string
	// LastErr is the most recent failed call since Last was observed (or since the start, when Last is
	// nil); nil when every call since then succeeded.
	LastErr error
	// Units is how many units the last verdict of a gate over several looked at; 0 for one job.
	Units int
	// Waiting are the units that were not at the target in that verdict.
	Waiting []Unit
	// Held is why the last verdict did not count a target that looked reached, such as a job whose
	// objects are being changed; empty otherwise.
	Held string
	// OverListing says the gate watched every job of a listing (see Fleet).
	OverListing bool
}

// timeoutUnits is how many units not at the target a timeout names.
const timeoutUnits = 10

func (e *TimeoutError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "timed out after %s waiting for %s (%s)", e.Timeout, e.Target, plural(e.Polls, "poll"))
	if e.Units > 0 {
		fmt.Fprintf(&b, ": %d of %d not at the target at the last poll: %s", len(e.Waiting), e.Units, Summarize(e.Waiting, timeoutUnits))
		if e.Held != "" {
			fmt.Fprintf(&b, " (held because %s)", e.Held)
		}
		if e.LastErr != nil {
			fmt.Fprintf(&b, "; calls failed after that, the last with: %v", e.LastErr)
		}
		b.WriteString(". If they are still making progress, allow them more time with a longer read timeout; otherwise look at them in the DTS console.")
		return b.String()
	}
	if e.Last == nil && e.LastJobStatus != nil {
		// The job answered, so its ID, its region and the endpoint are right: the stage has not started.
		fmt.Fprintf(&b, ": the job answered, with job status %q, but no answer included a %s status: the stage has not started yet",
			*e.LastJobStatus, e.Target.Stage)
		if e.LastErr != nil {
			fmt.Fprintf(&b, "; the last call that failed said: %v", e.LastErr)
		}
		b.WriteString(". If the job is still making progress, allow it more time with a longer read timeout; otherwise look at the job in the DTS console.")
		return b.String()
	}
	if e.OverListing {
		b.WriteString(": no listing was ever read")
		if e.LastErr != nil {
			fmt.Fprintf(&b, "; the last poll failed: %v", e.LastErr)
		}
		b.WriteString(". Check the region and that the DTS endpoint is reachable, then try again.")
		return b.String()
	}
	if e.Last == nil {
		fmt.Fprintf(&b, ": no %s status was ever observed", e.Target.Stage)
		if e.LastErr != nil {
			fmt.Fprintf(&b, "; the last call failed: %v", e.LastErr)
		} else {
			b.WriteString(", the responses did not include it")
		}
		b.WriteString(". Check that the job ID and region are right and that the DTS endpoint is reachable, then try again.")
		return b.String()
	}
	fmt.Fprintf(&b, ". Last seen: %s", describe(e.Target.Stage, e.Last, e.LastJobStatus))
	if e.Held != "" {
		fmt.Fprintf(&b, "; not counted as reached because %s", e.Held)
	}
	if e.LastErr != nil {
		fmt.Fprintf(&b, "; calls failed after that, the last with: %v", e.LastErr)
	}
	b.WriteString(". If the job is still making progress, allow it more time with a longer read timeout; otherwise look at the job in the DTS console.")
	return b.String()
}

// CanceledError is returned when the wait's context is canceled; it wraps the context's error, so
// errors.Is(err, context.Canceled) holds.
type CanceledError struct {
	// Target is what was awaited.
	Target Target
	// Waited is how long the wait ran on its clock before it stopped.
	Waited time.Duration
	// Polls is how many calls were made.
	Polls int
	// Last is what the most recent response with a status for the stage said; nil when none had one.
	Last *Observation
	// LastJobStatus is the most recent job status seen; nil when none was.
	LastJobStatus *string
	// Err is the context's error, context.Canceled.
	Err error
	// Cause is the context's cause when it differs from Err (see context.WithCancelCause), else nil.
	Cause error
}

func (e *CanceledError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stopped waiting for %s after %s (%s): %v", e.Target, e.Waited, plural(e.Polls, "poll"), e.Err)
	if e.Cause != nil {
		fmt.Fprintf(&b, " (%v)", e.Cause)
	}
	if e.Last != nil {
		fmt.Fprintf(&b, ". Last seen: %s", describe(e.Target.Stage, e.Last, e.LastJobStatus))
	} else {
		fmt.Fprintf(&b, ". No %s status had been observed", e.Target.Stage)
	}
	return b.String()
}

// Unwrap returns the context's error and, if different, its cause.
func (e *CanceledError) Unwrap() []error {
	errs := []error{e.Err}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// UnreachableError is returned as soon as a response shows that the target can no longer be reached.
type UnreachableError struct {
	// Target is what was awaited.
	Target Target
	// Unit names the job or sub-job that cannot reach the target, for a gate over several; empty for one job.
	Unit string
	// Reason says why the target can no longer be reached.
	Reason string
	// Hint says what to try.
	Hint string
	// Stage is the stage at fault; it may run earlier than Target.Stage, or be StageJob when the job
	// failed without saying where.
	Stage Stage
	// Status is the status of Stage, empty when the response had none.
	Status string
	// JobStatus is the job's status, empty when the response had none.
	JobStatus string
	// ErrorMessage is the error message of Stage, empty when the response had none.
	ErrorMessage string
	// JobErrorMessage is the job's own error message, where the API has one.
	JobErrorMessage string
	// ErrorDetails are the job's documented error codes with their help pages.
	ErrorDetails []ErrorDetail
	// FailedChecks lists, for a precheck failure, every check item that did not pass.
	FailedChecks []FailedCheck
	// Tables lists, for a data verification, the tables at fault: those whose verification failed,
	// or those with inconsistent rows. The message names the first ten.
	Tables []TableResult
}

func (e *UnreachableError) Error() string {
	var b strings.Builder
	if e.Unit != "" {
		fmt.Fprintf(&b, "waiting for %s cannot succeed: %s: %s.", e.Target, e.Unit, e.Reason)
	} else {
		fmt.Fprintf(&b, "waiting for %s cannot succeed: %s.", e.Target, e.Reason)
	}
	if e.ErrorMessage != "" {
		fmt.Fprintf(&b, "\n%s error message: %s", e.Stage, e.ErrorMessage)
	}
	if e.JobErrorMessage != "" && (e.JobErrorMessage != e.ErrorMessage || e.Stage != StageJob) {
		fmt.Fprintf(&b, "\njob error message: %s", e.JobErrorMessage)
	}
	for _, d := range e.ErrorDetails {
		fmt.Fprintf(&b, "\nerror code %s", d.Code)
		if d.HelpURL != "" {
			fmt.Fprintf(&b, ": see %s", d.HelpURL)
		}
	}
	if len(e.FailedChecks) > 0 {
		b.WriteString("\nPrecheck items that did not pass:")
		for _, c := range e.FailedChecks {
			b.WriteString("\n  - ")
			b.WriteString(describeCheck(c))
		}
	}
	if len(e.Tables) > 0 {
		if e.Tables[0].Failed {
			fmt.Fprintf(&b, "\nTables whose verification failed (%d):", len(e.Tables))
		} else {
			fmt.Fprintf(&b, "\nTables with inconsistent rows (%d):", len(e.Tables))
		}
		b.WriteString(describeTables(e.Tables))
	}
	if e.Hint != "" {
		b.WriteString("\n")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func describeCheck(c FailedCheck) string {
	var b strings.Builder
	b.WriteString(cmp.Or(c.Item, "(unnamed item)"))
	b.WriteString(": ")
	b.WriteString(cmp.Or(c.Result, "status unknown"))
	if c.Reason != "" {
		b.WriteString(": ")
		b.WriteString(c.Reason)
	}
	if c.RepairMethod != "" {
		b.WriteString("; repair: ")
		b.WriteString(c.RepairMethod)
	}
	return b.String()
}

// describe renders an observation for a person: status, percent and, for data_synchronization, delay.
func describe(stage Stage, o *Observation, jobStatus *string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s status %s", stage, quoteOr(o.Status, "unknown"))
	if stage != StageJob {
		fmt.Fprintf(&b, ", percent %s", intOr(o.Percent, "", "unknown"))
	}
	if stage == StageDataSynchronization {
		fmt.Fprintf(&b, ", delay %s", intOr(o.Delay, "s", "unknown"))
	}
	if o.ErrorMessage != nil {
		fmt.Fprintf(&b, ", error message %q", *o.ErrorMessage)
	}
	if stage != StageJob && jobStatus != nil {
		fmt.Fprintf(&b, "; job status %q", *jobStatus)
	}
	return b.String()
}

// orEmpty is *p, or "" when p is nil.
func orEmpty(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func quoteOr(p *string, absent string) string {
	if p == nil {
		return absent
	}
	return strconv.Quote(*p)
}

func intOr(p *int64, unit, absent string) string {
	if p == nil {
		return absent
	}
	return strconv.FormatInt(*p, 10) + unit
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// canceled builds the error for a canceled context; ctx.Err() must be context.Canceled.
func canceled(ctx context.Context, s *state) *CanceledError {
	e := &CanceledError{
		Target:        s.target,
		Waited:        s.elapsed(),
		Polls:         s.polls,
		Last:          s.last,
		LastJobStatus: s.lastJob,
		Err:           ctx.Err(),
	}
	// Without a cause of its own, context.Cause returns the context's error, which adds nothing.
	if cause := context.Cause(ctx); cause != nil && cause.Error() != e.Err.Error() {
		e.Cause = cause
	}
	return e
}
